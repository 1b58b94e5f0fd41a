//! Reading PostgreSQL values from the server's binary format into Rust types, with type and range checks.

use postgres_types::Type;

use super::Pg;
use crate::deserialize::{DeserializeResult, FromSql};
use crate::result::TypeMismatch;
use crate::sql_types::*;

/// One non-NULL column value of a PostgreSQL row: its bytes in binary format and its type.
#[derive(Clone, Copy)]
pub struct PgValue<'a> {
    bytes: &'a [u8],
    ty: &'a Type,
    /// The type's OID, read once: the decoders match on it (a `u32`) rather than on `Type`.
    oid: u32,
}

/// The OIDs of the built-in types the decoders read.
mod oid {
    pub const BOOL: u32 = 16;
    pub const BYTEA: u32 = 17;
    pub const NAME: u32 = 19;
    pub const INT8: u32 = 20;
    pub const INT2: u32 = 21;
    pub const INT4: u32 = 23;
    pub const TEXT: u32 = 25;
    pub const JSON: u32 = 114;
    pub const FLOAT4: u32 = 700;
    pub const FLOAT8: u32 = 701;
    pub const UNKNOWN: u32 = 705;
    pub const BPCHAR: u32 = 1042;
    pub const VARCHAR: u32 = 1043;
    #[cfg(any(feature = "chrono", feature = "time"))]
    pub const DATE: u32 = 1082;
    #[cfg(any(feature = "chrono", feature = "time"))]
    pub const TIME: u32 = 1083;
    #[cfg(any(feature = "chrono", feature = "time"))]
    pub const TIMESTAMP: u32 = 1114;
    #[cfg(any(feature = "chrono", feature = "time"))]
    pub const TIMESTAMPTZ: u32 = 1184;
    pub const NUMERIC: u32 = 1700;
    pub const JSONB: u32 = 3802;
    #[cfg(feature = "uuid")]
    pub const UUID: u32 = 2950;
}

impl std::fmt::Debug for PgValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgValue").field("type", &self.ty.name()).field("len", &self.bytes.len()).finish()
    }
}

impl<'a> PgValue<'a> {
    pub(crate) fn new(bytes: &'a [u8], ty: &'a Type) -> Self {
        PgValue { bytes, ty, oid: ty.oid() }
    }

    /// The value's bytes, as the server sent them in binary format.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The value's PostgreSQL type.
    pub fn pg_type(&self) -> &'a Type {
        self.ty
    }

    #[cold]
    fn mismatch(&self, expected: &str) -> crate::result::BoxError {
        let found = self.ty.name();
        Box::new(TypeMismatch::new(expected, found, format!("a PostgreSQL `{found}` value")))
    }

    fn fixed<const N: usize>(&self) -> DeserializeResult<[u8; N]> {
        self.bytes.try_into().map_err(|_| format!("a `{}` value of {} bytes", self.ty.name(), self.bytes.len()).into())
    }

    /// The value as a 64-bit integer, from `int2`, `int4` or `int8`.
    pub fn read_i64(&self) -> DeserializeResult<i64> {
        match self.oid {
            oid::INT2 => Ok(i64::from(i16::from_be_bytes(self.fixed()?))),
            oid::INT4 => Ok(i64::from(i32::from_be_bytes(self.fixed()?))),
            oid::INT8 => Ok(i64::from_be_bytes(self.fixed()?)),
            // `sum` of a `bigint` column is a `numeric`: read exactly when it is a whole i64.
            oid::NUMERIC => {
                let text = numeric_text(self.bytes)?;
                let whole = text.split_once('.').map_or(text.as_str(), |(whole, fraction)| {
                    if fraction.bytes().all(|b| b == b'0') { whole } else { "" }
                });
                whole.parse().map_err(|_| format!("the numeric {text} is not an integer that fits in an i64").into())
            }
            _ => Err(self.mismatch("an integer")),
        }
    }

    /// The value as a float, from `float4`, `float8` or `numeric` (which `avg` returns; rounded to the
    /// nearest `f64`).
    pub fn read_f64(&self) -> DeserializeResult<f64> {
        match self.oid {
            oid::FLOAT4 => Ok(f64::from(f32::from_be_bytes(self.fixed()?))),
            oid::FLOAT8 => Ok(f64::from_be_bytes(self.fixed()?)),
            oid::NUMERIC => {
                let text = numeric_text(self.bytes)?;
                let v: f64 = text.parse().map_err(|e| format!("a numeric value does not read as a float: {e}"))?;
                // Past f64's range the parse gives an infinity: an error, unless the numeric was one.
                if v.is_infinite() && !text.ends_with("inf") {
                    return Err(format!("the numeric {text} is past the range of an f64").into());
                }
                Ok(v)
            }
            _ => Err(self.mismatch("a float")),
        }
    }

    /// The value as text, checked to be UTF-8, from the text types, an enum's label, a domain over text,
    /// and `citext` (whose binary form is its text).
    pub fn read_str(&self) -> DeserializeResult<&'a str> {
        let textual = match self.oid {
            oid::TEXT | oid::VARCHAR | oid::BPCHAR | oid::NAME | oid::UNKNOWN => true,
            _ => match self.ty.kind() {
                postgres_types::Kind::Enum(_) => true,
                postgres_types::Kind::Domain(base) => {
                    matches!(*base, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME)
                }
                _ => self.ty.name() == "citext",
            },
        };
        if !textual {
            return Err(self.mismatch("text"));
        }
        std::str::from_utf8(self.bytes).map_err(|e| format!("the text is not valid UTF-8: {e}").into())
    }
}

