//! DELETE: `delete(target)`, where the target is a table or a filtered table.

use super::Query;
use super::clauses::WhereClause;
use super::returning::{NoReturning, Returning};
use super::update::IntoUpdateTarget;
use super::write_join::WriteWhere;
use crate::expression::{AppearsOn, Expression};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::Table;

/// Deletes `target`'s rows.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// let q = quarry::delete(users::table.filter(users::name.like("tmp%")));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"DELETE FROM "users" WHERE "users"."name" LIKE ?"#
/// );
/// ```
pub fn delete<T: IntoUpdateTarget<Tab, W>, Tab, W>(target: T) -> DeleteStatement<Tab, W> {
    let target = target.into_update_target();
    DeleteStatement { table: target.table, where_clause: target.where_clause, returning: NoReturning }
}

/// `DELETE FROM table [WHERE ...] [RETURNING ...]`.
#[derive(Debug, Clone, Copy)]
pub struct DeleteStatement<T, W, R = NoReturning> {
    table: T,
    where_clause: W,
    returning: R,
}

impl<T, W, R> DeleteStatement<T, W, R> {
    /// The statement with its WHERE clause replaced by `f`'s.
    pub(crate) fn map_where<W2>(self, f: impl FnOnce(W) -> W2) -> DeleteStatement<T, W2, R> {
        DeleteStatement { table: self.table, where_clause: f(self.where_clause), returning: self.returning }
    }
}

impl<T: Table, W: WhereClause, R> DeleteStatement<T, W, R> {
    /// Adds a WHERE condition, joined with AND to the target's and to the ones before it (Diesel's
    /// `delete(users::table).filter(..)`; the same as filtering the target).
    pub fn filter<P: super::Condition>(self, predicate: P) -> DeleteStatement<T, W::And<P>, R> {
        DeleteStatement { table: self.table, where_clause: self.where_clause.and(predicate), returning: self.returning }
    }

    /// Adds a WHERE condition joined with OR to the ones before it.
    pub fn or_filter<P: super::Condition>(self, predicate: P) -> DeleteStatement<T, W::Or<P>, R> {
        DeleteStatement { table: self.table, where_clause: self.where_clause.or(predicate), returning: self.returning }
    }
}

impl<T: Table, W> DeleteStatement<T, W> {
    /// Adds `RETURNING expr`.
    pub fn returning<E: AppearsOn<T> + crate::expression::NonAggregate>(
        self,
        expr: E,
    ) -> DeleteStatement<T, W, Returning<E>> {
        DeleteStatement { table: self.table, where_clause: self.where_clause, returning: Returning(expr) }
    }
}

impl<T: Table, W: WriteWhere, R: QueryFragment> QueryFragment for DeleteStatement<T, W, R> {
    fn has_with_clause(&self) -> bool {
        self.where_clause.has_ctes()
    }

    fn has_recursive_with(&self) -> bool {
        self.where_clause.has_recursive_cte()
    }

    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.where_clause.walk_with(out)?;
        out.push_sql("DELETE FROM ");
        self.table.walk_from(out)?;
        self.where_clause.walk_delete(out)?;
        self.returning.walk(out)
    }
}

impl<T: QueryId, W: QueryId, R: QueryId> QueryId for DeleteStatement<T, W, R> {
    type QueryId = DeleteStatement<T::QueryId, W::QueryId, R::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = T::HAS_STATIC_QUERY_ID && W::HAS_STATIC_QUERY_ID && R::HAS_STATIC_QUERY_ID;
}

impl<T, W, E: Expression> Query for DeleteStatement<T, W, Returning<E>> {
    type SqlType = E::SqlType;
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, T: crate::backend::RunsOn<DB>, W: crate::backend::RunsOn<DB>, R: crate::backend::RunsOn<DB>>
    crate::backend::RunsOn<DB> for DeleteStatement<T, W, R>
{
}
