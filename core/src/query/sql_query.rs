//! Raw SQL: `sql_query("SELECT ...").bind::<Integer, _>(30).load::<ByName>(&mut conn)`, rows read by
//! column name into a `#[derive(QueryableByName)]` struct.

use super::{Query, RunnableQuery};
use crate::deserialize::Untyped;
use crate::expression::{AsExpression, Operand};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

/// A statement written as SQL text, with `?` placeholders filled by [`bind`](SqlQuery::bind) in order.
///
/// Quarry checks nothing in the text: a mistake is the database's error at run time, and a count of
/// binds that differs from the placeholders is an `Err` before anything runs.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is run with `execute` or `load`"]
pub struct SqlQuery<B = ()> {
    sql: String,
    binds: B,
}

/// Starts a raw SQL statement. See [`SqlQuery`].
///
/// ```
/// use quarry::prelude::*;
/// use quarry::sql_types::{Integer, Text};
///
/// #[derive(QueryableByName, Debug, PartialEq)]
/// struct Named {
///     #[quarry(sql_type = Text)]
///     name: String,
///     #[quarry(sql_type = Integer)]
///     age: i32,
/// }
///
/// let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:")?;
/// quarry::sql_query("CREATE TABLE people (name TEXT NOT NULL, age INTEGER NOT NULL)").execute(&mut conn)?;
/// quarry::sql_query("INSERT INTO people VALUES (?, ?), (?, ?)")
///     .bind::<Text, _>("Ann")
///     .bind::<Integer, _>(31)
///     .bind::<Text, _>("Bo")
///     .bind::<Integer, _>(25)
///     .execute(&mut conn)?;
/// let older: Vec<Named> =
///     quarry::sql_query("SELECT age, name FROM people WHERE age > ?").bind::<Integer, _>(30).load(&mut conn)?;
/// assert_eq!(older, [Named { name: "Ann".into(), age: 31 }]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sql_query(sql: impl Into<String>) -> SqlQuery {
    SqlQuery { sql: sql.into(), binds: () }
}

impl<B> SqlQuery<B> {
    /// Binds the next `?` to `value`, checked against the SQL type `ST` (e.g. `Integer`, `Nullable<Text>`).
    pub fn bind<ST, V: AsExpression<ST>>(self, value: V) -> SqlQuery<(B, Operand<ST, V>)> {
        SqlQuery { sql: self.sql, binds: (self.binds, Operand::new(value)) }
    }
}

/// The values bound to a [`SqlQuery`], first to last.
#[doc(hidden)]
pub trait SqlQueryBinds {
    /// Walks the values in order.
    fn walk_binds(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

impl SqlQueryBinds for () {
    fn walk_binds(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}

impl<B: SqlQueryBinds, ST, V> SqlQueryBinds for (B, Operand<ST, V>) {
    fn walk_binds(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk_binds(out)?;
        self.1.walk(out)
    }
}

impl<B: SqlQueryBinds> QueryFragment for SqlQuery<B> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(&self.sql);
        // The placeholders are in the text already: the values are only walked to be bound.
        if out.is_sql_pass() { Ok(()) } else { self.binds.walk_binds(out) }
    }
}

impl<B> QueryId for SqlQuery<B> {
    type QueryId = ();
    // The text is a run-time value: cached by the text itself.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<B> Query for SqlQuery<B> {
    type SqlType = Untyped;
}

#[diagnostic::do_not_recommend]
impl<B> RunnableQuery for SqlQuery<B> {}

// Raw SQL: the author chose the backend it is written for.
impl<DB, B> crate::backend::RunsOn<DB> for SqlQuery<B> {}