impl<'a> crate::deserialize::ValueRef<'a> for PgValue<'a> {
    fn read_i64(&self) -> DeserializeResult<i64> {
        PgValue::read_i64(self)
    }
    fn read_f64(&self) -> DeserializeResult<f64> {
        PgValue::read_f64(self)
    }
    fn read_str(&self) -> DeserializeResult<&'a str> {
        PgValue::read_str(self)
    }
    fn read_bytes(&self) -> DeserializeResult<&'a [u8]> {
        match self.oid {
            oid::BYTEA => Ok(self.bytes),
            _ => Err(self.mismatch("bytea")),
        }
    }
}

/// The decimal text of a `numeric` in binary format: digit count, weight (of the first base-10000 digit),
/// sign, display scale, then the base-10000 digits.
fn numeric_text(bytes: &[u8]) -> DeserializeResult<String> {
    let word = |i: usize| -> DeserializeResult<u16> {
        bytes
            .get(2 * i..2 * i + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "a numeric value is cut short".into())
    };
    let (count, weight, sign) = (usize::from(word(0)?), i32::from(word(1)? as i16), word(2)?);
    match sign {
        0xC000 => return Ok("NaN".to_owned()),
        0xD000 => return Ok("inf".to_owned()),
        0xF000 => return Ok("-inf".to_owned()),
        0x0000 | 0x4000 => {}
        _ => return Err(format!("a numeric value with the unknown sign {sign:#06x}").into()),
    }
    let mut text = String::from(if sign == 0x4000 { "-0" } else { "0" });
    let mut fraction = String::new();
    for i in 0..count {
        let digit = word(4 + i)?;
        if digit > 9999 {
            return Err("a numeric digit is past 9999".into());
        }
        // Digit i stands for digit × 10000^(weight - i).
        if (i as i32) <= weight {
            text.push_str(&format!("{digit:04}"));
        } else {
            fraction.push_str(&format!("{digit:04}"));
        }
    }
    // Whole digits the stored ones stop short of, and fraction digits before the first stored one.
    for _ in (count as i32).max(0)..=weight {
        text.push_str("0000");
    }
    // The fraction as many digits as the display scale says: the stored base-10000 digits, after the
    // zero digits they skip, cut or padded with zeros (`100.000` keeps its three zeros, `12.5` has no
    // padding).
    let scale = usize::from(word(3)? & 0x3FFF);
    if scale > 0 {
        let leading = (-weight - 1).max(0) as usize;
        let mut digits = "0000".repeat(leading);
        digits.push_str(&fraction);
        digits.truncate(scale);
        while digits.len() < scale {
            digits.push('0');
        }
        text.push('.');
        text.push_str(&digits);
    }
    Ok(text)
}

