//! Window functions: `row_number().partition_by(posts::user_id).window_order(posts::id.desc())`, every
//! aggregate as a window (`count(posts::id).over()`, `sum(..).window_order(..).frame_by(..)`), with
//! Diesel 2.3's spelling.
//!
//! A window function is an expression only once it has its window ([`WindowExpressionMethods`]); its
//! grouping kind is [`kind::Window`](super::kind::Window) of its arguments' and keys' kinds, so it
//! stands in SELECT and ORDER BY under the usual grouping rules, never in WHERE or GROUP BY (it is not
//! [`NonAggregate`](super::NonAggregate)) nor in HAVING ([`NoWindow`](super::grouping::NoWindow)).

use super::aggregates::{Avg, Count, CountStar, Max, Min, Sum};
use super::grouping::kind::Constant;
use super::{AppearsOn, Combine, Expression, NoGroupBy, Operand, SelectNullability, ValidGrouping};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::{BigInt, BoolLike, Double, Integer, IntoNullable};

/// A function that can be computed over a window: a built-in window function or an aggregate.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a window function",
    label = "`over`, `partition_by`, `window_order` and `frame_by` apply to window functions and aggregates"
)]
#[doc(hidden)]
pub trait WindowFunction: QueryFragment + QueryId {
    /// The SQL type of its value.
    type SqlType;
}

/// An aggregate used as a window function, which alone may take a FILTER clause.
#[diagnostic::on_unimplemented(
    message = "`window_filter` applies to aggregates, and `{Self}` is a built-in window function",
    label = "FILTER (WHERE ..) is for aggregates over a window"
)]
pub trait AggregateWindowFunction: WindowFunction {}

/// What the argument of `lag`, `lead`, `first_value`, `last_value` and `nth_value`, and a window's
/// `partition_by` and `window_order` keys, may hold: anything but a window function (an aggregate is fine
/// in a grouped query: the window runs over the groups).
#[diagnostic::on_unimplemented(
    message = "a window function's argument or window holds a window function, and SQL cannot nest them",
    label = "holds a window function",
    note = "compute the inner window in a subquery in FROM (`from_query`), then the outer one over its rows"
)]
pub trait WindowArgument {}
#[diagnostic::do_not_recommend]
impl<K: super::grouping::NoWindow> WindowArgument for K {}

/// The grouping kind of a window function's arguments, each computed per row (an aggregate over a
/// window aggregates the window's rows, not the query's groups).
#[doc(hidden)]
pub trait WindowArgs<G> {
    /// The kind.
    type Kind;
}

/// May the window function's arguments stand in a query on `QS`?
#[doc(hidden)]
pub trait WindowArgsAppearOn<QS> {}

macro_rules! aggregate_windows {
    ($($name:ident),*) => {$(
        impl<E> WindowFunction for $name<E> where $name<E>: Expression + QueryFragment + QueryId {
            type SqlType = <$name<E> as Expression>::SqlType;
        }
        #[diagnostic::do_not_recommend]
        impl<E> AggregateWindowFunction for $name<E> where $name<E>: Expression + QueryFragment + QueryId {}
        impl<G, E: ValidGrouping<G>> WindowArgs<G> for $name<E> {
            type Kind = E::Kind;
        }
        impl<QS, E: AppearsOn<QS>> WindowArgsAppearOn<QS> for $name<E> {}
        impl<DB, E> WindowRunsOn<DB> for $name<E> where $name<E>: RunsOn<DB> {}
    )*};
}
// Not `count_distinct`: no database computes DISTINCT over a window.
aggregate_windows!(Count, Sum, Avg, Min, Max);

impl WindowFunction for CountStar {
    type SqlType = BigInt;
}
#[diagnostic::do_not_recommend]
impl AggregateWindowFunction for CountStar {}
impl<G> WindowArgs<G> for CountStar {
    type Kind = Constant;
}
impl<QS> WindowArgsAppearOn<QS> for CountStar {}
impl<DB> WindowRunsOn<DB> for CountStar where CountStar: RunsOn<DB> {}

