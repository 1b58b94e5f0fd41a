//! Rendering: how a query value becomes SQL text and bind values.
//!
//! Every node implements [`QueryFragment::walk`], which pushes SQL text, identifiers and bind
//! values into an [`AstPass`]. The same walk serves three passes: writing the SQL text, handing the
//! bind values to the driver (no text is built), and collecting them for [`debug_query`].

mod array_literal;
mod bind_value;
mod debug_query;
mod query_id;

pub use array_literal::{ArrayLiteral, float_text, interval_text};
pub use bind_value::{BindValue, ShortText, Temporal, uuid_text};
pub use debug_query::{DebugQuery, debug_query};
pub use query_id::{CacheKey, QueryId};

use crate::backend::Dialect;
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};

/// A piece of SQL: a whole statement, a clause or an expression.
pub trait QueryFragment {
    /// Pushes this fragment's SQL, identifiers and binds into `out`.
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()>;

    /// True when running this statement would do nothing (an insert of zero rows); the connection then
    /// skips it.
    fn is_noop(&self) -> bool {
        false
    }

    /// True when this statement's SQL begins with a WITH clause (a subquery in FROM), which SQLite does
    /// not accept after UNION and the like.
    fn has_with_clause(&self) -> bool {
        false
    }

    /// True when that WITH clause is recursive (`WITH RECURSIVE`).
    fn has_recursive_with(&self) -> bool {
        false
    }

    /// The statement as rows that may be split over several statements (a multi-row INSERT), for a
    /// backend that limits how many values one statement binds.
    fn row_batch(&self) -> Option<&dyn RowBatch> {
        None
    }
}

/// A statement made of rows that may be written as several statements of consecutive rows.
pub trait RowBatch {
    /// How many rows it holds.
    fn row_count(&self) -> usize;
    /// Writes the statement with only the rows in `rows`.
    fn walk_rows(&self, rows: std::ops::Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Which of row `row`'s fields leave their column to its default (one bit each), and whether that is
    /// every column: where VALUES takes no `DEFAULT`, only rows of one mask share a statement, and a row
    /// that writes no column is a statement of its own (`DEFAULT VALUES`).
    fn default_mask(&self, row: usize) -> (u64, bool) {
        let _ = row;
        (0, false)
    }
    /// Whether any row may leave a column to its default (its type has such a field).
    fn may_default(&self) -> bool {
        false
    }
}

/// Receives bind values in order.
pub trait BindSink {
    /// Takes the next bind value.
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()>;
}

enum Pass<'a> {
    Sql {
        sql: &'a mut String,
        binds: usize,
    },
    Binds(&'a mut dyn BindSink),
    /// Notes what a list item writes, for [`AstPass::push_value_list`].
    Probe(&'a mut ListProbe),
}

/// What the items of a list wrote: a list of plain values (one bind each, no SQL) may be bound as one.
#[derive(Debug, Default)]
struct ListProbe {
    sql: bool,
    binds: usize,
    bytes: bool,
}

/// The visitor a [`QueryFragment`] writes into.
pub struct AstPass<'a> {
    pass: Pass<'a>,
    dialect: &'a dyn Dialect,
    /// A statement-level WITH clause was written and waits for the statement's own CTEs to follow it.
    /// A WITH clause left open for the statement being written, with the names of its CTEs.
    open_with: Option<Vec<&'static str>>,
}

impl<'a> AstPass<'a> {
    /// A pass that appends the SQL text to `sql`.
    pub fn to_sql(sql: &'a mut String, dialect: &'a dyn Dialect) -> Self {
        AstPass { pass: Pass::Sql { sql, binds: 0 }, dialect, open_with: None }
    }

    /// A pass that hands every bind value, in order, to `sink`, and writes no text.
    pub fn collect_binds(sink: &'a mut dyn BindSink, dialect: &'a dyn Dialect) -> Self {
        AstPass { pass: Pass::Binds(sink), dialect, open_with: None }
    }

    /// Leaves the WITH clause written so far open: the statement that follows continues it with its own
    /// common table expressions (see [`take_open_with_clause`](Self::take_open_with_clause)).
    pub fn continue_with_clause(&mut self, names: Vec<&'static str>) {
        self.open_with = Some(names);
    }