fn narrow<T: TryFrom<i64>>(v: i64, what: &str) -> DeserializeResult<T> {
    T::try_from(v).map_err(|_| format!("the value {v} does not fit in {what}").into())
}

impl FromSql<SmallInt, Pg> for i16 {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        narrow(value.read_i64()?, "an i16")
    }
}
impl FromSql<Integer, Pg> for i32 {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        narrow(value.read_i64()?, "an i32")
    }
}
impl FromSql<BigInt, Pg> for i64 {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        value.read_i64()
    }
}
impl FromSql<Float, Pg> for f32 {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        match value.oid {
            oid::FLOAT4 => Ok(f32::from_be_bytes(value.fixed()?)),
            _ => Err(value.mismatch("a float4")),
        }
    }
}
impl FromSql<Double, Pg> for f64 {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        value.read_f64()
    }
}
impl FromSql<Bool, Pg> for bool {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        match (value.oid == oid::BOOL, value.bytes) {
            (true, [b]) => Ok(*b != 0),
            _ => Err(value.mismatch("a bool")),
        }
    }
}
impl FromSql<Text, Pg> for String {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        value.read_str().map(str::to_owned)
    }
}
impl FromSql<Binary, Pg> for Vec<u8> {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        match value.oid {
            oid::BYTEA => Ok(value.bytes.to_vec()),
            _ => Err(value.mismatch("bytea")),
        }
    }
}

/// Days and microseconds are counted from 2000-01-01 00:00 in PostgreSQL's binary format.
#[cfg(any(feature = "chrono", feature = "time"))]
const PG_EPOCH_DAYS_AFTER_1970: i64 = 10_957;

impl PgValue<'_> {
    /// A `date`: days since 2000-01-01 (`infinity` is an error: no Rust date holds it).
    #[cfg(any(feature = "chrono", feature = "time"))]
    fn read_date_days_since_1970(&self) -> DeserializeResult<i64> {
        match self.oid {
            oid::DATE => match i32::from_be_bytes(self.fixed()?) {
                i32::MAX | i32::MIN => Err("an infinite date has no Rust value".into()),
                days => Ok(i64::from(days) + PG_EPOCH_DAYS_AFTER_1970),
            },
            _ => Err(self.mismatch("a date")),
        }
    }

    /// A `time`: microseconds since midnight.
    #[cfg(any(feature = "chrono", feature = "time"))]
    fn read_time_micros(&self) -> DeserializeResult<i64> {
        match self.oid {
            oid::TIME => Ok(i64::from_be_bytes(self.fixed()?)),
            _ => Err(self.mismatch("a time")),
        }
    }

    /// A `timestamp` (or `timestamptz`, in UTC): microseconds since 1970-01-01 00:00.
    #[cfg(any(feature = "chrono", feature = "time"))]
    fn read_timestamp_micros_since_1970(&self) -> DeserializeResult<i64> {
        match self.oid {
            oid::TIMESTAMP | oid::TIMESTAMPTZ => match i64::from_be_bytes(self.fixed()?) {
                i64::MAX | i64::MIN => Err("an infinite timestamp has no Rust value".into()),
                micros => micros
                    .checked_add(PG_EPOCH_DAYS_AFTER_1970 * 86_400_000_000)
                    .ok_or_else(|| "the timestamp is out of range".into()),
            },
            _ => Err(self.mismatch("a timestamp")),
        }
    }
}

/// `chrono`'s dates and times from PostgreSQL's `date`, `time` and `timestamp`.
#[cfg(feature = "chrono")]
mod chrono_types {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

    use super::{Pg, PgValue};
    use crate::deserialize::{DeserializeResult, FromSql};
    use crate::sql_types::{Date, Time, Timestamp};