/// A built-in window function `K` (`ROW_NUMBER`, `LAG`, ..) applied to the arguments `A` (a tuple of
/// expressions, or [`NoArgs`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowCall<K, A> {
    kind: K,
    args: A,
}

/// The arguments of a window function that takes none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoArgs;

impl QueryFragment for NoArgs {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}
impl QueryId for NoArgs {
    type QueryId = NoArgs;
}
impl<G> WindowArgs<G> for NoArgs {
    type Kind = Constant;
}
impl<QS> WindowArgsAppearOn<QS> for NoArgs {}
impl<DB> RunsOn<DB> for NoArgs {}

/// A built-in window function's name and the SQL type it gives for arguments `A`.
#[doc(hidden)]
pub trait BuiltinWindow<A> {
    /// Its name in SQL.
    const NAME: &'static str;
    /// The SQL type of its value.
    type SqlType;
}

impl<K: BuiltinWindow<A> + QueryId, A: QueryFragment + QueryId> WindowFunction for WindowCall<K, A> {
    type SqlType = K::SqlType;
}
impl<K: BuiltinWindow<A>, A: QueryFragment> QueryFragment for WindowCall<K, A> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(K::NAME);
        out.push_sql("(");
        self.args.walk(out)?;
        out.push_sql(")");
        Ok(())
    }
}
impl<K: QueryId, A: QueryId> QueryId for WindowCall<K, A> {
    type QueryId = WindowCall<K::QueryId, A::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = K::HAS_STATIC_QUERY_ID && A::HAS_STATIC_QUERY_ID;
}
impl<G, K, A: WindowArgs<G>> WindowArgs<G> for WindowCall<K, A> {
    type Kind = A::Kind;
}
impl<QS, K, A: WindowArgsAppearOn<QS>> WindowArgsAppearOn<QS> for WindowCall<K, A> {}

/// Where a window function's own SQL runs, once it has its window: wherever its arguments' does.
#[doc(hidden)]
pub trait WindowRunsOn<DB> {}
impl<DB, K, A: RunsOn<DB>> WindowRunsOn<DB> for WindowCall<K, A> {}

/// A built-in window function is an expression (so that a select clause holding it type-checks), but
/// one that runs nowhere without its window: a statement holding `row_number()` alone fails to run
/// with [`NeedsAWindow`]'s message.
impl<K: BuiltinWindow<A>, A> Expression for WindowCall<K, A> {
    type SqlType = K::SqlType;
}
#[diagnostic::do_not_recommend]
impl<QS, K, A: WindowArgsAppearOn<QS>> AppearsOn<QS> for WindowCall<K, A> where
    Self: Expression + QueryFragment + QueryId
{
}
#[diagnostic::do_not_recommend]
impl<QS, K, A> SelectNullability<QS> for WindowCall<K, A> where Self: Expression {}
impl<G, K, A> ValidGrouping<G> for WindowCall<K, A>
where
    Self: Expression,
{
    type Kind = Constant;
}
impl<DB, K: NeedsAWindow, A> RunsOn<DB> for WindowCall<K, A> {}

/// Never implemented: the message for a window function used without its window.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a window function, used here without its window",
    label = "give it a window: `.over()`, `.partition_by(..)` or `.window_order(..)`"
)]
pub trait NeedsAWindow {}

// Arguments given as a tuple of expressions: their kinds and tables, as any tuple's.
macro_rules! tuple_window_args {
    ($($T:ident $idx:tt),+) => {
        impl<G, $($T),+> WindowArgs<G> for ($($T,)+) where ($($T,)+): ValidGrouping<G> {
            type Kind = <($($T,)+) as ValidGrouping<G>>::Kind;
        }
        impl<QS, $($T),+> WindowArgsAppearOn<QS> for ($($T,)+) where ($($T,)+): AppearsOn<QS> {}
    };
}
tuple_window_args!(T0 0);
tuple_window_args!(T0 0, T1 1);
tuple_window_args!(T0 0, T1 1, T2 2);

