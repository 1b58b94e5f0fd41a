//! The Rust types that can be bound for each SQL type.

use super::grouping::{OperandGrouping, kind::Constant};
use super::{AsExpression, OperandAppearsOn, OperandNonAggregate, OperandSelectNullability, ToSql};
use crate::render::{AstPass, BindValue, QueryId};
use crate::result::QueryResult;
use crate::sql_types::*;

macro_rules! to_sql {
    ($($ty:ty => [$($st:ty),+] |$v:ident| $bind:expr;)*) => {$($(
        impl ToSql<$st> for $ty {
            fn to_sql(&self) -> QueryResult<BindValue<'_>> {
                let $v = self;
                Ok($bind)
            }
        }
    )+)*};
}

to_sql! {
    i16 => [SmallInt] |v| BindValue::I16(*v);
    i32 => [Integer, Numeric] |v| BindValue::I32(*v);
    i64 => [BigInt, Numeric] |v| BindValue::I64(*v);
    f32 => [Float] |v| BindValue::F32(*v);
    f64 => [Double, Numeric] |v| BindValue::F64(*v);
    bool => [Bool] |v| BindValue::Boolean(*v);
    str => [Text, Date, Time, Timestamp, Json, Jsonb] |v| BindValue::Str(v);
    String => [Text, Date, Time, Timestamp, Json, Jsonb] |v| BindValue::Str(v);
    [u8] => [Binary] |v| BindValue::Bytes(v);
    Vec<u8> => [Binary] |v| BindValue::Bytes(v);
}

impl<T: ToSql<ST>, ST> ToSql<Nullable<ST>> for Option<T> {
    fn to_sql(&self) -> QueryResult<BindValue<'_>> {
        match self {
            Some(v) => v.to_sql(),
            None => Ok(BindValue::Null),
        }
    }
}

/// For each Rust value type (its lifetime named first): it binds as each listed SQL type and its Nullable
/// form, through its `ToSql`. Quarry's own value types use it, and so does `#[derive(AsExpression)]` (and
/// `DbEnum`) for a user's: one list of what a bound value implements.
#[doc(hidden)]
#[macro_export]
macro_rules! __value_as {
    ($lt:lifetime; $($ty:ty => [$($st:ty),+];)*) => {$(
        $(
            #[diagnostic::do_not_recommend]
            impl<$lt> $crate::expression::AsExpression<$st> for $ty {
                fn walk_operand(&self, out: &mut $crate::render::AstPass<'_>) -> $crate::result::QueryResult<()> {
                    out.push_bind($crate::expression::ToSql::<$st>::to_sql(self)?)
                }
            }
            #[diagnostic::do_not_recommend]
            impl<$lt> $crate::expression::AsExpression<$crate::sql_types::Nullable<$st>> for $ty {
                fn walk_operand(&self, out: &mut $crate::render::AstPass<'_>) -> $crate::result::QueryResult<()> {
                    out.push_bind($crate::expression::ToSql::<$st>::to_sql(self)?)
                }
            }
        )+
    )*};
}

/// Values stand in any query and render as one placeholder whatever their value: the operand traits of a
/// Rust value type (its lifetime named first), for Quarry's own and for the derives' (`AsExpression`,
/// `DbEnum`, `DbNewType`).
#[doc(hidden)]
#[macro_export]
macro_rules! __value_operand {
    ($lt:lifetime; $($ty:ty),* $(,)?) => {$(
        impl<$lt, __QS> $crate::expression::OperandAppearsOn<__QS> for $ty {}
        impl<$lt, __QS> $crate::expression::OperandSelectNullability<__QS> for $ty {}
        impl<$lt> $crate::expression::OperandNonAggregate for $ty {}
        impl<$lt, __DB> $crate::backend::RunsOn<__DB> for $ty {}
        impl<$lt, __G> $crate::expression::OperandGrouping<__G> for $ty {
            type Kind = $crate::expression::kind::Constant;
        }
        impl<$lt> $crate::render::QueryId for $ty {
            type QueryId = ();
        }
    )*};
}

