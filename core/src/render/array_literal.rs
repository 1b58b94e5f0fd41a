//! The SQL-standard text form of an array, `{"a","b",NULL}`: how a list of values is bound as one array
//! (PostgreSQL's `= ANY($1)`, and `Array<T>` values).

use std::fmt::Write;

use super::{BindSink, BindValue};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};

/// Builds an array literal from bind values, one element each.
#[derive(Debug)]
pub struct ArrayLiteral {
    text: String,
}

/// A float as PostgreSQL's text reads it back exactly: the shortest round-trip form, `NaN`, `Infinity`.
pub fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity".to_owned() } else { "-Infinity".to_owned() }
    } else {
        format!("{v:?}")
    }
}

/// An interval in the words PostgreSQL reads: `1 mons 2 days 3 microseconds`.
pub fn interval_text(months: i32, days: i32, microseconds: i64) -> String {
    format!("{months} mons {days} days {microseconds} microseconds")
}

impl ArrayLiteral {
    /// An empty literal, sized for `len` elements.
    pub fn with_capacity(len: usize) -> Self {
        let mut text = String::with_capacity(len.saturating_mul(8).saturating_add(2));
        text.push('{');
        ArrayLiteral { text }
    }

    /// Appends one element, quoted: `"` and `\` escaped with a backslash.
    fn push_quoted(&mut self, value: &str) {
        self.text.push('"');
        for c in value.chars() {
            if c == '"' || c == '\\' {
                self.text.push('\\');
            }
            self.text.push(c);
        }
        self.text.push('"');
    }

    /// The finished literal.
    pub fn finish(mut self) -> String {
        self.text.push('}');
        self.text
    }
}

impl BindSink for ArrayLiteral {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        if self.text.len() > 1 {
            self.text.push(',');
        }
        match value {
            BindValue::Null => self.text.push_str("NULL"),
            BindValue::Boolean(v) => self.text.push_str(if v { "t" } else { "f" }),
            BindValue::I16(v) => write!(self.text, "{v}").unwrap_or(()),
            BindValue::I32(v) => write!(self.text, "{v}").unwrap_or(()),
            BindValue::I64(v) => write!(self.text, "{v}").unwrap_or(()),
            BindValue::F32(v) => self.push_quoted(&float_text(f64::from(v))),
            BindValue::F64(v) => self.push_quoted(&float_text(v)),
            BindValue::Str(v) => self.push_quoted(v),
            BindValue::Temporal(v, _) | BindValue::Numeric(v) => self.push_quoted(v.as_str()),
            BindValue::Interval { months, days, microseconds } => {
                self.push_quoted(&interval_text(months, days, microseconds));
            }
            BindValue::OwnedStr(v) => self.push_quoted(&v),
            BindValue::Bytes(v) => {
                let mut hex = String::with_capacity(2 + 2 * v.len());
                hex.push_str("\\x");
                for b in v {
                    let _ = write!(hex, "{b:02x}");
                }
                self.push_quoted(&hex);
            }
            BindValue::Uuid(v) => self.push_quoted(&super::uuid_text(&v)),
            BindValue::Array { .. } => {
                return Err(build_error(
                    BuildErrorKind::Unsupported,
                    "an array of arrays cannot be bound: arrays have one dimension",
                ));
            }
        }
        Ok(())
    }
}
