//! The optional clauses of a SELECT: WHERE, ORDER BY, LIMIT, OFFSET, DISTINCT.

use crate::expression::{And, Or};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

macro_rules! empty_clause {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl QueryFragment for $name {
            fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
                Ok(())
            }
        }
        impl QueryId for $name {
            type QueryId = $name;
        }
    )*};
}

empty_clause! {
    /// No WHERE clause.
    NoWhere;
    /// No ORDER BY clause.
    NoOrder;
    /// No LIMIT clause.
    NoLimit;
    /// No OFFSET clause.
    NoOffset;
    /// No DISTINCT.
    NoDistinct;
    /// No HAVING clause.
    NoHaving;
}

/// `WHERE predicate`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Where<P>(pub(crate) P);

impl<P: QueryFragment> QueryFragment for Where<P> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" WHERE ");
        self.0.walk(out)
    }
}
impl<P: QueryId> QueryId for Where<P> {
    type QueryId = Where<P::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = P::HAS_STATIC_QUERY_ID;
}

/// How a WHERE clause grows when a filter is added.
pub trait WhereClause {
    /// The clause after `.filter(p)`.
    type And<P>;
    /// The clause after `.or_filter(p)`.
    type Or<P>;
    /// Adds `p` with AND (or makes it the clause).
    fn and<P>(self, p: P) -> Self::And<P>;
    /// Adds `p` with OR (or makes it the clause).
    fn or<P>(self, p: P) -> Self::Or<P>;
}

impl WhereClause for NoWhere {
    type And<P> = Where<P>;
    type Or<P> = Where<P>;
    fn and<P>(self, p: P) -> Where<P> {
        Where(p)
    }
    fn or<P>(self, p: P) -> Where<P> {
        Where(p)
    }
}

impl<W> WhereClause for Where<W> {
    type And<P> = Where<And<W, P>>;
    type Or<P> = Where<Or<W, P>>;
    fn and<P>(self, p: P) -> Where<And<W, P>> {
        Where(And(self.0, p))
    }
    fn or<P>(self, p: P) -> Where<Or<W, P>> {
        Where(Or(self.0, p))
    }
}

/// `ORDER BY terms`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderBy<O>(pub(crate) O);

impl<O: QueryFragment> QueryFragment for OrderBy<O> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" ORDER BY ");
        self.0.walk(out)
    }
}
impl<O: QueryId> QueryId for OrderBy<O> {
    type QueryId = OrderBy<O::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = O::HAS_STATIC_QUERY_ID;
}

/// How an ORDER BY clause grows with `then_order_by`.
pub trait OrderClause {
    /// The clause after `.then_order_by(o)`.
    type Then<O>;
    /// Appends `o` to the sort keys.
    fn then<O>(self, o: O) -> Self::Then<O>;
}
impl OrderClause for NoOrder {
    type Then<O> = OrderBy<O>;
    fn then<O>(self, o: O) -> OrderBy<O> {
        OrderBy(o)
    }
}
impl<P> OrderClause for OrderBy<P> {
    type Then<O> = OrderBy<(P, O)>;
    fn then<O>(self, o: O) -> OrderBy<(P, O)> {
        OrderBy((self.0, o))
    }
}

/// `LIMIT n`, written into the SQL as a literal: SQLite re-prepares a statement with a bound LIMIT on
/// every run, which costs more than a statement cached by its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(pub(crate) i64);

/// `LIMIT 1`, as `first()` renders it; its SQL depends only on its type, so it is cached by type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitOne;

/// `OFFSET n`, a literal like [`Limit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset(pub(crate) i64);

/// The OFFSET a query has.
pub trait OffsetClause: QueryFragment {
    /// True for a query with no OFFSET.
    const NONE: bool = false;
}
impl OffsetClause for NoOffset {
    const NONE: bool = true;
}
impl OffsetClause for Offset {}

/// The LIMIT a query has, for rendering LIMIT and OFFSET together.
pub trait LimitClause: QueryFragment {
    /// True for a query with no LIMIT.
    const NONE: bool = false;
}
impl LimitClause for NoLimit {
    const NONE: bool = true;
}
impl LimitClause for Limit {}
impl LimitClause for LimitOne {}

impl QueryFragment for Limit {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" LIMIT ");
        out.push_integer_literal(self.0);
        Ok(())
    }
}
impl QueryId for Limit {
    type QueryId = Limit;
    const HAS_STATIC_QUERY_ID: bool = false;
}
impl QueryFragment for LimitOne {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" LIMIT 1");
        Ok(())
    }
}
impl QueryId for LimitOne {
    type QueryId = LimitOne;
}
impl QueryFragment for Offset {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" OFFSET ");
        out.push_integer_literal(self.0);
        Ok(())
    }
}
impl QueryId for Offset {
    type QueryId = Offset;
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// `DISTINCT` after SELECT.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Distinct;
impl QueryFragment for Distinct {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("DISTINCT ");
        Ok(())
    }
}
impl QueryId for Distinct {
    type QueryId = Distinct;
}

impl QueryFragment for crate::expression::NoGroupBy {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}
impl QueryId for crate::expression::NoGroupBy {
    type QueryId = crate::expression::NoGroupBy;
}
impl<E: QueryFragment> QueryFragment for crate::expression::GroupBy<E> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" GROUP BY ");
        self.0.walk(out)
    }
}
impl<E: QueryId> QueryId for crate::expression::GroupBy<E> {
    type QueryId = crate::expression::GroupBy<E::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}

/// `HAVING condition`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Having<P>(pub(crate) P);

impl<P: QueryFragment> QueryFragment for Having<P> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" HAVING ");
        self.0.walk(out)
    }
}
impl<P: QueryId> QueryId for Having<P> {
    type QueryId = Having<P::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = P::HAS_STATIC_QUERY_ID;
}

/// How a HAVING clause grows when a condition is added: with AND.
pub trait HavingClause {
    /// The clause after `.having(p)`.
    type And<P>;
    /// Adds `p`.
    fn and<P>(self, p: P) -> Self::And<P>;
}
impl HavingClause for NoHaving {
    type And<P> = Having<P>;
    fn and<P>(self, p: P) -> Having<P> {
        Having(p)
    }
}
impl<Q> HavingClause for Having<Q> {
    type And<P> = Having<crate::expression::And<Q, P>>;
    fn and<P>(self, p: P) -> Self::And<P> {
        Having(crate::expression::And(self.0, p))
    }
}
