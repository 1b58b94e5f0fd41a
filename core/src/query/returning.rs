//! `RETURNING`: the rows an INSERT, UPDATE or DELETE hands back (SQLite 3.35+, PostgreSQL).

use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

/// No RETURNING clause: the statement only reports how many rows it changed.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoReturning;

/// `RETURNING expr`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Returning<E>(pub(crate) E);

impl QueryFragment for NoReturning {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}
impl QueryId for NoReturning {
    type QueryId = NoReturning;
}
impl<E: QueryFragment> QueryFragment for Returning<E> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" RETURNING ");
        self.0.walk(out)
    }
}
impl<E: QueryId> QueryId for Returning<E> {
    type QueryId = Returning<E::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB> crate::backend::RunsOn<DB> for NoReturning {}
impl<DB, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Returning<E> {}