macro_rules! builtin_windows {
    ($($(#[$meta:meta])* $name:ident $sql:literal;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl QueryId for $name {
            type QueryId = $name;
        }
    )*};
}
builtin_windows! {
    /// `ROW_NUMBER()`.
    RowNumber "ROW_NUMBER";
    /// `RANK()`.
    Rank "RANK";
    /// `DENSE_RANK()`.
    DenseRank "DENSE_RANK";
    /// `PERCENT_RANK()`.
    PercentRank "PERCENT_RANK";
    /// `CUME_DIST()`.
    CumeDist "CUME_DIST";
    /// `NTILE(n)`.
    Ntile "NTILE";
    /// `LAG(..)`.
    Lag "LAG";
    /// `LEAD(..)`.
    Lead "LEAD";
    /// `FIRST_VALUE(..)`.
    FirstValue "FIRST_VALUE";
    /// `LAST_VALUE(..)`.
    LastValue "LAST_VALUE";
    /// `NTH_VALUE(..)`.
    NthValue "NTH_VALUE";
}

macro_rules! builtin_types {
    ($($name:ident $sql:literal [$($g:ident),*] [$($w:tt)*] $args:ty => $st:ty;)*) => {$(
        impl<$($g),*> BuiltinWindow<$args> for $name where $args: QueryFragment, $($w)* {
            const NAME: &'static str = $sql;
            type SqlType = $st;
        }
    )*};
}
// A value read from another row is NULL when that row is missing (outside the partition or the
// frame), so `lag`, `lead`, `first_value`, `last_value` and `nth_value` give the nullable type.
builtin_types! {
    RowNumber "ROW_NUMBER" [] [] NoArgs => BigInt;
    Rank "RANK" [] [] NoArgs => BigInt;
    DenseRank "DENSE_RANK" [] [] NoArgs => BigInt;
    PercentRank "PERCENT_RANK" [] [] NoArgs => Double;
    CumeDist "CUME_DIST" [] [] NoArgs => Double;
    Ntile "NTILE" [N] [] (Operand<Integer, N>,) => Integer;
    Lag "LAG" [E] [E: Expression<SqlType: IntoNullable>] (E,) => Nullable<E>;
    Lag "LAG" [E, N] [E: Expression<SqlType: IntoNullable>] (E, Operand<Integer, N>) => Nullable<E>;
    Lag "LAG" [E, N, D] [E: Expression<SqlType: IntoNullable>] (E, Operand<Integer, N>, D) => Nullable<E>;
    Lead "LEAD" [E] [E: Expression<SqlType: IntoNullable>] (E,) => Nullable<E>;
    Lead "LEAD" [E, N] [E: Expression<SqlType: IntoNullable>] (E, Operand<Integer, N>) => Nullable<E>;
    Lead "LEAD" [E, N, D] [E: Expression<SqlType: IntoNullable>] (E, Operand<Integer, N>, D) => Nullable<E>;
    FirstValue "FIRST_VALUE" [E] [E: Expression<SqlType: IntoNullable>] (E,) => Nullable<E>;
    LastValue "LAST_VALUE" [E] [E: Expression<SqlType: IntoNullable>] (E,) => Nullable<E>;
    NthValue "NTH_VALUE" [E, N] [E: Expression<SqlType: IntoNullable>] (E, Operand<Integer, N>) => Nullable<E>;
}

/// The nullable form of expression `E`'s SQL type.
type Nullable<E> = <<E as Expression>::SqlType as IntoNullable>::Nullable;

