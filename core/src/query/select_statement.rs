//! The SELECT statement: a FROM source and one type parameter per clause.

use super::Query;
use super::clauses::{LimitClause, NoDistinct, NoHaving, NoLimit, NoLock, NoOffset, NoOrder, NoWhere, OffsetClause};
use crate::expression::Expression;
use crate::expression::NoGroupBy;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::QuerySource;

/// `SELECT [D] S FROM F [W] [O] [L] [Of]`. Each DSL method returns a new statement with one clause
/// replaced; the types spell the SQL, so the shape of the SQL is known at compile time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SelectStatement<
    F,
    S,
    W = NoWhere,
    O = NoOrder,
    L = NoLimit,
    Of = NoOffset,
    D = NoDistinct,
    G = NoGroupBy,
    H = NoHaving,
    Lk = NoLock,
> {
    pub(crate) from: F,
    pub(crate) select: S,
    pub(crate) where_clause: W,
    pub(crate) order: O,
    pub(crate) limit: L,
    pub(crate) offset: Of,
    pub(crate) distinct: D,
    pub(crate) group_by: G,
    pub(crate) having: H,
    pub(crate) lock: Lk,
}

/// The select clause of a query that has none of its own: its FROM clause's default columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DefaultSelect;

/// A select clause given with `.select(..)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SelectClause<E>(pub(crate) E);

/// A select clause, explicit or default, of a query whose FROM clause is `F`.
#[doc(hidden)]
pub trait SelectClauseFor<F> {
    /// The selected expression.
    type Selection: Expression;
    /// Writes the selection.
    fn walk_select(&self, from: &F, out: &mut AstPass<'_>) -> QueryResult<()>;
}

impl<F: QuerySource> SelectClauseFor<F> for DefaultSelect {
    type Selection = F::DefaultSelection;
    fn walk_select(&self, from: &F, out: &mut AstPass<'_>) -> QueryResult<()> {
        from.default_selection().walk(out)
    }
}

impl<F, E: Expression + QueryFragment> SelectClauseFor<F> for SelectClause<E> {
    type Selection = E;
    fn walk_select(&self, _: &F, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk(out)
    }
}

impl QueryId for DefaultSelect {
    type QueryId = DefaultSelect;
}
impl<E: QueryId> QueryId for SelectClause<E> {
    type QueryId = SelectClause<E::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}

/// Replacing one part of a statement, as each DSL method does (`map_order(|_| OrderBy(..))` replaces it).
impl<F, S, W, O, L, Of, D, G, H, Lk> SelectStatement<F, S, W, O, L, Of, D, G, H, Lk> {
    /// This statement with its `from` part mapped by `f`.
    pub(crate) fn map_from<X>(self, f: impl FnOnce(F) -> X) -> SelectStatement<X, S, W, O, L, Of, D, G, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let from = f(from);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `select` part mapped by `f`.
    pub(crate) fn map_select<X>(self, f: impl FnOnce(S) -> X) -> SelectStatement<F, X, W, O, L, Of, D, G, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let select = f(select);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `where_clause` part mapped by `f`.
    pub(crate) fn map_where_clause<X>(self, f: impl FnOnce(W) -> X) -> SelectStatement<F, S, X, O, L, Of, D, G, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let where_clause = f(where_clause);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `order` part mapped by `f`.
    pub(crate) fn map_order<X>(self, f: impl FnOnce(O) -> X) -> SelectStatement<F, S, W, X, L, Of, D, G, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let order = f(order);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `limit` part mapped by `f`.
    pub(crate) fn map_limit<X>(self, f: impl FnOnce(L) -> X) -> SelectStatement<F, S, W, O, X, Of, D, G, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let limit = f(limit);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `offset` part mapped by `f`.
    pub(crate) fn map_offset<X>(self, f: impl FnOnce(Of) -> X) -> SelectStatement<F, S, W, O, L, X, D, G, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let offset = f(offset);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `distinct` part mapped by `f`.
    pub(crate) fn map_distinct<X>(self, f: impl FnOnce(D) -> X) -> SelectStatement<F, S, W, O, L, Of, X, G, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let distinct = f(distinct);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `group_by` part mapped by `f`.
    pub(crate) fn map_group_by<X>(self, f: impl FnOnce(G) -> X) -> SelectStatement<F, S, W, O, L, Of, D, X, H, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let group_by = f(group_by);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `lock` part mapped by `f`.
    pub(crate) fn map_lock<X>(self, f: impl FnOnce(Lk) -> X) -> SelectStatement<F, S, W, O, L, Of, D, G, H, X> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let lock = f(lock);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }

