//! `QueryDsl`: the methods that build a SELECT (`select`, `filter`, `order`, `limit`, ...).
//!
//! Each method checks its argument once, against the tables of the FROM clause and the SQL types, and
//! returns a statement type that names no failing trait, so a mistake is reported once, where it is made.

use super::boxed::{BoxClause, BoxCount, BoxedSelectStatement, Parts as BoxParts};
use super::clauses::lock::{self, RowLock};
use super::clauses::{Distinct, DistinctOn, HavingClause, Limit, LimitOne, Offset, OrderBy, OrderClause, WhereClause};
use super::find::{FindBy, PrimaryKeyValue};
use super::join::{Inner, Join, JoinCheck, JoinSource, LeftOuter, join};
use super::select_statement::{NoGroupByYet, RunnableGrouping, SelectClauseFor, SelectGrouping};
use super::select_statement::{SelectClause, SelectStatement};
use crate::backend::RunsOn;
use crate::expression::{
    AppearsOn, CountStar, GroupBy, HasGroupBy, NoUngroupedColumn, NoWindow, NonAggregate, NotMixed, NotNested,
    SelectNullability, ValidGrouping,
};
use crate::render::{QueryFragment, QueryId};
use crate::schema::QuerySource;
use crate::schema::Table;
use crate::sql_types::BoolLike;

/// The statement `Q` becomes with its select clause replaced by `S`.
pub type Selected<Q, S> = SelectStatement<
    <Q as QueryDsl>::From,
    S,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;
/// The statement `Q` becomes with its WHERE clause replaced by `W`.
pub type Filtered<Q, W> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    W,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;
/// The statement `Q` becomes with GROUP BY clause `G`.
pub type Grouped<Q, G> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    G,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;
/// The statement `Q` becomes with HAVING clause `H`.
pub type WithHaving<Q, H> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    H,
    <Q as QueryDsl>::Lock,
>;
/// The statement `Q` becomes when `S` is joined to it with `On`.
pub type Joined<Q, S, K, On> = SelectStatement<
    Join<<Q as QueryDsl>::From, S, K, On>,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;
/// The boxed form of query `Q`, for backend `DB`.
pub type Boxed<'a, Q, DB> = BoxedSelectStatement<
    'a,
    <<<Q as QueryDsl>::Selection as SelectClauseFor<<Q as QueryDsl>::From>>::Selection as crate::expression::Expression>::SqlType,
    <Q as QueryDsl>::From,
    DB,
    <Q as QueryDsl>::GroupBy,
    <<Q as QueryDsl>::Lock as lock::BoxedLock>::State,
>;
/// The statement `Q.select(S)` gives.
pub type SelectedBy<Q, S> = Selected<Q, SelectClause<S>>;
/// The statement `Q.filter(P)` gives.
pub type FilteredBy<Q, P> = Filtered<Q, <<Q as QueryDsl>::Where as WhereClause>::And<P>>;
/// The statement `Q.or_filter(P)` gives.
pub type OrFilteredBy<Q, P> = Filtered<Q, <<Q as QueryDsl>::Where as WhereClause>::Or<P>>;
/// The statement `Q.find(V)` gives.
pub type Found<Q, V> =
    Filtered<Q, <<Q as QueryDsl>::Where as WhereClause>::And<FindBy<<<Q as QueryDsl>::From as Table>::PrimaryKey, V>>>;
/// The statement `Q` becomes with its ORDER BY clause replaced by `O`.
pub type Ordered<Q, O> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    O,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;
/// The statement `Q` becomes with its LIMIT replaced by `L`.
pub type Limited<Q, L> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    L,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;
/// The statement `Q` becomes with its OFFSET replaced by `Of`.
pub type WithOffset<Q, Of> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    Of,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;

/// The statement `Q` becomes with DISTINCT clause `D`.
pub type WithDistinct<Q, D> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    D,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    <Q as QueryDsl>::Lock,
>;
/// The statement `Q` becomes with row lock `Lk`.
pub type Locked<Q, Lk> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Selection,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::GroupBy,
    <Q as QueryDsl>::Having,
    Lk,
>;