/// `ROW_NUMBER()`: the row's number in its partition, from 1. Give it a window
/// (`row_number().partition_by(..).window_order(..)`, or `.over()`); read it as `i64`.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }
/// use quarry::dsl::row_number;
/// let q = posts::table.select((posts::id, row_number().partition_by(posts::user_id).window_order(posts::id.desc())));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "posts"."id", ROW_NUMBER() OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" DESC) FROM "posts""#
/// );
/// ```
pub fn row_number() -> WindowCall<RowNumber, NoArgs> {
    WindowCall { kind: RowNumber, args: NoArgs }
}

/// `RANK()`: the row's rank in its partition by the window's order, with gaps after ties; `i64`.
pub fn rank() -> WindowCall<Rank, NoArgs> {
    WindowCall { kind: Rank, args: NoArgs }
}

/// `DENSE_RANK()`: the rank without gaps; `i64`.
pub fn dense_rank() -> WindowCall<DenseRank, NoArgs> {
    WindowCall { kind: DenseRank, args: NoArgs }
}

/// `PERCENT_RANK()`: `(rank - 1) / (rows in partition - 1)`, from 0 to 1; `f64`.
pub fn percent_rank() -> WindowCall<PercentRank, NoArgs> {
    WindowCall { kind: PercentRank, args: NoArgs }
}

/// `CUME_DIST()`: the fraction of the partition's rows up to the row's last peer; `f64`.
pub fn cume_dist() -> WindowCall<CumeDist, NoArgs> {
    WindowCall { kind: CumeDist, args: NoArgs }
}

/// `NTILE(buckets)`: the bucket, from 1 to `buckets`, the row falls in when the partition is cut into
/// that many as even as can be; `i32`.
pub fn ntile<N: super::AsExpression<Integer>>(buckets: N) -> WindowCall<Ntile, (Operand<Integer, N>,)> {
    WindowCall { kind: Ntile, args: (Operand::new(buckets),) }
}

/// `LAG(expr)`: `expr` on the row before, `None` on the partition's first row.
pub fn lag<E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>>(
    expr: E,
) -> WindowCall<Lag, (E,)> {
    WindowCall { kind: Lag, args: (expr,) }
}

/// `LAG(expr, offset)`: `expr` on the row `offset` rows before.
pub fn lag_with_offset<E, N>(expr: E, offset: N) -> WindowCall<Lag, (E, Operand<Integer, N>)>
where
    E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>,
    N: super::AsExpression<Integer>,
{
    WindowCall { kind: Lag, args: (expr, Operand::new(offset)) }
}

/// `LAG(expr, offset, default)`: `expr` on the row `offset` rows before, `default` where there is none.
pub fn lag_with_offset_and_default<E, N, D>(
    expr: E,
    offset: N,
    default: D,
) -> WindowCall<Lag, (E, Operand<Integer, N>, Operand<E::SqlType, D>)>
where
    E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>,
    N: super::AsExpression<Integer>,
    D: super::AsExpression<E::SqlType>,
{
    WindowCall { kind: Lag, args: (expr, Operand::new(offset), Operand::new(default)) }
}

/// `LEAD(expr)`: `expr` on the row after, `None` on the partition's last row.
pub fn lead<E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>>(
    expr: E,
) -> WindowCall<Lead, (E,)> {
    WindowCall { kind: Lead, args: (expr,) }
}

/// `LEAD(expr, offset)`: `expr` on the row `offset` rows after.
pub fn lead_with_offset<E, N>(expr: E, offset: N) -> WindowCall<Lead, (E, Operand<Integer, N>)>
where
    E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>,
    N: super::AsExpression<Integer>,
{
    WindowCall { kind: Lead, args: (expr, Operand::new(offset)) }
}

/// `LEAD(expr, offset, default)`: `expr` on the row `offset` rows after, `default` where there is none.
pub fn lead_with_offset_and_default<E, N, D>(
    expr: E,
    offset: N,
    default: D,
) -> WindowCall<Lead, (E, Operand<Integer, N>, Operand<E::SqlType, D>)>
where
    E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>,
    N: super::AsExpression<Integer>,
    D: super::AsExpression<E::SqlType>,
{
    WindowCall { kind: Lead, args: (expr, Operand::new(offset), Operand::new(default)) }
}