    /// This statement with its `having` part mapped by `f`.
    pub(crate) fn map_having<X>(self, f: impl FnOnce(H) -> X) -> SelectStatement<F, S, W, O, L, Of, D, G, X, Lk> {
        let SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock } =
            self;
        let having = f(having);
        SelectStatement { from, select, where_clause, order, limit, offset, distinct, group_by, having, lock }
    }
}

impl<F: QuerySource> SelectStatement<F, DefaultSelect> {
    /// `SELECT <default columns> FROM source`.
    pub fn simple(from: F) -> Self {
        SelectStatement {
            from,
            select: DefaultSelect,
            where_clause: NoWhere,
            order: NoOrder,
            limit: NoLimit,
            offset: NoOffset,
            distinct: NoDistinct,
            group_by: NoGroupBy,
            having: NoHaving,
            lock: NoLock,
        }
    }
}

impl<F, S: SelectClauseFor<F> + RunnableGrouping<F, G>, W, O, L, Of, D, G, H, Lk> Query
    for SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
{
    type SqlType = <S::Selection as Expression>::SqlType;
}

impl<F, S, W, O, L, Of, D, G, H, Lk> QueryFragment for SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
where
    F: QuerySource,
    S: SelectClauseFor<F>,
    W: QueryFragment,
    O: QueryFragment,
    L: LimitClause,
    Of: OffsetClause,
    D: QueryFragment,
    G: QueryFragment,
    H: QueryFragment,
    Lk: QueryFragment,
{
    fn has_with_clause(&self) -> bool {
        self.from.has_ctes()
    }

    fn has_recursive_with(&self) -> bool {
        self.from.has_recursive_cte()
    }

    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        let from = FromParts(&self.from, &self.select);
        let clauses: [&dyn QueryFragment; 6] =
            [&self.where_clause, &self.group_by, &self.having, &self.order, &self.limit, &self.offset];
        walk_select_statement(&from, &self.distinct, clauses, L::NONE && !Of::NONE, &self.lock, out)
    }
}

/// The parts of a SELECT that depend on its FROM clause (the WITH clause, the select list, FROM), walked
/// as one fragment by [`walk_select_statement`].
struct FromParts<'a, F, S>(&'a F, &'a S);

