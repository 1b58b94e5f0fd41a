//! Reading SQLite values into Rust types, with range and UTF-8 checks.

use std::ffi::c_int;

use super::Sqlite;
use super::ffi::{ColumnType, Statement};
use crate::deserialize::{DeserializeResult, FromSql};
use crate::result::BoxError;
use crate::sql_types::*;

/// One non-NULL column value of the current SQLite row, borrowed from the statement.
#[derive(Clone, Copy)]
pub struct SqliteValue<'a> {
    stmt: &'a Statement,
    index: c_int,
    kind: ColumnType,
}

impl<'a> SqliteValue<'a> {
    /// The value of column `index`, or `None` for NULL.
    #[inline]
    pub(crate) fn new(stmt: &'a Statement, index: c_int) -> Option<Self> {
        match stmt.column_type(index) {
            ColumnType::Null => None,
            kind => Some(SqliteValue { stmt, index, kind }),
        }
    }

    /// Is the value stored as an INTEGER?
    pub fn is_integer(&self) -> bool {
        matches!(self.kind, ColumnType::Int)
    }

    /// Is the value stored as a REAL?
    pub fn is_real(&self) -> bool {
        matches!(self.kind, ColumnType::Real)
    }

    /// Is the value stored as a BLOB?
    pub fn is_blob(&self) -> bool {
        matches!(self.kind, ColumnType::Blob)
    }

    #[cold]
    fn mismatch(&self, expected: &str) -> BoxError {
        let found = self.storage();
        Box::new(crate::result::TypeMismatch::new(expected, found, format!("a {found} value")))
    }

    fn storage(&self) -> &'static str {
        match self.kind {
            ColumnType::Int => "INTEGER",
            ColumnType::Real => "REAL",
            ColumnType::Str => "TEXT",
            ColumnType::Blob => "BLOB",
            ColumnType::Null => "NULL",
        }
    }

    /// The value as a 64-bit integer; a text or blob value is an error (SQLite would silently convert).
    #[inline]
    pub fn read_i64(&self) -> DeserializeResult<i64> {
        match self.kind {
            ColumnType::Int => Ok(self.stmt.column_i64(self.index)),
            ColumnType::Real => {
                let f = self.stmt.column_f64(self.index);
                if f.fract() == 0.0 && f >= i64::MIN as f64 && f <= i64::MAX as f64 {
                    Ok(f as i64)
                } else {
                    Err(format!("the REAL value {f} is not an integer").into())
                }
            }
            _ => Err(self.mismatch("an integer")),
        }
    }

    /// The value as a 64-bit float.
    #[inline]
    pub fn read_f64(&self) -> DeserializeResult<f64> {
        match self.kind {
            ColumnType::Int | ColumnType::Real => Ok(self.stmt.column_f64(self.index)),
            _ => Err(self.mismatch("a number")),
        }
    }

    /// The value as text, checked to be UTF-8.
    #[inline]
    pub fn read_str(&self) -> DeserializeResult<&'a str> {
        match self.kind {
            ColumnType::Str => match std::str::from_utf8(self.stmt.column_text(self.index)) {
                Ok(s) => Ok(s),
                Err(e) => Err(not_utf8(e)),
            },
            _ => Err(self.mismatch("text")),
        }
    }

    /// The value as bytes (text is returned as its bytes).
    #[inline]
    pub fn read_blob(&self) -> DeserializeResult<&'a [u8]> {
        match self.kind {
            ColumnType::Blob => Ok(self.stmt.column_blob(self.index)),
            ColumnType::Str => Ok(self.stmt.column_text(self.index)),
            _ => Err(self.mismatch("bytes")),
        }
    }
}

impl<'a> crate::deserialize::ValueRef<'a> for SqliteValue<'a> {
    #[inline]
    fn read_i64(&self) -> DeserializeResult<i64> {
        SqliteValue::read_i64(self)
    }
    #[inline]
    fn read_f64(&self) -> DeserializeResult<f64> {
        SqliteValue::read_f64(self)
    }
    #[inline]
    fn read_str(&self) -> DeserializeResult<&'a str> {
        SqliteValue::read_str(self)
    }
    #[inline]
    fn read_bytes(&self) -> DeserializeResult<&'a [u8]> {
        SqliteValue::read_blob(self)
    }
}