macro_rules! bindable {
    ($($body:tt)*) => {
        $crate::__value_as!('a; $($body)*);
    };
}

macro_rules! scalar {
    ($($ty:ty),*) => {
        $crate::__value_operand!('a; $($ty),*);
    };
}
scalar!(
    i16,
    &'a i16,
    i32,
    &'a i32,
    i64,
    &'a i64,
    f32,
    &'a f32,
    f64,
    &'a f64,
    bool,
    &'a bool,
    &'a str,
    String,
    &'a String
);

bindable! {
    i16 => [SmallInt]; &'a i16 => [SmallInt];
    i32 => [Integer, Numeric]; &'a i32 => [Integer, Numeric];
    i64 => [BigInt, Numeric]; &'a i64 => [BigInt, Numeric];
    f32 => [Float]; &'a f32 => [Float];
    f64 => [Double, Numeric]; &'a f64 => [Double, Numeric];
    bool => [Bool]; &'a bool => [Bool];
    &'a str => [Text, Date, Time, Timestamp, Json, Jsonb];
    String => [Text, Date, Time, Timestamp, Json, Jsonb]; &'a String => [Text, Date, Time, Timestamp, Json, Jsonb];
    &'a [u8] => [Binary];
    Vec<u8> => [Binary]; &'a Vec<u8> => [Binary];
}

// An `Option` holds a Rust value, bound as one parameter either way (NULL for `None`): never an
// expression, whose SQL and tables would then depend on the value (the statement cache keys on the type,
// and the table checks below let an `Option` stand anywhere). A nullable expression is written as it is:
// a non-null one may stand where its `Nullable` type is expected.
#[diagnostic::do_not_recommend]
impl<T: ToSql<ST>, ST> AsExpression<Nullable<ST>> for Option<T> {
    fn walk_operand(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_bind(ToSql::<Nullable<ST>>::to_sql(self)?)
    }
}
#[diagnostic::do_not_recommend]
impl<T: ToSql<ST>, ST> AsExpression<Nullable<ST>> for &Option<T> {
    fn walk_operand(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        (*self).walk_operand(out)
    }
}
impl<QS, T> OperandAppearsOn<QS> for Option<T> {}
impl<QS, T> OperandSelectNullability<QS> for Option<T> {}
impl<T> OperandNonAggregate for Option<T> {}
// Where its value runs (every value type runs everywhere); an optional change in a SET clause where the
// change does.
impl<T: crate::backend::RunsOn<DB>, DB> crate::backend::RunsOn<DB> for Option<T> {}
impl<G, T> OperandGrouping<G> for Option<T> {
    type Kind = Constant;
}
impl<QS, T> OperandAppearsOn<QS> for &Option<T> {}
impl<QS, T> OperandSelectNullability<QS> for &Option<T> {}
impl<T> OperandNonAggregate for &Option<T> {}
impl<T: crate::backend::RunsOn<DB>, DB> crate::backend::RunsOn<DB> for &Option<T> {}
impl<G, T> OperandGrouping<G> for &Option<T> {
    type Kind = Constant;
}
impl<T> QueryId for Option<T> {
    type QueryId = ();
}
impl<T> QueryId for &Option<T> {
    type QueryId = ();
}

/// A list of values for `eq_any`/`ne_all`: its SQL (`(?, ?, ...)`) depends on its length.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of SQL `{ST}` values",
    label = "expected a Vec, slice or array of values of SQL type `{ST}`"
)]
pub trait InList<ST> {
    /// Writes ` IN (?, ?, ...)`, or ` NOT IN (..)` when `negated`.
    fn walk_list(&self, negated: bool, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// True for a list with no item.
    fn is_empty(&self) -> bool;
    /// Writes ` IN (..)`.
    fn walk_in(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_list(false, out)
    }
    /// Writes ` NOT IN (..)`.
    fn walk_not_in(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_list(true, out)
    }
}

fn walk_items<'i, ST: SqlType, T: AsExpression<ST> + 'i>(
    items: &'i [T],
    negated: bool,
    out: &mut AstPass<'_>,
) -> QueryResult<()> {
    out.push_value_list(items.len(), ST::SQL_NAME, negated, |i, out| items[i].walk_operand(out))
}

macro_rules! in_lists {
    ($([$($g:tt)*] $ty:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<ST: SqlType, T: AsExpression<ST>, $($g)*> InList<ST> for $ty {
            fn walk_list(&self, negated: bool, out: &mut AstPass<'_>) -> QueryResult<()> {
                walk_items(&self[..], negated, out)
            }
            fn is_empty(&self) -> bool {
                self[..].is_empty()
            }
        }
    )*};
}
in_lists! {
    [] Vec<T>;
    [] &Vec<T>;
    [] &[T];
    [const N: usize] [T; N];
    [const N: usize] &[T; N];
}

// Byte vectors and slices get these from the list impls below: as one bind they are cached by text.
macro_rules! list_traits {
    ($($ty:ty),*) => {$(
        impl<QS, T> OperandAppearsOn<QS> for $ty {}
impl<QS, T> OperandSelectNullability<QS> for $ty {}
impl<T> OperandNonAggregate for $ty {}
impl<T, DB> crate::backend::RunsOn<DB> for $ty {}
impl<G, T> OperandGrouping<G> for $ty {
    type Kind = Constant;
}
        impl<T> QueryId for $ty {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
    )*};
}
list_traits!(Vec<T>, &Vec<T>, &[T]);
impl<QS, T, const N: usize> OperandAppearsOn<QS> for [T; N] {}
impl<QS, T, const N: usize> OperandSelectNullability<QS> for [T; N] {}
impl<T, const N: usize> OperandNonAggregate for [T; N] {}
impl<T, DB, const N: usize> crate::backend::RunsOn<DB> for [T; N] {}
impl<G, T, const N: usize> OperandGrouping<G> for [T; N] {
    type Kind = Constant;
}
impl<QS, T, const N: usize> OperandAppearsOn<QS> for &[T; N] {}
impl<QS, T, const N: usize> OperandSelectNullability<QS> for &[T; N] {}
impl<T, const N: usize> OperandNonAggregate for &[T; N] {}
impl<T, DB, const N: usize> crate::backend::RunsOn<DB> for &[T; N] {}
impl<G, T, const N: usize> OperandGrouping<G> for &[T; N] {
    type Kind = Constant;
}
impl<T, const N: usize> QueryId for [T; N] {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
impl<T, const N: usize> QueryId for &[T; N] {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

pub(crate) use InList as InListTrait;

/// Years 0000 to 9999 only: past them a date's text (`+10000-01-01`, `-0001-...`) no longer sorts as
/// time does, and SQLite's date functions read it as NULL.
#[cfg(any(feature = "chrono", feature = "time"))]
fn four_digit_year(year: i32, date: impl std::fmt::Display) -> QueryResult<()> {
    if (0..=9999).contains(&year) {
        Ok(())
    } else {
        Err(crate::result::Error::SerializationError(crate::result::msg(format!(
            "the date {date} is outside the years 0000-9999 that SQLite's date text can hold"
        ))))
    }
}

/// `chrono`'s dates and times, bound as text in the ISO 8601 forms SQLite's date functions read
/// (`2026-11-25`, `14:30:00.250`, `2026-11-25 14:30:00.250`), which also sort as the values do.
#[cfg(feature = "chrono")]
mod chrono_values {
    use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

    use super::*;
    use crate::render::Temporal;

    fn four_digit_year(date: NaiveDate) -> QueryResult<NaiveDate> {
        super::four_digit_year(date.year(), date).map(|()| date)
    }

    to_sql! {
        // UTC with six fraction digits always: the text then sorts as the instants do.
        chrono::DateTime<chrono::Utc> => [Timestamptz] |v| {
            four_digit_year(v.date_naive())?;
            BindValue::temporal(Temporal::SqlTimestamptz, v.format("%Y-%m-%d %H:%M:%S%.6f+00:00"))?
        };
        NaiveDate => [Date] |v| BindValue::temporal(Temporal::SqlDate, four_digit_year(*v)?.format("%Y-%m-%d"))?;
        NaiveTime => [Time] |v| BindValue::temporal(Temporal::SqlTime, v.format("%H:%M:%S%.f"))?;
        NaiveDateTime => [Timestamp] |v| {
            four_digit_year(v.date())?;
            BindValue::temporal(Temporal::SqlTimestamp, v.format("%Y-%m-%d %H:%M:%S%.f"))?
        };
    }

    scalar!(NaiveDate, &'a NaiveDate, NaiveTime, &'a NaiveTime, NaiveDateTime, &'a NaiveDateTime);
    scalar!(chrono::DateTime<chrono::Utc>, &'a chrono::DateTime<chrono::Utc>);

    bindable! {
        chrono::DateTime<chrono::Utc> => [Timestamptz]; &'a chrono::DateTime<chrono::Utc> => [Timestamptz];
    }

    bindable! {
        NaiveDate => [Date]; &'a NaiveDate => [Date];
        NaiveTime => [Time]; &'a NaiveTime => [Time];
        NaiveDateTime => [Timestamp]; &'a NaiveDateTime => [Timestamp];
    }
}

/// `serde_json::Value` as JSON text.
#[cfg(feature = "serde_json")]
mod json_values {
    use serde_json::Value;

    use super::*;

    to_sql! {
        Value => [Json, Jsonb] |v| BindValue::OwnedStr(v.to_string());
    }

    scalar!(Value, &'a Value);

    bindable! {
        Value => [Json, Jsonb]; &'a Value => [Json, Jsonb];
    }
}

/// `PgInterval` as an `Interval` (PostgreSQL only: an `Interval` column does not compile elsewhere).
mod interval_values {
    use super::*;
    use crate::data_types::PgInterval;

    to_sql! {
        PgInterval => [Interval] |v| BindValue::Interval { months: v.months, days: v.days, microseconds: v.microseconds };
    }

    scalar!(PgInterval, &'a PgInterval);

    bindable! {
        PgInterval => [Interval]; &'a PgInterval => [Interval];
    }
}

/// A `Vec` (or slice) of values as one array value: `Array<ST>` (PostgreSQL only: an `Array` column does
/// not compile elsewhere).
mod array_values {
    use super::*;
    use crate::render::{ArrayLiteral, BindSink};
    use crate::result::{Error, msg};

    fn array_bind<ST: SqlType, T: ToSql<ST>>(items: &[T]) -> QueryResult<BindValue<'static>> {
        let element = ST::SQL_NAME.ok_or_else(|| {
            Error::SerializationError(msg("an array of a SQL type with no SQL name (a custom type) cannot be bound"))
        })?;
        let mut literal = ArrayLiteral::with_capacity(items.len());
        for item in items {
            literal.bind(item.to_sql()?)?;
        }
        Ok(BindValue::Array { element, text: literal.finish() })
    }

    impl<ST: SqlType, T: ToSql<ST>> ToSql<Array<ST>> for Vec<T> {
        fn to_sql(&self) -> QueryResult<BindValue<'_>> {
            array_bind::<ST, T>(self)
        }
    }
    impl<ST: SqlType, T: ToSql<ST>> ToSql<Array<ST>> for [T] {
        fn to_sql(&self) -> QueryResult<BindValue<'_>> {
            array_bind::<ST, T>(self)
        }
    }

    macro_rules! array_operands {
        ($([$($g:tt)*] $ty:ty;)*) => {$(
            #[diagnostic::do_not_recommend]
            impl<ST: SqlType, T: ToSql<ST>, $($g)*> AsExpression<Array<ST>> for $ty {
                fn walk_operand(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                    out.push_bind(array_bind::<ST, T>(&self[..])?)
                }
            }
            #[diagnostic::do_not_recommend]
            impl<ST: SqlType, T: ToSql<ST>, $($g)*> AsExpression<Nullable<Array<ST>>> for $ty {
                fn walk_operand(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                    out.push_bind(array_bind::<ST, T>(&self[..])?)
                }
            }
        )*};
    }
    array_operands! {
        [] Vec<T>;
        [] &Vec<T>;
        [] &[T];
        [const N: usize] [T; N];
        [const N: usize] &[T; N];
    }
}

/// `rust_decimal::Decimal` as its exact text (`12.50`, scale kept): PostgreSQL parses it into the
/// `numeric` parameter, SQLite stores it as the column's affinity says.
#[cfg(feature = "rust_decimal")]
mod decimal_values {
    use rust_decimal::Decimal;

    use super::*;
    use crate::render::ShortText;
    use crate::result::Error;

    to_sql! {
        // At most 29 digits, a sign and a point: always within `ShortText`.
        Decimal => [Numeric] |v| ShortText::format(v)
            .map(BindValue::Numeric)
            .ok_or_else(|| Error::SerializationError(format!("the decimal {v} is too long to bind").into()))?;
    }

    scalar!(Decimal, &'a Decimal);

    bindable! {
        Decimal => [Numeric]; &'a Decimal => [Numeric];
    }
}

/// `uuid::Uuid` as its 16 bytes.
#[cfg(feature = "uuid")]
mod uuid_values {
    use super::*;

    to_sql! {
        uuid::Uuid => [Uuid] |v| BindValue::Uuid(*v.as_bytes());
    }

    scalar!(uuid::Uuid, &'a uuid::Uuid);

    bindable! {
        uuid::Uuid => [Uuid]; &'a uuid::Uuid => [Uuid];
    }
}

/// `time`'s dates and times, bound as the same ISO 8601 text as `chrono`'s.
#[cfg(feature = "time")]
mod time_values {
    use std::fmt;

    // Renamed: `Date` and `Time` are also the SQL types, from `super::*`.
    use time::{Date as CalendarDate, PrimitiveDateTime, Time as TimeOfDay};

    use super::*;
    use crate::render::Temporal;

    /// `2026-11-25`, for years 0000 to 9999 only (past them the text no longer sorts as time does).
    struct IsoDate(CalendarDate);
    impl fmt::Display for IsoDate {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
        }
    }

    /// `14:30:00`, with `.250`, `.250500` or `.250500100` when there are fractional seconds.
    struct IsoTime(TimeOfDay);
    impl fmt::Display for IsoTime {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let t = self.0;
            write!(f, "{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())?;
            match t.nanosecond() {
                0 => Ok(()),
                ns if ns % 1_000_000 == 0 => write!(f, ".{:03}", ns / 1_000_000),
                ns if ns % 1_000 == 0 => write!(f, ".{:06}", ns / 1_000),
                ns => write!(f, ".{ns:09}"),
            }
        }
    }

    fn four_digit_year(date: CalendarDate) -> QueryResult<CalendarDate> {
        super::four_digit_year(date.year(), IsoDate(date)).map(|()| date)
    }

    to_sql! {
        CalendarDate => [Date] |v| BindValue::temporal(Temporal::SqlDate, IsoDate(four_digit_year(*v)?))?;
        TimeOfDay => [Time] |v| BindValue::temporal(Temporal::SqlTime, IsoTime(*v))?;
        PrimitiveDateTime => [Timestamp] |v| BindValue::temporal(Temporal::SqlTimestamp, format_args!("{} {}", IsoDate(four_digit_year(v.date())?), IsoTime(v.time())))?;
        // In UTC with six fraction digits always, as chrono's `DateTime<Utc>`: the text sorts as the instants do.
        time::OffsetDateTime => [Timestamptz] |v| {
            let utc = v.to_offset(time::UtcOffset::UTC);
            let t = utc.time();
            BindValue::temporal(Temporal::SqlTimestamptz, format_args!(
                "{} {:02}:{:02}:{:02}.{:06}+00:00",
                IsoDate(four_digit_year(utc.date())?),
                t.hour(),
                t.minute(),
                t.second(),
                t.microsecond()
            ))?
        };
    }

    scalar!(CalendarDate, &'a CalendarDate, TimeOfDay, &'a TimeOfDay, PrimitiveDateTime, &'a PrimitiveDateTime);
    scalar!(time::OffsetDateTime, &'a time::OffsetDateTime);

    bindable! {
        CalendarDate => [Date]; &'a CalendarDate => [Date];
        TimeOfDay => [Time]; &'a TimeOfDay => [Time];
        PrimitiveDateTime => [Timestamp]; &'a PrimitiveDateTime => [Timestamp];
        time::OffsetDateTime => [Timestamptz]; &'a time::OffsetDateTime => [Timestamptz];
    }
}

/// The Rust types an unsuffixed number literal takes where a value of this SQL type is expected (`1` is an
/// `i64` beside a `BigInt`): what `#[quarry::auto_type]` writes for such a literal, as rustc infers it.
#[doc(hidden)]
pub trait LiteralTypes {
    /// The type of an integer literal (`1`).
    type Int;
    /// The type of a float literal (`1.5`).
    type Float;
}
macro_rules! literal_types {
    ($($st:ident => $int:ty, $float:ty;)*) => {$(
        impl LiteralTypes for crate::sql_types::$st {
            type Int = $int;
            type Float = $float;
        }
    )*};
}
literal_types! {
    SmallInt => i16, f64;
    Integer => i32, f64;
    BigInt => i64, f64;
    Float => i32, f32;
    Double => i32, f64;
    Numeric => i32, f64;
}
impl<ST: LiteralTypes> LiteralTypes for Nullable<ST> {
    type Int = ST::Int;
    type Float = ST::Float;
}