/// `FIRST_VALUE(expr)`: `expr` on the frame's first row (`None` for an empty frame).
pub fn first_value<E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>>(
    expr: E,
) -> WindowCall<FirstValue, (E,)> {
    WindowCall { kind: FirstValue, args: (expr,) }
}

/// `LAST_VALUE(expr)`: `expr` on the frame's last row; with the default frame that is the current row's
/// last peer, so give a frame (`frame_by`) to reach the partition's end.
pub fn last_value<E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>>(
    expr: E,
) -> WindowCall<LastValue, (E,)> {
    WindowCall { kind: LastValue, args: (expr,) }
}

/// `NTH_VALUE(expr, n)`: `expr` on the frame's `n`th row, from 1 (`None` when the frame is shorter).
pub fn nth_value<E, N>(expr: E, n: N) -> WindowCall<NthValue, (E, Operand<Integer, N>)>
where
    E: Expression<SqlType: IntoNullable> + ValidGrouping<NoGroupBy, Kind: WindowArgument>,
    N: super::AsExpression<Integer>,
{
    WindowCall { kind: NthValue, args: (expr, Operand::new(n)) }
}

/// A window function with its window: `F [FILTER (WHERE W)] OVER (PARTITION BY P ORDER BY O frame)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Over<F, P = NoPartition, O = NoWindowOrder, Fr = NoFrame, W = NoWindowFilter> {
    function: F,
    partition: P,
    order: O,
    frame: Fr,
    filter: W,
}

/// No PARTITION BY: the whole result is one partition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoPartition;
/// `PARTITION BY E` (a tuple for several keys).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartitionBy<E>(E);
/// No ORDER BY inside the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoWindowOrder;
/// `ORDER BY O` inside the window (`.desc()` and tuples as in `order`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowOrder<O>(O);
/// The default frame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoFrame;
/// No FILTER clause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoWindowFilter;
/// `FILTER (WHERE P)`: the aggregate reads only the window's rows where `P` holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowFilter<P>(P);

/// The SQL type of PARTITION BY keys: a value or a tuple of values, not a sort direction (`.desc()`).
#[diagnostic::on_unimplemented(
    message = "PARTITION BY takes values, and `{Self}` is not one",
    label = "partition by columns or expressions; `.asc()`/`.desc()` belong in `window_order`"
)]
pub trait PartitionKey {}
#[diagnostic::do_not_recommend]
impl<ST: crate::sql_types::SqlType> PartitionKey for ST {}
macro_rules! tuple_partition_keys {
    ($($T:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($T: PartitionKey),+> PartitionKey for ($($T,)+) {}
    };
}
crate::tuples::for_each_tuple!(tuple_partition_keys);

/// A part of a window that may be given once: the message when it is given twice.
#[diagnostic::on_unimplemented(
    message = "this part of the window is given twice: `{Self}`",
    label = "a window takes one PARTITION BY, one ORDER BY, one frame and one FILTER",
    note = "several keys go in one call as a tuple: `.partition_by((a, b))`"
)]
pub trait NotYetGiven<Part> {}
/// Names for [`NotYetGiven`]'s message.
pub mod part {
    /// PARTITION BY.
    #[derive(Debug)]
    pub struct PartitionSlot;
    /// ORDER BY.
    #[derive(Debug)]
    #[doc(hidden)]
    pub struct OrderSlot;
    /// Frame.
    #[derive(Debug)]
    #[doc(hidden)]
    pub struct FrameSlot;
    /// FILTER.
    #[derive(Debug)]
    #[doc(hidden)]
    pub struct FilterSlot;
}
#[diagnostic::do_not_recommend]
impl NotYetGiven<part::PartitionSlot> for NoPartition {}
#[diagnostic::do_not_recommend]
impl NotYetGiven<part::OrderSlot> for NoWindowOrder {}
#[diagnostic::do_not_recommend]
impl NotYetGiven<part::FrameSlot> for NoFrame {}
#[diagnostic::do_not_recommend]
impl NotYetGiven<part::FilterSlot> for NoWindowFilter {}