#[cold]
fn not_utf8(e: std::str::Utf8Error) -> BoxError {
    format!("the text is not valid UTF-8: {e}").into()
}

fn narrow<T: TryFrom<i64>>(v: i64, ty: &str) -> DeserializeResult<T> {
    T::try_from(v).map_err(|_| format!("the integer {v} does not fit in {ty}").into())
}

#[diagnostic::do_not_recommend]
impl FromSql<SmallInt, Sqlite> for i16 {
    #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        narrow(value.read_i64()?, "i16")
    }
}
#[diagnostic::do_not_recommend]
impl FromSql<Integer, Sqlite> for i32 {
    #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        narrow(value.read_i64()?, "i32")
    }
}
#[diagnostic::do_not_recommend]
impl FromSql<BigInt, Sqlite> for i64 {
    #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        value.read_i64()
    }
}
#[diagnostic::do_not_recommend]
impl FromSql<Bool, Sqlite> for bool {
    #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        match value.read_i64()? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(format!("the integer {v} is not a boolean (0 or 1)").into()),
        }
    }
}
#[diagnostic::do_not_recommend]
impl FromSql<Float, Sqlite> for f32 {
    #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        // Narrowing a REAL to f32 loses precision by design of the Float type, never range.
        Ok(value.read_f64()? as f32)
    }
}
#[diagnostic::do_not_recommend]
impl FromSql<Double, Sqlite> for f64 {
    #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        value.read_f64()
    }
}

macro_rules! text_types {
    ($($st:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl FromSql<$st, Sqlite> for String {
            #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
                value.read_str().map(str::to_owned)
            }
        }
    )*};
}
text_types!(Text, Date, Time, Timestamp);

/// JSON text, whatever SQLite stored: text as it is; an INTEGER, REAL or JSONB BLOB (which SQLite's
/// JSON functions store) as the text `json(..)` would give.
#[diagnostic::do_not_recommend]
impl FromSql<Json, Sqlite> for String {
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        super::json::json_text(&value).map(std::borrow::Cow::into_owned)
    }
}

/// `Jsonb` reads as `Json` does: SQLite has one JSON, kept as text or as the JSONB blobs `jsonb()` writes.
#[diagnostic::do_not_recommend]
impl FromSql<Jsonb, Sqlite> for String {
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        <String as FromSql<Json, Sqlite>>::from_sql(value)
    }
}

#[diagnostic::do_not_recommend]
impl FromSql<Binary, Sqlite> for Vec<u8> {
    #[inline]
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        value.read_blob().map(<[u8]>::to_vec)
    }
}

/// The Julian day number of 1970-01-01 00:00 UTC, as `julianday()` writes it.
#[cfg(any(feature = "chrono", feature = "time"))]
const UNIX_EPOCH_JULIAN_DAY: f64 = 2_440_587.5;

/// A date or time text that does not parse: the error names the text and the form expected.
#[cfg(any(feature = "chrono", feature = "time"))]
fn unreadable(text: &str, what: &str, expected: &str) -> crate::result::BoxError {
    format!("the text {text:?} is not a {what} (expected {expected})").into()
}

/// `chrono`'s dates and times, read from the text forms SQLite's date functions write and read
/// (`2026-11-25 14:30:00`, with or without fractional seconds, a `T` between date and time, or a final
/// `Z`), from an integer counted in seconds since 1970 (`unixepoch()`, `strftime('%s')`), or from a
/// real number of days, the Julian day `julianday()` writes. A whole Julian day stored in a column of
/// numeric affinity (`TIMESTAMP`, `DATETIME`) becomes an INTEGER and reads as seconds: store
/// `julianday()` values in a `REAL` column, or convert them in the query.
#[cfg(feature = "chrono")]
mod chrono_types {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

    use super::{Sqlite, SqliteValue};
    use crate::deserialize::{DeserializeResult, FromSql};
    use crate::sql_types::{Date, Time, Timestamp};

    const DATE_FORMAT: &str = "%Y-%m-%d";
    const TIME_FORMATS: [&str; 2] = ["%H:%M:%S%.f", "%H:%M"];
    const TIMESTAMP_FORMATS: [&str; 4] =
        ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"];

    use super::unreadable;

