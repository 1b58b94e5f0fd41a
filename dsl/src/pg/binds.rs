//! Bound values for PostgreSQL: each value collected from the query, declared to the server with the
//! type its Rust value fixes (`int4` for an `i32`; strings and NULLs left for the server to infer from
//! the SQL), then written in binary format when the parameter's type takes it, as text otherwise (a
//! date, a numeric or a uuid given as text is parsed by the server).

use std::error::Error as StdError;

use bytes::{BufMut, BytesMut};
use postgres_types::{Format, IsNull, ToSql, Type, to_sql_checked};

use crate::render::{BindSink, BindValue, Temporal};
use crate::result::QueryResult;

/// One bound value, owned for the time of the call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PgBind {
    Null,
    Bool(bool),
    Int(i64, Type),
    Float(f64, Type),
    Text(String),
    Bytes(Vec<u8>),
    Uuid([u8; 16]),
    /// Text the server parses as a value of the given type (a decimal as `numeric`).
    TextAs(String, Type),
    /// An `interval`: months, days, microseconds.
    Interval(i32, i32, i64),
}

impl PgBind {
    /// The type declared for the parameter when the statement is prepared; `UNKNOWN` lets the server
    /// infer it from the SQL around the placeholder.
    pub(crate) fn declared_type(&self) -> Type {
        match self {
            PgBind::Null | PgBind::Text(_) => Type::UNKNOWN,
            PgBind::Bool(_) => Type::BOOL,
            PgBind::Int(_, ty) | PgBind::Float(_, ty) => ty.clone(),
            PgBind::Bytes(_) => Type::BYTEA,
            PgBind::Uuid(_) => Type::UUID,
            PgBind::TextAs(_, ty) => ty.clone(),
            PgBind::Interval(..) => Type::INTERVAL,
        }
    }

    /// True when the value goes in binary format for a parameter of type `ty`.
    fn binary_for(&self, ty: &Type) -> bool {
        match self {
            PgBind::Null | PgBind::Bytes(_) => true,
            PgBind::Uuid(_) => *ty == Type::UUID || *ty == Type::UNKNOWN,
            PgBind::Bool(_) => *ty == Type::BOOL,
            PgBind::Int(..) | PgBind::Float(..) => {
                matches!(*ty, Type::INT2 | Type::INT4 | Type::INT8 | Type::FLOAT4 | Type::FLOAT8)
            }
            PgBind::Text(_) => matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN),
            PgBind::TextAs(..) => false,
            PgBind::Interval(..) => *ty == Type::INTERVAL,
        }
    }
}

impl ToSql for PgBind {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        let out_of_range =
            |v: &dyn std::fmt::Display| format!("the value {v} does not fit in a `{}` parameter", ty.name());
        if !self.binary_for(ty) {
            let text = match self {
                PgBind::Bool(v) => if *v { "t" } else { "f" }.to_owned(),
                PgBind::Int(v, _) => v.to_string(),
                PgBind::Float(v, _) => crate::render::float_text(*v),
                PgBind::Text(v) | PgBind::TextAs(v, _) => v.clone(),
                // A UUID given to a parameter of another type (text, say) in its usual text.
                PgBind::Uuid(v) => crate::render::uuid_text(v),
                PgBind::Interval(months, days, micros) => crate::render::interval_text(*months, *days, *micros),
                PgBind::Null | PgBind::Bytes(_) => unreachable!("always binary"),
            };
            out.put_slice(text.as_bytes());
            return Ok(IsNull::No);
        }
        match self {
            PgBind::Null => return Ok(IsNull::Yes),
            PgBind::Bool(v) => out.put_u8(u8::from(*v)),
            PgBind::Int(v, _) => match *ty {
                Type::INT2 => out.put_i16(i16::try_from(*v).map_err(|_| out_of_range(v))?),
                Type::INT4 => out.put_i32(i32::try_from(*v).map_err(|_| out_of_range(v))?),
                Type::INT8 => out.put_i64(*v),
                // An integer where the server expects a float: only where the float holds it exactly.
                Type::FLOAT4 if v.unsigned_abs() > 1 << 24 => return Err(out_of_range(v).into()),
                Type::FLOAT8 if v.unsigned_abs() > 1 << 53 => return Err(out_of_range(v).into()),
                Type::FLOAT4 => out.put_f32(*v as f32),
                _ => out.put_f64(*v as f64),
            },
            PgBind::Float(v, _) => match *ty {
                // A double into a `real` parameter (the server inferred it): refused rather than rounded.
                Type::FLOAT4 if f64::from(*v as f32) != *v && !v.is_nan() => return Err(out_of_range(v).into()),
                Type::FLOAT4 => out.put_f32(*v as f32),
                Type::FLOAT8 => out.put_f64(*v),
                _ => return Err(format!("a float cannot be bound to a `{}` parameter", ty.name()).into()),
            },

            PgBind::Bytes(v) if *ty == Type::BYTEA || *ty == Type::UNKNOWN => out.put_slice(v),
            PgBind::Bytes(_) => return Err(format!("bytes cannot be bound to a `{}` parameter", ty.name()).into()),
            PgBind::Uuid(v) => out.put_slice(v),
            PgBind::Text(v) | PgBind::TextAs(v, _) => out.put_slice(v.as_bytes()),
            PgBind::Interval(months, days, micros) => {
                out.put_i64(*micros);
                out.put_i32(*days);
                out.put_i32(*months);
            }
        }
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, ty: &Type) -> Format {
        if self.binary_for(ty) { Format::Binary } else { Format::Text }
    }

    to_sql_checked!();
}

