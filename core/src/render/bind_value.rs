//! The backend-neutral form of a bound value, borrowed from the user's data.

/// One bound value, as handed to the driver. Text and bytes are borrowed, never copied here; values
/// turned into text on the way (dates, JSON) are held by the value itself.
#[derive(Debug, Clone, PartialEq)]
pub enum BindValue<'a> {
    /// SQL NULL.
    Null,
    /// A boolean.
    Boolean(bool),
    /// A 16-bit integer.
    I16(i16),
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A 32-bit float.
    F32(f32),
    /// A 64-bit float.
    F64(f64),
    /// Text.
    Str(&'a str),
    /// Bytes.
    Bytes(&'a [u8]),
    /// A date, time or timestamp in its ISO 8601 text (`2026-11-25`, `14:30:00.250`, `2026-11-25
    /// 14:30:00.250`, with `+00:00` for a `Timestamptz`), held inline so the value stays `Copy` and
    /// allocates nothing; which of the four it is, so that a backend can type the parameter (PostgreSQL
    /// would take text it cannot place for `text`).
    Temporal(ShortText, Temporal),
    /// Text serialized for the occasion (a JSON document).
    OwnedStr(String),
    /// A UUID's 16 bytes: a BLOB on SQLite, a `uuid` on PostgreSQL.
    Uuid([u8; 16]),
    /// An exact decimal in its text (`-12.50`): TEXT on SQLite, a `numeric` parameter on PostgreSQL.
    Numeric(ShortText),
    /// A PostgreSQL `interval`: months, days and microseconds.
    Interval {
        /// Months.
        months: i32,
        /// Days.
        days: i32,
        /// Microseconds.
        microseconds: i64,
    },
    /// A whole `IN` list bound as one array, in the SQL-standard text form (`{"1","2",NULL}`) of an array
    /// of `element` (a [`SqlType::SQL_NAME`](crate::sql_types::SqlType::SQL_NAME)): what PostgreSQL's
    /// list encoder gives for `= ANY($1)`.
    Array {
        /// The elements' SQL type name.
        element: &'static str,
        /// The array literal.
        text: String,
    },
}

/// Which SQL type a [`BindValue::Temporal`] text is a value of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temporal {
    /// `Date`: `2026-11-25`.
    SqlDate,
    /// `Time`: `14:30:00`, with fractional seconds when there are some.
    SqlTime,
    /// `Timestamp`: a date and a time, a space between.
    SqlTimestamp,
    /// `Timestamptz`: a timestamp in UTC, six fraction digits and `+00:00`.
    SqlTimestamptz,
}

impl BindValue<'static> {
    /// The value of SQL type `kind` whose ISO 8601 text `text` writes; an error if the text is longer
    /// than [`ShortText::CAPACITY`].
    pub fn temporal(kind: Temporal, text: impl std::fmt::Display) -> crate::result::QueryResult<BindValue<'static>> {
        ShortText::format(text).map(|t| BindValue::Temporal(t, kind)).ok_or_else(|| {
            crate::result::Error::SerializationError(crate::result::msg("a date or time too long to bind as text"))
        })
    }
}

/// A UUID's 16 bytes in their usual text: `67e55044-10b1-426f-9247-bb680e5fe0c8`.
pub fn uuid_text(bytes: &[u8; 16]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Up to [`ShortText::CAPACITY`] bytes of UTF-8 text, held inline: what a date, a time or a timestamp
/// renders to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ShortText {
    len: u8,
    bytes: [u8; ShortText::CAPACITY],
}

impl ShortText {
    /// The most bytes it holds.
    pub const CAPACITY: usize = 40;

    /// Formats `value` into a new `ShortText`; `None` if the text is longer than [`Self::CAPACITY`].
    pub fn format(value: impl std::fmt::Display) -> Option<ShortText> {
        use std::fmt::Write;
        let mut text = ShortText { len: 0, bytes: [0; Self::CAPACITY] };
        write!(text, "{value}").ok()?;
        Some(text)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only whole `&str`s are ever appended (`write_str`), so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::fmt::Write for ShortText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let start = usize::from(self.len);
        let end = start + s.len();
        if end > Self::CAPACITY {
            return Err(std::fmt::Error);
        }
        self.bytes[start..end].copy_from_slice(s.as_bytes());
        self.len = end as u8;
        Ok(())
    }
}

impl std::fmt::Debug for ShortText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}
