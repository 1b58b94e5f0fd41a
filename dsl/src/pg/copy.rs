//! `COPY table (columns) FROM STDIN` for `copy_from(..).from_insertable(..)`: the rows' bound values
//! streamed to the server in blocks, so memory stays flat whatever the number of rows. In COPY's binary
//! format when every target column has a type whose binary form Quarry writes (integers, floats, bool,
//! text and its kin, enums, bytea, uuid, interval, json, jsonb, date, time, timestamp, timestamptz,
//! numeric, and arrays of them) and the rows tried first go in as they are, else in its text format (tab
//! between fields, `\N` for NULL, backslash escapes), which the server parses. The column types are asked
//! of the server first (one round trip per COPY).

use std::io::Write as _;
use std::time::Instant;

use postgres_types::{Kind, Type};

use super::{Pg, PgConnection};
use crate::connection::instrumentation::Event;
use crate::query::{CopyFromConnection, CopySource};
use crate::render::{AstPass, BindSink, BindValue, float_text, interval_text, uuid_text};
use crate::result::{BuildErrorKind, build_error};
use crate::result::{Error, QueryResult};

/// How many bytes of rows are gathered before they are sent.
const BLOCK: usize = 64 * 1024;

/// Writes one row's values as COPY text fields.
struct Fields<'b> {
    out: &'b mut Vec<u8>,
    count: usize,
}

impl Fields<'_> {
    /// Appends `text` with COPY's escapes: backslash, tab, newline and carriage return.
    fn push_escaped(&mut self, text: &str) {
        // In runs between the bytes to escape.
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            let escaped: &[u8] = match b {
                b'\\' => b"\\\\",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                _ => continue,
            };
            self.out.extend_from_slice(&text.as_bytes()[start..i]);
            self.out.extend_from_slice(escaped);
            start = i + 1;
        }
        self.out.extend_from_slice(&text.as_bytes()[start..]);
    }
}

impl BindSink for Fields<'_> {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        if self.count > 0 {
            self.out.push(b'\t');
        }
        self.count += 1;
        // Writing to a Vec cannot fail.
        match value {
            BindValue::Null => self.out.extend_from_slice(b"\\N"),
            BindValue::Boolean(v) => self.out.push(if v { b't' } else { b'f' }),
            BindValue::I16(v) => write!(self.out, "{v}").unwrap_or(()),
            BindValue::I32(v) => write!(self.out, "{v}").unwrap_or(()),
            BindValue::I64(v) => write!(self.out, "{v}").unwrap_or(()),
            BindValue::F32(v) => self.out.extend_from_slice(float_text(f64::from(v)).as_bytes()),
            BindValue::F64(v) => self.out.extend_from_slice(float_text(v).as_bytes()),
            BindValue::Str(v) => self.push_escaped(v),
            BindValue::Temporal(v, _) | BindValue::Numeric(v) => self.push_escaped(v.as_str()),
            BindValue::OwnedStr(v) => self.push_escaped(&v),
            // bytea's text form `\x0a0b`, its backslash escaped for COPY.
            BindValue::Bytes(v) => {
                self.out.extend_from_slice(b"\\\\x");
                for b in v {
                    write!(self.out, "{b:02x}").unwrap_or(());
                }
            }
            BindValue::Uuid(v) => self.out.extend_from_slice(uuid_text(&v).as_bytes()),
            BindValue::Interval { months, days, microseconds } => {
                self.out.extend_from_slice(interval_text(months, days, microseconds).as_bytes());
            }
            BindValue::Array { text, .. } => self.push_escaped(&text),
        }
        Ok(())
    }
}

/// Whether COPY's binary format can carry values of `ty`: what [`Binary`] writes (the types an array
/// element may have, and `interval`).
fn binary_type(ty: &Type) -> bool {
    match ty.kind() {
        Kind::Domain(base) => binary_type(base),
        // The element types whose text the array writer reads back (not `interval`).
        Kind::Array(element) => super::text_to_binary::element_type(base_type(element)),
        _ => *ty == Type::INTERVAL || super::text_to_binary::element_type(ty),
    }
}

