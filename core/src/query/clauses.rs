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
        impl<DB> crate::backend::RunsOn<DB> for $name {}
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
    /// No row lock.
    NoLock;
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
pub trait OffsetClause: QueryFragment {
    /// True for a query with no OFFSET.
    const NONE: bool = false;
}
impl OffsetClause for NoOffset {
    const NONE: bool = true;
}
impl OffsetClause for Offset {}

/// The LIMIT a query has, for rendering LIMIT and OFFSET together.
#[doc(hidden)]
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

/// `DISTINCT ON (expr)` after SELECT (PostgreSQL): one row per value of `expr`, the first in ORDER BY order,
/// so the ORDER BY starts with `expr` (the server refuses it otherwise).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DistinctOn<E>(pub(crate) E);
impl<E: QueryFragment> QueryFragment for DistinctOn<E> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("DISTINCT ON (");
        self.0.walk(out)?;
        out.push_sql(") ");
        Ok(())
    }
}
impl<E: QueryId> QueryId for DistinctOn<E> {
    type QueryId = DistinctOn<E::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}
impl<DB: crate::backend::SupportsDistinctOn, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB>
    for DistinctOn<E>
{
}

/// Row locks: `SELECT .. FOR UPDATE [SKIP LOCKED | NOWAIT]` and the weaker modes.
pub mod lock {
    use std::marker::PhantomData;

    use crate::render::{AstPass, QueryFragment, QueryId};
    use crate::result::QueryResult;

