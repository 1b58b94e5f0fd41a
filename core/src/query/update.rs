//! UPDATE: `update(target).set(changes)`, where the target is a table, a filtered table, or a struct
//! with `#[derive(Identifiable)]`.

use super::Query;
use super::clauses::{NoDistinct, NoLimit, NoOffset, NoOrder, NoWhere, Where, WhereClause};
use super::find::{FindBy, PrimaryKeyValue};
use super::join::{Inner, Join};
use super::returning::{NoReturning, Returning};
use super::select_statement::SelectStatement;
use super::write_join::{JoinedWhere, WriteJoin, WriteWhere};
use crate::expression::{AppearsOn, Eq, Expression, Operand, OperandAppearsOn};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::{Column, ColumnOf, Occurrences, Table};

/// The rows an UPDATE or DELETE touches: a table and an optional WHERE clause.
#[derive(Debug, Clone, Copy)]
pub struct UpdateTarget<T, W> {
    /// The table.
    pub table: T,
    /// The WHERE clause.
    pub where_clause: W,
}

/// What `update(..)` and `delete(..)` accept: a table, `table.filter(..)`/`table.find(..)`, or
/// `&struct` with `#[derive(Identifiable)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the target of an UPDATE or DELETE",
    label = "expected a table, a filtered table (or one inner-joined to others), or an `Identifiable` struct"
)]
///
/// The table and WHERE clause are type parameters rather than associated types, so that `update`'s
/// return type can be named even for a wrong target, and the mistake is reported once.
pub trait IntoUpdateTarget<Tab, W> {
    /// The target.
    fn into_update_target(self) -> UpdateTarget<Tab, W>;
}

/// A statement names rows to change only when it is a table with filters (or a table inner-joined to
/// others, whose first table is written: `UPDATE .. FROM`): no ORDER BY, LIMIT, OFFSET or DISTINCT. The
/// impl covers every statement and checks that in its where clause, so the target's table and WHERE can
/// be named even when the check fails (and the mistake is reported once).
// The header on one line: an error quotes it.
#[diagnostic::do_not_recommend]
#[rustfmt::skip]
impl<F: WriteSource<W>, S, W, O, L, Of, D, G, H, Lk> IntoUpdateTarget<F::Target, F::Where> for SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
where
    (O, L, Of, D, G, H, Lk): OnlyFiltered, F: InnerJoinsOnly,
{
    fn into_update_target(self) -> UpdateTarget<F::Target, F::Where> {
        self.from.into_target(self.where_clause)
    }
}

/// The FROM clause of a statement used as an UPDATE or DELETE target: a table, whose WHERE clause stays
/// as it is, or a join, whose first table is written and whose other tables are read (see `write_join`).
#[doc(hidden)]
pub trait WriteSource<W> {
    /// The table written.
    type Target: Table;
    /// The statement's WHERE clause.
    type Where;
    /// The target.
    fn into_target(self, where_clause: W) -> UpdateTarget<Self::Target, Self::Where>;
}
impl<T: Table, W> WriteSource<W> for T {
    type Target = T;
    type Where = W;
    fn into_target(self, where_clause: W) -> UpdateTarget<T, W> {
        UpdateTarget { table: self, where_clause }
    }
}
impl<L: WriteJoin, R, K, On, W> WriteSource<W> for Join<L, R, K, On> {
    type Target = L::Target;
    type Where = JoinedWhere<Self, W>;
    fn into_target(self, where_clause: W) -> UpdateTarget<L::Target, JoinedWhere<Self, W>> {
        UpdateTarget { table: self.left.target(), where_clause: JoinedWhere::new(self, where_clause) }
    }
}

/// A FROM clause of inner joins only, on both sides of each join: a LEFT JOIN of the target has no UPDATE
/// or DELETE form, and one further in would let a SET value read a column that may be NULL.
#[doc(hidden)]
pub trait InnerJoinsOnly {}
impl<S: crate::schema::SingleSource> InnerJoinsOnly for S {}
impl<L: InnerJoinsOnly, R: InnerJoinsOnly, On> InnerJoinsOnly for Join<L, R, Inner, On> {}

