//! Subqueries as expressions: `exists(query)`, `query.single_value()`, and a query as the list of
//! `eq_any`/`ne_all`.
//!
//! These subqueries are checked against their own FROM clause, where they were built; a subquery that
//! names a table of the outer query (a correlated subquery) is not expressible yet.

use super::grouping::kind::Constant;
use super::values::InListTrait;
use super::{AppearsOn, Expression, NonAggregate, SelectNullability, ValidGrouping};
use crate::query::{AsQuery, Query};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::{Bool, IntoNullable};

/// `EXISTS (query)`.
#[derive(Debug, Clone, Copy)]
pub struct Exists<Q>(Q);

/// `EXISTS (query)`: true when the query returns at least one row.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # quarry::table! { banned (id) { id -> Integer, } }
/// use quarry::dsl::exists;
/// let q = users::table.select(users::id).filter(exists(banned::table.filter(banned::id.eq(1))));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "users"."id" FROM "users" WHERE EXISTS (SELECT "banned"."id" FROM "banned" WHERE "banned"."id" = ?)"#
/// );
/// ```
pub fn exists<Q: AsQuery>(query: Q) -> Exists<Q::Query> {
    Exists(query.as_query())
}

/// `(query)`, a subquery of one column read as one value (NULL when it returns no row).
#[derive(Debug, Clone, Copy)]
pub struct SingleValue<Q>(Q);

/// `.single_value()` on a query that selects one column.
pub trait SingleValueDsl: AsQuery + Sized {
    /// The query as a scalar subquery: `(SELECT ...)`, typed as its column's nullable SQL type.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// use quarry::dsl::max;
    /// let newest = users::table.select(max(users::id)).single_value();
    /// let q = users::table.select(users::name).filter(users::id.nullable().eq(newest));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."name" FROM "users" WHERE "users"."id" = (SELECT MAX("users"."id") FROM "users")"#
    /// );
    /// ```
    fn single_value(self) -> SingleValue<Self::Query>
    where
        <Self::Query as Query>::SqlType: IntoNullable + crate::sql_types::SingleValue,
    {
        SingleValue(self.as_query())
    }
}
impl<Q: AsQuery> SingleValueDsl for Q {}

macro_rules! subquery_node {
    ($name:ident, $sql_type:ty, $open:literal) => {
        impl<Q: QueryFragment> QueryFragment for $name<Q> {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                out.push_sql($open);
                self.0.walk(out)?;
                out.push_sql(")");
                Ok(())
            }
        }
        impl<Q: QueryId> QueryId for $name<Q> {
            type QueryId = $name<Q::QueryId>;
            const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
        }
        impl<DB, Q: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for $name<Q> {}
        // An uncorrelated subquery names no table of the outer query: it stands anywhere.
        #[diagnostic::do_not_recommend]
        impl<QS, Q: crate::query::CorrelatedIn<QS>> AppearsOn<QS> for $name<Q> where
            $name<Q>: Expression + QueryFragment + QueryId
        {
        }
        impl<QS, Q> SelectNullability<QS> for $name<Q> where $name<Q>: Expression {}
        #[diagnostic::do_not_recommend]
        impl<Q> NonAggregate for $name<Q> where $name<Q>: Expression {}
        impl<G, Q> ValidGrouping<G> for $name<Q>
        where
            $name<Q>: Expression,
        {
            type Kind = Constant;
        }
    };
}

impl<Q> Expression for Exists<Q> {
    type SqlType = Bool;
}
subquery_node!(Exists, Bool, "EXISTS (");

impl<Q: Query<SqlType: IntoNullable>> Expression for SingleValue<Q> {
    type SqlType = <Q::SqlType as IntoNullable>::Nullable;
}
subquery_node!(SingleValue, (), "(");

/// A query as the list of `eq_any`/`ne_all` stands in a query on `QS` when it correlates with it.
impl<QS, F, S, W, O, L, Of, D, G, H, Lk> super::OperandAppearsOn<QS>
    for crate::query::SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
where
    Self: crate::query::CorrelatedIn<QS>,
{
}
impl<QS, ST, QSrc, DB, G, Lk> super::OperandAppearsOn<QS>
    for crate::query::BoxedSelectStatement<'_, ST, QSrc, DB, G, Lk>
{
}
impl<QS, Op, L, R> super::OperandAppearsOn<QS> for crate::query::Combination<Op, L, R> where
    Self: crate::query::CorrelatedIn<QS>
{
}
impl<QS, C, S> super::OperandAppearsOn<QS> for crate::query::WithQuery<C, S> where Self: crate::query::CorrelatedIn<QS> {}
/// A query as the list of `eq_any`/`ne_all`: `x IN (SELECT ...)`.
impl<ST, Q> InListTrait<ST> for Q
where
    Q: Query<SqlType = ST> + QueryFragment,
{
    fn walk_list(&self, negated: bool, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(if negated { " NOT IN (" } else { " IN (" });
        self.walk(out)?;
        out.push_sql(")");
        Ok(())
    }
    fn is_empty(&self) -> bool {
        false
    }
}
