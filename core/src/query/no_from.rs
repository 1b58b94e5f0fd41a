//! `select(expr)`: a SELECT with no FROM clause, for values computed by the database alone
//! (`SELECT EXISTS (...)`, `SELECT ? + ?`).

use super::select_statement::{SelectClause, SelectStatement};
use crate::expression::{AppearsOn, Expression, NoGroupBy, NotNested, SelectNullability, ValidGrouping};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::QuerySource;
use crate::schema::{Occurrences, count::Never};

/// The FROM clause of a query that has none. No column appears on it: only values, subqueries and
/// expressions of them can be selected.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFromClause;

impl QuerySource for NoFromClause {
    type DefaultSelection = NoSelection;
    fn walk_from(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
    fn walk_from_clause(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
    fn default_selection(&self) -> NoSelection {
        NoSelection
    }
}

impl QueryId for NoFromClause {
    type QueryId = NoFromClause;
}

// No table occurs in it: a correlated subquery under it may name only its own tables.
impl<T> Occurrences<T> for NoFromClause {
    type Count = Never;
}

/// What a query without FROM clause selects by default: nothing; [`select`] always gives it a select
/// clause, so this only renders as an error.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSelection;

impl Expression for NoSelection {
    type SqlType = ();
}

impl QueryFragment for NoSelection {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Err(build_error(
            BuildErrorKind::Unsupported,
            "a query without FROM clause needs a select clause: use `quarry::select(expr)`",
        ))
    }
}

impl QueryId for NoSelection {
    type QueryId = NoSelection;
}

/// `SELECT expr`, with no FROM clause: `select(exists(users::table.filter(..)))` asks the database one
/// question; `select(1.into_sql::<Integer>() + 2)` computes a value. Run it like any query (`get_result`,
/// `load`). A column cannot be selected here, having no table to come from.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::dsl::exists;
///
/// let q = quarry::select(exists(users::table.filter(users::name.eq("Ann"))));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT EXISTS (SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = ?)"#,
/// );
/// ```
pub fn select<E>(expr: E) -> SelectStatement<NoFromClause, SelectClause<E>>
where
    E: AppearsOn<NoFromClause> + SelectNullability<NoFromClause>,
    E: ValidGrouping<NoGroupBy, Kind: NotNested>,
{
    SelectStatement::simple(NoFromClause).map_select(|_| SelectClause(expr))
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB> crate::backend::RunsOn<DB> for NoFromClause {}
impl<DB> crate::backend::RunsOn<DB> for NoSelection {}
