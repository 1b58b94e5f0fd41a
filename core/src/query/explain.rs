//! `query.explain(&mut conn)`: the database's plan for a typed query (Django's `QuerySet.explain()`),
//! `EXPLAIN QUERY PLAN` on SQLite and `EXPLAIN` on PostgreSQL, so what an ORM query does is one call away.

use super::returning::NoReturning;
use super::{AsQuery, Query, RunnableQuery};
use crate::connection::CanLoad;
use crate::deserialize::Untyped;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

/// A statement under its backend's `EXPLAIN`: run, it returns the plan, not the statement's rows (nothing
/// is written by an explained INSERT, UPDATE or DELETE).
#[derive(Debug, Clone, Copy)]
pub struct Explain<Q>(Q);

impl<Q: QueryFragment> QueryFragment for Explain<Q> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_explain_prefix();
        self.0.walk(out)
    }
    // A statement that runs nothing (an INSERT of no rows) has no plan: an empty one.
    fn is_noop(&self) -> bool {
        self.0.is_noop()
    }
}

impl<Q: QueryId> QueryId for Explain<Q> {
    type QueryId = Explain<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q> Query for Explain<Q> {
    type SqlType = Untyped;
}

#[diagnostic::do_not_recommend]
impl<Q: RunnableQuery> RunnableQuery for Explain<Q> {}

impl<DB, Q: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Explain<Q> {}

/// One row of a plan, as the backend gives it: the line's text, and on SQLite its node's id and its
/// parent's (the plan is a tree there), which [`ExplainDsl::explain`] turns into indentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    /// The node's id (SQLite), 0 elsewhere.
    pub id: i64,
    /// The parent node's id (SQLite; 0 for a top-level node), 0 elsewhere.
    pub parent: i64,
    /// The line.
    pub detail: String,
}

/// `query.explain(&mut conn)`: the database's plan for the query, one line per step (SQLite's tree
/// indented two spaces a level). Any statement that runs on the connection: a SELECT, a join, a boxed
/// query, an INSERT, UPDATE or DELETE (shown, not run).
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::sqlite::SqliteConnection;
/// quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// let mut conn = SqliteConnection::establish(":memory:")?;
/// conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")?;
/// let plan = users::table.filter(users::id.eq(7)).explain(&mut conn)?;
/// assert!(plan[0].contains("USING INTEGER PRIMARY KEY"), "{plan:?}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ExplainDsl: Explainable + Sized {
    /// The plan's lines.
    // The signature on one line: an error quotes it.
    #[rustfmt::skip]
    fn explain<Conn>(self, conn: &mut Conn) -> QueryResult<Vec<String>> where Conn: CanLoad<Explain<Self::Statement>, PlanRow> {
        let rows = conn.load_rows_of(Explain(self.into_statement()), usize::MAX)?;
        // Each node's depth from its parent's (SQLite lists parents first).
        let mut depths: Vec<(i64, usize)> = Vec::with_capacity(rows.len());
        Ok(rows
            .into_iter()
            .map(|row| {
                let depth = depths.iter().rev().find(|(id, _)| *id == row.parent).map_or(0, |(_, d)| d + 1);
                depths.push((row.id, depth));
                format!("{}{}", "  ".repeat(depth), row.detail)
            })
            .collect())
    }
}

impl<Q: Explainable> ExplainDsl for Q {}

/// What [`ExplainDsl::explain`] explains: a query (a table is `SELECT * FROM` it), or an INSERT, UPDATE
/// or DELETE with no RETURNING.
#[doc(hidden)]
pub trait Explainable {
    /// The statement as it runs.
    type Statement;
    /// The statement.
    fn into_statement(self) -> Self::Statement;
}

impl<Q: AsQuery> Explainable for Q {
    type Statement = Q::Query;
    fn into_statement(self) -> Q::Query {
        self.as_query()
    }
}

impl<T, W> Explainable for super::DeleteStatement<T, W, NoReturning> {
    type Statement = Self;
    fn into_statement(self) -> Self {
        self
    }
}

impl<T, W, C> Explainable for super::UpdateStatement<T, W, C, NoReturning> {
    type Statement = Self;
    fn into_statement(self) -> Self {
        self
    }
}

impl<T, V, C, S> Explainable for super::InsertStatement<T, V, NoReturning, C, S> {
    type Statement = Self;
    fn into_statement(self) -> Self {
        self
    }
}