    /// An instant, from text with an offset (`2026-11-30 16:36:00+02:00`, a `T`, a final `Z`), from
    /// text without one (read as UTC), or from unix seconds.
    #[diagnostic::do_not_recommend]
    impl FromSql<crate::sql_types::Timestamptz, Sqlite> for DateTime<chrono::Utc> {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            if value.is_integer() {
                let seconds = value.read_i64()?;
                return DateTime::from_timestamp(seconds, 0)
                    .ok_or_else(|| format!("{seconds} seconds since 1970 is out of range").into());
            }
            let text = value.read_str()?;
            let trimmed = text.trim();
            let with_zone = ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"]
                .iter()
                .find_map(|f| DateTime::parse_from_str(trimmed, f).ok())
                .or_else(|| DateTime::parse_from_rfc3339(trimmed).ok());
            if let Some(t) = with_zone {
                return Ok(t.with_timezone(&chrono::Utc));
            }
            <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value)
                .map(|t| t.and_utc())
                .map_err(|_| unreadable(text, "TIMESTAMPTZ", "YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM"))
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<Date, Sqlite> for NaiveDate {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            let text = value.read_str()?;
            NaiveDate::parse_from_str(text, DATE_FORMAT).map_err(|_| unreadable(text, "DATE", "YYYY-MM-DD"))
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<Time, Sqlite> for NaiveTime {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            let text = value.read_str()?;
            TIME_FORMATS
                .iter()
                .find_map(|f| NaiveTime::parse_from_str(text, f).ok())
                .ok_or_else(|| unreadable(text, "TIME", "HH:MM:SS[.fff]"))
        }
    }

    use super::UNIX_EPOCH_JULIAN_DAY;

    #[diagnostic::do_not_recommend]
    impl FromSql<Timestamp, Sqlite> for NaiveDateTime {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            if value.is_integer() {
                let seconds = value.read_i64()?;
                return DateTime::from_timestamp(seconds, 0)
                    .map(|t| t.naive_utc())
                    .ok_or_else(|| format!("{seconds} seconds since 1970 is out of the TIMESTAMP range").into());
            }
            if value.is_real() {
                let days = value.read_f64()?;
                let millis = ((days - UNIX_EPOCH_JULIAN_DAY) * 86_400_000.0).round();
                return (millis.is_finite() && millis.abs() < 1e17)
                    .then(|| DateTime::from_timestamp_millis(millis as i64))
                    .flatten()
                    .map(|t| t.naive_utc())
                    .ok_or_else(|| format!("the Julian day {days} is out of the TIMESTAMP range").into());
            }
            let text = value.read_str()?;
            let trimmed = text.strip_suffix('Z').unwrap_or(text);
            TIMESTAMP_FORMATS
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(trimmed, f).ok())
                .ok_or_else(|| unreadable(text, "TIMESTAMP", "YYYY-MM-DD HH:MM:SS[.fff]"))
        }
    }
}

/// `serde_json::Value` from JSON text, or from the INTEGER, REAL or JSONB BLOB SQLite's JSON functions
/// store; text that is not JSON is an error quoting the start of it.
#[cfg(feature = "serde_json")]
mod json_types {
    use super::{Sqlite, SqliteValue};
    use crate::deserialize::{DeserializeResult, FromSql};
    use crate::sql_types::Json;

    #[diagnostic::do_not_recommend]
    impl FromSql<crate::sql_types::Jsonb, Sqlite> for serde_json::Value {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            <serde_json::Value as FromSql<Json, Sqlite>>::from_sql(value)
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<Json, Sqlite> for serde_json::Value {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            if value.is_integer() {
                return Ok(value.read_i64()?.into());
            }
            let text = super::super::json::json_text(&value)?;
            serde_json::from_str(&text).map_err(|e| {
                let start: String = text.chars().take(40).collect();
                let more = if start.len() < text.len() { "..." } else { "" };
                format!("the text {start:?}{more} is not JSON: {e}").into()
            })
        }
    }
}

/// `time`'s dates and times, from the same forms as `chrono`'s: ISO 8601 text (`2026-11-25`, `14:30`,
/// `14:30:00.250`, `2026-11-25 14:30:00`, a `T` between date and time, a final `Z`), an INTEGER of
/// seconds since 1970, or a REAL Julian day.
#[cfg(feature = "time")]
mod time_types {
    use time::{Date as CalendarDate, Month, OffsetDateTime, PrimitiveDateTime, Time as TimeOfDay};

