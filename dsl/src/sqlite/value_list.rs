//! Long `IN` lists as one bound value: a JSON array that `json_each` reads back, so `eq_any` with
//! 100,000 values needs one placeholder instead of more than SQLite's 32,766.

use std::fmt::Write;

use crate::backend::ListEncoder;
use crate::render::{BindSink, BindValue};
use crate::result::QueryResult;

/// Lists up to this long keep one placeholder per value (`IN (?, ?)`), which SQLite plans best for
/// short lists; longer ones are bound as one JSON array.
pub(crate) const MAX_INLINE_LIST: usize = 256;

/// Builds the JSON array. Blobs are written as hex text and turned back into blobs in SQL (`unhex`).
#[derive(Debug, Default)]
pub(crate) struct JsonList {
    json: String,
    blobs: bool,
}

impl JsonList {
    pub(crate) fn new(len: usize) -> Self {
        let mut json = String::with_capacity(len * 8 + 2);
        json.push('[');
        JsonList { json, blobs: false }
    }

    fn push_text(&mut self, text: &str) {
        self.json.push('"');
        for c in text.chars() {
            match c {
                '"' => self.json.push_str("\\\""),
                '\\' => self.json.push_str("\\\\"),
                c if u32::from(c) < 0x20 => {
                    // Writing to a String cannot fail.
                    let _ = write!(self.json, "\\u{:04x}", u32::from(c));
                }
                c => self.json.push(c),
            }
        }
        self.json.push('"');
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
        if self.json.len() > 1 {
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
            BindValue::ShortStr(v) => self.push_text(v.as_str()),
            BindValue::OwnedStr(v) => self.push_text(&v),
            BindValue::Bytes(v) => {
                self.blobs = true;
                json.push('"');
                for b in v {
                    let _ = write!(json, "{b:02x}");
                }
                json.push('"');
            }
        }
        Ok(())
    }
}

impl ListEncoder for JsonList {
    fn finish(mut self: Box<Self>) -> QueryResult<(&'static str, BindValue<'static>, &'static str)> {
        self.json.push(']');
        let open = if self.blobs { "(SELECT unhex(value) FROM json_each(" } else { "(SELECT value FROM json_each(" };
        Ok((open, BindValue::OwnedStr(std::mem::take(&mut self.json)), "))"))
    }
}