/// A struct that names one row by its primary key: `#[derive(Identifiable)]` implements it for `&Struct`.
pub trait Identifiable {
    /// The table of the row.
    type Table: Table;
    /// The primary key's value (a reference to the field, or a tuple of them).
    type Id: PrimaryKeyValue<<Self::Table as Table>::PrimaryKey>;
    /// The primary key's value.
    fn id(self) -> Self::Id;
}

/// The WHERE clause that names an `Identifiable` row: `primary key = its id`.
pub type IdentifiedBy<I> = Where<FindBy<<<I as Identifiable>::Table as Table>::PrimaryKey, <I as Identifiable>::Id>>;

/// The target of `update(&row)`/`delete(&row)`; `#[derive(Identifiable)]` implements
/// [`IntoUpdateTarget`] for `&Struct` with it (per struct rather than as a blanket impl, so that a wrong
/// target is reported once, as not being a target).
#[doc(hidden)]
pub fn identified_target<I: Identifiable>(row: I) -> UpdateTarget<I::Table, IdentifiedBy<I>> {
    let table = I::Table::default();
    UpdateTarget { table, where_clause: NoWhere.and(FindBy::new(table.primary_key(), row.id())) }
}

/// The clauses of a statement that can be an UPDATE or DELETE target: none but WHERE.
pub trait OnlyFiltered {}
impl OnlyFiltered
    for (
        NoOrder,
        NoLimit,
        NoOffset,
        NoDistinct,
        crate::expression::NoGroupBy,
        super::clauses::NoHaving,
        super::clauses::NoLock,
    )
{
}

/// Starts an UPDATE of `target`'s rows; finish it with [`set`](UpdateStatement::set).
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
/// let q = quarry::update(users::table.find(1)).set((users::name.eq("Bo"), users::hair_color.eq(Some("red"))));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
///     r#"UPDATE "users" SET "name" = ?, "hair_color" = ? WHERE "users"."id" = ? -- binds: ["Bo", "red", 1]"#
/// );
/// ```
pub fn update<T: IntoUpdateTarget<Tab, W>, Tab, W>(target: T) -> UpdateStatement<Tab, W, NoChanges> {
    let target = target.into_update_target();
    UpdateStatement {
        table: target.table,
        where_clause: target.where_clause,
        changes: NoChanges,
        returning: NoReturning,
    }
}

/// An UPDATE with no SET clause yet.
#[derive(Debug, Clone, Copy)]
pub struct NoChanges;

/// What `set(..)` accepts for table `T`: `column.eq(value)`, a tuple of them, or a struct with
/// `#[derive(AsChangeset)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set of changes to table `{T}`",
    label = "not a changeset for `{T}`",
    note = "set `column.eq(value)`, a tuple of them, or a struct with `#[derive(AsChangeset)]` for this table"
)]
pub trait AsChangeset<T, Sources = ()> {
    /// Writes `"a" = ?, "b" = ?` and returns how many columns it wrote.
    fn walk_changes(&self, out: &mut AstPass<'_>) -> QueryResult<usize>;
}

/// What the values of a SET clause on table `T` may name: `T`'s columns (the row being changed), and in
/// an upsert's `DO UPDATE` the `excluded(..)` row; no other table's columns.
#[derive(Debug, Clone, Copy, Default)]
pub struct SetClause<T>(T);

// A correlated subquery in a SET value may name `T`'s columns, as the FROM clause of `T` would allow.
impl<X, T: Occurrences<X>> Occurrences<X> for SetClause<T> {
    type Count = T::Count;
}

// A table (or alias) is in a SET clause's scope as it is in the scope the clause reads: an aliased
// column of an UPDATE .. FROM's join may be a SET value.
#[diagnostic::do_not_recommend]
impl<S: crate::schema::SingleSource, T> crate::schema::TableInFrom<SetClause<T>> for S where
    SetClause<T>: Occurrences<S, Count: crate::schema::Present>
{
}

// The table's columns, or in an UPDATE .. FROM those of every table of the join.
#[diagnostic::do_not_recommend]
impl<C: Column<Table: crate::schema::TableInFrom<T>> + QueryFragment + QueryId, T> AppearsOn<SetClause<T>> for C {}

/// What may be assigned in a SET clause on table `T`: a Rust value, or an expression over `T`'s row
/// (and `excluded(..)` in an upsert). One trait, so a column of another table there is one error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a SET value on `{T}`: it names a column of another table, or holds an aggregate or a window function",
    label = "a SET value reads only the row it changes",
    note = "to copy from another table, use a subquery: `other::table.filter(..).select(other::col).single_value()`"
)]
pub trait SetValue<T> {}
#[diagnostic::do_not_recommend]
impl<T, V: OperandAppearsOn<SetClause<T>> + crate::expression::OperandNonAggregate> SetValue<T> for V {}