    impl FromSql<crate::sql_types::Timestamptz, Pg> for DateTime<chrono::Utc> {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let micros = value.read_timestamp_micros_since_1970()?;
            DateTime::from_timestamp_micros(micros).ok_or_else(|| "the timestamp is out of chrono's range".into())
        }
    }

    impl FromSql<Date, Pg> for NaiveDate {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let days = value.read_date_days_since_1970()?;
            DateTime::from_timestamp(days.saturating_mul(86_400), 0)
                .map(|t| t.date_naive())
                .ok_or_else(|| "the date is out of chrono's range".into())
        }
    }

    impl FromSql<Time, Pg> for NaiveTime {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let micros = value.read_time_micros()?;
            let (secs, nanos) = (micros.div_euclid(1_000_000), micros.rem_euclid(1_000_000) * 1_000);
            u32::try_from(secs)
                .ok()
                .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, nanos as u32))
                .ok_or_else(|| format!("{micros} microseconds is not a time of day").into())
        }
    }

    impl FromSql<Timestamp, Pg> for NaiveDateTime {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let micros = value.read_timestamp_micros_since_1970()?;
            DateTime::from_timestamp_micros(micros)
                .map(|t| t.naive_utc())
                .ok_or_else(|| "the timestamp is out of chrono's range".into())
        }
    }
}

/// `time`'s dates and times from PostgreSQL's `date`, `time` and `timestamp`.
#[cfg(feature = "time")]
mod time_types {
    use time::{Date as CalendarDate, OffsetDateTime, PrimitiveDateTime, Time as TimeOfDay};

    use super::{Pg, PgValue};
    use crate::deserialize::{DeserializeResult, FromSql};
    use crate::sql_types::{Date, Time, Timestamp};

    impl FromSql<crate::sql_types::Timestamptz, Pg> for OffsetDateTime {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let micros = value.read_timestamp_micros_since_1970()?;
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
                .map_err(|e| format!("the timestamp is out of range: {e}").into())
        }
    }

    impl FromSql<Date, Pg> for CalendarDate {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let days = value.read_date_days_since_1970()?;
            OffsetDateTime::from_unix_timestamp(days.saturating_mul(86_400))
                .map(OffsetDateTime::date)
                .map_err(|e| format!("the date is out of range: {e}").into())
        }
    }

    impl FromSql<Time, Pg> for TimeOfDay {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let micros = value.read_time_micros()?;
            // `24:00:00` is a PostgreSQL time, not a `time::Time`.
            if !(0..86_400_000_000).contains(&micros) {
                return Err(format!("{micros} microseconds is not a time of day").into());
            }
            let nanos = i128::from(micros) * 1_000;
            OffsetDateTime::from_unix_timestamp_nanos(nanos)
                .map(OffsetDateTime::time)
                .map_err(|e| format!("{micros} microseconds is not a time of day: {e}").into())
        }
    }

    impl FromSql<Timestamp, Pg> for PrimitiveDateTime {
        fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
            let micros = value.read_timestamp_micros_since_1970()?;
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
                .map(|t| PrimitiveDateTime::new(t.date(), t.time()))
                .map_err(|e| format!("the timestamp is out of range: {e}").into())
        }
    }
}

/// JSON text from `json` (its binary format is the text) and `jsonb` (a version byte, then the text).
impl<'a> PgValue<'a> {
    fn read_json_text(&self) -> DeserializeResult<&'a str> {
        let text = match self.oid {
            oid::JSON => self.bytes,
            oid::JSONB => match self.bytes.split_first() {
                Some((1, rest)) => rest,
                _ => return Err("a jsonb value of an unknown version".into()),
            },
            oid::TEXT | oid::VARCHAR => self.bytes,
            _ => return Err(self.mismatch("json")),
        };
        std::str::from_utf8(text).map_err(|e| format!("the JSON is not valid UTF-8: {e}").into())
    }
}

/// `Json` and `Jsonb` read the same: either server type, as text or as a `serde_json::Value`.
macro_rules! json_types {
    ($($st:ty),*) => {$(
        impl FromSql<$st, Pg> for String {
            fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
                value.read_json_text().map(str::to_owned)
            }
        }

        #[cfg(feature = "serde_json")]
        impl FromSql<$st, Pg> for serde_json::Value {
            fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
                serde_json::from_str(value.read_json_text()?).map_err(|e| format!("the value is not JSON: {e}").into())
            }
        }
    )*};
}
json_types!(Json, Jsonb);