/// A window that does not have part `Part` yet (a bound on the window rather than on its slot, so that
/// the error quotes the slot's contents).
pub trait TakesPart<Part> {}
impl<T: IntoWindow<Partition: NotYetGiven<part::PartitionSlot>>> TakesPart<part::PartitionSlot> for T {}
impl<T: IntoWindow<Order: NotYetGiven<part::OrderSlot>>> TakesPart<part::OrderSlot> for T {}
impl<T: IntoWindow<Frame: NotYetGiven<part::FrameSlot>>> TakesPart<part::FrameSlot> for T {}
impl<T: IntoWindow<Filter: NotYetGiven<part::FilterSlot>>> TakesPart<part::FilterSlot> for T {}

/// A window function, or one with part of its window already given: what [`WindowExpressionMethods`]
/// extends.
#[doc(hidden)]
pub trait IntoWindow: Sized {
    /// The function.
    type Function: WindowFunction;
    /// PARTITION BY so far.
    type Partition;
    /// ORDER BY so far.
    type Order;
    /// The frame so far.
    type Frame;
    /// FILTER so far.
    type Filter;
    /// The window so far.
    fn into_window(self) -> Over<Self::Function, Self::Partition, Self::Order, Self::Frame, Self::Filter>;
}

impl<F: WindowFunction> IntoWindow for F {
    type Function = F;
    type Partition = NoPartition;
    type Order = NoWindowOrder;
    type Frame = NoFrame;
    type Filter = NoWindowFilter;
    fn into_window(self) -> Over<F> {
        Over { function: self, partition: NoPartition, order: NoWindowOrder, frame: NoFrame, filter: NoWindowFilter }
    }
}

// A window with part of its window given takes the rest.
impl<F: WindowFunction, P, O, Fr, W> IntoWindow for Over<F, P, O, Fr, W> {
    type Function = F;
    type Partition = P;
    type Order = O;
    type Frame = Fr;
    type Filter = W;
    fn into_window(self) -> Self {
        self
    }
}

/// The window of a window function (Diesel's names): `.over()` for the whole result, or any of
/// `partition_by`, `window_order`, `frame_by`, `window_filter`, chained in any order, each once.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, likes -> Integer, } }
/// use quarry::dsl::{frame, sum};
/// use quarry::dsl::frame::FrameClauseDsl;
/// let running = sum(posts::likes).partition_by(posts::user_id).window_order(posts::id)
///     .frame_by(frame::Rows.frame_between(frame::UnboundedPreceding, frame::CurrentRow));
/// let q = posts::table.select((posts::id, running));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "posts"."id", SUM("posts"."likes") OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM "posts""#
/// );
/// ```
pub trait WindowExpressionMethods: IntoWindow {
    /// `OVER ()`: the window is the whole result.
    fn over(self) -> Over<Self::Function, Self::Partition, Self::Order, Self::Frame, Self::Filter> {
        self.into_window()
    }

    /// `PARTITION BY keys`: the function restarts for each distinct value of `keys` (a tuple for several).
    fn partition_by<E>(self, keys: E) -> Over<Self::Function, PartitionBy<E>, Self::Order, Self::Frame, Self::Filter>
    where
        Self: TakesPart<part::PartitionSlot>,
        E: Expression<SqlType: PartitionKey> + QueryFragment + QueryId + ValidGrouping<NoGroupBy, Kind: WindowArgument>,
    {
        let w = self.into_window();
        Over { function: w.function, partition: PartitionBy(keys), order: w.order, frame: w.frame, filter: w.filter }
    }

