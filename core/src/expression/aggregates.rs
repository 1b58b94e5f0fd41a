//! Aggregate functions: COUNT, SUM, AVG, MIN, MAX.

use super::grouping::AggregateOf;
use super::{AppearsOn, Expression, NoGroupBy, SelectNullability, ValidGrouping};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::{
    BigInt, Binary, Bool, Date, Double, Float, Integer, Interval, IntoNullable, Json, Jsonb, Nullable, Numeric,
    SmallInt, Text, Time, Timestamp, Timestamptz, Uuid,
};

pub use super::operators::CountStar;

/// What an aggregate's argument may hold: anything but a window function, which SQL computes after the
/// aggregates and so cannot nest inside one. Checked once, where the aggregate is called. (An aggregate
/// inside an aggregate is valid over a window, `sum(count_star()).over()` sums the groups' counts, and
/// the aggregate cannot know yet whether it will stand over one: its kind is then `NestedAggregate`,
/// which SELECT, ORDER BY and HAVING refuse, and `over` takes its argument's kind instead.)
#[diagnostic::on_unimplemented(
    message = "an aggregate's argument holds a window function, and SQL cannot nest one inside an aggregate",
    label = "the argument of this aggregate",
    note = "compute the window in a subquery in FROM (`from_query`), then aggregate its rows"
)]
pub trait AggregateArgument {}
#[diagnostic::do_not_recommend]
impl<K: super::grouping::NoWindow> AggregateArgument for K {}

/// SUM and AVG accept this SQL type: checked once, by `sum(..)` and `avg(..)`.
#[diagnostic::on_unimplemented(
    message = "SUM and AVG need a numeric SQL type, not `{Self}`",
    label = "not numeric",
    note = "SUM and AVG work on SmallInt, Integer, BigInt, Float, Double and Numeric columns"
)]
pub trait Summable {}
macro_rules! summable {
    ($($st:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl Summable for $st {}
        #[diagnostic::do_not_recommend]
        impl Summable for Nullable<$st> {}
    )*};
}
summable!(SmallInt, Integer, BigInt, Float, Double, Numeric);

/// The SQL type of `SUM` over a column of this type. Defined for every built-in SQL type (the check that
/// the type is numeric is [`Summable`], made once where `sum` is called), so that a mistake does not make
/// the aggregate's own type fail again downstream.
#[doc(hidden)]
pub trait SumType {
    /// `Nullable<BigInt>` for integers, `Nullable<Double>` for floats: NULL over no row.
    type Sum;
    /// The type of `AVG`: `Nullable<Double>`, but `Nullable<Numeric>` for a `Numeric` column, so that an
    /// exact decimal's average reads into a decimal (PostgreSQL computes it exactly; SQLite as a float).
    type Avg;
}
macro_rules! sum_type {
    ($($st:ty => $sum:ty, $avg:ty),*) => {$(
        impl SumType for $st {
            type Sum = $sum;
            type Avg = $avg;
        }
        impl SumType for Nullable<$st> {
            type Sum = $sum;
            type Avg = $avg;
        }
    )*};
}
sum_type!(
    SmallInt => Nullable<BigInt>, Nullable<Double>,
    Integer => Nullable<BigInt>, Nullable<Double>,
    BigInt => Nullable<BigInt>, Nullable<Double>,
    Float => Nullable<Double>, Nullable<Double>,
    Double => Nullable<Double>, Nullable<Double>,
    Numeric => Nullable<Numeric>, Nullable<Numeric>,
    Text => NotSummed, NotSummed,
    Binary => NotSummed, NotSummed,
    Bool => NotSummed, NotSummed,
    Date => NotSummed, NotSummed,
    Time => NotSummed, NotSummed,
    Timestamp => NotSummed, NotSummed,
    Timestamptz => NotSummed, NotSummed,
    Json => NotSummed, NotSummed,
    Jsonb => NotSummed, NotSummed,
    Uuid => NotSummed, NotSummed,
    Interval => NotSummed, NotSummed
);
impl<ST> SumType for crate::sql_types::Array<ST> {
    type Sum = NotSummed;
    type Avg = NotSummed;
}

/// The SQL type given to `sum(..)` of a column that is not numeric: that `sum` call is already an error
/// ([`Summable`]), and a row of this type reads into any Rust type, so the mistake is reported once,
/// there, rather than again where the query's rows are read.
#[derive(Debug, Clone, Copy)]
pub struct NotSummed;

impl crate::deserialize::RowType for NotSummed {
    type Names = crate::deserialize::Unnamed;
}

#[diagnostic::do_not_recommend]
impl<U, DB: crate::backend::Backend> crate::deserialize::FromSqlRow<NotSummed, DB> for U {
    fn build_from_row<R: crate::deserialize::Row<DB>>(_: &mut crate::deserialize::RowReader<'_, R>) -> QueryResult<U> {
        // `sum` does not compile on a non-numeric column, so no query of this type is ever built.
        Err(crate::result::Error::DeserializationError(crate::result::msg(
            "SUM of a non-numeric column cannot be read",
        )))
    }
}