/// `uuid::Uuid` from PostgreSQL's `uuid` (16 bytes).
#[cfg(feature = "uuid")]
impl FromSql<Uuid, Pg> for uuid::Uuid {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        match value.oid {
            oid::UUID => uuid::Uuid::from_slice(value.bytes).map_err(|e| format!("a bad uuid value: {e}").into()),
            _ => Err(value.mismatch("a uuid")),
        }
    }
}

#[cfg(feature = "rust_decimal")]
impl PgValue<'_> {
    /// A `numeric`'s decimal text; an integer column's value also reads as a numeric.
    fn read_numeric_text(&self) -> DeserializeResult<String> {
        match self.oid {
            oid::NUMERIC => numeric_text(self.bytes),
            oid::INT2 | oid::INT4 | oid::INT8 => Ok(self.read_i64()?.to_string()),
            _ => Err(self.mismatch("a numeric")),
        }
    }
}

/// A `numeric` as the nearest `f64`.
impl FromSql<Numeric, Pg> for f64 {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        value.read_f64()
    }
}

/// `rust_decimal::Decimal` from a `numeric`, exactly: `NaN`, the infinities and values past `Decimal`'s 28
/// digits are errors, never rounded.
#[cfg(feature = "rust_decimal")]
impl FromSql<Numeric, Pg> for rust_decimal::Decimal {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        let text = value.read_numeric_text()?;
        // `numeric_text` writes a leading zero before the whole digits ("-00012.5"): the parse takes it.
        rust_decimal::Decimal::from_str_exact(&text)
            .map_err(|e| format!("the numeric {text} does not fit a rust_decimal::Decimal: {e}").into())
    }
}

/// `PgInterval` from an `interval` (microseconds, days, months).
impl FromSql<Interval, Pg> for crate::data_types::PgInterval {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        if value.ty != &Type::INTERVAL {
            return Err(value.mismatch("an interval"));
        }
        let bytes: [u8; 16] = value.fixed()?;
        let micros = i64::from_be_bytes(bytes[..8].try_into().unwrap_or_default());
        let days = i32::from_be_bytes(bytes[8..12].try_into().unwrap_or_default());
        let months = i32::from_be_bytes(bytes[12..].try_into().unwrap_or_default());
        Ok(crate::data_types::PgInterval::new(micros, days, months))
    }
}

/// A one-dimensional array, each element read as `T` from the element type the server names. A NULL
/// element, or an array of two or more dimensions, is an error naming it.
impl<ST, T: FromSql<ST, Pg>> FromSql<Array<ST>, Pg> for Vec<T> {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        let bytes = value.bytes;
        let word = |at: usize| -> DeserializeResult<i32> {
            bytes
                .get(at..at + 4)
                .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or_else(|| "an array value is cut short".into())
        };
        if !matches!(value.ty.kind(), postgres_types::Kind::Array(_)) {
            return Err(value.mismatch("an array"));
        }
        let dimensions = word(0)?;
        let element_oid = word(8)? as u32;
        match dimensions {
            0 => return Ok(Vec::new()),
            1 => {}
            n => return Err(format!("an array of {n} dimensions cannot be read into a Vec").into()),
        }
        let len = usize::try_from(word(12)?).map_err(|_| "an array of negative length")?;
        let element_type = Type::from_oid(element_oid)
            .ok_or_else(|| format!("an array of elements of the unknown type {element_oid}"))?;
        let mut at = 20;
        // Each element is at least its 4-byte length: a length past the bytes cannot allocate first.
        let mut items = Vec::with_capacity(len.min(bytes.len() / 4));
        for i in 0..len {
            let size = word(at)?;
            at += 4;
            if size < 0 {
                return Err(format!("element {} of the array is NULL", i + 1).into());
            }
            let end =
                at.checked_add(size as usize).filter(|end| *end <= bytes.len()).ok_or("an array value is cut short")?;
            items.push(T::from_sql(PgValue::new(&bytes[at..end], &element_type))?);
            at = end;
        }
        Ok(items)
    }
}