/// A WHERE condition: a boolean expression with no aggregate. Its columns are checked against the FROM
/// clause when the statement runs, or against the outer query's too when it is a subquery (see
/// [`RunnableQuery`](super::RunnableQuery)).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a WHERE condition: it must be a boolean expression with no aggregate or window function",
    label = "aggregates and window functions are computed after WHERE filters the rows",
    note = "filter groups with `.group_by(..).having(..)`, a window's result through a subquery in FROM"
)]
pub trait Condition: NonAggregate + QueryFragment + QueryId {}
impl<P> Condition for P where P: NonAggregate<SqlType: BoolLike> + QueryFragment + QueryId {}

/// A HAVING condition's grouping: grouped columns and aggregates, no window function.
pub trait HavingGrouping<G> {}
impl<G, P: ValidGrouping<G, Kind: NoUngroupedColumn + NoWindow + NotNested>> HavingGrouping<G> for P {}

/// The row-lock methods after `for_update`, each setting its lock mode (see `for_update` for the rules).
macro_rules! locks {
    ($($(#[$doc:meta])* $method:ident => $mode:ident;)*) => {$(
        $(#[$doc])*
        #[rustfmt::skip]
        fn $method(self) -> Locked<Self, RowLock<lock::$mode, lock::Wait>> where Self: lock::Lockable {
            self.into_select().map_lock(|_| RowLock::new())
        }
    )*};
}

/// The methods that build a SELECT; implemented by tables and by SELECT statements.
pub trait QueryDsl: Sized {
    /// The FROM clause.
    type From;
    /// The select clause.
    type Selection;
    /// The WHERE clause.
    type Where: WhereClause;
    /// The ORDER BY clause.
    type Order: OrderClause;
    /// The LIMIT clause.
    type Limit;
    /// The OFFSET clause.
    type Offset;
    /// DISTINCT or not.
    type Distinct;
    /// The GROUP BY clause.
    type GroupBy;
    /// The HAVING clause.
    type Having: HavingClause;
    /// The row lock (`FOR UPDATE`, ...), or none.
    type Lock;

    /// This query as a SELECT statement.
    fn into_select(
        self,
    ) -> SelectStatement<
        Self::From,
        Self::Selection,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        Self::GroupBy,
        Self::Having,
        Self::Lock,
    >;

    /// Replaces the select clause: a column, a tuple of expressions, or `T::as_select()`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select((users::id, users::name.concat("!")));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id", ("users"."name" || ?) FROM "users""#
    /// );
    /// ```
    fn select<S: AppearsOn<Self::From> + SelectNullability<Self::From>>(self, selection: S) -> SelectedBy<Self, S>
    where
        S: ValidGrouping<Self::GroupBy, Kind: NotMixed + NoUngroupedColumn + NotNested>,
        Self::Lock: lock::StaysLockable<SelectClause<S>>,
    {
        self.into_select().map_select(|_| SelectClause(selection))
    }

    /// Adds a WHERE condition; repeated calls are joined with AND.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select(users::id).filter(users::id.gt(1)).filter(users::name.like("A%"));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."name" LIKE ? -- binds: [1, "A%"]"#
    /// );
    /// ```
    fn filter<P: Condition>(self, predicate: P) -> FilteredBy<Self, P> {
        self.into_select().map_where_clause(|w| w.and(predicate))
    }

    /// Adds a WHERE condition joined with OR to the ones before it.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select(users::id).filter(users::id.eq(1)).or_filter(users::id.eq(2));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE ("users"."id" = ? OR "users"."id" = ?)"#
    /// );
    /// ```
    fn or_filter<P: Condition>(self, p: P) -> OrFilteredBy<Self, P> {
        self.into_select().map_where_clause(|w| w.or(p))
    }

    /// Filters on the primary key: one value, or a tuple for a composite key.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.find(7);
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = ?"#
    /// );
    /// ```
    fn find<V: PrimaryKeyValue<<Self::From as Table>::PrimaryKey>>(self, key: V) -> Found<Self, V>
    where
        Self::From: Table,
    {
        let q = self.into_select();
        let pk = q.from.primary_key();
        q.map_where_clause(|w| w.and(FindBy::new(pk, key)))
    }

    /// Sets ORDER BY: an expression, `expr.asc()`/`expr.desc()`, or a tuple of them.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select(users::id).order((users::name.asc(), users::id.desc()));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" ORDER BY "users"."name" ASC, "users"."id" DESC"#
    /// );
    /// ```
    fn order<O: AppearsOn<Self::From>>(self, order: O) -> Ordered<Self, OrderBy<O>>
    where
        O: ValidGrouping<Self::GroupBy, Kind: NotMixed + NoUngroupedColumn + NotNested>,
    {
        self.into_select().map_order(|_| OrderBy(order))
    }

    /// The same as [`order`](QueryDsl::order).
    fn order_by<O: AppearsOn<Self::From>>(self, order: O) -> Ordered<Self, OrderBy<O>>
    where
        O: ValidGrouping<Self::GroupBy, Kind: NotMixed + NoUngroupedColumn + NotNested>,
    {
        self.order(order)
    }

    /// Appends sort keys after those already set.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select(users::id).order_by(users::name).then_order_by(users::id.desc());
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" ORDER BY "users"."name", "users"."id" DESC"#
    /// );
    /// ```
    fn then_order_by<O: AppearsOn<Self::From>>(self, order: O) -> Ordered<Self, <Self::Order as OrderClause>::Then<O>>
    where
        O: ValidGrouping<Self::GroupBy, Kind: NotMixed + NoUngroupedColumn + NotNested>,
    {
        self.into_select().map_order(|o| o.then(order))
    }

    /// `LIMIT n`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select(users::id).limit(10).offset(20);
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" LIMIT 10 OFFSET 20"#
    /// );
    /// ```
    fn limit(self, n: i64) -> Limited<Self, Limit> {
        self.into_select().map_limit(|_| Limit(n))
    }

    /// `LIMIT 1`, as `first()` uses it.
    fn limit_one(self) -> Limited<Self, LimitOne> {
        self.into_select().map_limit(|_| LimitOne)
    }

    /// `OFFSET n` (with `LIMIT -1` before it on SQLite when no limit is set).
    fn offset(self, n: i64) -> WithOffset<Self, Offset> {
        self.into_select().map_offset(|_| Offset(n))
    }

    /// `SELECT DISTINCT`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select(users::name).distinct();
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT DISTINCT "users"."name" FROM "users""#
    /// );
    /// ```
    fn distinct(
        self,
    ) -> SelectStatement<
        Self::From,
        Self::Selection,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Distinct,
        Self::GroupBy,
        Self::Having,
        Self::Lock,
    >
    where
        Self::Lock: lock::NotLocked<Distinct>,
    {
        self.into_select().map_distinct(|_| Distinct)
    }

    /// `SELECT DISTINCT ON (expr)` (PostgreSQL only: on another backend the query does not compile): one row
    /// per value of `expr` (a column or a tuple), the first in ORDER BY order; order by `expr` first.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
    /// // Each author's latest post.
    /// let q = posts::table.distinct_on(posts::user_id).order((posts::user_id, posts::id.desc()));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::pg::Pg, _>(&q).sql().unwrap(),
    ///     r#"SELECT DISTINCT ON ("posts"."user_id") "posts"."id", "posts"."user_id", "posts"."title" FROM "posts" ORDER BY "posts"."user_id", "posts"."id" DESC"#
    /// );
    /// ```
    fn distinct_on<E>(self, expr: E) -> WithDistinct<Self, DistinctOn<E>>
    where
        E: AppearsOn<Self::From> + NonAggregate,
        Self::Lock: lock::NotLocked<DistinctOn<E>>,
    {
        self.into_select().map_distinct(|_| DistinctOn(expr))
    }

    /// `FOR UPDATE`: locks the selected rows until the transaction ends, so no other transaction changes
    /// them meanwhile (PostgreSQL; SQLite locks the whole database and has no row locks, so there the query
    /// does not compile). Follow it with [`skip_locked`](QueryDsl::skip_locked) for a job queue. The rows
    /// locked are table rows: a query with DISTINCT, GROUP BY, an aggregate or window function, or a LEFT
    /// JOIN does not compile with a lock (PostgreSQL refuses them), before or after `for_update()`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { jobs (id) { id -> Integer, done -> Bool, } }
    /// let next = jobs::table.filter(jobs::done.eq(false)).order(jobs::id).limit(1).for_update().skip_locked();
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::pg::Pg, _>(&next).sql().unwrap(),
    ///     r#"SELECT "jobs"."id", "jobs"."done" FROM "jobs" WHERE "jobs"."done" = $1 ORDER BY "jobs"."id" LIMIT 1 FOR UPDATE SKIP LOCKED"#
    /// );
    /// ```
    #[rustfmt::skip]
    fn for_update(self) -> Locked<Self, RowLock<lock::ForUpdate, lock::Wait>> where Self: lock::Lockable {
        self.into_select().map_lock(|_| RowLock::new())
    }

    locks! {
        /// `FOR NO KEY UPDATE`: as [`for_update`](QueryDsl::for_update), but other transactions may still
        /// insert rows whose foreign key references the locked ones.
        for_no_key_update => ForNoKeyUpdate;
        /// `FOR SHARE`: other transactions may read and share-lock the rows, not change them.
        for_share => ForShare;
        /// `FOR KEY SHARE`: the weakest lock; only changes to the rows' keys are blocked.
        for_key_share => ForKeyShare;
    }

    /// `SKIP LOCKED` after a row lock: rows another transaction holds are left out instead of waited for.
    fn skip_locked(self) -> Locked<Self, <Self::Lock as lock::Waitable>::SkipLocked>
    where
        Self::Lock: lock::Waitable,
    {
        self.into_select().map_lock(lock::Waitable::skip_locked)
    }

    /// `NOWAIT` after a row lock: a row another transaction holds makes the query fail at once, with
    /// [`DatabaseErrorKind::Locked`](crate::result::DatabaseErrorKind::Locked).
    fn no_wait(self) -> Locked<Self, <Self::Lock as lock::Waitable>::NoWait>
    where
        Self::Lock: lock::Waitable,
    {
        self.into_select().map_lock(lock::Waitable::no_wait)
    }

    /// `GROUP BY expr` (a column or a tuple of them). The select list may then hold only grouped columns,
    /// columns of a table grouped by its primary key, and aggregates.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
    /// use quarry::dsl::count_star;
    /// let q = posts::table.group_by(posts::user_id).select((posts::user_id, count_star())).having(count_star().gt(1));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id" HAVING COUNT(*) > ? -- binds: [1]"#
    /// );
    /// ```
    fn group_by<E>(self, expr: E) -> Grouped<Self, GroupBy<E>>
    where
        Self::GroupBy: NoGroupByYet,
        E: AppearsOn<Self::From> + NonAggregate,
        Self::Selection: SelectGrouping<Self::From, GroupBy<E>>,
        Self::Lock: lock::NotLocked<GroupBy<E>>,
    {
        self.into_select().map_group_by(|_| GroupBy(expr))
    }

    /// `HAVING condition`, over groups: needs a GROUP BY; repeated calls are joined with AND.
    fn having<P>(self, condition: P) -> WithHaving<Self, <Self::Having as HavingClause>::And<P>>
    where
        Self::GroupBy: HasGroupBy,
        P: AppearsOn<Self::From, SqlType: BoolLike> + HavingGrouping<Self::GroupBy>,
    {
        self.into_select().map_having(|h| h.and(condition))
    }

    /// Boxes the query so that filters and sort keys can be added at run time (in branches and loops),
    /// still checked against the query's tables. Call it after `select`, joins and `group_by`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let mut q = users::table.into_boxed();
    /// for name in ["Ann", "Bo"] {
    ///     q = q.or_filter(users::name.eq(name));
    /// }
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q.limit(5)).sql().unwrap(),
    ///     r#"SELECT "users"."id", "users"."name" FROM "users" WHERE ("users"."name" = ? OR "users"."name" = ?) LIMIT 5"#
    /// );
    /// ```
    fn into_boxed<'a, DB>(self) -> Boxed<'a, Self, DB>
    where
        Self::From: QuerySource + Clone + RunsOn<DB> + 'a,
        Self::Selection: SelectClauseFor<Self::From> + RunnableGrouping<Self::From, Self::GroupBy> + RunsOn<DB> + 'a,
        Self::Where: BoxClause<'a> + RunsOn<DB>,
        Self::Order: BoxClause<'a> + RunsOn<DB>,
        Self::Limit: BoxCount,
        Self::Offset: BoxCount,
        Self::Distinct: BoxClause<'a> + RunsOn<DB>,
        Self::GroupBy: BoxClause<'a> + RunsOn<DB>,
        Self::Having: BoxClause<'a> + RunsOn<DB>,
        Self::Lock: BoxClause<'a> + RunsOn<DB> + lock::BoxedLock,
    {
        let q = self.into_select();
        let with = BoxParts::with(&q.from);
        let from = BoxParts::from(&q.from);
        let select = BoxParts::select(&q.from, q.select);
        BoxedSelectStatement::new(BoxParts {
            with,
            from,
            select,
            distinct: q.distinct.box_clause(),
            where_clause: q.where_clause.box_clause(),
            group_by: q.group_by.box_clause(),
            having: q.having.box_clause(),
            order: q.order.box_clause(),
            limit: q.limit.count(),
            offset: q.offset.count(),
            lock: q.lock.box_clause(),
        })
    }

    /// `INNER JOIN`s `rhs`: a table related to this query's first table by `joinable!`, or
    /// `table.on(condition)`. Without a select clause the query then reads one group of columns per table.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
    /// # quarry::joinable!(posts -> users (user_id));
    /// # quarry::allow_tables_to_appear_in_same_query!(users, posts);
    /// let q = users::table.inner_join(posts::table).select((users::name, posts::title));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id""#
    /// );
    /// ```
    #[rustfmt::skip]
    fn inner_join<R: JoinCheck<Self::From>>(self, rhs: R) -> Joined<Self, R::Source, Inner, R::On<Self::From>> where Self::From: JoinSource, Self::Lock: lock::StaysLockable<lock::Joining<R::Source>> {
        self.into_select().map_from(|from| join::<_, _, Inner>(from, rhs))
    }

    /// `LEFT OUTER JOIN`s `rhs`: like [`inner_join`](QueryDsl::inner_join), but the right side's columns
    /// are NULL where no row matched, so they are selected with `.nullable()` and read into `Option`s.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
    /// # quarry::joinable!(posts -> users (user_id));
    /// # quarry::allow_tables_to_appear_in_same_query!(users, posts);
    /// let q = users::table.left_join(posts::table).select((users::name, posts::title.nullable()));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."name", "posts"."title" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."user_id" = "users"."id""#
    /// );
    /// ```
    #[rustfmt::skip]
    fn left_join<R: JoinCheck<Self::From>>(self, rhs: R) -> Joined<Self, R::Source, LeftOuter, R::On<Self::From>> where Self::From: JoinSource, Self::Lock: lock::NotLocked<lock::LeftJoin> {
        self.into_select().map_from(|from| join::<_, _, LeftOuter>(from, rhs))
    }

    /// The same as [`left_join`](QueryDsl::left_join).
    #[rustfmt::skip]
    fn left_outer_join<R: JoinCheck<Self::From>>(self, rhs: R) -> Joined<Self, R::Source, LeftOuter, R::On<Self::From>> where Self::From: JoinSource, Self::Lock: lock::NotLocked<lock::LeftJoin> {
        self.left_join(rhs)
    }

    /// `SELECT COUNT(*)` over the rows this query would return; read it as `i64`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.filter(users::name.eq("Ann")).count();
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT COUNT(*) FROM "users" WHERE "users"."name" = ?"#
    /// );
    /// ```
    fn count(self) -> Selected<Self, SelectClause<CountStar>>
    where
        Self::Lock: lock::StaysLockable<SelectClause<CountStar>>,
    {
        self.select(CountStar)
    }
}

impl<F, S, W: WhereClause, O: OrderClause, L, Of, D, G, H: HavingClause, Lk> QueryDsl
    for SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
{
    type From = F;
    type Selection = S;
    type Where = W;
    type Order = O;
    type Limit = L;
    type Offset = Of;
    type Distinct = D;
    type GroupBy = G;
    type Having = H;
    type Lock = Lk;

    fn into_select(self) -> Self {
        self
    }
}

/// The body of `QueryDsl` for a FROM source (a table, an alias, a derived table): a query starts as
/// `SELECT <its columns> FROM <it>` with every other clause empty.
macro_rules! starts_a_select {
    () => {
        type From = Self;
        type Selection = $crate::query::DefaultSelect;
        type Where = $crate::query::NoWhere;
        type Order = $crate::query::NoOrder;
        type Limit = $crate::query::NoLimit;
        type Offset = $crate::query::NoOffset;
        type Distinct = $crate::query::NoDistinct;
        type GroupBy = $crate::expression::NoGroupBy;
        type Having = $crate::query::NoHaving;
        type Lock = $crate::query::NoLock;

        fn into_select(self) -> $crate::query::SelectStatement<Self, $crate::query::DefaultSelect> {
            $crate::query::SelectStatement::simple(self)
        }
    };
}
pub(crate) use starts_a_select;

impl<T: Table> QueryDsl for T {
    starts_a_select!();
}