    use super::{Sqlite, SqliteValue};
    use crate::deserialize::{DeserializeResult, FromSql};
    use crate::sql_types::{Date, Time, Timestamp};

    use super::{UNIX_EPOCH_JULIAN_DAY, unreadable};

    fn digits(text: &str) -> Option<u32> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }

    /// `YYYY-MM-DD`.
    fn parse_date(text: &str) -> Option<CalendarDate> {
        let (year, rest) = text.split_once('-')?;
        let (month, day) = rest.split_once('-')?;
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let month = Month::try_from(u8::try_from(digits(month)?).ok()?).ok()?;
        CalendarDate::from_calendar_date(i32::try_from(digits(year)?).ok()?, month, u8::try_from(digits(day)?).ok()?)
            .ok()
    }

    /// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f` (1 to 9 digits).
    fn parse_time(text: &str) -> Option<TimeOfDay> {
        let mut parts = text.splitn(3, ':');
        let (hour, minute) = (parts.next()?, parts.next()?);
        let (second, fraction) = match parts.next() {
            None => ("0", ""),
            Some(s) => s.split_once('.').unwrap_or((s, "")),
        };
        if hour.len() != 2 || minute.len() != 2 || second.len() > 2 || fraction.len() > 9 {
            return None;
        }
        let nanos = if fraction.is_empty() { 0 } else { digits(fraction)? * 10u32.pow(9 - fraction.len() as u32) };
        let byte = |s: &str| digits(s).and_then(|n| u8::try_from(n).ok());
        TimeOfDay::from_hms_nano(byte(hour)?, byte(minute)?, byte(second)?, nanos).ok()
    }

    fn parse_timestamp(text: &str) -> Option<PrimitiveDateTime> {
        let text = text.strip_suffix('Z').unwrap_or(text);
        let (date, time) = text.split_at_checked(10)?;
        let time = time.strip_prefix(' ').or_else(|| time.strip_prefix('T'))?;
        Some(PrimitiveDateTime::new(parse_date(date)?, parse_time(time)?))
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<Date, Sqlite> for CalendarDate {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            let text = value.read_str()?;
            parse_date(text).ok_or_else(|| unreadable(text, "DATE", "YYYY-MM-DD"))
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<Time, Sqlite> for TimeOfDay {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            let text = value.read_str()?;
            parse_time(text).ok_or_else(|| unreadable(text, "TIME", "HH:MM:SS[.fff]"))
        }
    }

    #[diagnostic::do_not_recommend]
    impl FromSql<Timestamp, Sqlite> for PrimitiveDateTime {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            let utc = |t: OffsetDateTime| PrimitiveDateTime::new(t.date(), t.time());
            if value.is_integer() {
                let seconds = value.read_i64()?;
                return OffsetDateTime::from_unix_timestamp(seconds)
                    .map(utc)
                    .map_err(|_| format!("{seconds} seconds since 1970 is out of the TIMESTAMP range").into());
            }
            if value.is_real() {
                let days = value.read_f64()?;
                let millis = ((days - UNIX_EPOCH_JULIAN_DAY) * 86_400_000.0).round();
                return (millis.is_finite() && millis.abs() < 1e17)
                    .then(|| OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000).ok())
                    .flatten()
                    .map(utc)
                    .ok_or_else(|| format!("the Julian day {days} is out of the TIMESTAMP range").into());
            }
            let text = value.read_str()?;
            parse_timestamp(text).ok_or_else(|| unreadable(text, "TIMESTAMP", "YYYY-MM-DD HH:MM:SS[.fff]"))
        }
    }

    /// An instant, from text with an offset (`2026-11-30 16:36:00+02:00`, a `T`, a final `Z`), from text
    /// without one (read as UTC), or from unix seconds.
    #[diagnostic::do_not_recommend]
    impl FromSql<crate::sql_types::Timestamptz, Sqlite> for OffsetDateTime {
        fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
            if value.is_integer() {
                let seconds = value.read_i64()?;
                return OffsetDateTime::from_unix_timestamp(seconds)
                    .map_err(|_| format!("{seconds} seconds since 1970 is out of range").into());
            }
            let text = value.read_str()?;
            parse_instant(text.trim())
                .ok_or_else(|| unreadable(text, "TIMESTAMPTZ", "YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM"))
        }
    }

    fn parse_instant(text: &str) -> Option<OffsetDateTime> {
        // The offset, if any, is the `+HH:MM`/`-HH:MM` (or `+HHMM`) after the time, or a final `Z`.
        let (local, offset) = match text.get(19..).and_then(|rest| rest.rfind(['+', '-']).map(|at| 19 + at)) {
            Some(at) => {
                let sign: i32 = if text.as_bytes()[at] == b'-' { -1 } else { 1 };
                let zone = text[at + 1..].replace(':', "");
                if zone.len() != 4 {
                    return None;
                }
                let minutes = i32::try_from(digits(&zone[..2])? * 60 + digits(&zone[2..])?).ok()?;
                (&text[..at], time::UtcOffset::from_whole_seconds(sign * minutes * 60).ok()?)
            }
            None => (text, time::UtcOffset::UTC),
        };
        Some(parse_timestamp(local)?.assume_offset(offset).to_offset(time::UtcOffset::UTC))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_text_forms_parse_and_others_do_not() {
            assert_eq!(
                parse_date("2026-11-25").map(|d| d.to_julian_day()),
                CalendarDate::from_calendar_date(2026, Month::November, 25).ok().map(|d| d.to_julian_day())
            );
            for bad in ["2026-13-01", "2026-1-01", "26-11-25", "2026-11-25x", "", "2026/11/25"] {
                assert!(parse_date(bad).is_none(), "{bad}");
            }
            assert_eq!(parse_time("08:00").map(|t| t.as_hms_nano()), Some((8, 0, 0, 0)));
            assert_eq!(parse_time("08:00:05.25").map(|t| t.as_hms_nano()), Some((8, 0, 5, 250_000_000)));
            for bad in ["8:00", "08:60", "08:00:5x", "08:00:00.1234567890", "24:00"] {
                assert!(parse_time(bad).is_none(), "{bad}");
            }
            assert!(parse_timestamp("2026-11-25T08:00:00Z").is_some());
            assert!(parse_timestamp("2026-11-25 08:00").is_some());
            assert!(parse_timestamp("2026-11-25").is_none());
        }
    }
}