/// The parameter type of an array bound for elements of SQL type `element` (a `SQL_NAME`): the built-in
/// types' arrays (as `IN` lists have them), so that the array reads back as one where nothing else types
/// it (`select(vec.into_sql())`); `UNKNOWN` for text and any type of the user's own, which the server then
/// types from the SQL around the placeholder (`col = ANY($1)` is an array of the column's type: an enum's,
/// a domain's, `varchar`).
fn array_type(element: &str) -> Type {
    match element {
        "TEXT" => Type::UNKNOWN,
        other => super::value_list::array_type(other).unwrap_or(Type::UNKNOWN),
    }
}

/// The parameter type of a date, time or timestamp's text.
pub(crate) fn temporal_type(kind: Temporal) -> Type {
    match kind {
        Temporal::SqlDate => Type::DATE,
        Temporal::SqlTime => Type::TIME,
        Temporal::SqlTimestamp => Type::TIMESTAMP,
        Temporal::SqlTimestamptz => Type::TIMESTAMPTZ,
    }
}

/// Collects a query's bound values, in order.
#[derive(Debug, Default)]
pub(crate) struct Collect(pub(crate) Vec<PgBind>);

impl BindSink for Collect {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        self.0.push(match value {
            BindValue::Null => PgBind::Null,
            BindValue::Boolean(v) => PgBind::Bool(v),
            BindValue::I16(v) => PgBind::Int(i64::from(v), Type::INT2),
            BindValue::I32(v) => PgBind::Int(i64::from(v), Type::INT4),
            BindValue::I64(v) => PgBind::Int(v, Type::INT8),
            BindValue::F32(v) => PgBind::Float(f64::from(v), Type::FLOAT4),
            BindValue::F64(v) => PgBind::Float(v, Type::FLOAT8),
            BindValue::Str(v) => PgBind::Text(v.to_owned()),
            BindValue::Temporal(v, kind) => PgBind::TextAs(v.as_str().to_owned(), temporal_type(kind)),
            BindValue::OwnedStr(v) => PgBind::Text(v),
            BindValue::Bytes(v) => PgBind::Bytes(v.to_vec()),
            BindValue::Uuid(v) => PgBind::Uuid(v),
            BindValue::Numeric(v) => PgBind::TextAs(v.as_str().to_owned(), Type::NUMERIC),
            BindValue::Interval { months, days, microseconds } => PgBind::Interval(months, days, microseconds),
            // Left for the server to type from the SQL around it (`col = ANY($1)` is an array of the
            // column's type, an enum's or a domain's too), in the array text form it then parses.
            BindValue::Array { element, text } => PgBind::TextAs(text, array_type(element)),
        });
        Ok(())
    }
}
