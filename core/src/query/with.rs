//! Statement-level common table expressions: `with(cte).query(statement)` writes
//! `WITH "name"("col", ..) AS (..) <statement>`, where the statement is a SELECT, INSERT, UPDATE or
//! DELETE that reads the named rows as a table (once or several times, in FROM, in joins, in subqueries).
//!
//! A CTE's rows are declared with `table!` as for [`from_query`](super::DerivedTableDsl::from_query) (no
//! such table exists in the database), and `shape::table.as_cte(query)` binds the name to the query.
//! Several CTEs chain with `.with(..)`, in order: a later one may read the earlier ones. The query of a
//! CTE is a SELECT on every backend; on PostgreSQL it may also be an INSERT, UPDATE or DELETE with
//! RETURNING (a data-modifying CTE, which runs once whether or not the statement reads it), which does
//! not compile for SQLite.
//!
//! ```
//! # use quarry::prelude::*;
//! # use quarry::dsl::{count_star, with};
//! quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }
//! quarry::table! { post_counts (user_id) { user_id -> Integer, n -> BigInt, } }
//! quarry::allow_tables_to_appear_in_same_query!(users, posts, post_counts);
//!
//! let counts = posts::table.group_by(posts::user_id).select((posts::user_id, count_star()));
//! // The CTE read twice: joined, and in a subquery.
//! let busiest = post_counts::table.select(quarry::dsl::max(post_counts::n)).single_value();
//! let q = with(post_counts::table.as_cte(counts)).query(
//!     users::table
//!         .inner_join(post_counts::table.on(post_counts::user_id.eq(users::id)))
//!         .filter(post_counts::n.nullable().eq(busiest))
//!         .select(users::name),
//! );
//! assert_eq!(
//!     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
//!     r#"WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id") SELECT "users"."name" FROM "users" INNER JOIN "post_counts" ON "post_counts"."user_id" = "users"."id" WHERE "post_counts"."n" = (SELECT MAX("post_counts"."n") FROM "post_counts")"#,
//! );
//! ```

use std::marker::PhantomData;

use super::correlation::{CorrelatedIn, RunnableQuery};
use super::derived::{RecursiveUnion, RowsOf, walk_cte_definition};
use super::insert::SelectSource;
use super::{AsQuery, DeleteStatement, InsertStatement, Query, Returning, UpdateStatement};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::{Absent, CompareId, CteList, HasTableId, IdCount, Plus, Table};

/// Whether the database computes a CTE's rows once and keeps them (`MATERIALIZED`), inlines its query
/// where it is read (`NOT MATERIALIZED`), or decides itself (neither written).
#[doc(hidden)]
pub trait Materialization: QueryId + Copy + 'static {
    /// What follows the CTE's column list, up to its query's opening parenthesis.
    const SQL: &'static str;
}

macro_rules! materializations {
    ($($(#[$meta:meta])* $name:ident $sql:literal;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl Materialization for $name {
            const SQL: &'static str = $sql;
        }
        impl QueryId for $name {
            type QueryId = $name;
        }
    )*};
}
materializations! {
    /// The database decides whether to compute the CTE once (the default).
    AsPlanned ") AS (";
    /// `AS MATERIALIZED`: the CTE's query runs once, its rows kept for every read.
    Materialized ") AS MATERIALIZED (";
    /// `AS NOT MATERIALIZED`: the CTE's query is folded into each place that reads it.
    NotMaterialized ") AS NOT MATERIALIZED (";
}

/// A common table expression for a statement's WITH clause: the query `Q` under the name and columns of
/// table shape `T`. Made by [`as_cte`](super::DerivedTableDsl::as_cte); read by naming `T` in the
/// statement that follows [`with`].
#[derive(Debug, Clone, Copy)]
pub struct Cte<T, Q, M = AsPlanned> {
    shape: PhantomData<T>,
    materialization: PhantomData<M>,
    query: Q,
    recursive: bool,
}

impl<T, Q> Cte<T, Q> {
    pub(crate) fn new(query: Q, recursive: bool) -> Self {
        Cte { shape: PhantomData, materialization: PhantomData, query, recursive }
    }

    /// `AS MATERIALIZED (..)`: compute the rows once, however many times the statement reads them
    /// (SQLite 3.35+, PostgreSQL 12+).
    pub fn materialized(self) -> Cte<T, Q, Materialized> {
        Cte { shape: PhantomData, materialization: PhantomData, query: self.query, recursive: self.recursive }
    }