/// The type a domain stands on (itself for any other type).
fn base_type(ty: &Type) -> &Type {
    match ty.kind() {
        Kind::Domain(base) => base_type(base),
        _ => ty,
    }
}

/// A target column of a binary COPY, read once per COPY: its name and declared type (for messages), the
/// type its values are written as (a domain's base type), and whether text goes in as it is.
struct CopyColumn {
    name: String,
    declared: Type,
    ty: Type,
    text_like: bool,
}

impl CopyColumn {
    fn new(name: String, declared: Type) -> CopyColumn {
        let ty = base_type(&declared).clone();
        let text_like = matches!(ty.kind(), Kind::Enum(_))
            || matches!(ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::JSON);
        CopyColumn { name, declared, ty, text_like }
    }
}

/// Writes one row's values as COPY binary fields (a length, then the value as the server's binary form
/// for the column's type), each checked against its column's type.
struct Binary<'b> {
    out: &'b mut Vec<u8>,
    columns: &'b [CopyColumn],
    count: usize,
    row: usize,
    /// Set when a value was refused for a NUL byte: no format could send it.
    nul: bool,
    /// Set for each column that has had a value other than NULL, while the rows are tried.
    seen: Option<&'b mut [bool]>,
}

impl Binary<'_> {
    fn field(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        self.out.extend_from_slice(bytes);
    }

    fn mismatch(&self, what: &str, column: &CopyColumn) -> Error {
        Error::SerializationError(
            format!(
                "row {} of `copy_from`: {what} cannot go in column `{}`, of type `{}`",
                self.row + 1,
                column.name,
                column.declared.name()
            )
            .into(),
        )
    }
}

