//! Subqueries in FROM (derived tables), with the subquery's columns declared once with `table!` so the
//! rest of the query is checked like any other.
//!
//! Diesel has no way to write these; here the shape of the subquery's rows is a `table!` (no such table
//! exists in the database), and `shape::table.from_query(query)` stands for the subquery under that name.
//! The query's SQL types must be the declared columns', in order. The subquery is written as a common
//! table expression, `WITH "name"("col", ...) AS (SELECT ...)`, the one place SQLite lets a query name a
//! subquery's columns; the FROM clause then reads `"name"`. [`from_recursive_query`] writes a recursive
//! one (`WITH RECURSIVE`), for trees and graphs.
//!
//! [`from_recursive_query`]: DerivedTableDsl::from_recursive_query
//!
//! ```
//! # use quarry::prelude::*;
//! # use quarry::dsl::count_star;
//! quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }
//! // The rows of the subquery: one per user who wrote posts.
//! quarry::table! { post_counts (user_id) { user_id -> Integer, n -> BigInt, } }
//! quarry::allow_tables_to_appear_in_same_query!(users, posts, post_counts);
//!
//! let counts = posts::table.group_by(posts::user_id).select((posts::user_id, count_star()));
//! let q = users::table
//!     .inner_join(post_counts::table.from_query(counts).on(post_counts::user_id.eq(users::id)))
//!     .filter(post_counts::n.gt(1))
//!     .select((users::name, post_counts::n));
//! assert_eq!(
//!     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
//!     r#"WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id") SELECT "users"."name", "post_counts"."n" FROM "users" INNER JOIN "post_counts" ON "post_counts"."user_id" = "users"."id" WHERE "post_counts"."n" > ?"#,
//! );
//! ```

use std::marker::PhantomData;

use super::correlation::RunnableQuery;
use super::insert::SelectSource;
use super::with::{Cte, CteQuery};
use super::{Query, QueryDsl};
use crate::expression::{AppearsOn, Expression};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::{Column, CteList, HasTableId, QuerySource, SingleSource, Table, TableInFrom};

/// The subquery `Q` under the name and columns of table shape `T`: `WITH "t"("a", "b") AS (SELECT ...)`,
/// read as `"t"` in FROM.
// No `Default`: the recursive flag comes only from the constructor that matches the query.
#[derive(Debug, Clone, Copy)]
pub struct Derived<T, Q> {
    shape: PhantomData<T>,
    query: Q,
    recursive: bool,
}

/// `shape::table.from_query(query)`: the subquery in FROM, named and typed by a `table!`.
pub trait DerivedTableDsl: Table {
    /// The subquery under this table's name and columns; its SQL types must be the columns', in order.
    fn from_query<Q>(self, query: Q) -> Derived<Self, Q>
    where
        Q: RowsOf<Self> + SelectSource + RunnableQuery,
    {
        Derived { shape: PhantomData, query, recursive: false }
    }

    /// A recursive subquery: `WITH RECURSIVE "table"(..) AS (base UNION ALL step)`, where `step` reads
    /// this very table (the rows found so far) to find the next ones; for trees and graphs. Both queries
    /// select the table's columns' SQL types, in order. SQLite stops when a step finds no new row.
    fn from_recursive_query<B, S>(self, base: B, step: S) -> Derived<Self, RecursiveUnion<B, S>>
    where
        B: RowsOf<Self> + SelectSource + RunnableQuery,
        S: RowsOf<Self> + SelectSource + RunnableQuery,
    {
        Derived { shape: PhantomData, query: RecursiveUnion::new(base, step), recursive: true }
    }

    /// The query as a common table expression of a statement's WITH clause, under this table's name and
    /// columns: `with(shape::table.as_cte(query)).query(statement)`, where the statement reads `shape`
    /// like a table, as often as it likes. Its SQL types must be the columns', in order. A SELECT (or a
    /// set operation) on every backend; on PostgreSQL also an INSERT, UPDATE or DELETE with RETURNING.
    fn as_cte<Q>(self, query: Q) -> Cte<Self, Q>
    where
        Q: RowsOf<Self> + CteQuery + QueryFragment + RunnableQuery,
    {
        super::with::cte(query)
    }

    /// A recursive common table expression for a statement's WITH clause, `base UNION ALL step`, as
    /// [`from_recursive_query`](DerivedTableDsl::from_recursive_query) writes one in FROM.
    fn as_recursive_cte<B, S>(self, base: B, step: S) -> Cte<Self, RecursiveUnion<B, S>>
    where
        B: RowsOf<Self> + SelectSource + RunnableQuery,
        S: RowsOf<Self> + SelectSource + RunnableQuery,
    {
        Cte::recursive(base, step)
    }
}

/// The body of a recursive common table expression: `base UNION ALL step`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecursiveUnion<B, S> {
    base: B,
    step: S,
}