    /// `AS NOT MATERIALIZED (..)`: fold the query into each place that reads it, so conditions there
    /// can use its tables' indexes (SQLite 3.35+, PostgreSQL 12+).
    pub fn not_materialized(self) -> Cte<T, Q, NotMaterialized> {
        Cte { shape: PhantomData, materialization: PhantomData, query: self.query, recursive: self.recursive }
    }
}

/// What a CTE's query may be: a query that reads ([`ReadsRows`]), or an INSERT, UPDATE or DELETE with
/// RETURNING ([`WritesRows`], a data-modifying CTE, which only some backends have).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a common table expression's query",
    label = "expected a SELECT, or an INSERT, UPDATE or DELETE with RETURNING"
)]
#[doc(hidden)]
pub trait CteQuery {
    /// [`ReadsRows`] or [`WritesRows`].
    type Kind;
    /// True for [`WritesRows`].
    #[doc(hidden)]
    const WRITES: bool = false;
}
/// A CTE whose query reads: every backend has it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadsRows;
/// A CTE whose query writes (INSERT, UPDATE or DELETE with RETURNING): PostgreSQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct WritesRows;
impl<DB> RunsOn<DB> for ReadsRows {}
impl<DB: crate::backend::SupportsDataModifyingCte> RunsOn<DB> for WritesRows {}

#[diagnostic::do_not_recommend]
impl<Q: SelectSource> CteQuery for Q {
    type Kind = ReadsRows;
}
#[diagnostic::do_not_recommend]
impl<B, S> CteQuery for RecursiveUnion<B, S> {
    type Kind = ReadsRows;
}
#[diagnostic::do_not_recommend]
impl<T, V, R, C, S> CteQuery for InsertStatement<T, V, Returning<R>, C, S> {
    type Kind = WritesRows;
    const WRITES: bool = true;
}
#[diagnostic::do_not_recommend]
impl<T, W, V, R> CteQuery for UpdateStatement<T, W, V, Returning<R>> {
    type Kind = WritesRows;
    const WRITES: bool = true;
}
#[diagnostic::do_not_recommend]
impl<T, W, R> CteQuery for DeleteStatement<T, W, Returning<R>> {
    type Kind = WritesRows;
    const WRITES: bool = true;
}

impl<DB, T, Q: CteQuery<Kind: RunsOn<DB>> + RunsOn<DB>, M> RunsOn<DB> for Cte<T, Q, M> {}

/// CTEs that only read: a WITH statement made of them may stand where a query does (a subquery, a set
/// operation, a subquery in FROM), which PostgreSQL refuses for a data-modifying one.
#[diagnostic::on_unimplemented(
    message = "a WITH clause that writes (an INSERT, UPDATE or DELETE in WITH) must begin the whole statement",
    label = "a WITH statement with a data-modifying CTE used inside another query"
)]
#[doc(hidden)]
pub trait ReadOnlyCtes {}
#[diagnostic::do_not_recommend]
impl<T, Q: CteQuery<Kind = ReadsRows>, M> ReadOnlyCtes for Cte<T, Q, M> {}
#[diagnostic::do_not_recommend]
impl<A: ReadOnlyCtes, B: ReadOnlyCtes> ReadOnlyCtes for (A, B) {}