    /// How strongly the selected rows are locked.
    #[doc(hidden)]
    pub trait LockMode: 'static {
        /// The clause, with its leading space.
        const SQL: &'static str;
    }
    /// What the query does about a row another transaction has locked.
    #[doc(hidden)]
    pub trait LockWait: 'static {
        /// The clause, with its leading space (empty: wait for the lock).
        const SQL: &'static str;
    }

    macro_rules! markers {
        ($trait:ident: $($(#[$meta:meta])* $name:ident $sql:literal;)*) => {$(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
            pub struct $name;
            impl $trait for $name {
                const SQL: &'static str = $sql;
            }
        )*};
    }
    markers! { LockMode:
        /// `FOR UPDATE`: the rows may be updated or deleted by this transaction alone.
        ForUpdate " FOR UPDATE";
        /// `FOR NO KEY UPDATE`: as `FOR UPDATE`, but lets other transactions insert rows referencing these.
        ForNoKeyUpdate " FOR NO KEY UPDATE";
        /// `FOR SHARE`: other transactions may read-lock the rows too, but not change them.
        ForShare " FOR SHARE";
        /// `FOR KEY SHARE`: only the rows' keys are protected.
        ForKeyShare " FOR KEY SHARE";
    }
    markers! { LockWait:
        /// Wait until the lock is released.
        Wait "";
        /// `SKIP LOCKED`: leave out the rows another transaction holds (job queues).
        SkipLocked " SKIP LOCKED";
        /// `NOWAIT`: fail at once (`DatabaseErrorKind::Locked`) if a row is held.
        NoWait " NOWAIT";
    }

    /// `FOR <M> [<W>]` at the end of a SELECT.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct RowLock<M, W>(PhantomData<(M, W)>);

    impl<M, W> RowLock<M, W> {
        pub(crate) fn new() -> Self {
            RowLock(PhantomData)
        }
    }
    impl<M: LockMode, W: LockWait> QueryFragment for RowLock<M, W> {
        fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
            out.push_sql(M::SQL);
            out.push_sql(W::SQL);
            Ok(())
        }
    }
    impl<M: LockMode, W: LockWait> QueryId for RowLock<M, W> {
        type QueryId = Self;
    }
    impl<DB: crate::backend::SupportsRowLocking, M, W> crate::backend::RunsOn<DB> for RowLock<M, W> {}

    /// A lock that `skip_locked()`/`no_wait()` may follow: one set with `for_update()` and the like.
    #[diagnostic::on_unimplemented(
        message = "`skip_locked` and `no_wait` say how a row lock waits, and this query locks no rows",
        label = "no `for_update()` (or `for_share()`, ..) before this",
        note = "write `.for_update().skip_locked()`"
    )]
    pub trait Waitable {
        /// The lock with `SKIP LOCKED`.
        type SkipLocked;
        /// The lock with `NOWAIT`.
        type NoWait;
        /// This lock, skipping held rows.
        fn skip_locked(self) -> Self::SkipLocked;
        /// This lock, failing on held rows.
        fn no_wait(self) -> Self::NoWait;
    }
    impl<M> Waitable for RowLock<M, Wait> {
        type SkipLocked = RowLock<M, SkipLocked>;
        type NoWait = RowLock<M, NoWait>;
        fn skip_locked(self) -> Self::SkipLocked {
            RowLock::new()
        }
        fn no_wait(self) -> Self::NoWait {
            RowLock::new()
        }
    }

    /// A query whose rows may be locked: PostgreSQL refuses FOR UPDATE and the like with DISTINCT, GROUP
    /// BY, an aggregate or a window function (the rows are not table rows), and on the nullable side of
    /// a LEFT JOIN; it skips the rows of a WITH query (a subquery in FROM), which is refused here too.
    #[diagnostic::on_unimplemented(
        message = "the rows of `{Self}` cannot be locked",
        label = "FOR UPDATE/FOR SHARE lock table rows: no DISTINCT, GROUP BY, aggregate, window function, LEFT JOIN or subquery in FROM",
        note = "lock the rows in a query of their own (`.for_update()` on the table, filtered), then group or join them"
    )]
    pub trait Lockable {}
    #[diagnostic::do_not_recommend]
    impl<T: crate::schema::Table> Lockable for T {}
    #[diagnostic::do_not_recommend]
    impl<T, N> Lockable for crate::query::Alias<T, N> {}

    #[diagnostic::do_not_recommend]
    impl<F: LockableFrom, S: LockableRows<crate::expression::NoGroupBy>, W, O, L, Of, H, Lk> Lockable
        for crate::query::SelectStatement<F, S, W, O, L, Of, super::NoDistinct, crate::expression::NoGroupBy, H, Lk>
    {
    }

    /// A FROM clause whose rows may all be locked: no LEFT JOIN (PostgreSQL cannot lock the nullable
    /// side's rows), no subquery in FROM (a WITH query's rows are not locked).
    #[doc(hidden)]
    pub trait LockableFrom {}
    impl<T: crate::schema::Table> LockableFrom for T {}
    impl<T, N> LockableFrom for crate::query::Alias<T, N> {}
    impl LockableFrom for crate::query::NoFromClause {}
    impl<L: LockableFrom, R: LockableFrom, On> LockableFrom for crate::query::Join<L, R, crate::query::Inner, On> {}
    // No impl for a subquery in FROM: it is written as a WITH query, whose rows PostgreSQL's FOR UPDATE
    // skips without a word, so a lock through one would lock nothing of it.

    /// A select clause (under GROUP BY `G`) whose rows are table rows: no aggregate, no window function.
    #[doc(hidden)]
    pub trait LockableRows<G> {}
    impl<G> LockableRows<G> for crate::query::DefaultSelect {}
    impl<G, E: crate::expression::ValidGrouping<G, Kind: RowKind>> LockableRows<G> for crate::query::SelectClause<E> {}

    /// The grouping kinds of expressions of one row: constants and plain columns.
    #[doc(hidden)]
    pub trait RowKind {}
    impl RowKind for crate::expression::kind::Constant {}
    impl<C> RowKind for crate::expression::kind::Plain<C> {}

    /// What may follow a row lock (`Self`), checked by `select` and `inner_join` after `for_update()`: a
    /// select clause of table rows, an inner join of a table.
    #[diagnostic::on_unimplemented(
        message = "this query locks its rows (`for_update()` or the like), and `{Change}` would make them rows that cannot be locked",
        label = "FOR UPDATE/FOR SHARE lock table rows: no DISTINCT, GROUP BY, aggregate, window function, LEFT JOIN or subquery in FROM",
        note = "lock the rows in a query of their own (`.for_update()` on the table, filtered), then group or join them"
    )]
    pub trait StaysLockable<Change> {}
    #[diagnostic::do_not_recommend]
    impl<Change> StaysLockable<Change> for super::NoLock {}
    #[diagnostic::do_not_recommend]
    impl<M, W, E: crate::expression::ValidGrouping<crate::expression::NoGroupBy, Kind: RowKind>>
        StaysLockable<crate::query::SelectClause<E>> for RowLock<M, W>
    {
    }

    /// The changes that cannot follow a row lock at all (DISTINCT, GROUP BY, a LEFT JOIN): `Self` is no
    /// lock.
    #[diagnostic::on_unimplemented(
        message = "this query locks its rows (`for_update()` or the like), and `{Change}` would make them rows that cannot be locked",
        label = "FOR UPDATE/FOR SHARE lock table rows: no DISTINCT, GROUP BY, aggregate, window function, LEFT JOIN or subquery in FROM",
        note = "lock the rows in a query of their own (`.for_update()` on the table, filtered), then group or join them"
    )]
    pub trait NotLocked<Change> {}
    #[diagnostic::do_not_recommend]
    impl<Change> NotLocked<Change> for super::NoLock {}

    /// An inner join of source `Src`, as a change [`StaysLockable`] checks after a row lock: no subquery
    /// in FROM.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct Joining<Src>(PhantomData<Src>);
    #[diagnostic::do_not_recommend]
    impl<M, W, Src: LockableFrom> StaysLockable<Joining<Src>> for RowLock<M, W> {}

    /// A LEFT JOIN, as a change [`NotLocked`] refuses after a row lock.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct LeftJoin;

    /// The lock state a boxed query keeps in its type (the last parameter of
    /// [`BoxedSelectStatement`](crate::query::BoxedSelectStatement)): [`NoLock`](super::NoLock), or
    /// [`RowsLocked`] whatever the lock's mode, so that `select`, `count` and `group_by` after boxing
    /// follow the rules they follow before.
    #[doc(hidden)]
    pub trait BoxedLock {
        /// `NoLock` or `RowsLocked`.
        type State;
    }
    impl BoxedLock for super::NoLock {
        type State = super::NoLock;
    }
    impl<M, W> BoxedLock for RowLock<M, W> {
        type State = RowsLocked;
    }

    /// The lock state of a boxed query boxed after `for_update()` (or another lock mode): a type such as
    /// `users::BoxedQuery<'a, Pg, users::SqlType, RowsLocked>` names it. A boxed query without a lock
    /// converts to it with `.into()`, for a lock chosen at run time:
    /// `if lock { q.for_update().into_boxed() } else { q.into_boxed().into() }`.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct RowsLocked;
    #[diagnostic::do_not_recommend]
    impl<E: crate::expression::ValidGrouping<crate::expression::NoGroupBy, Kind: RowKind>>
        StaysLockable<crate::query::SelectClause<E>> for RowsLocked
    {
    }
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
#[doc(hidden)]
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

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, P: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Where<P> {}
impl<DB, O: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for OrderBy<O> {}
impl<DB> crate::backend::RunsOn<DB> for Limit {}
impl<DB> crate::backend::RunsOn<DB> for LimitOne {}
impl<DB> crate::backend::RunsOn<DB> for Offset {}
impl<DB> crate::backend::RunsOn<DB> for Distinct {}
impl<DB> crate::backend::RunsOn<DB> for crate::expression::NoGroupBy {}
impl<DB, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for crate::expression::GroupBy<E> {}
impl<DB, P: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Having<P> {}