impl<B, S> RecursiveUnion<B, S> {
    pub(crate) fn new(base: B, step: S) -> Self {
        RecursiveUnion { base, step }
    }
}

impl<B: QueryFragment, S: QueryFragment> QueryFragment for RecursiveUnion<B, S> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        if self.base.has_with_clause() || self.step.has_with_clause() {
            // Its WITH would follow UNION ALL, which SQLite refuses, and the step cannot be wrapped in
            // a subquery either: SQLite wants the recursive reference at the step's top level.
            return Err(build_error(
                BuildErrorKind::Unsupported,
                "a recursive subquery's base and step cannot themselves read a subquery in FROM; join that one in the outer query",
            ));
        }
        self.base.walk(out)?;
        out.push_sql(" UNION ALL ");
        self.step.walk(out)
    }
}

impl<B: QueryId, S: QueryId> QueryId for RecursiveUnion<B, S> {
    type QueryId = RecursiveUnion<B::QueryId, S::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = B::HAS_STATIC_QUERY_ID && S::HAS_STATIC_QUERY_ID;
}
impl<T: Table> DerivedTableDsl for T {}

/// The query selects `T`'s columns' SQL types, in order: it can stand for `T` in FROM.
#[diagnostic::on_unimplemented(
    message = "the subquery's SQL types are not the columns of `{T}`",
    label = "select one column per column of `{T}`, of the same SQL type, in the same order"
)]
pub trait RowsOf<T> {}
impl<T: Table, Q: Query<SqlType: SameRow<<T::AllColumns as Expression>::SqlType>>> RowsOf<T> for Q {}

/// Rows of SQL type `Self` are rows of SQL type `ST`: the same type, or one column's type and the
/// one-element tuple a table of one column has.
#[diagnostic::on_unimplemented(
    message = "the subquery selects `{Self}`, but the table shape's columns are `{ST}`",
    label = "select one column per column of the shape, of the same SQL type, in the same order"
)]
pub trait SameRow<ST> {}
#[diagnostic::do_not_recommend]
impl<ST> SameRow<ST> for ST {}
#[diagnostic::do_not_recommend]
impl<ST: crate::sql_types::SingleValue> SameRow<(ST,)> for ST {}

impl<T: HasTableId, Q> HasTableId for Derived<T, Q> {
    type Id = T::Id;
    type Exposed = T::Exposed;
    // Written as `(..) AS "name"`: bare.
    type Bare = T::Exposed;
}
impl<T: Table + HasTableId, Q> SingleSource for Derived<T, Q> {}
impl<T: Table, Q> TableInFrom<Derived<T, Q>> for T {}

// A column of the shape stands in a query on the derived table, as on the table itself.
#[diagnostic::do_not_recommend]
impl<C: Column + QueryFragment + QueryId, Q> AppearsOn<Derived<C::Table, Q>> for C {}

impl<T: Table, Q: QueryFragment> QuerySource for Derived<T, Q> {
    type DefaultSelection = T::AllColumns;

    // SQLite cannot name a subquery's columns in FROM (`AS t(a, b)`), so the subquery is a common table
    // expression, whose column list it does accept: `WITH "t"("a", "b") AS (SELECT ...) ... FROM "t"`.
    fn walk_ctes(&self, out: &mut AstPass<'_>, ctes: &mut CteList) -> QueryResult<()> {
        ctes.separate(out);
        ctes.declare(T::NAME)?;
        walk_cte_definition::<T>(") AS (", &self.query, out)
    }

    fn walk_from(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_identifier(T::NAME);
        Ok(())
    }

    fn has_recursive_cte(&self) -> bool {
        self.recursive
    }

    fn has_ctes(&self) -> bool {
        true
    }

    fn default_selection(&self) -> T::AllColumns {
        T::all_columns()
    }
}

/// Writes `"t"("a", "b") AS (query)`, the definition of a CTE named and typed by table shape `T`;
/// `as_open` closes the column list and opens the query's parentheses (`) AS (`, or with a
/// MATERIALIZED hint).
pub(crate) fn walk_cte_definition<T: Table>(
    as_open: &str,
    query: &dyn QueryFragment,
    out: &mut AstPass<'_>,
) -> QueryResult<()> {
    out.push_identifier(T::NAME);
    out.push_sql("(");
    for (i, column) in T::COLUMN_NAMES.iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_identifier(column);
    }
    out.push_sql(as_open);
    query.walk(out)?;
    out.push_sql(")");
    Ok(())
}

impl<T: QueryId, Q: QueryId> QueryId for Derived<T, Q> {
    type QueryId = Derived<T::QueryId, Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

/// Queries can start from a derived table as from a table.
impl<T: Table, Q: QueryFragment> QueryDsl for Derived<T, Q> {
    super::query_dsl::starts_a_select!();
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, T, Q: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Derived<T, Q> {}
impl<DB, B: crate::backend::RunsOn<DB>, S: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB>
    for RecursiveUnion<B, S>
{
}
