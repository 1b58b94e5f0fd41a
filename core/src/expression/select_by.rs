//! `Selectable`: a struct that knows which columns to select for itself (`User::as_select()`).

use std::marker::PhantomData;

use super::{AppearsOn, Expression, NullableExpression, SelectNullability};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::{NotNullableIn, TableInFrom};
use crate::sql_types::{IntoNullable, IsNullable, NotNull};

/// A struct whose fields name the columns to select; `#[derive(Selectable)]` implements it.
pub trait Selectable {
    /// The columns, as a (nested) tuple of expressions.
    type SelectExpression: Expression + QueryFragment + QueryId;
    /// The table whose columns the struct reads (its `table_name`).
    type Table;
    /// [`NotNull`] for a struct; [`IsNullable`] for `Option<Struct>`, which may read the nullable side
    /// of a LEFT JOIN.
    type Nullability;
    /// What the struct reads besides its table's columns, each checked against the query on its own: a
    /// tuple of its embedded structs' `SelectBy` and its computed fields' expressions
    /// (`#[quarry(embed)]`, `#[quarry(select_expression = ..)]`), or [`NoParts`].
    type Parts;
    /// The columns to select.
    fn construct_selection() -> Self::SelectExpression;
}

/// The SQL type of `T::as_select()`: a row that only `T` knows how to read.
#[derive(Debug)]
pub struct AsSelect<T>(PhantomData<fn() -> T>);

/// The select clause `T::as_select()` gives: `T`'s columns, read back into a `T`.
pub struct SelectBy<T: Selectable> {
    selection: T::SelectExpression,
}

impl<T: Selectable> Clone for SelectBy<T>
where
    T::SelectExpression: Clone,
{
    fn clone(&self) -> Self {
        SelectBy { selection: self.selection.clone() }
    }
}
impl<T: Selectable> Copy for SelectBy<T> where T::SelectExpression: Copy {}

impl<T: Selectable> Expression for SelectBy<T> {
    type SqlType = AsSelect<T>;
}

impl<T: Selectable> QueryFragment for SelectBy<T> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.selection.walk(out)
    }
}

impl<T: Selectable> QueryId for SelectBy<T> {
    type QueryId = <T::SelectExpression as QueryId>::QueryId;
    const HAS_STATIC_QUERY_ID: bool = <T::SelectExpression as QueryId>::HAS_STATIC_QUERY_ID;
}

/// One check for the whole struct (its table is in the query) rather than one error per column.
#[diagnostic::do_not_recommend]
impl<QS, T: StructSelectableIn<QS>> AppearsOn<QS> for SelectBy<T> {}

/// A struct's columns come from the nullable side of a LEFT JOIN only when it is read as an `Option`.
// One line, so that an error quoting it quotes one line.
#[rustfmt::skip]
impl<QS, T: Selectable> SelectNullability<QS> for SelectBy<T> where T::Table: NullCheck<QS, T::Nullability>, T::Parts: PartsNullCheck<QS, T::Nullability> {}

/// [`Selectable::Parts`] of a struct that reads only its table's columns.
#[derive(Debug, Clone, Copy, Default)]
#[doc(hidden)]
pub struct NoParts;

/// The parts of a struct may be read from a query on `QS`: its table's columns need no more check; an
/// embedded struct or a computed field is checked as it would be if it were selected alone.
#[doc(hidden)]
pub trait PartsAppearOn<QS> {}
impl<QS> PartsAppearOn<QS> for NoParts {}
#[diagnostic::do_not_recommend]
impl<QS, P: AppearsOn<QS>> PartsAppearOn<QS> for P {}

