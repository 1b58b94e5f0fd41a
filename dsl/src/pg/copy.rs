//! `COPY table (columns) FROM STDIN` for `copy_from(..).from_insertable(..)`: the rows' bound values
//! written in COPY's text format (tab between fields, `\N` for NULL, backslash escapes) and streamed to
//! the server in blocks, so memory stays flat whatever the number of rows.

use std::fmt::Write as _;

use super::{Pg, PgConnection};
use crate::query::{CopyFromConnection, CopySource};
use crate::render::{AstPass, BindSink, BindValue, float_text, interval_text, uuid_text};
use crate::result::{Error, QueryResult, msg};

/// How many bytes of rows are gathered before they are sent.
const BLOCK: usize = 64 * 1024;

/// Writes one row's values as COPY text fields.
struct Fields<'b> {
    out: &'b mut String,
    count: usize,
}

impl Fields<'_> {
    /// Appends `text` with COPY's escapes: backslash, tab, newline and carriage return.
    fn push_escaped(&mut self, text: &str) {
        // In runs between the bytes to escape (all ASCII, so each run is whole characters).
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            let escaped = match b {
                b'\\' => "\\\\",
                b'\t' => "\\t",
                b'\n' => "\\n",
                b'\r' => "\\r",
                _ => continue,
            };
            self.out.push_str(&text[start..i]);
            self.out.push_str(escaped);
            start = i + 1;
        }
        self.out.push_str(&text[start..]);
    }
}

impl BindSink for Fields<'_> {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        if self.count > 0 {
            self.out.push('\t');
        }
        self.count += 1;
        match value {
            BindValue::Null => self.out.push_str("\\N"),
            BindValue::Boolean(v) => self.out.push(if v { 't' } else { 'f' }),
            BindValue::I16(v) => write!(self.out, "{v}").unwrap_or(()),
            BindValue::I32(v) => write!(self.out, "{v}").unwrap_or(()),
            BindValue::I64(v) => write!(self.out, "{v}").unwrap_or(()),
            BindValue::F32(v) => self.out.push_str(&float_text(f64::from(v))),
            BindValue::F64(v) => self.out.push_str(&float_text(v)),
            BindValue::Str(v) => self.push_escaped(v),
            BindValue::ShortStr(v) | BindValue::Numeric(v) => self.push_escaped(v.as_str()),
            BindValue::OwnedStr(v) => self.push_escaped(&v),
            // bytea's text form `\x0a0b`, its backslash escaped for COPY.
            BindValue::Bytes(v) => {
                self.out.push_str("\\\\x");
                for b in v {
                    let _ = write!(self.out, "{b:02x}");
                }
            }
            BindValue::Uuid(v) => self.out.push_str(&uuid_text(&v)),
            BindValue::Interval { months, days, microseconds } => {
                self.out.push_str(&interval_text(months, days, microseconds));
            }
            BindValue::Array { text, .. } => self.push_escaped(&text),
        }
        Ok(())
    }
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
    Err(Error::QueryBuilderError(msg(format!(
        "COPY writes values, and row {} of `copy_from` holds SQL (`{}`): insert such rows with `insert_into`",
        i + 1,
        crate::result::excerpt(&sql)
    ))))
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
        let sql = format!("COPY {target} FROM STDIN");
        // As many values as the first row has (the row type writes its columns and values together).
        let columns = plain_values(source, 0)?;
        let mut block = String::with_capacity(BLOCK + 1024);
        // The rows are checked and written into the first block before COPY starts, so that a row that
        // cannot be written fails before anything is sent.
        let mut next = 0;
        let write_rows = |block: &mut String, next: &mut usize| -> QueryResult<()> {
            while *next < rows && block.len() < BLOCK {
                if *next > 0 && !source.fixed_shape() && plain_values(source, *next)? != columns {
                    return Err(Error::QueryBuilderError(msg(format!(
                        "row {} of `copy_from` writes other columns than the first row",
                        *next + 1
                    ))));
                }
                let mut fields = Fields { out: block, count: 0 };
                source.walk_row(*next, &mut AstPass::collect_binds(&mut fields, &Pg))?;
                if fields.count != columns {
                    return Err(Error::QueryBuilderError(msg(format!(
                        "row {} of `copy_from` has {} values for {columns} columns",
                        *next + 1,
                        fields.count
                    ))));
                }
                block.push('\n');
                *next += 1;
            }
            Ok(())
        };
        write_rows(&mut block, &mut next)?;
        if sql.contains('\0') || block.contains('\0') {
            return Err(Error::QueryBuilderError(msg(
                "a value of `copy_from` holds a NUL byte, which PostgreSQL's text cannot",
            )));
        }
        self.run_copy(&sql, |send| {
            loop {
                send(block.as_bytes())?;
                if next == rows {
                    return Ok(());
                }
                block.clear();
                write_rows(&mut block, &mut next)?;
                if block.contains('\0') {
                    return Err(Error::QueryBuilderError(msg(
                        "a value of `copy_from` holds a NUL byte, which PostgreSQL's text cannot",
                    )));
                }
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
        let copied = self.wire_mut().copy_in(sql, |send| {
            fill(&mut |bytes| {
                send(bytes).map_err(|e| Error::QueryBuilderError(msg(format!("the COPY was cut short: {e}"))))
            })
        });
        match copied {
            Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
            // The socket failed under the COPY (the server went away): a closed connection, not the
            // message of the send that noticed it.
            Err(e) => Err(self.failed(e, Some(sql))),
        }
    }
}
