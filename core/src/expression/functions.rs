//! The SQL functions people reach for, typed by their arguments: `coalesce`, `nullif`, `abs` and
//! `.cast::<ST>()` here (their SQL type follows their arguments'); `round`, `substr` and `replace` are
//! declared with [`define_sql_function!`](crate::define_sql_function) in [`dsl`](crate::dsl). Each runs on
//! every backend Quarry has, with the same result type.

use std::marker::PhantomData;

use super::{AppearsOn, AsExpression, Expression, NonAggregate, Operand, SelectNullability, ValidGrouping};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::{
    BigInt, Date, Double, DropNullable, Float, Integer, IntoNullable, Json, NotNull, Nullable, Numeric, NumericLike,
    SmallInt, SqlType, Text,
};

/// A call of function `F` on the arguments `A` (a tuple of expressions).
#[derive(Debug, Clone, Copy)]
pub struct Call<F, A> {
    args: A,
    function: PhantomData<fn() -> F>,
}

/// A function's name and the SQL type it gives for arguments `A`.
pub trait Function<A> {
    /// Its name in SQL.
    const NAME: &'static str;
    /// The SQL type of its value.
    type SqlType;
}

impl<F: Function<A>, A> Expression for Call<F, A> {
    type SqlType = F::SqlType;
}
impl<F: Function<A>, A: QueryFragment> QueryFragment for Call<F, A> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(F::NAME);
        out.push_sql("(");
        self.args.walk(out)?;
        out.push_sql(")");
        Ok(())
    }
}
impl<F: 'static, A: QueryId> QueryId for Call<F, A> {
    type QueryId = Call<F, A::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = A::HAS_STATIC_QUERY_ID;
}
impl<DB, F, A: RunsOn<DB>> RunsOn<DB> for Call<F, A> {}
#[diagnostic::do_not_recommend]
impl<QS, F: Function<A> + 'static, A: AppearsOn<QS>> AppearsOn<QS> for Call<F, A> {}
impl<QS, F: Function<A>, A: SelectNullability<QS>> SelectNullability<QS> for Call<F, A> {}
#[diagnostic::do_not_recommend]
impl<F: Function<A>, A: NonAggregate> NonAggregate for Call<F, A> {}
impl<G, F: Function<A>, A: ValidGrouping<G>> ValidGrouping<G> for Call<F, A> {
    type Kind = A::Kind;
}

// `+ - * /` on calls and casts, as on columns: `abs(x) + 1`, `id.cast::<Double>() / 2.0`.
use super::operators::{Add, Div, Mul, Sub, chained_arithmetic};
chained_arithmetic!(Call, Cast);

/// `COALESCE`.
#[derive(Debug, Clone, Copy)]
pub struct CoalesceFn;
/// `NULLIF`.
#[derive(Debug, Clone, Copy)]
pub struct NullIfFn;
/// `ABS`.
#[derive(Debug, Clone, Copy)]
pub struct AbsFn;

impl<E: Expression<SqlType: DropNullable>, D> Function<(E, D)> for CoalesceFn {
    const NAME: &'static str = "COALESCE";
    type SqlType = <E::SqlType as DropNullable>::NotNull;
}
impl<E: Expression<SqlType: IntoNullable>, D> Function<(E, D)> for NullIfFn {
    const NAME: &'static str = "NULLIF";
    type SqlType = <E::SqlType as IntoNullable>::Nullable;
}
impl<E: Expression<SqlType: NumericLike>> Function<(E,)> for AbsFn {
    const NAME: &'static str = "ABS";
    type SqlType = E::SqlType;
}

/// `COALESCE(value, otherwise)`: `value` where it is not NULL, else `otherwise` (a value or expression of
/// the non-null type), so the result is never NULL.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, hair_color -> Nullable<Text>, } }
/// use quarry::dsl::coalesce;
/// let q = users::table.select(coalesce(users::hair_color, "none"));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT COALESCE("users"."hair_color", ?) FROM "users""#
/// );
/// ```
pub fn coalesce<E, D>(
    value: E,
    otherwise: D,
) -> Call<CoalesceFn, (E, Operand<<E::SqlType as DropNullable>::NotNull, D>)>
where
    E: Expression<SqlType: DropNullable>,
    D: AsExpression<<E::SqlType as DropNullable>::NotNull>,
{
    Call { args: (value, Operand::new(otherwise)), function: PhantomData }
}

/// `NULLIF(value, other)`: NULL where `value` equals `other`, else `value`.
pub fn nullif<E, D>(value: E, other: D) -> Call<NullIfFn, (E, Operand<E::SqlType, D>)>
where
    E: Expression<SqlType: IntoNullable>,
    D: AsExpression<E::SqlType>,
{
    Call { args: (value, Operand::new(other)), function: PhantomData }
}