/// Where a SET value on a column of table `Tab` may read: for an UPDATE of one table (`Sources = ()`),
/// that table's row (the column's own table, so that a column of another table is one error, the
/// column's); for an UPDATE .. FROM, every table of the join.
#[doc(hidden)]
pub trait ValueScope<Tab> {
    /// The FROM scope the value is checked against.
    type Scope;
}
impl<Tab> ValueScope<Tab> for () {
    type Scope = Tab;
}
impl<Tab, L, R, K, On> ValueScope<Tab> for Join<L, R, K, On> {
    type Scope = Join<L, R, K, On>;
}

/// How the statement cache keys an UPDATE by its changeset; implemented next to every `AsChangeset`
/// (the derive does it). Kept apart from `AsChangeset` so that a changeset for the wrong table is
/// reported once, at `set`.
#[doc(hidden)]
pub trait ChangesetShape {
    /// A `'static` type standing for the SET clause's SQL text: with `FIXED_SHAPE`, the cache key.
    type Shape: 'static;
    /// True when the type alone fixes the SET clause's text; false when a value can drop an assignment
    /// (an `Option` field left unchanged when `None`): the statement is then cached by its SQL text.
    const FIXED_SHAPE: bool;
}

impl<C, ST, V> ChangesetShape for Eq<C, Operand<ST, V>>
where
    Self: QueryId,
{
    type Shape = <Self as QueryId>::QueryId;
    const FIXED_SHAPE: bool = <Self as QueryId>::HAS_STATIC_QUERY_ID;
}

impl<C> ChangesetShape for Option<C> {
    type Shape = ();
    const FIXED_SHAPE: bool = false;
}

// The value is checked against the column's own table: the same as `T` when the column is right, and
// when it is not, its one error is the column's.
// The header on one line: an error quotes it.
#[rustfmt::skip]
impl<T, X: ValueScope<C::Table>, C: Column + ColumnOf<T>, ST, V: SetValue<X::Scope>> AsChangeset<T, X> for Eq<C, Operand<ST, V>> {
    fn walk_changes(&self, out: &mut AstPass<'_>) -> QueryResult<usize> {
        out.push_identifier(C::NAME);
        out.push_sql(" = ");
        self.1.walk(out)?;
        Ok(1)
    }
}

#[diagnostic::do_not_recommend]
impl<T, X, C: AsChangeset<T, X>> AsChangeset<T, X> for Option<C> {
    fn walk_changes(&self, out: &mut AstPass<'_>) -> QueryResult<usize> {
        match self {
            Some(c) => c.walk_changes(out),
            None => Ok(0),
        }
    }
}

/// Writes one change after `written` others. A change that writes nothing (a `None` field) must not
/// leave a dangling `, `, so the separator is written into the pass only once the change has content.
fn walk_after<T, X, C: AsChangeset<T, X>>(written: usize, change: &C, out: &mut AstPass<'_>) -> QueryResult<usize> {
    out.separated(written > 0, ", ", |out| change.walk_changes(out))
}

