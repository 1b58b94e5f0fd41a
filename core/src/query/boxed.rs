//! `into_boxed()`: a SELECT whose clauses are chosen at run time (a search form), with every column and
//! type still checked at compile time.
//!
//! The boxed statement keeps its FROM clause's type (`QS`) and its row's SQL type (`ST`) and boxes each
//! clause, so filters and sort keys can be added in loops and branches while their columns are still
//! checked against the tables of the FROM clause.

use std::marker::PhantomData;

use super::Query;
use super::select_statement::SelectClauseFor;
use crate::backend::RunsOn;
use crate::expression::{
    AppearsOn, GroupBy, NoGroupBy, NoUngroupedColumn, NonAggregate, NotMixed, NotNested, SelectNullability,
    ValidGrouping,
};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::QuerySource;
use crate::sql_types::BoolLike;

type Fragment<'a> = Box<dyn QueryFragment + 'a>;

/// A SELECT with boxed clauses, built with [`QueryDsl::into_boxed`](super::QueryDsl::into_boxed), for
/// backend `DB`: what it holds was checked against `DB`'s SQL when it was added, as the boxes no longer
/// tell.
pub struct BoxedSelectStatement<'a, ST, QS, DB, G = NoGroupBy, Lk = super::NoLock> {
    with: Option<Fragment<'a>>,
    from: Fragment<'a>,
    select: Fragment<'a>,
    distinct: Option<Fragment<'a>>,
    where_clause: Option<Fragment<'a>>,
    group_by: Option<Fragment<'a>>,
    having: Option<Fragment<'a>>,
    order: Vec<Fragment<'a>>,
    limit: Option<i64>,
    offset: Option<i64>,
    lock: Option<Fragment<'a>>,
    /// What was set before a `group_by` added after boxing, unchecked against that grouping (see
    /// [`group_by`](BoxedSelectStatement::group_by)): the statement refuses to run.
    set_before_grouping: Option<&'static str>,
    types: PhantomData<fn() -> (ST, QS, DB, G, Lk)>,
}

impl<ST, QS, DB, G, Lk> std::fmt::Debug for BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match crate::render::render_sql(self, &DebugDialect) {
            Ok(sql) => write!(f, "BoxedSelectStatement({sql})"),
            Err(e) => write!(f, "BoxedSelectStatement(<{e}>)"),
        }
    }
}

/// The dialect `Debug` shows a boxed statement in: `?` placeholders and double-quoted identifiers, as
/// SQLite and the SQL standard write them (this crate knows no backend).
struct DebugDialect;
impl crate::backend::Dialect for DebugDialect {
    fn push_bind_placeholder(&self, sql: &mut String, _index: usize) {
        sql.push('?');
    }
    fn push_identifier(&self, sql: &mut String, ident: &str) {
        crate::backend::push_quoted(sql, ident, '"');
    }
}

/// The FROM clause of a boxed statement, as a fragment.
struct FromClause<F>(F);
impl<F: QuerySource> QueryFragment for FromClause<F> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk_from(out)
    }
}

/// The WITH clause of a boxed statement's FROM clause (present only when the source needs one).
struct WithClause<F>(F);
impl<F: QuerySource> QueryFragment for WithClause<F> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        crate::schema::walk_with_clause(&self.0, out)
    }

    fn has_recursive_with(&self) -> bool {
        self.0.has_recursive_cte()
    }
}

/// A select clause with the FROM clause it draws its default columns from.
struct SelectFrom<F, S>(F, S);
impl<F, S: SelectClauseFor<F>> QueryFragment for SelectFrom<F, S> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.1.walk_select(&self.0, out)
    }
}

/// The statement's parts, handed over by `into_boxed`.
pub(crate) struct Parts<'a> {
    pub(crate) with: Option<Fragment<'a>>,
    pub(crate) from: Fragment<'a>,
    pub(crate) select: Fragment<'a>,
    pub(crate) distinct: Option<Fragment<'a>>,
    pub(crate) where_clause: Option<Fragment<'a>>,
    pub(crate) group_by: Option<Fragment<'a>>,
    pub(crate) having: Option<Fragment<'a>>,
    pub(crate) order: Option<Fragment<'a>>,
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
    pub(crate) lock: Option<Fragment<'a>>,
}