/// `ABS(value)`: the absolute value, of `value`'s numeric type.
pub fn abs<E: Expression<SqlType: NumericLike>>(value: E) -> Call<AbsFn, (E,)> {
    Call { args: (value,), function: PhantomData }
}

/// A SQL type an expression can be cast to with [`cast`](CastDsl::cast), named alike on every backend.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL type `cast` converts to",
    label = "cast to SmallInt, Integer, BigInt, Float, Double, Numeric or Text"
)]
#[doc(hidden)]
pub trait CastTarget: SqlType<IsNull = NotNull> {
    /// The type's name in `CAST(.. AS name)`.
    #[doc(hidden)]
    const CAST_NAME: &'static str;
}
/// Each type's name in a cast is its SQL name in the table of built-in types.
macro_rules! cast_targets {
    ($($st:ident),*) => {$(
        #[diagnostic::do_not_recommend]
        impl CastTarget for $st {
            const CAST_NAME: &'static str = crate::sql_types::built_in::postgres_name(stringify!($st));
        }
    )*};
}
cast_targets!(SmallInt, Integer, BigInt, Float, Double, Numeric, Text);
// Not `Bool`: the backends read `CAST('true' AS BOOLEAN)` differently (SQLite's is 0).

/// A value of SQL type `Self` converts to `T` on every backend: a number or text to a number, anything
/// Quarry's types hold to text.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` value cannot be cast to `{T}` on every backend",
    label = "numbers and text cast to numbers; integers, dates, JSON and text cast to Text"
)]
pub trait CastsTo<T> {}
macro_rules! numeric_casts {
    ($($target:ident),*) => {$(
        #[diagnostic::do_not_recommend]
        impl<S: NumericLike> CastsTo<$target> for S {}
        #[diagnostic::do_not_recommend]
        impl CastsTo<$target> for Text {}
    )*};
}
numeric_casts!(SmallInt, Integer, BigInt, Float, Double, Numeric);
// To text only where both backends write the same text (not floats, `1.0` against `1`; not bool, blobs or
// UUIDs, which SQLite holds in other forms).
macro_rules! text_casts {
    ($($source:ident),*) => {$(
        #[diagnostic::do_not_recommend]
        impl CastsTo<Text> for $source {}
    )*};
}
text_casts!(SmallInt, Integer, BigInt, Text, Date, Json);

/// The SQL type of a cast of a value of this type to `T`: `T`, or `Nullable<T>` from a nullable value.
#[doc(hidden)]
pub trait CastResult<T> {
    /// The result's SQL type.
    type Output;
}
impl<S: SqlType<IsNull = NotNull>, T> CastResult<T> for S {
    type Output = T;
}
impl<S: SqlType<IsNull = NotNull>, T: SqlType<IsNull = NotNull>> CastResult<T> for Nullable<S> {
    type Output = Nullable<T>;
}

/// A value of this SQL type (or its non-null part) casts to `T` on every backend ([`CastsTo`]); checked
/// once, where `cast` is written.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` value cannot be cast to `{T}` on every backend",
    label = "cast numbers and text to SmallInt, Integer, BigInt, Float, Double or Numeric; integers, dates, JSON and text to Text"
)]
pub trait CastSource<T>: CastResult<T> {
    /// The target's name in `CAST(.. AS name)`.
    const TARGET_NAME: &'static str;
}
#[diagnostic::do_not_recommend]
impl<S: SqlType<IsNull = NotNull> + CastsTo<T>, T: CastTarget> CastSource<T> for S {
    const TARGET_NAME: &'static str = T::CAST_NAME;
}
#[diagnostic::do_not_recommend]
impl<S: SqlType<IsNull = NotNull> + CastsTo<T>, T: CastTarget> CastSource<T> for Nullable<S> {
    const TARGET_NAME: &'static str = T::CAST_NAME;
}

/// `CAST(expr AS type)`.
#[derive(Debug, Clone, Copy)]
pub struct Cast<E, T> {
    expr: E,
    // Taken from `T` where the cast is written (the one place `T` is checked), so that a wrong target
    // is one error there rather than one per trait the node implements.
    target_name: &'static str,
    target: PhantomData<fn() -> T>,
}

/// `.cast::<BigInt>()` on any expression.
pub trait CastDsl: Expression + Sized {
    /// `CAST(self AS T)`: nullable where `self` is.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// use quarry::sql_types::{BigInt, Text};
    /// let q = users::table.select((users::id.cast::<Text>(), users::id.cast::<BigInt>()));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT CAST("users"."id" AS TEXT), CAST("users"."id" AS BIGINT) FROM "users""#
    /// );
    /// ```
    fn cast<T>(self) -> Cast<Self, T>
    where
        Self::SqlType: CastSource<T>,
    {
        Cast { expr: self, target_name: <Self::SqlType as CastSource<T>>::TARGET_NAME, target: PhantomData }
    }
}
impl<E: Expression> CastDsl for E {}