macro_rules! tuple_changesets {
    ($($T:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($T: ChangesetShape),+> ChangesetShape for ($($T,)+) {
            type Shape = ($($T::Shape,)+);
            const FIXED_SHAPE: bool = true $(&& $T::FIXED_SHAPE)+;
        }

        #[diagnostic::do_not_recommend]
        impl<Tab, X, $($T: AsChangeset<Tab, X>),+> AsChangeset<Tab, X> for ($($T,)+) {
            fn walk_changes(&self, out: &mut AstPass<'_>) -> QueryResult<usize> {
                let mut written = 0;
                $(
                    written += walk_after::<Tab, X, _>(written, &self.$idx, out)?;
                )+
                Ok(written)
            }
        }
    };
}
crate::tuples::for_each_tuple!(tuple_changesets);

/// The SET clause, checked when `set` built it.
pub struct Changes<V> {
    values: V,
    walk: fn(&V, &mut AstPass<'_>) -> QueryResult<usize>,
}

impl<V: Clone> Clone for Changes<V> {
    fn clone(&self) -> Self {
        Changes { values: self.values.clone(), walk: self.walk }
    }
}

/// `UPDATE table SET ... [WHERE ...] [RETURNING ...]`.
#[derive(Clone)]
pub struct UpdateStatement<T, W, C, R = NoReturning> {
    table: T,
    where_clause: W,
    changes: C,
    returning: R,
}

impl<T: Table, W: WriteWhere> UpdateStatement<T, W, NoChanges> {
    /// The changes: `column.eq(value)`, a tuple of them, or an `AsChangeset` struct (or a reference to one).
    /// After a join (`update(posts::table.inner_join(users::table))`) a value may read the joined tables.
    pub fn set<V: AsChangeset<T, W::Sources>>(self, changes: V) -> UpdateStatement<T, W, Changes<V>> {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            changes: Changes { values: changes, walk: <V as AsChangeset<T, W::Sources>>::walk_changes },
            returning: NoReturning,
        }
    }
}

impl<T, W, C, R> UpdateStatement<T, W, C, R> {
    /// The statement with its WHERE clause replaced by `f`'s.
    pub(crate) fn map_where<W2>(self, f: impl FnOnce(W) -> W2) -> UpdateStatement<T, W2, C, R> {
        UpdateStatement {
            table: self.table,
            where_clause: f(self.where_clause),
            changes: self.changes,
            returning: self.returning,
        }
    }
}

impl<T: Table, W: WhereClause, C, R> UpdateStatement<T, W, C, R> {
    /// Adds a WHERE condition, joined with AND to the target's and to the ones before it (Diesel's
    /// `update(users::table).filter(..)`; the same as filtering the target).
    pub fn filter<P: super::Condition>(self, predicate: P) -> UpdateStatement<T, W::And<P>, C, R> {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause.and(predicate),
            changes: self.changes,
            returning: self.returning,
        }
    }

    /// Adds a WHERE condition joined with OR to the ones before it.
    pub fn or_filter<P: super::Condition>(self, predicate: P) -> UpdateStatement<T, W::Or<P>, C, R> {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause.or(predicate),
            changes: self.changes,
            returning: self.returning,
        }
    }
}

impl<T: Table, W, V> UpdateStatement<T, W, Changes<V>> {
    /// Adds `RETURNING expr`.
    pub fn returning<E: AppearsOn<T> + crate::expression::NonAggregate>(
        self,
        expr: E,
    ) -> UpdateStatement<T, W, Changes<V>, Returning<E>> {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            changes: self.changes,
            returning: Returning(expr),
        }
    }
}

impl<T: Table, W: WriteWhere, V, R: QueryFragment> QueryFragment for UpdateStatement<T, W, Changes<V>, R> {
    fn has_with_clause(&self) -> bool {
        self.where_clause.has_ctes()
    }

    fn has_recursive_with(&self) -> bool {
        self.where_clause.has_recursive_cte()
    }

    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.where_clause.walk_with(out)?;
        out.push_sql("UPDATE ");
        self.table.walk_from(out)?;
        out.push_sql(" SET ");
        if (self.changes.walk)(&self.changes.values, out)? == 0 {
            return Err(build_error(
                BuildErrorKind::NothingToSet,
                format!("there are no columns to update in table `{}`: every field of the changeset is None", T::NAME),
            ));
        }
        self.where_clause.walk(out)?;
        self.returning.walk(out)
    }
}

impl<T: QueryId, W: QueryId, V: ChangesetShape, R: QueryId> QueryId for UpdateStatement<T, W, Changes<V>, R> {
    type QueryId = UpdateStatement<T::QueryId, W::QueryId, V::Shape, R::QueryId>;
    // Which columns a changeset writes can depend on its values (`None` fields are skipped): such an
    // UPDATE is cached by its SQL text instead.
    const HAS_STATIC_QUERY_ID: bool =
        T::HAS_STATIC_QUERY_ID && W::HAS_STATIC_QUERY_ID && V::FIXED_SHAPE && R::HAS_STATIC_QUERY_ID;
}

impl<T, W, V, E: Expression> Query for UpdateStatement<T, W, Changes<V>, Returning<E>> {
    type SqlType = E::SqlType;
}