    /// `ORDER BY order` inside the window (`.desc()` and tuples as in `order`).
    fn window_order<O>(
        self,
        order: O,
    ) -> Over<Self::Function, Self::Partition, WindowOrder<O>, Self::Frame, Self::Filter>
    where
        Self: TakesPart<part::OrderSlot>,
        O: Expression + QueryFragment + QueryId + ValidGrouping<NoGroupBy, Kind: WindowArgument>,
    {
        let w = self.into_window();
        Over {
            function: w.function,
            partition: w.partition,
            order: WindowOrder(order),
            frame: w.frame,
            filter: w.filter,
        }
    }

    /// The frame: which rows around the current one the function reads
    /// (`frame::Rows.frame_between(frame::UnboundedPreceding, frame::CurrentRow)`).
    fn frame_by<Fr>(self, frame: Fr) -> Over<Self::Function, Self::Partition, Self::Order, Fr, Self::Filter>
    where
        Self: TakesPart<part::FrameSlot>,
        Fr: frame::FrameClause,
    {
        let w = self.into_window();
        Over { function: w.function, partition: w.partition, order: w.order, frame, filter: w.filter }
    }

    /// `FILTER (WHERE condition)`: an aggregate over the window's rows where `condition` holds.
    fn window_filter<P>(
        self,
        condition: P,
    ) -> Over<Self::Function, Self::Partition, Self::Order, Self::Frame, WindowFilter<P>>
    where
        Self::Function: AggregateWindowFunction,
        Self: TakesPart<part::FilterSlot>,
        P: Expression<SqlType: BoolLike> + QueryFragment + QueryId,
    {
        let w = self.into_window();
        Over {
            function: w.function,
            partition: w.partition,
            order: w.order,
            frame: w.frame,
            filter: WindowFilter(condition),
        }
    }
}

impl<T: IntoWindow> WindowExpressionMethods for T {}

impl<F: WindowFunction, P, O, Fr, W> Expression for Over<F, P, O, Fr, W> {
    type SqlType = F::SqlType;
}

impl<F, P, O, Fr, W> QueryFragment for Over<F, P, O, Fr, W>
where
    F: QueryFragment,
    P: QueryFragment + MaybeAbsent,
    O: QueryFragment + MaybeAbsent,
    Fr: QueryFragment + MaybeAbsent,
    W: QueryFragment,
{
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.function.walk(out)?;
        self.filter.walk(out)?;
        out.push_sql(" OVER (");
        let mut parts = WindowParts { out, any: false };
        parts.part(&self.partition)?;
        parts.part(&self.order)?;
        parts.part(&self.frame)?;
        out.push_sql(")");
        Ok(())
    }
}

/// Writes a window's parts with one space between those present.
struct WindowParts<'o, 'a> {
    out: &'o mut AstPass<'a>,
    any: bool,
}

impl WindowParts<'_, '_> {
    fn part(&mut self, part: &dyn WindowPart) -> QueryResult<()> {
        if part.present() {
            if std::mem::replace(&mut self.any, true) {
                self.out.push_sql(" ");
            }
            part.write(self.out)?;
        }
        Ok(())
    }
}