impl<'a> Parts<'a> {
    pub(crate) fn from<F: QuerySource + Clone + 'a>(from: &F) -> Fragment<'a> {
        Box::new(FromClause(from.clone()))
    }
    pub(crate) fn with<F: QuerySource + Clone + 'a>(from: &F) -> Option<Fragment<'a>> {
        from.has_ctes().then(|| Box::new(WithClause(from.clone())) as Fragment<'a>)
    }
    pub(crate) fn select<F: Clone + 'a, S: SelectClauseFor<F> + 'a>(from: &F, select: S) -> Fragment<'a> {
        Box::new(SelectFrom(from.clone(), select))
    }
}

impl<'a, ST, QS, DB, G, Lk> BoxedSelectStatement<'a, ST, QS, DB, G, Lk> {
    pub(crate) fn new(parts: Parts<'a>) -> Self {
        BoxedSelectStatement {
            with: parts.with,
            from: parts.from,
            select: parts.select,
            distinct: parts.distinct,
            where_clause: parts.where_clause,
            group_by: parts.group_by,
            having: parts.having,
            order: parts.order.into_iter().collect(),
            limit: parts.limit,
            offset: parts.offset,
            lock: parts.lock,
            set_before_grouping: None,
            types: PhantomData,
        }
    }

    fn add_condition(&mut self, predicate: Fragment<'a>, or: bool) {
        self.where_clause = Some(match self.where_clause.take() {
            None => predicate,
            Some(existing) => Box::new(Connective { left: existing, right: predicate, or }),
        });
    }

    /// Adds a WHERE condition, joined with AND to the ones before it.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let mut q = users::table.select(users::id).into_boxed();
    /// let wanted_name: Option<&str> = Some("Ann");
    /// if let Some(name) = wanted_name {
    ///     q = q.filter(users::name.eq(name));
    /// }
    /// q = q.filter(users::id.gt(0));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."name" = ? AND "users"."id" > ? -- binds: ["Ann", 0]"#
    /// );
    /// ```
    pub fn filter<P: AppearsOn<QS, SqlType: BoolLike> + NonAggregate + BoxedPart<DB> + 'a>(
        mut self,
        predicate: P,
    ) -> Self {
        self.add_condition(Box::new(predicate), false);
        self
    }

    /// Adds a WHERE condition joined with OR to the ones before it.
    pub fn or_filter<P: AppearsOn<QS, SqlType: BoolLike> + NonAggregate + BoxedPart<DB> + 'a>(
        mut self,
        predicate: P,
    ) -> Self {
        self.add_condition(Box::new(predicate), true);
        self
    }

    /// Replaces the sort keys.
    pub fn order<O: AppearsOn<QS> + BoxedPart<DB> + 'a>(mut self, order: O) -> Self
    where
        O: ValidGrouping<G, Kind: NotMixed + NoUngroupedColumn + NotNested>,
    {
        self.order = vec![Box::new(order)];
        self
    }

    /// The same as [`order`](BoxedSelectStatement::order).
    pub fn order_by<O: AppearsOn<QS> + BoxedPart<DB> + 'a>(self, order: O) -> Self
    where
        O: ValidGrouping<G, Kind: NotMixed + NoUngroupedColumn + NotNested>,
    {
        self.order(order)
    }

    /// Appends a sort key after those already set.
    pub fn then_order_by<O: AppearsOn<QS> + BoxedPart<DB> + 'a>(mut self, order: O) -> Self
    where
        O: ValidGrouping<G, Kind: NotMixed + NoUngroupedColumn + NotNested>,
    {
        self.order.push(Box::new(order));
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Self {
        self.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Self {
        self.offset = Some(n);
        self
    }

    /// The statement with another select clause (and SQL type and grouping state), unchecked: for the
    /// `select` methods, which check it.
    fn replace_select<ST2, G2>(self, select: Fragment<'a>) -> BoxedSelectStatement<'a, ST2, QS, DB, G2, Lk> {
        let mut q = self.retyped();
        q.select = select;
        q
    }

    /// The same clauses under other type parameters, unchecked: for the callers, which check them.
    fn retyped<ST2, G2, Lk2>(self) -> BoxedSelectStatement<'a, ST2, QS, DB, G2, Lk2> {
        BoxedSelectStatement {
            with: self.with,
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
            set_before_grouping: self.set_before_grouping,
            types: PhantomData,
        }
    }
}

impl<'a, ST, QS, DB, Lk> BoxedSelectStatement<'a, ST, QS, DB, NoGroupBy, Lk> {
    /// `GROUP BY expr` after boxing. The select clause is checked against the grouping where it is
    /// given, so it must be given again after this (`.group_by(..).select(..)`): the query does not run
    /// before. An ORDER BY or DISTINCT added before this call was checked without the grouping: the query
    /// then refuses to run (an `Err` saying so); add them after `select`. A query boxed after a row lock
    /// cannot be grouped (a compile error: grouped rows cannot be locked).
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }
    /// use quarry::dsl::count_star;
    /// let mut q = posts::table.into_boxed();
    /// q = q.filter(posts::id.gt(0));
    /// let q = q.group_by(posts::user_id).select((posts::user_id, count_star())).order(posts::user_id);
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "posts"."user_id", COUNT(*) FROM "posts" WHERE "posts"."id" > ? GROUP BY "posts"."user_id" ORDER BY "posts"."user_id""#
    /// );
    /// ```
    pub fn group_by<E>(mut self, expr: E) -> BoxedSelectStatement<'a, ST, QS, DB, Regrouped<E>, Lk>
    where
        E: AppearsOn<QS> + NonAggregate + BoxedPart<DB> + 'a,
        Lk: super::lock::NotLocked<crate::expression::GroupBy<E>>,
    {
        let before = [(!self.order.is_empty(), "an ORDER BY"), (self.distinct.is_some(), "a DISTINCT")];
        self.set_before_grouping = self.set_before_grouping.or(before.iter().find(|b| b.0).map(|b| b.1));
        self.group_by = Some(Box::new(crate::expression::GroupBy(expr)));
        let select = std::mem::replace(&mut self.select, Box::new(crate::expression::NoArguments));
        self.replace_select(select)
    }
}