/// The common table expressions of a WITH clause, in order: one [`Cte`], or a pair of lists.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a common table expression",
    label = "expected a CTE: `shape::table.as_cte(query)`"
)]
#[doc(hidden)]
pub trait CteDefinitions: QueryId {
    /// Writes each definition, `WITH `/`, ` before it as `ctes` tracks.
    #[doc(hidden)]
    fn walk_definitions(&self, out: &mut AstPass<'_>, ctes: &mut CteList) -> QueryResult<()>;
    /// True when one of them is recursive.
    #[doc(hidden)]
    fn any_recursive(&self) -> bool;
    /// True when one of them writes (a data-modifying CTE).
    #[doc(hidden)]
    fn any_writes(&self) -> bool;
}

#[diagnostic::do_not_recommend]
impl<T: Table, Q: QueryFragment + CteQuery, M: Materialization> CteDefinitions for Cte<T, Q, M>
where
    Self: QueryId,
{
    fn walk_definitions(&self, out: &mut AstPass<'_>, ctes: &mut CteList) -> QueryResult<()> {
        ctes.separate(out);
        ctes.declare(T::NAME)?;
        walk_cte_definition::<T>(M::SQL, &self.query, out)
    }
    fn any_recursive(&self) -> bool {
        self.recursive
    }
    fn any_writes(&self) -> bool {
        Q::WRITES
    }
}

#[diagnostic::do_not_recommend]
impl<A: CteDefinitions, B: CteDefinitions> CteDefinitions for (A, B) {
    fn walk_definitions(&self, out: &mut AstPass<'_>, ctes: &mut CteList) -> QueryResult<()> {
        self.0.walk_definitions(out, ctes)?;
        self.1.walk_definitions(out, ctes)
    }
    fn any_recursive(&self) -> bool {
        self.0.any_recursive() || self.1.any_recursive()
    }
    fn any_writes(&self) -> bool {
        self.0.any_writes() || self.1.any_writes()
    }
}

impl<T: QueryId, Q: QueryId, M: QueryId> QueryId for Cte<T, Q, M> {
    type QueryId = Cte<T::QueryId, Q::QueryId, M::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

/// How many of the CTEs `Self` are named like table shape `T`.
#[doc(hidden)]
pub trait CteCount<T> {
    /// One of the counts of [`count`](crate::schema::count).
    type Count;
}
impl<T: HasTableId, S: HasTableId, Q, M> CteCount<T> for Cte<S, Q, M>
where
    T::Id: CompareId<S::Id, Output: IdCount>,
{
    type Count = <<T::Id as CompareId<S::Id>>::Output as IdCount>::Count;
}
impl<T, A: CteCount<T>, B: CteCount<T>> CteCount<T> for (A, B)
where
    A::Count: Plus<B::Count>,
{
    type Count = <A::Count as Plus<B::Count>>::Output;
}

/// The CTE `Self` is named unlike every CTE of `Earlier`: one WITH clause cannot define a name twice.
#[diagnostic::on_unimplemented(
    message = "this WITH clause already has a CTE named like `{Self}`",
    label = "a second CTE of the same name",
    note = "declare another `table!` shape for the second one, or read the first one again: a CTE may be read any number of times"
)]
pub trait NewCteName<Earlier> {}
#[diagnostic::do_not_recommend]
impl<Earlier: CteCount<S, Count: Absent>, S, Q, M> NewCteName<Earlier> for Cte<S, Q, M> {}

/// `WITH ctes` waiting for its statement: [`with`]`(cte)`, then `.with(..)` for more, then
/// [`query`](With::query).
#[derive(Debug, Clone, Copy)]
#[must_use = "a WITH clause does nothing until `.query(statement)` gives it its statement"]
pub struct With<C>(C);

/// `WITH cte ...`: starts a statement that reads `cte`'s rows by its table's name.
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::dsl::with;
/// quarry::table! { posts (id) { id -> Integer, title -> Text, published -> Bool, } }
/// quarry::table! { drafts (id) { id -> Integer, } }
/// quarry::allow_tables_to_appear_in_same_query!(posts, drafts);
///
/// let q = with(drafts::table.as_cte(posts::table.filter(posts::published.eq(false)).select(posts::id)))
///     .query(quarry::delete(posts::table.filter(posts::id.eq_any(drafts::table.select(drafts::id)))));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"WITH "drafts"("id") AS (SELECT "posts"."id" FROM "posts" WHERE "posts"."published" = ?) DELETE FROM "posts" WHERE "posts"."id" IN (SELECT "drafts"."id" FROM "drafts")"#,
/// );
/// ```
pub fn with<C: OneCte>(cte: C) -> With<C> {
    With(cte)
}

/// One common table expression, as [`with`] and [`With::with`] take them (a list is built by chaining,
/// which checks each name against the ones before it).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a common table expression",
    label = "expected a CTE: `shape::table.as_cte(query)`"
)]
pub trait OneCte: CteDefinitions {}
#[diagnostic::do_not_recommend]
impl<T, Q, M> OneCte for Cte<T, Q, M> where Self: CteDefinitions {}

impl<C> With<C> {
    /// Adds a CTE after the ones before it; it may read them. Its name must be new to the clause.
    pub fn with<D: OneCte + NewCteName<C>>(self, cte: D) -> With<(C, D)> {
        With((self.0, cte))
    }

    /// The statement the WITH clause is written before: a query, INSERT, UPDATE or DELETE.
    pub fn query<S: WithStatement>(self, statement: S) -> WithQuery<C, S::Statement> {
        WithQuery { ctes: self.0, statement: statement.into_statement() }
    }
}