    /// The names of the CTEs of a WITH clause left open for the statement being written (once), if one was.
    pub fn take_open_with_clause(&mut self) -> Option<Vec<&'static str>> {
        self.open_with.take()
    }

    /// Appends raw SQL text (keywords, operators, punctuation).
    #[inline]
    pub fn push_sql(&mut self, text: &str) {
        match &mut self.pass {
            Pass::Sql { sql, .. } => sql.push_str(text),
            Pass::Probe(probe) => probe.sql |= !text.is_empty(),
            Pass::Binds(_) => {}
        }
    }

    /// Appends a quoted identifier.
    #[inline]
    pub fn push_identifier(&mut self, ident: &str) {
        match &mut self.pass {
            Pass::Sql { sql, .. } => self.dialect.push_identifier(sql, ident),
            Pass::Probe(probe) => probe.sql = true,
            Pass::Binds(_) => {}
        }
    }

    /// Appends a placeholder and hands `value` to the driver (or the debug collector).
    #[inline]
    pub fn push_bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        match &mut self.pass {
            Pass::Sql { sql, binds } => {
                self.dialect.push_bind_placeholder(sql, *binds);
                *binds += 1;
                Ok(())
            }
            Pass::Binds(sink) => sink.bind(value),
            Pass::Probe(probe) => {
                probe.binds += 1;
                probe.bytes |= matches!(value, BindValue::Bytes(_) | BindValue::Uuid(_));
                Ok(())
            }
        }
    }

    /// Writes the operator and list of `len` values of an `IN` (`NOT IN` when `negated`): ` IN (?, ?, ?)`,
    /// each value written by `item(i, out)`, or, where the dialect binds lists as one value
    /// ([`Dialect::list_encoder`]), its form (` = ANY($1)`). `element` names the values' SQL type.
    pub fn push_value_list(
        &mut self,
        len: usize,
        element: Option<&'static str>,
        negated: bool,
        item: impl Fn(usize, &mut AstPass<'_>) -> QueryResult<()>,
    ) -> QueryResult<()> {
        if let Some(mut encoder) = self.dialect.list_encoder(len, element) {
            // Only a list of plain values is bound as one: an item that writes SQL (a column, an
            // expression) keeps the list written out.
            let mut probe = ListProbe::default();
            let mut plain = true;
            for i in 0..len {
                (probe.sql, probe.binds) = (false, 0);
                item(i, &mut AstPass { pass: Pass::Probe(&mut probe), dialect: self.dialect, open_with: None })?;
                if probe.sql || probe.binds != 1 {
                    plain = false;
                    break;
                }
            }
            if plain {
                let (open, close) = encoder.sql(probe.bytes, negated);
                let value = if self.is_sql_pass() {
                    BindValue::Null
                } else {
                    let mut items = AstPass::collect_binds(&mut *encoder, self.dialect);
                    for i in 0..len {
                        item(i, &mut items)?;
                    }
                    encoder.finish()?
                };
                self.push_sql(open);
                self.push_bind(value)?;
                self.push_sql(close);
                return Ok(());
            }
        }
        self.push_sql(if negated { " NOT IN (" } else { " IN (" });
        for i in 0..len {
            if i > 0 {
                self.push_sql(", ");
            }
            item(i, self)?;
        }
        self.push_sql(")");
        Ok(())
    }

    /// Appends an integer literal (used for constant LIMIT/OFFSET, which SQLite plans better unbound).
    pub fn push_integer_literal(&mut self, value: i64) {
        if let Pass::Probe(probe) = &mut self.pass {
            probe.sql = true;
        }
        if let Pass::Sql { sql, .. } = &mut self.pass {
            use std::fmt::Write;
            // Writing to a String cannot fail.
            let _ = write!(sql, "{value}");
        }
    }

    /// Appends the dialect's current time (`date` false) or date (`date` true) in UTC.
    pub fn push_current_time_utc(&mut self, date: bool) {
        if let Pass::Probe(probe) = &mut self.pass {
            probe.sql = true;
        }
        if let Pass::Sql { sql, .. } = &mut self.pass {
            let (time, day) = self.dialect.current_time_utc();
            sql.push_str(if date { day } else { time });
        }
    }

    /// True when the dialect writes a DELETE's other tables with `USING` ([`Dialect::delete_using`]).
    pub fn deletes_with_using(&self) -> bool {
        self.dialect.delete_using()
    }

    /// The SQL around a JSON field's key after the document ([`Dialect::json_field_key`]).
    pub fn json_field_key(&self) -> (&'static str, &'static str) {
        self.dialect.json_field_key()
    }

    /// Whether VALUES may hold `DEFAULT` here ([`Dialect::default_in_values`]).
    pub fn default_in_values(&self) -> bool {
        self.dialect.default_in_values()
    }

    /// Appends `DEFAULT` as a VALUES item; an error where the dialect has none there (a row leaving a
    /// column to its default leaves it out instead).
    pub fn push_default_value(&mut self) -> QueryResult<()> {
        if !self.dialect.default_in_values() {
            return Err(build_error(
                BuildErrorKind::Unsupported,
                "this database takes no DEFAULT in VALUES: the column is left out of the statement instead",
            ));
        }
        self.push_sql("DEFAULT");
        Ok(())
    }

    /// Appends what asks the database for a statement's plan ([`Dialect::explain_prefix`]).
    pub fn push_explain_prefix(&mut self) {
        if let Pass::Probe(probe) = &mut self.pass {
            probe.sql = true;
        }
        if let Pass::Sql { sql, .. } = &mut self.pass {
            sql.push_str(self.dialect.explain_prefix());
        }
    }

    /// Appends the dialect's random `Double` in `[0, 1)` ([`Dialect::random`]).
    pub fn push_random(&mut self) {
        if let Pass::Probe(probe) = &mut self.pass {
            probe.sql = true;
        }
        if let Pass::Sql { sql, .. } = &mut self.pass {
            sql.push_str(self.dialect.random());
        }
    }

    /// Appends the dialect's LIMIT for "no limit", needed before a lone OFFSET.
    pub fn push_unbounded_limit(&mut self) {
        if let Pass::Probe(probe) = &mut self.pass {
            probe.sql = true;
        }
        if let Pass::Sql { sql, .. } = &mut self.pass {
            sql.push_str(self.dialect.unbounded_limit());
        }
    }

    /// Runs `f`, which returns how many items it wrote; writes `separator` before them when `needed`
    /// and `f` wrote at least one (so a part that turns out empty leaves no dangling separator).
    pub fn separated(
        &mut self,
        needed: bool,
        separator: &str,
        f: impl FnOnce(&mut Self) -> QueryResult<usize>,
    ) -> QueryResult<usize> {
        let mark = match &mut self.pass {
            Pass::Sql { sql, .. } => {
                let mark = sql.len();
                if needed {
                    sql.push_str(separator);
                }
                Some(mark)
            }
            Pass::Binds(_) | Pass::Probe(_) => None,
        };
        let written = f(self)?;
        if written == 0
            && let (Some(mark), Pass::Sql { sql, .. }) = (mark, &mut self.pass)
        {
            sql.truncate(mark);
        }
        Ok(written)
    }

    /// True during the pass that writes SQL text.
    pub fn is_sql_pass(&self) -> bool {
        matches!(self.pass, Pass::Sql { .. })
    }
}

/// Renders `fragment` to SQL text with `dialect`'s placeholders.
pub fn render_sql(fragment: &dyn QueryFragment, dialect: &dyn Dialect) -> QueryResult<String> {
    let mut sql = String::with_capacity(256);
    fragment.walk(&mut AstPass::to_sql(&mut sql, dialect))?;
    Ok(sql)
}

/// Implements [`QueryFragment`] for a tuple by walking its elements separated by `, `.
macro_rules! tuple_fragments {
    ($($T:ident $idx:tt),+) => {
        impl<$($T: QueryFragment),+> QueryFragment for ($($T,)+) {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                let mut first = true;
                $(
                    if !std::mem::take(&mut first) {
                        out.push_sql(", ");
                    }
                    self.$idx.walk(out)?;
                )+
                let _ = first;
                Ok(())
            }
        }
    };
}
crate::tuples::for_each_tuple!(tuple_fragments);

macro_rules! tuple_runs_on {
    ($($T:ident $idx:tt),+) => {
        impl<DB, $($T: crate::backend::RunsOn<DB>),+> crate::backend::RunsOn<DB> for ($($T,)+) {}
    };
}
crate::tuples::for_each_tuple!(tuple_runs_on);