/// A boxed query without a lock as the type of one boxed after a lock (whose rules only take abilities
/// away), so that a lock chosen at run time gives one type:
/// `if lock { q.for_update().into_boxed() } else { q.into_boxed().into() }`.
impl<'a, ST, QS, DB, G> From<BoxedSelectStatement<'a, ST, QS, DB, G, super::NoLock>>
    for BoxedSelectStatement<'a, ST, QS, DB, G, super::lock::RowsLocked>
{
    fn from(q: BoxedSelectStatement<'a, ST, QS, DB, G, super::NoLock>) -> Self {
        q.retyped()
    }
}

/// The grouping state of a boxed query grouped after boxing by `E`, before its select clause is given
/// again: `.select(..)` checks it against `GROUP BY E`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Regrouped<E>(PhantomData<E>);

impl<'a, ST, QS, DB, E, Lk> BoxedSelectStatement<'a, ST, QS, DB, Regrouped<E>, Lk> {
    /// The select clause of a query grouped after boxing, checked against its GROUP BY.
    #[rustfmt::skip]
    pub fn select<S>(self, selection: S) -> BoxedSelectStatement<'a, S::SqlType, QS, DB, GroupBy<E>, Lk>
    where
        S: AppearsOn<QS> + SelectNullability<QS> + BoxedPart<DB> + 'a,
        S: ValidGrouping<GroupBy<E>, Kind: NotMixed + NoUngroupedColumn + NotNested>,
    {
        self.replace_select(Box::new(selection))
    }
}

/// The grouping states in which a boxed query's select clause has been checked: no GROUP BY, or one
/// whose select clause was given after it.
#[diagnostic::on_unimplemented(
    message = "this boxed query was grouped after boxing and has no select clause for its GROUP BY yet",
    label = "give it one: `.group_by(..).select(..)`"
)]
pub trait SettledGrouping {}
#[diagnostic::do_not_recommend]
impl SettledGrouping for NoGroupBy {}
#[diagnostic::do_not_recommend]
impl<E> SettledGrouping for crate::expression::GroupBy<E> {}