/// What may follow a WITH clause: a query (a table, a select statement, boxed or not, a set operation),
/// an INSERT, an UPDATE or a DELETE.
#[diagnostic::on_unimplemented(
    message = "a WITH clause goes before a SELECT, INSERT, UPDATE or DELETE statement, not `{Self}`",
    label = "expected a query or a statement"
)]
pub trait WithStatement {
    /// The statement.
    type Statement: QueryFragment + QueryId;
    /// Turns it into that statement.
    fn into_statement(self) -> Self::Statement;
}
#[diagnostic::do_not_recommend]
impl<Q: AsQuery<Query: SelectSource>> WithStatement for Q {
    type Statement = Q::Query;
    fn into_statement(self) -> Q::Query {
        self.as_query()
    }
}
macro_rules! writes_follow_with {
    ($([$($g:ident),*] $ty:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($g),*> WithStatement for $ty where Self: QueryFragment + QueryId {
            type Statement = Self;
            fn into_statement(self) -> Self {
                self
            }
        }
    )*};
}
writes_follow_with! {
    [T, V, R, C, S] InsertStatement<T, V, R, C, S>;
    [T, W, V, R] UpdateStatement<T, W, V, R>;
    [T, W, R] DeleteStatement<T, W, R>;
}

/// `WITH ctes statement`.
#[derive(Debug, Clone, Copy)]
pub struct WithQuery<C, S> {
    ctes: C,
    statement: S,
}

impl<C: CteDefinitions, S: QueryFragment> QueryFragment for WithQuery<C, S> {
    fn has_with_clause(&self) -> bool {
        true
    }

    fn has_recursive_with(&self) -> bool {
        self.ctes.any_recursive() || self.statement.has_recursive_with()
    }

    // An INSERT of no rows after CTEs that only read does nothing, and is skipped as it is without WITH.
    // After a CTE that writes it cannot be skipped (the CTE must run), nor written (VALUES needs a row):
    // `walk` refuses it.
    fn is_noop(&self) -> bool {
        self.statement.is_noop() && !self.ctes.any_writes()
    }

    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        if self.statement.is_noop() && self.ctes.any_writes() {
            return Err(build_error(
                BuildErrorKind::Unsupported,
                "the INSERT after a WITH clause that writes has no rows; run the CTE's statement on its own instead",
            ));
        }
        let mut ctes = CteList::continuing(out, self.has_recursive_with());
        self.ctes.walk_definitions(out, &mut ctes)?;
        if self.statement.has_with_clause() {
            // A query that reads a subquery in FROM starts with its own WITH clause: its CTEs join
            // this list (one WITH per statement).
            out.continue_with_clause(ctes.into_names());
        } else {
            ctes.finish(out);
        }
        self.statement.walk(out)
    }
}

impl<C: QueryId, S: QueryId> QueryId for WithQuery<C, S> {
    type QueryId = WithQuery<C::QueryId, S::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID && S::HAS_STATIC_QUERY_ID;
}

// `first` limits the statement after WITH.
impl<C, S: crate::connection::FirstDsl> crate::connection::FirstDsl for WithQuery<C, S> {
    type One = WithQuery<C, S::One>;
    fn limit_one_row(self) -> Self::One {
        WithQuery { ctes: self.ctes, statement: self.statement.limit_one_row() }
    }
}

impl<C, S: Query> Query for WithQuery<C, S> {
    type SqlType = S::SqlType;
}

#[diagnostic::do_not_recommend]
impl<C, S: RunnableQuery> RunnableQuery for WithQuery<C, S> {}
// A WITH statement that only reads stands where a query does: in a subquery (`EXISTS (WITH .. SELECT ..)`),
// a set operation, a subquery in FROM, an INSERT's rows.
#[diagnostic::do_not_recommend]
impl<QS, C: ReadOnlyCtes, S: CorrelatedIn<QS>> CorrelatedIn<QS> for WithQuery<C, S> {}
#[diagnostic::do_not_recommend]
impl<C: ReadOnlyCtes + CteDefinitions, S: SelectSource> SelectSource for WithQuery<C, S> {}

impl<DB, C: RunsOn<DB>, S: RunsOn<DB>> RunsOn<DB> for WithQuery<C, S> {}

impl<T: Table, B, S> Cte<T, RecursiveUnion<B, S>> {
    pub(crate) fn recursive(base: B, step: S) -> Self {
        Cte::new(RecursiveUnion::new(base, step), true)
    }
}

/// The rows of a CTE are a table's: `as_cte` checks the query selects them.
pub(crate) fn cte<T: Table, Q: RowsOf<T>>(query: Q) -> Cte<T, Q> {
    Cte::new(query, false)
}
