//! The SELECT statement: a FROM source and one type parameter per clause.

use super::Query;
use super::clauses::{LimitClause, NoDistinct, NoLimit, NoOffset, NoOrder, NoWhere, OffsetClause};
use crate::expression::Expression;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::{QuerySource, Table};

/// `SELECT [D] S FROM F [W] [O] [L] [Of]`. Each DSL method returns a new statement with one clause
/// replaced; the types spell the SQL, so the shape of the SQL is known at compile time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SelectStatement<F, S, W = NoWhere, O = NoOrder, L = NoLimit, Of = NoOffset, D = NoDistinct> {
    pub(crate) from: F,
    pub(crate) select: S,
    pub(crate) where_clause: W,
    pub(crate) order: O,
    pub(crate) limit: L,
    pub(crate) offset: Of,
    pub(crate) distinct: D,
}

impl<T: Table> SelectStatement<T, T::AllColumns> {
    /// `SELECT <all columns> FROM table`.
    pub fn simple(table: T) -> Self {
        SelectStatement {
            from: table,
            select: T::all_columns(),
            where_clause: NoWhere,
            order: NoOrder,
            limit: NoLimit,
            offset: NoOffset,
            distinct: NoDistinct,
        }
    }
}

impl<F, S: Expression, W, O, L, Of, D> Query for SelectStatement<F, S, W, O, L, Of, D> {
    type SqlType = S::SqlType;
}

impl<F, S, W, O, L, Of, D> QueryFragment for SelectStatement<F, S, W, O, L, Of, D>
where
    F: QuerySource,
    S: QueryFragment,
    W: QueryFragment,
    O: QueryFragment,
    L: LimitClause,
    Of: OffsetClause,
    D: QueryFragment,
{
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        self.distinct.walk(out)?;
        self.select.walk(out)?;
        out.push_sql(" FROM ");
        self.from.walk_from(out)?;
        self.where_clause.walk(out)?;
        self.order.walk(out)?;
        self.limit.walk(out)?;
        if L::NONE && !Of::NONE {
            out.push_unbounded_limit();
        }
        self.offset.walk(out)
    }
}

impl<F, S, W, O, L, Of, D> QueryId for SelectStatement<F, S, W, O, L, Of, D>
where
    F: QueryId,
    S: QueryId,
    W: QueryId,
    O: QueryId,
    L: QueryId,
    Of: QueryId,
    D: QueryId,
{
    type QueryId = SelectStatement<F::QueryId, S::QueryId, W::QueryId, O::QueryId, L::QueryId, Of::QueryId, D::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = F::HAS_STATIC_QUERY_ID
        && S::HAS_STATIC_QUERY_ID
        && W::HAS_STATIC_QUERY_ID
        && O::HAS_STATIC_QUERY_ID
        && L::HAS_STATIC_QUERY_ID
        && Of::HAS_STATIC_QUERY_ID
        && D::HAS_STATIC_QUERY_ID;
}