impl BindSink for Binary<'_> {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        let columns = self.columns;
        let Some(column) = columns.get(self.count) else {
            return Err(build_error(
                BuildErrorKind::CopyRow,
                format!("row {} of `copy_from` has more values than columns", self.row + 1),
            ));
        };
        // A value proves the column's values go in binary; a NULL, an empty array or one of NULLs does not.
        if let Some(seen) = self.seen.as_deref_mut()
            && match &value {
                BindValue::Null => false,
                BindValue::Array { text, .. } => super::text_to_binary::holds_a_value(text),
                _ => true,
            }
        {
            seen[self.count] = true;
        }
        self.count += 1;
        let ty = &column.ty;
        let text = match &value {
            BindValue::Str(v) => Some(*v),
            BindValue::OwnedStr(v) => Some(v.as_str()),
            _ => None,
        };
        let array_text = match &value {
            BindValue::Array { text, .. } => Some(text.as_str()),
            _ => None,
        };
        if text.or(array_text).is_some_and(|t| t.contains('\0')) {
            self.nul = true;
            return Err(build_error(
                BuildErrorKind::CopyRow,
                format!(
                    "row {} of `copy_from`: the value of column `{}` holds a NUL byte, which PostgreSQL's text cannot",
                    self.row + 1,
                    column.name
                ),
            ));
        }
        if let Some(text) = text {
            if column.text_like {
                self.field(text.as_bytes());
            } else if *ty == Type::JSONB {
                // jsonb's binary form: a version byte, then the text.
                self.out.extend_from_slice(&(text.len() as i32 + 1).to_be_bytes());
                self.out.push(1);
                self.out.extend_from_slice(text.as_bytes());
            } else {
                return Err(self.mismatch("text", column));
            }
            return Ok(());
        }
        // A value's text (a decimal's, a date's) in the column type's binary form.
        let from_text = |text: &str, what: &str, this: &mut Self| -> QueryResult<()> {
            match super::text_to_binary::value(text, ty) {
                Some(bytes) => {
                    this.field(&bytes);
                    Ok(())
                }
                None => Err(this.mismatch(&format!("{what} {text}"), column)),
            }
        };
        let integer = |v: i64, this: &mut Self| -> QueryResult<()> {
            let fits = |ok: bool| if ok { Ok(()) } else { Err(this.mismatch(&format!("the integer {v}"), column)) };
            match *ty {
                Type::NUMERIC => from_text(&v.to_string(), "the integer", this),
                Type::INT2 => fits(i16::try_from(v).is_ok()).map(|()| this.field(&(v as i16).to_be_bytes())),
                Type::INT4 => fits(i32::try_from(v).is_ok()).map(|()| this.field(&(v as i32).to_be_bytes())),
                Type::INT8 => {
                    this.field(&v.to_be_bytes());
                    Ok(())
                }
                _ => Err(this.mismatch("an integer", column)),
            }
        };
        match value {
            BindValue::Null => self.out.extend_from_slice(&(-1i32).to_be_bytes()),
            BindValue::Boolean(v) if *ty == Type::BOOL => self.field(&[u8::from(v)]),
            BindValue::I16(v) => integer(i64::from(v), self)?,
            BindValue::I32(v) => integer(i64::from(v), self)?,
            BindValue::I64(v) => integer(v, self)?,
            BindValue::F32(v) if *ty == Type::FLOAT4 => self.field(&v.to_be_bytes()),
            BindValue::F32(v) if *ty == Type::FLOAT8 => self.field(&f64::from(v).to_be_bytes()),
            BindValue::F64(v) if *ty == Type::FLOAT8 => self.field(&v.to_be_bytes()),
            // Rounded to the nearest `real`, as the server rounds the text (a finite value past its range
            // is refused, as there).
            BindValue::F64(v) if *ty == Type::FLOAT4 && ((v as f32).is_finite() || !v.is_finite()) => {
                self.field(&(v as f32).to_be_bytes())
            }
            BindValue::F32(v) if *ty == Type::NUMERIC => from_text(&float_text(f64::from(v)), "the number", self)?,
            BindValue::F64(v) if *ty == Type::NUMERIC => from_text(&float_text(v), "the number", self)?,
            BindValue::Numeric(v) if *ty == Type::NUMERIC => from_text(v.as_str(), "the number", self)?,
            BindValue::Numeric(v) if column.text_like => self.field(v.as_str().as_bytes()),
            BindValue::Temporal(v, _) if column.text_like => self.field(v.as_str().as_bytes()),
            BindValue::Array { text, .. } => {
                let bytes = match ty.kind() {
                    Kind::Array(element) => super::text_to_binary::array(&text, element, base_type(element)),
                    _ => None,
                };
                match bytes {
                    Some(bytes) => self.field(&bytes),
                    None => return Err(self.mismatch("an array", column)),
                }
            }
            // Into a column of its own type only (a `Timestamp` into a `timestamptz` column is the server's
            // conversion: the rows tried first send such a COPY as text).
            BindValue::Temporal(v, kind) if super::binds::temporal_type(kind) == *ty => {
                from_text(v.as_str(), "the date or time", self)?
            }
            BindValue::Bytes(v) if *ty == Type::BYTEA => self.field(v),
            BindValue::Uuid(v) if *ty == Type::UUID => self.field(&v),
            BindValue::Uuid(v) if column.text_like => self.field(uuid_text(&v).as_bytes()),
            BindValue::Interval { months, days, microseconds } if *ty == Type::INTERVAL => {
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&microseconds.to_be_bytes());
                bytes[8..12].copy_from_slice(&days.to_be_bytes());
                bytes[12..].copy_from_slice(&months.to_be_bytes());
                self.field(&bytes)
            }
            other => {
                let what = match other {
                    BindValue::Boolean(_) => "a bool",
                    BindValue::F32(_) | BindValue::F64(_) => "a float",
                    BindValue::Bytes(_) => "bytes",
                    BindValue::Uuid(_) => "a UUID",
                    BindValue::Interval { .. } => "an interval",
                    BindValue::Numeric(_) => "a numeric",
                    BindValue::Temporal(..) => "a date or time",
                    _ => "a value",
                };
                return Err(self.mismatch(what, column));
            }
        }
        Ok(())
    }
}