impl<E: Expression<SqlType: CastResult<T>>, T> Expression for Cast<E, T> {
    type SqlType = <E::SqlType as CastResult<T>>::Output;
}
impl<E: QueryFragment, T> QueryFragment for Cast<E, T> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("CAST(");
        self.expr.walk(out)?;
        out.push_sql(" AS ");
        out.push_sql(self.target_name);
        out.push_sql(")");
        Ok(())
    }
}
impl<E: QueryId, T: 'static> QueryId for Cast<E, T> {
    type QueryId = Cast<E::QueryId, T>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}
impl<DB, E: RunsOn<DB>, T> RunsOn<DB> for Cast<E, T> {}
#[diagnostic::do_not_recommend]
impl<QS, E: AppearsOn<QS, SqlType: CastResult<T>>, T: 'static> AppearsOn<QS> for Cast<E, T> {}
impl<QS, E: SelectNullability<QS, SqlType: CastResult<T>>, T> SelectNullability<QS> for Cast<E, T> {}
#[diagnostic::do_not_recommend]
impl<E: NonAggregate<SqlType: CastResult<T>>, T> NonAggregate for Cast<E, T> {}
impl<G, E: ValidGrouping<G, SqlType: CastResult<T>>, T> ValidGrouping<G> for Cast<E, T> {
    type Kind = E::Kind;
}

/// The arguments of a function declared with none (`define_sql_function! { fn random() -> BigInt; }`):
/// writes nothing, names no column, and stands anywhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoArguments;

impl Expression for NoArguments {
    type SqlType = ();
}
impl QueryFragment for NoArguments {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}
impl QueryId for NoArguments {
    type QueryId = NoArguments;
}
impl<DB> RunsOn<DB> for NoArguments {}
#[diagnostic::do_not_recommend]
impl<QS> AppearsOn<QS> for NoArguments {}
impl<QS> SelectNullability<QS> for NoArguments {}
#[diagnostic::do_not_recommend]
impl NonAggregate for NoArguments {}
impl<G> ValidGrouping<G> for NoArguments {
    type Kind = super::kind::Constant;
}

macro_rules! sql_constants {
    ($($(#[$meta:meta])* $name:ident $push:ident($($arg:expr)?) => $st:ty;)*) => {$(
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl Expression for $name {
            type SqlType = $st;
        }
        impl QueryFragment for $name {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                out.$push($($arg)?);
                Ok(())
            }
        }
        impl QueryId for $name {
            type QueryId = $name;
        }
        impl<DB> RunsOn<DB> for $name {}
        #[diagnostic::do_not_recommend]
        impl<QS> AppearsOn<QS> for $name {}
        impl<QS> SelectNullability<QS> for $name {}
        #[diagnostic::do_not_recommend]
        impl NonAggregate for $name {}
        impl<G> ValidGrouping<G> for $name {
            type Kind = super::kind::Constant;
        }
    )*};
}
sql_constants! {
    /// The current time in UTC, as a `Timestamp` (Diesel's `now`): `posts::created_at.lt(now)`. SQLite's
    /// `CURRENT_TIMESTAMP` (read once per statement); on PostgreSQL `CURRENT_TIMESTAMP AT TIME ZONE 'UTC'`
    /// (once per transaction), so a comparison with a `timestamp` column means the same on both whatever
    /// the server's time zone.
    now push_current_time_utc(false) => crate::sql_types::Timestamp;
    /// The current date in UTC, as a `Date` (Diesel's `today`): SQLite's `CURRENT_DATE`, PostgreSQL's
    /// UTC date of `CURRENT_TIMESTAMP`.
    today push_current_time_utc(true) => crate::sql_types::Date;
    /// `random()`: see [`random`].
    Random push_random() => crate::sql_types::Double;
}

/// A random `Double` in `[0, 1)`, a new one per row: `.order(random())` shuffles, `.filter(random().lt(0.1))`
/// samples a tenth. PostgreSQL's `random()`; SQLite's `random()` is a 64-bit integer, brought to the same
/// range.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::dsl::random;
/// let q = users::table.select(users::name).order(random()).limit(1);
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "users"."name" FROM "users" ORDER BY (abs(random() % 9007199254740992) / 9007199254740992.0) LIMIT 1"#
/// );
/// ```
pub fn random() -> Random {
    Random
}

// `now - ..` and the like are not offered: date arithmetic differs between the backends.