/// What [`walk_select_statement`] asks of the FROM-dependent parts, past their types.
trait SelectFromParts {
    fn walk_with(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    fn walk_select_list(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    fn walk_from(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

impl<F: QuerySource, S: SelectClauseFor<F>> SelectFromParts for FromParts<'_, F, S> {
    fn walk_with(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        crate::schema::walk_with_clause(self.0, out)
    }
    fn walk_select_list(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.1.walk_select(self.0, out)
    }
    fn walk_from(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk_from_clause(out)
    }
}

/// A SELECT statement's text and binds, clause by clause: one copy for every statement type (a crate of
/// many queries compiles the sequence once, each query only its clauses).
fn walk_select_statement(
    from: &dyn SelectFromParts,
    distinct: &dyn QueryFragment,
    [where_clause, group_by, having, order, limit, offset]: [&dyn QueryFragment; 6],
    unbounded_limit: bool,
    lock: &dyn QueryFragment,
    out: &mut AstPass<'_>,
) -> QueryResult<()> {
    from.walk_with(out)?;
    out.push_sql("SELECT ");
    distinct.walk(out)?;
    from.walk_select_list(out)?;
    from.walk_from(out)?;
    where_clause.walk(out)?;
    group_by.walk(out)?;
    having.walk(out)?;
    order.walk(out)?;
    limit.walk(out)?;
    if unbounded_limit {
        out.push_unbounded_limit();
    }
    offset.walk(out)?;
    lock.walk(out)
}

impl<F, S, W, O, L, Of, D, G, H, Lk> QueryId for SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
where
    F: QueryId,
    S: QueryId,
    W: QueryId,
    O: QueryId,
    L: QueryId,
    Of: QueryId,
    D: QueryId,
    G: QueryId,
    H: QueryId,
    Lk: QueryId,
{
    type QueryId = SelectStatement<
        F::QueryId,
        S::QueryId,
        W::QueryId,
        O::QueryId,
        L::QueryId,
        Of::QueryId,
        D::QueryId,
        G::QueryId,
        H::QueryId,
        Lk::QueryId,
    >;
    const HAS_STATIC_QUERY_ID: bool = F::HAS_STATIC_QUERY_ID
        && S::HAS_STATIC_QUERY_ID
        && W::HAS_STATIC_QUERY_ID
        && O::HAS_STATIC_QUERY_ID
        && L::HAS_STATIC_QUERY_ID
        && Of::HAS_STATIC_QUERY_ID
        && D::HAS_STATIC_QUERY_ID
        && G::HAS_STATIC_QUERY_ID
        && H::HAS_STATIC_QUERY_ID
        && Lk::HAS_STATIC_QUERY_ID;
}

/// The select clause stays valid when the query is grouped by `G`. An explicit select is checked here;
/// the default one (all columns) is checked when the query runs, since `.select(..)` usually comes after
/// `.group_by(..)` and replaces it.
#[doc(hidden)]
pub trait SelectGrouping<F, G> {}
impl<F, G> SelectGrouping<F, G> for DefaultSelect {}
impl<F, G, E> SelectGrouping<F, G> for SelectClause<E> where
    E: crate::expression::ValidGrouping<G, Kind: crate::expression::NoUngroupedColumn>
{
}

/// A select clause valid for the query's GROUP BY clause `G`, checked when the query runs: only the
/// default selection can still be wrong there (every explicit one was checked when it was set).
#[diagnostic::on_unimplemented(
    message = "a grouped query without a select clause selects every column, and they are not all in its GROUP BY",
    label = "select the grouped columns and aggregates first: `.group_by(..).select(..)`"
)]
pub trait RunnableGrouping<F, G> {}
#[diagnostic::do_not_recommend]
impl<F: QuerySource> RunnableGrouping<F, NoGroupBy> for DefaultSelect {}
#[diagnostic::do_not_recommend]
impl<F: QuerySource, E> RunnableGrouping<F, crate::expression::GroupBy<E>> for DefaultSelect where
    F::DefaultSelection:
        crate::expression::ValidGrouping<crate::expression::GroupBy<E>, Kind: crate::expression::NoUngroupedColumn>
{
}
#[diagnostic::do_not_recommend]
impl<F, G, E> RunnableGrouping<F, G> for SelectClause<E> {}

/// The query has no GROUP BY clause yet.
#[diagnostic::on_unimplemented(
    message = "this query already has a GROUP BY clause",
    label = "a second `group_by`",
    note = "group by several columns at once with a tuple: `.group_by((a, b))`"
)]
#[doc(hidden)]
pub trait NoGroupByYet {}
impl NoGroupByYet for NoGroupBy {}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB> crate::backend::RunsOn<DB> for DefaultSelect {}
impl<DB, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for SelectClause<E> {}
impl<DB, F, S, W, O, L, Of, D, G, H, Lk> crate::backend::RunsOn<DB> for SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
where
    F: crate::backend::RunsOn<DB>,
    S: crate::backend::RunsOn<DB>,
    W: crate::backend::RunsOn<DB>,
    O: crate::backend::RunsOn<DB>,
    L: crate::backend::RunsOn<DB>,
    Of: crate::backend::RunsOn<DB>,
    D: crate::backend::RunsOn<DB>,
    G: crate::backend::RunsOn<DB>,
    H: crate::backend::RunsOn<DB>,
    Lk: crate::backend::RunsOn<DB>,
{
}