/// The parts of a struct read as a struct (not an `Option`) are not on the nullable side of a LEFT JOIN.
#[diagnostic::on_unimplemented(
    message = "a part of this struct comes from the nullable side of a LEFT JOIN in a query on `{QS}`",
    label = "NULL where the LEFT JOIN matched no row",
    note = "embed such a struct as an `Option<..>` (`#[quarry(embed)] post: Option<Post>`), or read the field's expression with `.nullable()` into an `Option`"
)]
pub trait PartsNullCheck<QS, N> {}
#[diagnostic::do_not_recommend]
impl<QS, N> PartsNullCheck<QS, N> for NoParts {}
#[diagnostic::do_not_recommend]
impl<QS, P: SelectNullability<QS>> PartsNullCheck<QS, NotNull> for P {}
#[diagnostic::do_not_recommend]
impl<QS, P: Expression> PartsNullCheck<QS, IsNullable> for P {}

/// A struct's columns hold no aggregate (it may stand in RETURNING).
#[diagnostic::do_not_recommend]
impl<T: Selectable> super::NonAggregate for SelectBy<T> where T::SelectExpression: super::NonAggregate {}

/// A struct's grouping kind is that of its columns.
impl<G, T: Selectable> super::ValidGrouping<G> for SelectBy<T>
where
    T::SelectExpression: super::ValidGrouping<G>,
{
    type Kind = <T::SelectExpression as super::ValidGrouping<G>>::Kind;
}

/// May the `Selectable` struct `Self` be read from a query on `QS`?
#[diagnostic::on_unimplemented(
    message = "`{Self}` selects columns of a table that is not in the FROM clause of a query on `{QS}`",
    label = "its `table_name` is not in the query"
)]
#[doc(hidden)]
pub trait StructSelectableIn<QS>: Selectable {}

#[diagnostic::do_not_recommend]
impl<QS, T: Selectable> StructSelectableIn<QS> for T
where
    T::Table: TableInFrom<QS>,
    T::Parts: PartsAppearOn<QS>,
{
}

/// A struct's table must not be on the nullable side of a LEFT JOIN, unless the struct is read as an
/// `Option`.
#[doc(hidden)]
pub trait NullCheck<QS, N> {}
impl<QS, Tab: NotNullableIn<QS>> NullCheck<QS, NotNull> for Tab {}
impl<QS, Tab> NullCheck<QS, IsNullable> for Tab {}

/// `Option::<Post>::as_select()`: `Post`'s columns, read as `None` when they are all NULL.
impl<T: Selectable> Selectable for Option<T>
where
    T::SelectExpression: Expression<SqlType: IntoNullable>,
{
    type SelectExpression = NullableExpression<T::SelectExpression>;
    type Table = T::Table;
    type Nullability = IsNullable;
    type Parts = T::Parts;
    fn construct_selection() -> Self::SelectExpression {
        NullableExpression(T::construct_selection())
    }
}

/// `as_select()` on every [`Selectable`] struct.
pub trait SelectableHelper: Selectable + Sized {
    /// The select clause that reads rows into `Self`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// #[derive(Queryable, Selectable)]
    /// #[quarry(table_name = users)]
    /// struct User { id: i32, name: String }
    ///
    /// let q = users::table.select(User::as_select());
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id", "users"."name" FROM "users""#
    /// );
    /// ```
    fn as_select() -> SelectBy<Self> {
        SelectBy { selection: Self::construct_selection() }
    }

    /// The RETURNING clause that reads the written rows into `Self` (Diesel's name; the same columns as
    /// [`as_select`](Self::as_select)).
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// #[derive(Queryable, Selectable)]
    /// #[quarry(table_name = users)]
    /// struct User { id: i32, name: String }
    ///
    /// let q = quarry::insert_into(users::table).values(users::name.eq("Ann")).returning(User::as_returning());
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"INSERT INTO "users" ("name") VALUES (?) RETURNING "users"."id", "users"."name""#
    /// );
    /// ```
    fn as_returning() -> SelectBy<Self> {
        Self::as_select()
    }
}

impl<T: Selectable> SelectableHelper for T {}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, T: Selectable<SelectExpression: crate::backend::RunsOn<DB>>> crate::backend::RunsOn<DB> for SelectBy<T> {}
