//! Aliases: a table under another name (`users AS managers`), for self-joins and for joining the same
//! table twice through two foreign keys. Created with [`alias!`](crate::alias).

use std::marker::PhantomData;

use crate::expression::{AppearsOn, Expression, SelectNullability};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::{Column, ColumnOf, HasTableId, NotNullableIn, QuerySource, SingleSource, Table, TableInFrom};

/// The name of an alias, with its type-level id; `alias!` implements it for a type it declares.
#[doc(hidden)]
pub trait AliasName: Copy + Default + 'static {
    /// The alias in SQL.
    const NAME: &'static str;
    /// The alias's id (a hash of its name), as `table!` computes ids for tables.
    type Id;
}

/// Table `T` under the name `N`: `"users" AS "managers"`.
///
/// Two foreign keys to one table (`articles.author_id` and `articles.editor_id`, both to `staff`) cannot
/// both be a `joinable!` relation; give the table one alias per key and join each with an explicit ON:
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { staff (id) { id -> Integer, name -> Text, } }
/// # quarry::table! { articles (id) { id -> Integer, title -> Text, author_id -> Integer, editor_id -> Integer, } }
/// let (authors, editors) = quarry::alias!(staff as authors, staff as editors);
/// let q = articles::table
///     .inner_join(authors.on(articles::author_id.eq(authors.field(staff::id))))
///     .inner_join(editors.on(articles::editor_id.eq(editors.field(staff::id))))
///     .select((articles::title, authors.field(staff::name), editors.field(staff::name)));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "articles"."title", "authors"."name", "editors"."name" FROM "articles" INNER JOIN "staff" AS "authors" ON "articles"."author_id" = "authors"."id" INNER JOIN "staff" AS "editors" ON "articles"."editor_id" = "editors"."id""#
/// );
/// ```
pub struct Alias<T, N> {
    table: T,
    name: PhantomData<N>,
}

impl<T: Copy, N> Clone for Alias<T, N> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Copy, N> Copy for Alias<T, N> {}
impl<T: Default, N> Default for Alias<T, N> {
    fn default() -> Self {
        Alias { table: T::default(), name: PhantomData }
    }
}
impl<T: Table, N: AliasName> std::fmt::Debug for Alias<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} AS {}", T::NAME, N::NAME)
    }
}

impl<T: Table, N: AliasName> Alias<T, N> {
    /// The alias of `T` named `N`; `alias!` calls it.
    pub fn new() -> Self {
        Alias { table: T::default(), name: PhantomData }
    }

    /// Column `column` of the aliased table, seen through the alias: `managers.field(users::name)` is
    /// `"managers"."name"`.
    pub fn field<C: Column + ColumnOf<T>>(self, column: C) -> AliasedField<T, N, C> {
        AliasedField { column, alias: PhantomData }
    }
}

impl<T: Table, N: AliasName> HasTableId for Alias<T, N> {
    type Id = N::Id;
    type Exposed = N::Id;
    type Bare = N::Id;
}
impl<T: Table, N: AliasName> SingleSource for Alias<T, N> {}
impl<T: Table, N: AliasName> TableInFrom<Alias<T, N>> for Alias<T, N> {}

impl<T: Table, N: AliasName> QuerySource for Alias<T, N>
where
    T::AllColumns: AliasColumns<T, N>,
{
    type DefaultSelection = <T::AllColumns as AliasColumns<T, N>>::Output;

    fn walk_from(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.table.walk_from(out)?;
        out.push_sql(" AS ");
        out.push_identifier(N::NAME);
        Ok(())
    }

    fn default_selection(&self) -> Self::DefaultSelection {
        T::all_columns().alias_columns()
    }
}

impl<T: QueryId, N: 'static> QueryId for Alias<T, N> {
    type QueryId = Alias<T::QueryId, N>;
}

/// Queries can start from an alias as from a table.
impl<T: Table, N: AliasName> super::QueryDsl for Alias<T, N>
where
    T::AllColumns: AliasColumns<T, N>,
{
    super::query_dsl::starts_a_select!();
}

/// A column seen through an alias.
pub struct AliasedField<T, N, C> {
    column: C,
    alias: PhantomData<(T, N)>,
}

impl<T, N, C: Copy> Clone for AliasedField<T, N, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T, N, C: Copy> Copy for AliasedField<T, N, C> {}
impl<T, N, C: Default> Default for AliasedField<T, N, C> {
    fn default() -> Self {
        AliasedField { column: C::default(), alias: PhantomData }
    }
}
impl<T, N: AliasName, C: Column> std::fmt::Debug for AliasedField<T, N, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", N::NAME, C::NAME)
    }
}

impl<T, N, C: Expression> Expression for AliasedField<T, N, C> {
    type SqlType = C::SqlType;
}

impl<T, N: AliasName, C: Column> QueryFragment for AliasedField<T, N, C> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        let _ = self.column;
        out.push_identifier(N::NAME);
        out.push_sql(".");
        out.push_identifier(C::NAME);
        Ok(())
    }
}

impl<T: 'static, N: 'static, C: QueryId> QueryId for AliasedField<T, N, C> {
    type QueryId = AliasedField<T, N, C::QueryId>;
}

#[diagnostic::do_not_recommend]
impl<QS, T: Table, N: AliasName, C: Column> AppearsOn<QS> for AliasedField<T, N, C>
where
    Self: QueryId,
    Alias<T, N>: TableInFrom<QS>,
{
}

impl<QS, T: Table, N: AliasName, C: Column> SelectNullability<QS> for AliasedField<T, N, C> where
    Alias<T, N>: NotNullableIn<QS>
{
}

/// A column seen through an alias: plain without GROUP BY; with one, treated as not grouped (grouping
/// by an aliased column is not supported yet, so such a query is rejected rather than risked).
impl<T, N, C: Expression> crate::expression::ValidGrouping<crate::expression::NoGroupBy> for AliasedField<T, N, C> {
    type Kind = crate::expression::kind::Plain<Self>;
}
impl<T, N, C: Expression, E> crate::expression::ValidGrouping<crate::expression::GroupBy<E>> for AliasedField<T, N, C> {
    type Kind = crate::expression::kind::NotInGroupBy<Self>;
}

#[diagnostic::do_not_recommend]
impl<T, N, C: Expression> crate::expression::NonAggregate for AliasedField<T, N, C> {}

/// Maps a (nested) tuple of `T`'s columns to the same columns seen through alias `N`.
#[doc(hidden)]
pub trait AliasColumns<T, N> {
    /// The aliased columns.
    type Output: Expression + QueryFragment + QueryId;
    /// Maps the value.
    fn alias_columns(self) -> Self::Output;
}

impl<T: Table + 'static, N: AliasName, C: Column + QueryId> AliasColumns<T, N> for C {
    type Output = AliasedField<T, N, C>;
    fn alias_columns(self) -> Self::Output {
        AliasedField { column: self, alias: PhantomData }
    }
}

macro_rules! tuple_alias_columns {
    ($($C:ident $idx:tt),+) => {
        impl<T, N, $($C: AliasColumns<T, N>),+> AliasColumns<T, N> for ($($C,)+) {
            type Output = ($($C::Output,)+);
            fn alias_columns(self) -> Self::Output {
                ($(self.$idx.alias_columns(),)+)
            }
        }
    };
}
crate::tuples::for_each_tuple!(tuple_alias_columns);

// An alias of a table, and its columns: SQL every backend has.
impl<DB, T, N> crate::backend::RunsOn<DB> for Alias<T, N> {}
impl<DB, T, N, C> crate::backend::RunsOn<DB> for AliasedField<T, N, C> {}