// The SET clause runs where its values' SQL does (a changeset is an expression to this check; a derived
// one's values are Rust values), checked when the statement runs, as a query's.
impl<
    DB,
    T: crate::backend::RunsOn<DB>,
    W: crate::backend::RunsOn<DB>,
    C: crate::backend::RunsOn<DB>,
    R: crate::backend::RunsOn<DB>,
> crate::backend::RunsOn<DB> for UpdateStatement<T, W, C, R>
{
}
impl<DB> crate::backend::RunsOn<DB> for NoChanges {}
impl<DB, V: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Changes<V> {}

/// `record.save_changes(&mut conn)` (Diesel's name): writes an `Identifiable + AsChangeset` struct back to
/// its row (`update(&record).set(&record)`) and returns the row as the database now has it (its triggers'
/// and defaults' doing included), read through `RETURNING` into any type that reads the table's rows.
/// A record whose row is gone is [`Error::NotFound`](crate::result::Error::NotFound).
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::sqlite::SqliteConnection;
/// quarry::table! { users (id) { id -> Integer, name -> Text, } }
///
/// #[derive(Debug, PartialEq, Queryable, Identifiable, AsChangeset)]
/// #[quarry(table_name = users)]
/// struct User { id: i32, name: String }
///
/// let mut conn = SqliteConnection::establish(":memory:")?;
/// conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'Ann')")?;
/// let mut ann: User = users::table.find(1).first(&mut conn)?;
/// ann.name = "Anne".into();
/// let saved: User = ann.save_changes(&mut conn)?;
/// assert_eq!(saved, User { id: 1, name: "Anne".into() });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait SaveChangesDsl {
    /// Updates the record's row with the record's values and reads the row back as a `U`.
    fn save_changes<'r, U, Conn>(&'r self, conn: &mut Conn) -> QueryResult<U>
    where
        Conn: SaveChanges<&'r Self, U>,
    {
        conn.save(self)
    }
}

impl<T> SaveChangesDsl for T {}

/// What [`save_changes`](SaveChangesDsl::save_changes) needs, in one bound so that a mistake is one
/// error: a record `Identifiable` and `AsChangeset` for one table, and a row type that reads that table's
/// rows on this connection. (The connection is the bound's subject: it is known only once the arguments
/// are, so the bound is checked once.)
#[diagnostic::on_unimplemented(
    message = "`{Rec}` cannot be saved with `save_changes`",
    label = "needs a record that is `Identifiable` and `AsChangeset` for one table, read back into a type of all its columns",
    note = "derive `Identifiable` and `AsChangeset` with the same `table_name`; the row read back is the whole row"
)]
pub trait SaveChanges<Rec, U> {
    /// Runs the UPDATE .. RETURNING.
    fn save(&mut self, record: Rec) -> QueryResult<U>;
}

#[diagnostic::do_not_recommend]
impl<'r, R: ?Sized, Conn, U> SaveChanges<&'r R, U> for Conn
where
    &'r R:
        Identifiable + IntoUpdateTarget<RecordTable<'r, R>, IdentifiedBy<&'r R>> + AsChangeset<RecordTable<'r, R>, ()>,
    IdentifiedBy<&'r R>: WriteWhere<Sources = ()>,
    <RecordTable<'r, R> as Table>::AllColumns: AppearsOn<RecordTable<'r, R>> + crate::expression::NonAggregate,
    SavedRow<'r, R>: crate::connection::RunQueryDsl<Conn>,
    Conn: crate::connection::CanLoad<SavedRow<'r, R>, U>,
{
    fn save(&mut self, record: &'r R) -> QueryResult<U> {
        let statement = update(record).set(record).returning(RecordTable::<'r, R>::all_columns());
        crate::connection::RunQueryDsl::get_result(statement, self)
    }
}

/// The table of a record's row.
pub type RecordTable<'r, R> = <&'r R as Identifiable>::Table;

/// The statement [`SaveChangesDsl::save_changes`] runs: the record's UPDATE returning the whole row.
pub type SavedRow<'r, R> = UpdateStatement<
    RecordTable<'r, R>,
    IdentifiedBy<&'r R>,
    Changes<&'r R>,
    Returning<<RecordTable<'r, R> as Table>::AllColumns>,
>;