/// A part of the OVER clause, which may be absent.
trait WindowPart {
    fn present(&self) -> bool;
    fn write(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

impl<T: QueryFragment + MaybeAbsent> WindowPart for T {
    fn present(&self) -> bool {
        !T::ABSENT
    }
    fn write(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk(out)
    }
}

/// Whether a window part is the empty one.
#[doc(hidden)]
pub trait MaybeAbsent {
    /// True for the "none given" parts.
    const ABSENT: bool = false;
}

macro_rules! absent_parts {
    ($($name:ident),*) => {$(
        impl QueryFragment for $name {
            fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
                Ok(())
            }
        }
        impl QueryId for $name {
            type QueryId = $name;
        }
        impl MaybeAbsent for $name {
            const ABSENT: bool = true;
        }
        impl<DB> RunsOn<DB> for $name {}
        impl<QS> AppearsOnWindow<QS> for $name {}
        impl<G> WindowArgs<G> for $name {
            type Kind = Constant;
        }
    )*};
}
absent_parts!(NoPartition, NoWindowOrder, NoFrame, NoWindowFilter);

macro_rules! present_parts {
    ($($name:ident $sql:literal $end:literal),*) => {$(
        impl<E: QueryFragment> QueryFragment for $name<E> {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                out.push_sql($sql);
                self.0.walk(out)?;
                out.push_sql($end);
                Ok(())
            }
        }
        impl<E: QueryId> QueryId for $name<E> {
            type QueryId = $name<E::QueryId>;
            const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
        }
        impl<E> MaybeAbsent for $name<E> {}
        impl<DB, E: RunsOn<DB>> RunsOn<DB> for $name<E> {}
        impl<QS, E: AppearsOn<QS>> AppearsOnWindow<QS> for $name<E> {}
        impl<G, E: ValidGrouping<G>> WindowArgs<G> for $name<E> {
            type Kind = E::Kind;
        }
    )*};
}
present_parts!(PartitionBy "PARTITION BY " "", WindowOrder "ORDER BY " "", WindowFilter " FILTER (WHERE " ")");

/// May a window part's expressions stand in a query on `QS`?
#[doc(hidden)]
pub trait AppearsOnWindow<QS> {}

#[diagnostic::do_not_recommend]
impl<QS, F, P, O, Fr, W> AppearsOn<QS> for Over<F, P, O, Fr, W>
where
    Self: Expression + QueryFragment + QueryId,
    F: WindowArgsAppearOn<QS>,
    P: AppearsOnWindow<QS>,
    O: AppearsOnWindow<QS>,
    Fr: AppearsOnWindow<QS>,
    W: AppearsOnWindow<QS>,
{
}

/// A window's value is never NULL because of a LEFT JOIN beyond what its SQL type says: the functions
/// that read another row give nullable types, and aggregates skip NULLs.
#[diagnostic::do_not_recommend]
impl<QS, F: WindowFunction, P, O, Fr, W> SelectNullability<QS> for Over<F, P, O, Fr, W> {}

impl<F: QueryId, P: QueryId, O: QueryId, Fr: QueryId, W: QueryId> QueryId for Over<F, P, O, Fr, W> {
    type QueryId = Over<F::QueryId, P::QueryId, O::QueryId, Fr::QueryId, W::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = F::HAS_STATIC_QUERY_ID
        && P::HAS_STATIC_QUERY_ID
        && O::HAS_STATIC_QUERY_ID
        && Fr::HAS_STATIC_QUERY_ID
        && W::HAS_STATIC_QUERY_ID;
}

/// A GROUPS frame, or a RANGE frame with an offset, runs only with the window's ORDER BY: checked where
/// the statement runs, whichever order the window's parts were given in.
impl<DB, F: WindowRunsOn<DB>, P: RunsOn<DB>, O: RunsOn<DB>, Fr: RunsOn<DB>, W: RunsOn<DB>> RunsOn<DB>
    for Over<F, P, O, Fr, W>
where
    Fr: frame::FrameOrder,
    O: frame::OrderForFrame<Fr::Order>,
{
}

/// A window's kind: [`Window`](super::kind::Window) of its arguments' and keys' kinds combined.
impl<G, F, P, O, Fr, W> ValidGrouping<G> for Over<F, P, O, Fr, W>
where
    Self: Expression,
    F: WindowArgs<G>,
    P: WindowArgs<G>,
    O: WindowArgs<G>,
    W: WindowArgs<G>,
    F::Kind: Combine<P::Kind>,
    <F::Kind as Combine<P::Kind>>::Output: Combine<O::Kind>,
    <<F::Kind as Combine<P::Kind>>::Output as Combine<O::Kind>>::Output: Combine<W::Kind>,
{
    type Kind = super::kind::Window<
        <<<F::Kind as Combine<P::Kind>>::Output as Combine<O::Kind>>::Output as Combine<W::Kind>>::Output,
    >;
}

pub mod frame;