macro_rules! aggregate {
    ($($(#[$meta:meta])* $name:ident $sql:literal => |$e:ident where [$($bound:tt)*]| $st:ty;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name<E>(E);

        impl<$e: Expression> Expression for $name<$e> where $($bound)* {
            type SqlType = $st;
        }
        impl<E: QueryFragment> QueryFragment for $name<E> {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                out.push_sql($sql);
                self.0.walk(out)?;
                out.push_sql(")");
                Ok(())
            }
        }
        impl<E: QueryId> QueryId for $name<E> {
            type QueryId = $name<E::QueryId>;
            const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
        }
        impl<DB, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for $name<E> {}
        #[diagnostic::do_not_recommend]
        impl<QS, E: AppearsOn<QS>> AppearsOn<QS> for $name<E> where $name<E>: Expression {}
        /// An aggregate over the nullable side of a LEFT JOIN is fine: NULLs are skipped.
        impl<QS, E> SelectNullability<QS> for $name<E> where $name<E>: Expression {}
        // Whether the argument holds an aggregate does not depend on the GROUP BY: its kind without one
        // says it (a column beside an aggregate is then a mix, which holds one too).
        impl<G, E: ValidGrouping<NoGroupBy, Kind: AggregateOf>> ValidGrouping<G> for $name<E> where $name<E>: Expression {
            type Kind = <<E as ValidGrouping<NoGroupBy>>::Kind as AggregateOf>::Kind;
        }
    )*};
}

aggregate! {
    /// `COUNT(expr)`: the rows where `expr` is not NULL.
    Count "COUNT(" => |E where []| BigInt;
    /// `COUNT(DISTINCT expr)`.
    CountDistinct "COUNT(DISTINCT " => |E where []| BigInt;
    /// `SUM(expr)`: NULL over no row.
    Sum "SUM(" => |E where [E::SqlType: SumType]| <E::SqlType as SumType>::Sum;
    /// `AVG(expr)`: NULL over no row.
    Avg "AVG(" => |E where [E::SqlType: SumType]| <E::SqlType as SumType>::Avg;
    /// `MIN(expr)`: NULL over no row.
    Min "MIN(" => |E where [E::SqlType: IntoNullable]| <E::SqlType as IntoNullable>::Nullable;
    /// `MAX(expr)`: NULL over no row.
    Max "MAX(" => |E where [E::SqlType: IntoNullable]| <E::SqlType as IntoNullable>::Nullable;
}

/// `COUNT(*)`; read it as `i64`.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::dsl::count_star;
/// let q = users::table.select(count_star());
/// assert_eq!(quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(), r#"SELECT COUNT(*) FROM "users""#);
/// ```
pub fn count_star() -> CountStar {
    CountStar
}

/// `COUNT(expr)`; read it as `i64`.
pub fn count<E: ValidGrouping<NoGroupBy, Kind: AggregateArgument>>(expr: E) -> Count<E> {
    Count(expr)
}

/// `COUNT(DISTINCT expr)`; read it as `i64`.
pub fn count_distinct<E: ValidGrouping<NoGroupBy, Kind: AggregateArgument>>(expr: E) -> CountDistinct<E> {
    CountDistinct(expr)
}

/// `SUM(expr)` of a numeric expression; `Nullable<BigInt>` for integers, `Nullable<Double>` for floats.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, likes -> Integer, } }
/// use quarry::dsl::{count_star, sum};
/// let q = posts::table.group_by(posts::user_id).select((posts::user_id, count_star(), sum(posts::likes)));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "posts"."user_id", COUNT(*), SUM("posts"."likes") FROM "posts" GROUP BY "posts"."user_id""#
/// );
/// ```
pub fn sum<E>(expr: E) -> Sum<E>
where
    E: Expression<SqlType: Summable>,
    E: ValidGrouping<NoGroupBy, Kind: AggregateArgument>,
{
    Sum(expr)
}

/// `AVG(expr)` of a numeric expression, as `Nullable<Double>` (read it into `Option<f64>`), or as
/// `Nullable<Numeric>` for a `Numeric` expression (into an `Option` of a decimal, or of `f64`).
pub fn avg<E>(expr: E) -> Avg<E>
where
    E: Expression<SqlType: Summable>,
    E: ValidGrouping<NoGroupBy, Kind: AggregateArgument>,
{
    Avg(expr)
}

/// `MIN(expr)`, as the nullable form of `expr`'s type.
pub fn min<E>(expr: E) -> Min<E>
where
    E: Expression<SqlType: IntoNullable>,
    E: ValidGrouping<NoGroupBy, Kind: AggregateArgument>,
{
    Min(expr)
}

/// `MAX(expr)`, as the nullable form of `expr`'s type.
pub fn max<E>(expr: E) -> Max<E>
where
    E: Expression<SqlType: IntoNullable>,
    E: ValidGrouping<NoGroupBy, Kind: AggregateArgument>,
{
    Max(expr)
}