impl<'a, ST, QS, DB, G: SettledGrouping, Lk> BoxedSelectStatement<'a, ST, QS, DB, G, Lk> {
    /// Replaces the select clause: the rows become `selection`'s, checked against the query's tables and
    /// grouping as `select` on an unboxed query is.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.into_boxed().filter(users::id.gt(1)).select(users::name);
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."name" FROM "users" WHERE "users"."id" > ?"#
    /// );
    /// ```
    pub fn select<S>(self, selection: S) -> BoxedSelectStatement<'a, S::SqlType, QS, DB, G, Lk>
    where
        S: AppearsOn<QS> + SelectNullability<QS> + BoxedPart<DB> + 'a,
        S: ValidGrouping<G, Kind: NotMixed + NoUngroupedColumn + NotNested>,
        Lk: super::lock::StaysLockable<super::SelectClause<S>>,
    {
        self.replace_select(Box::new(selection))
    }

    /// `COUNT(*)` in place of the select list: the rows the WHERE clause keeps (one count per group in a
    /// grouped query). The ORDER BY is dropped (it may name columns of the old select list); LIMIT,
    /// OFFSET and DISTINCT stay and apply as SQL says (to the count's one row).
    pub fn count(mut self) -> BoxedSelectStatement<'a, crate::sql_types::BigInt, QS, DB, G, Lk>
    where
        Lk: super::lock::StaysLockable<super::SelectClause<crate::expression::CountStar>>,
    {
        self.order.clear();
        self.select(crate::expression::CountStar)
    }

    /// Adds a HAVING condition (joined with AND to the ones before it); the query must be grouped.
    pub fn having<P>(mut self, condition: P) -> Self
    where
        G: crate::expression::HasGroupBy,
        P: AppearsOn<QS, SqlType: BoolLike> + super::query_dsl::HavingGrouping<G> + BoxedPart<DB> + 'a,
    {
        let condition: Fragment<'a> = Box::new(condition);
        self.having = Some(match self.having.take() {
            None => condition,
            Some(existing) => Box::new(Connective { left: existing, right: condition, or: false }),
        });
        self
    }
}

/// A condition or sort key added to a boxed query for `DB`: it must be SQL `DB` has (see [`RunsOn`]).
pub trait BoxedPart<DB> {}
impl<DB, P: RunsOn<DB>> BoxedPart<DB> for P {}

/// `left AND right` or `(left OR right)` between boxed conditions (of a boxed SELECT, UPDATE or DELETE).
pub(crate) struct Connective<'a> {
    pub(crate) left: Fragment<'a>,
    pub(crate) right: Fragment<'a>,
    pub(crate) or: bool,
}

impl QueryFragment for Connective<'_> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        if self.or {
            out.push_sql("(");
        }
        self.left.walk(out)?;
        out.push_sql(if self.or { " OR " } else { " AND " });
        self.right.walk(out)?;
        if self.or {
            out.push_sql(")");
        }
        Ok(())
    }
}

impl<ST, QS, DB, G, Lk> QueryFragment for BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {
    fn has_with_clause(&self) -> bool {
        self.with.is_some()
    }

    fn has_recursive_with(&self) -> bool {
        self.with.as_ref().is_some_and(|with| with.has_recursive_with())
    }

    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        if let Some(what) = self.set_before_grouping {
            return Err(build_error(
                BuildErrorKind::Unsupported,
                format!(
                    "this boxed query was given {what} before `group_by`, unchecked against the grouping: add it after `.group_by(..).select(..)`"
                ),
            ));
        }
        if let Some(with) = &self.with {
            with.walk(out)?;
        }
        out.push_sql("SELECT ");
        if let Some(distinct) = &self.distinct {
            distinct.walk(out)?;
        }
        self.select.walk(out)?;
        out.push_sql(" FROM ");
        self.from.walk(out)?;
        if let Some(w) = &self.where_clause {
            out.push_sql(" WHERE ");
            w.walk(out)?;
        }
        if let Some(g) = &self.group_by {
            g.walk(out)?;
        }
        if let Some(h) = &self.having {
            out.push_sql(" HAVING ");
            h.walk(out)?;
        }
        for (i, o) in self.order.iter().enumerate() {
            out.push_sql(if i == 0 { " ORDER BY " } else { ", " });
            o.walk(out)?;
        }
        match (self.limit, self.offset) {
            (Some(l), _) => {
                out.push_sql(" LIMIT ");
                out.push_integer_literal(l);
            }
            (None, Some(_)) => out.push_unbounded_limit(),
            (None, None) => {}
        }
        if let Some(o) = self.offset {
            out.push_sql(" OFFSET ");
            out.push_integer_literal(o);
        }
        if let Some(lock) = &self.lock {
            lock.walk(out)?;
        }
        Ok(())
    }
}