/// Where the column list of a COPY target (`"table" ("a", "b")`) starts: the first `(` outside quotes.
fn split_target(target: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in target.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => return Some((target[..i].trim_end(), target[i + 1..].strip_suffix(')')?)),
            _ => {}
        }
    }
    None
}

/// Checks that row `i` writes only its values (`$1, $2`: COPY takes values, not SQL expressions); returns
/// how many.
fn plain_values(source: &dyn CopySource, i: usize) -> QueryResult<usize> {
    let mut sql = String::new();
    source.walk_row(i, &mut AstPass::to_sql(&mut sql, &Pg))?;
    let parts = sql.split(", ").count();
    if sql.split(", ").enumerate().all(|(n, part)| part == format!("${}", n + 1)) {
        return Ok(parts);
    }
    if sql.split(", ").any(|part| part == "DEFAULT") {
        return Err(build_error(
            BuildErrorKind::CopyRow,
            format!(
                "row {} of `copy_from` leaves a NOT NULL column to its default (a `None`), which COPY cannot: insert such rows with `insert_into`",
                i + 1
            ),
        ));
    }
    Err(build_error(
        BuildErrorKind::CopyRow,
        format!(
            "COPY writes values, and row {} of `copy_from` holds SQL (`{}`): insert such rows with `insert_into`",
            i + 1,
            crate::result::excerpt(&sql)
        ),
    ))
}