/// `uuid::Uuid` from a 16-byte BLOB (what Quarry writes) or from text in any of the usual forms
/// (`67e55044-10b1-426f-9247-bb680e5fe0c8`, braced, simple, URN), which other programs often store.
#[cfg(feature = "uuid")]
#[diagnostic::do_not_recommend]
impl FromSql<Uuid, Sqlite> for uuid::Uuid {
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        if value.is_blob() {
            let bytes = value.read_blob()?;
            return uuid::Uuid::from_slice(bytes)
                .map_err(|_| format!("a BLOB of {} bytes is not a UUID (16 bytes)", bytes.len()).into());
        }
        let text = value.read_str()?;
        uuid::Uuid::parse_str(text).map_err(|e| format!("the text {text:?} is not a UUID: {e}").into())
    }
}

/// A `Numeric` as an `f64`: from a number, or from the text Quarry writes for a decimal (rounded).
impl FromSql<Numeric, Sqlite> for f64 {
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        if value.is_integer() || value.is_real() {
            return value.read_f64();
        }
        let text = value.read_str()?;
        match text.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!("the text {text:?} is not a number").into()),
        }
    }
}

/// `rust_decimal::Decimal` from the text Quarry writes (every digit kept), or from the INTEGER or REAL a
/// `NUMERIC` column turned it into (a REAL read as its shortest decimal form). A number past `Decimal`'s
/// 28 digits is an error, never rounded.
#[cfg(feature = "rust_decimal")]
#[diagnostic::do_not_recommend]
impl FromSql<Numeric, Sqlite> for rust_decimal::Decimal {
    fn from_sql(value: SqliteValue<'_>) -> DeserializeResult<Self> {
        if value.is_integer() {
            return Ok(rust_decimal::Decimal::from(value.read_i64()?));
        }
        let text = if value.is_real() { value.read_f64()?.to_string() } else { value.read_str()?.trim().to_owned() };
        let parsed = if text.contains(['e', 'E']) {
            rust_decimal::Decimal::from_scientific(&text)
        } else {
            rust_decimal::Decimal::from_str_exact(&text)
        };
        parsed.map_err(|e| format!("the value {text:?} is not a decimal that fits a rust_decimal::Decimal: {e}").into())
    }
}
