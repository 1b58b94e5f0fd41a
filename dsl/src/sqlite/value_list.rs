//! Long `IN` lists as one bound value: a JSON array that `json_each` reads back, so `eq_any` with
//! 100,000 values needs one placeholder instead of more than SQLite's 32,766.

use std::fmt::Write;

use crate::backend::ListEncoder;
use crate::render::{BindSink, BindValue};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};

/// Lists up to this long keep one placeholder per value (`IN (?, ?)`), which SQLite plans best for
/// short lists; longer ones are bound as one JSON array.
pub(crate) const MAX_INLINE_LIST: usize = 256;

/// Builds the JSON array. Blobs are written as hex text and turned back into blobs in SQL (`unhex`).
#[derive(Debug)]
pub(crate) struct JsonList {
    json: String,
    /// How many values the list holds, to size the text once the first value comes.
    len: usize,
}

impl JsonList {
    pub(crate) fn new(len: usize) -> Self {
        JsonList { json: String::new(), len }
    }

    fn push_text(&mut self, text: &str) {
        super::json::push_json_string(&mut self.json, text);
    }

    fn push_float(&mut self, v: f64) {
        if v.is_nan() {
            // SQLite stores a bound NaN as NULL; JSON has no NaN either.
            self.json.push_str("null");
        } else if v.is_infinite() {
            // SQLite's JSON reader takes an overflowing literal as an infinity.
            self.json.push_str(if v > 0.0 { "9e999" } else { "-9e999" });
        } else {
            // `{:?}` writes the shortest text that reads back as the same f64.
            let _ = write!(self.json, "{v:?}");
        }
    }
}

impl BindSink for JsonList {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        if self.json.is_empty() {
            self.json.reserve(self.len.saturating_mul(8).saturating_add(2));
            self.json.push('[');
        } else {
            self.json.push(',');
        }
        let json = &mut self.json;
        match value {
            BindValue::Null => json.push_str("null"),
            BindValue::Boolean(v) => json.push_str(if v { "1" } else { "0" }),
            BindValue::I16(v) => write!(json, "{v}").unwrap_or(()),
            BindValue::I32(v) => write!(json, "{v}").unwrap_or(()),
            BindValue::I64(v) => write!(json, "{v}").unwrap_or(()),
            BindValue::F32(v) => self.push_float(f64::from(v)),
            BindValue::F64(v) => self.push_float(v),
            BindValue::Str(v) => self.push_text(v),
            BindValue::Temporal(v, _) | BindValue::Numeric(v) => self.push_text(v.as_str()),
            BindValue::Interval { months, days, microseconds } => {
                self.push_text(&crate::render::interval_text(months, days, microseconds))
            }
            BindValue::OwnedStr(v) => self.push_text(&v),
            BindValue::Array { .. } => {
                return Err(build_error(BuildErrorKind::Unsupported, "an array value cannot be an item of an IN list"));
            }
            BindValue::Bytes(_) | BindValue::Uuid(_) => {
                let bytes: &[u8] = match &value {
                    BindValue::Uuid(v) => v,
                    BindValue::Bytes(v) => v,
                    _ => &[],
                };
                json.push('"');
                for b in bytes {
                    let _ = write!(json, "{b:02x}");
                }
                json.push('"');
            }
        }
        Ok(())
    }
}

impl ListEncoder for JsonList {
    fn sql(&self, bytes: bool, negated: bool) -> (&'static str, &'static str) {
        let open = match (negated, bytes) {
            (false, false) => " IN (SELECT value FROM json_each(",
            (false, true) => " IN (SELECT unhex(value) FROM json_each(",
            (true, false) => " NOT IN (SELECT value FROM json_each(",
            (true, true) => " NOT IN (SELECT unhex(value) FROM json_each(",
        };
        (open, "))")
    }

    fn finish(mut self: Box<Self>) -> QueryResult<BindValue<'static>> {
        if self.json.is_empty() {
            self.json.push('[');
        }
        self.json.push(']');
        Ok(BindValue::OwnedStr(std::mem::take(&mut self.json)))
    }
}