#[diagnostic::do_not_recommend]
impl CopyFromConnection for PgConnection {
    fn copy_from(&mut self, source: &dyn CopySource) -> QueryResult<usize> {
        let rows = source.row_count();
        if rows == 0 {
            return Ok(0);
        }
        let mut target = String::new();
        source.walk_target(&mut AstPass::to_sql(&mut target, &Pg))?;
        if target.contains('\0') {
            return Err(build_error(BuildErrorKind::NulInSql, "the COPY target holds a NUL byte"));
        }
        // As many values as the first row has (the row type writes its columns and values together).
        let columns = plain_values(source, 0)?;
        // The target columns' types, as the server has them: binary COPY when it can carry them all.
        let types = match split_target(&target) {
            Some((table, list)) => self.before_statement().and_then(|()| {
                let described = self.wire_mut().prepare(&format!("SELECT {list} FROM {table} LIMIT 0"), &[]);
                match described {
                    Ok(stmt) => {
                        self.wire_mut().close_later(stmt.name.clone());
                        Ok(stmt.columns.into_iter().map(|c| CopyColumn::new(c.name, c.ty)).collect::<Vec<_>>())
                    }
                    Err(e) => Err(self.failed(e, None)),
                }
            })?,
            None => Vec::new(),
        };
        let mut binary = types.len() == columns && types.iter().all(|c| binary_type(&c.declared));
        if binary {
            // The first rows tell whether the values go in as they are (a `Timestamp` value for a
            // `timestamptz` column, say, does not): tried until each column has had a value other than
            // NULL (a NULL goes in any column). If one does not, the text format, which the server parses.
            let mut trial = Vec::new();
            let mut seen = vec![false; types.len()];
            for row in 0..rows {
                trial.clear();
                let mut fields =
                    Binary { out: &mut trial, columns: &types, count: 0, row, nul: false, seen: Some(&mut seen) };
                match source.walk_row(row, &mut AstPass::collect_binds(&mut fields, &Pg)) {
                    Ok(()) => {}
                    Err(e) if fields.nul => return Err(e),
                    Err(_) => {
                        binary = false;
                        break;
                    }
                }
                if seen.iter().all(|s| *s) {
                    break;
                }
            }
        }
        let sql = if binary {
            format!("COPY {target} FROM STDIN (FORMAT binary)")
        } else {
            format!("COPY {target} FROM STDIN")
        };
        let mut block: Vec<u8> = Vec::with_capacity(BLOCK + 1024);
        if binary {
            // The signature, no flags, no header extension.
            block.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
            block.extend_from_slice(&[0; 8]);
        }
        // The rows are checked and written into the first block before COPY starts, so that a row that
        // cannot be written fails before anything is sent.
        let mut next = 0;
        let write_rows = |block: &mut Vec<u8>, next: &mut usize| -> QueryResult<()> {
            while *next < rows && block.len() < BLOCK {
                if *next > 0 && !source.fixed_shape() && plain_values(source, *next)? != columns {
                    return Err(build_error(
                        BuildErrorKind::CopyRow,
                        format!("row {} of `copy_from` writes other columns than the first row", *next + 1),
                    ));
                }
                let count = if binary {
                    block.extend_from_slice(&(columns as i16).to_be_bytes());
                    let mut fields =
                        Binary { out: block, columns: &types, count: 0, row: *next, nul: false, seen: None };
                    source.walk_row(*next, &mut AstPass::collect_binds(&mut fields, &Pg))?;
                    fields.count
                } else {
                    let start = block.len();
                    let mut fields = Fields { out: block, count: 0 };
                    source.walk_row(*next, &mut AstPass::collect_binds(&mut fields, &Pg))?;
                    let count = fields.count;
                    if block[start..].contains(&0) {
                        return Err(build_error(
                            BuildErrorKind::CopyRow,
                            "a value of `copy_from` holds a NUL byte, which PostgreSQL's text cannot",
                        ));
                    }
                    block.push(b'\n');
                    count
                };
                if count != columns {
                    return Err(build_error(
                        BuildErrorKind::CopyRow,
                        format!("row {} of `copy_from` has {count} values for {columns} columns", *next + 1),
                    ));
                }
                *next += 1;
            }
            if binary && *next == rows {
                block.extend_from_slice(&(-1i16).to_be_bytes());
            }
            Ok(())
        };
        write_rows(&mut block, &mut next)?;
        self.run_copy(&sql, |send| {
            loop {
                send(&block)?;
                if next == rows {
                    return Ok(());
                }
                block.clear();
                write_rows(&mut block, &mut next)?;
            }
        })
    }
}

impl PgConnection {
    /// Runs `sql` (a `COPY .. FROM STDIN`), with `fill` sending the data through the function it is given;
    /// an error from `fill` aborts the COPY (nothing is written) and is returned.
    fn run_copy(
        &mut self,
        sql: &str,
        fill: impl FnOnce(&mut dyn FnMut(&[u8]) -> QueryResult<()>) -> QueryResult<()>,
    ) -> QueryResult<usize> {
        self.before_statement()?;
        let start = self.hook_mut().is_set().then(|| {
            self.hook_mut().emit(&Event::StatementStarted { sql, binds: 0, prepared: true });
            Instant::now()
        });
        let copied = self.wire_mut().copy_in(sql, |send| {
            fill(&mut |bytes| {
                send(bytes).map_err(|e| build_error(BuildErrorKind::Other, format!("the COPY was cut short: {e}")))
            })
        });
        let result = match copied {
            Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
            // The socket failed under the COPY (the server went away): a closed connection, not the
            // message of the send that noticed it.
            Err(e) => Err(self.failed(e, Some(sql))),
        };
        if let Some(start) = start {
            let (duration, rows, error) =
                (start.elapsed(), *result.as_ref().unwrap_or(&0) as u64, result.as_ref().err());
            self.hook_mut().emit(&Event::StatementFinished { sql, binds: 0, duration, rows, error });
            self.report_notices();
        }
        result
    }
}
