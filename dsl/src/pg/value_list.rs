//! `IN` lists as one array: `x = ANY($1)` (`x <> ALL($1)` for `NOT IN`), the array sent in the SQL-standard
//! text form with the array type of the column's SQL type. One placeholder whatever the length, so a list
//! of 100,000 values binds as one value, and one prepared statement serves every length.

use postgres_types::Type;

use crate::backend::ListEncoder;
use crate::render::{ArrayLiteral, BindSink, BindValue};
use crate::result::QueryResult;

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
        "BYTEA" => Type::BYTEA_ARRAY,
        "DATE" => Type::DATE_ARRAY,
        "TIME" => Type::TIME_ARRAY,
        "TIMESTAMP" => Type::TIMESTAMP_ARRAY,
        "TIMESTAMPTZ" => Type::TIMESTAMPTZ_ARRAY,
        "UUID" => Type::UUID_ARRAY,
        "NUMERIC" => Type::NUMERIC_ARRAY,
        "JSONB" => Type::JSONB_ARRAY,
        "INTERVAL" => Type::INTERVAL_ARRAY,
        // `json` has no equality: its lists are written out, and the server says so.
        _ => return None,
    })
}

/// An `IN` list's values, as one array literal.
#[derive(Debug)]
pub(crate) struct ArrayList {
    element: &'static str,
    literal: ArrayLiteral,
}

impl ArrayList {
    pub(crate) fn new(len: usize, element: &'static str) -> Self {
        ArrayList { element, literal: ArrayLiteral::with_capacity(len) }
    }
}

impl BindSink for ArrayList {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        self.literal.bind(value)
    }
}

impl ListEncoder for ArrayList {
    fn sql(&self, _bytes: bool, negated: bool) -> (&'static str, &'static str) {
        (if negated { " <> ALL(" } else { " = ANY(" }, ")")
    }

    fn finish(self: Box<Self>) -> QueryResult<BindValue<'static>> {
        let ArrayList { element, literal } = *self;
        Ok(BindValue::Array { element, text: literal.finish() })
    }
}

#[cfg(test)]
mod tests {
    /// Every built-in type but `json` (which has no equality) has its array type here, under the SQL
    /// name the shared table gives it.
    #[test]
    fn every_built_in_type_but_json_binds_lists_as_an_array() {
        for t in crate::sql_types::built_in::BUILT_IN {
            assert_eq!(super::array_type(t.postgres).is_some(), t.name != "Json", "{}", t.name);
        }
    }
}
