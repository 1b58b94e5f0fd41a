//! `IN` lists as one array: `x = ANY($1)` (`x <> ALL($1)` for `NOT IN`), the array sent in the SQL-standard
//! text form with the array type of the column's SQL type. One placeholder whatever the length, so a list
//! of 100,000 values binds as one value, and one prepared statement serves every length.

use std::fmt::Write;

use postgres::types::Type;

use crate::backend::ListEncoder;
use crate::render::{BindSink, BindValue};
use crate::result::{Error, QueryResult, msg};

/// The PostgreSQL array type for elements of the SQL type named `element` (`SqlType::SQL_NAME`).
pub(crate) fn array_type(element: &str) -> Option<Type> {
    Some(match element {
        "SMALLINT" => Type::INT2_ARRAY,
        "INTEGER" => Type::INT4_ARRAY,
        "BIGINT" => Type::INT8_ARRAY,
        "REAL" => Type::FLOAT4_ARRAY,
        "DOUBLE PRECISION" => Type::FLOAT8_ARRAY,
        "TEXT" => Type::TEXT_ARRAY,
        "BOOLEAN" => Type::BOOL_ARRAY,
        "BLOB" => Type::BYTEA_ARRAY,
        "DATE" => Type::DATE_ARRAY,
        "TIME" => Type::TIME_ARRAY,
        "TIMESTAMP" => Type::TIMESTAMP_ARRAY,
        "TIMESTAMPTZ" => Type::TIMESTAMPTZ_ARRAY,
        "UUID" => Type::UUID_ARRAY,
        "NUMERIC" => Type::NUMERIC_ARRAY,
        "JSONB" => Type::JSONB_ARRAY,
        // `json` has no equality: its lists are written out, and the server says so.
        _ => return None,
    })
}

/// Builds the array literal `{"1","two",NULL}` from the list's values.
#[derive(Debug)]
pub(crate) struct ArrayList {
    element: &'static str,
    text: String,
}

impl ArrayList {
    pub(crate) fn new(len: usize, element: &'static str) -> Self {
        let mut text = String::with_capacity(len.saturating_mul(8).saturating_add(2));
        text.push('{');
        ArrayList { element, text }
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
}

impl BindSink for ArrayList {
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
            BindValue::F32(v) => self.push_quoted(&super::binds::float_text(f64::from(v))),
            BindValue::F64(v) => self.push_quoted(&super::binds::float_text(v)),
            BindValue::Str(v) => self.push_quoted(v),
            BindValue::ShortStr(v) | BindValue::Numeric(v) => self.push_quoted(v.as_str()),
            BindValue::OwnedStr(v) => self.push_quoted(&v),
            BindValue::Bytes(v) => {
                let mut hex = String::with_capacity(2 + 2 * v.len());
                hex.push_str("\\x");
                for b in v {
                    let _ = write!(hex, "{b:02x}");
                }
                self.push_quoted(&hex);
            }
            BindValue::Uuid(v) => self.push_quoted(&crate::render::uuid_text(&v)),
            BindValue::Array { .. } => {
                return Err(Error::QueryBuilderError(msg("an array value cannot be an item of an IN list")));
            }
        }
        Ok(())
    }
}

impl ListEncoder for ArrayList {
    fn sql(&self, _bytes: bool, negated: bool) -> (&'static str, &'static str) {
        (if negated { " <> ALL(" } else { " = ANY(" }, ")")
    }

    fn finish(mut self: Box<Self>) -> QueryResult<BindValue<'static>> {
        self.text.push('}');
        Ok(BindValue::Array { element: self.element, text: std::mem::take(&mut self.text) })
    }
}