impl<ST, QS, DB, G, Lk> QueryId for BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {
    type QueryId = ();
    // The clauses are chosen at run time: cached by SQL text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST, QS, DB, G, Lk> Query for BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {
    type SqlType = ST;
}

/// A clause of a statement, as the boxed statement keeps it: the condition of a WHERE, the keys of an ORDER
/// BY, or the whole DISTINCT or row-lock clause; `None` for none.
#[doc(hidden)]
pub trait BoxClause<'a> {
    /// The clause's content, if any.
    fn box_clause(self) -> Option<Fragment<'a>>;
}
impl<'a> BoxClause<'a> for super::NoWhere {
    fn box_clause(self) -> Option<Fragment<'a>> {
        None
    }
}
impl<'a, P: QueryFragment + 'a> BoxClause<'a> for super::Where<P> {
    fn box_clause(self) -> Option<Fragment<'a>> {
        Some(Box::new(self.0))
    }
}
impl<'a> BoxClause<'a> for super::NoOrder {
    fn box_clause(self) -> Option<Fragment<'a>> {
        None
    }
}
impl<'a, O: QueryFragment + 'a> BoxClause<'a> for super::OrderBy<O> {
    fn box_clause(self) -> Option<Fragment<'a>> {
        Some(Box::new(self.0))
    }
}

/// A LIMIT or OFFSET clause's value, as the boxed statement keeps it.
#[doc(hidden)]
pub trait BoxCount {
    /// The count, if any.
    fn count(&self) -> Option<i64>;
}
impl BoxCount for super::NoLimit {
    fn count(&self) -> Option<i64> {
        None
    }
}
impl BoxCount for super::Limit {
    fn count(&self) -> Option<i64> {
        Some(self.0)
    }
}
impl BoxCount for super::LimitOne {
    fn count(&self) -> Option<i64> {
        Some(1)
    }
}
impl BoxCount for super::NoOffset {
    fn count(&self) -> Option<i64> {
        None
    }
}
impl BoxCount for super::Offset {
    fn count(&self) -> Option<i64> {
        Some(self.0)
    }
}

impl<'a> BoxClause<'a> for super::NoDistinct {
    fn box_clause(self) -> Option<Fragment<'a>> {
        None
    }
}
impl<'a> BoxClause<'a> for super::NoLock {
    fn box_clause(self) -> Option<Fragment<'a>> {
        None
    }
}
impl<'a> BoxClause<'a> for super::Distinct {
    fn box_clause(self) -> Option<Fragment<'a>> {
        Some(Box::new(self))
    }
}
impl<'a, E: QueryFragment + 'a> BoxClause<'a> for super::DistinctOn<E> {
    fn box_clause(self) -> Option<Fragment<'a>> {
        Some(Box::new(self))
    }
}
impl<'a, M: super::lock::LockMode, W: super::lock::LockWait> BoxClause<'a> for super::lock::RowLock<M, W> {
    fn box_clause(self) -> Option<Fragment<'a>> {
        Some(Box::new(self))
    }
}

// Its parts were checked against `DB` when they were boxed or added. And not until a query grouped after boxing has its select clause again (checked here, where the
// statement runs, rather than in `RunnableQuery`, so that the message is this one).
impl<DB, ST, QS, G: SettledGrouping, Lk> RunsOn<DB> for BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {}

impl<'a> BoxClause<'a> for NoGroupBy {
    fn box_clause(self) -> Option<Fragment<'a>> {
        None
    }
}
impl<'a, E: QueryFragment + 'a> BoxClause<'a> for crate::expression::GroupBy<E> {
    fn box_clause(self) -> Option<Fragment<'a>> {
        Some(Box::new(self))
    }
}
impl<'a> BoxClause<'a> for super::clauses::NoHaving {
    fn box_clause(self) -> Option<Fragment<'a>> {
        None
    }
}
// The condition alone: the boxed statement writes ` HAVING ` before it, and `having` joins more to it.
impl<'a, P: QueryFragment + 'a> BoxClause<'a> for super::clauses::Having<P> {
    fn box_clause(self) -> Option<Fragment<'a>> {
        Some(Box::new(self.0))
    }
}
