//! Batches one statement cannot hold: an INSERT of more rows than the backend takes bound values in one
//! statement, or (where VALUES takes no `DEFAULT`: SQLite) of rows leaving different columns to their
//! defaults, runs as several INSERTs of consecutive rows, inside one transaction (a savepoint when one
//! is open), so it still inserts all or nothing, the rows in their order.
//!
//! A backend's connection asks [`chunks`] before it runs a query; the chunks of a type-keyed INSERT
//! share the statement cache's entry for their row count, so a 100,000-row batch prepares two
//! statements (the full chunk and the last one).

use std::ops::Range;

use super::Connection;
use crate::backend::Dialect;
use crate::deserialize::FromSqlRow;
use crate::render::{AstPass, BindSink, BindValue, CacheKey, QueryFragment, QueryId, RowBatch};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};

/// The statement of a [`RowBatch`] with only some of its rows.
pub struct BatchPart<'a> {
    batch: &'a dyn RowBatch,
    rows: Range<usize>,
    /// The whole statement's cache key: a chunk keeps it with its own row count.
    key: Option<CacheKey>,
}

impl QueryFragment for BatchPart<'_> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.batch.walk_rows(self.rows.clone(), out)
    }
    fn is_noop(&self) -> bool {
        self.rows.is_empty()
    }
}

impl QueryId for BatchPart<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;

    fn cache_key(&self) -> Option<CacheKey> {
        match self.key? {
            CacheKey::Rows { statement, row, .. } => Some(CacheKey::Rows { statement, row, count: self.rows.len() }),
            CacheKey::Type(_) => None,
        }
    }
}

/// Counts bound values without looking at them.
struct CountBinds(usize);

impl BindSink for CountBinds {
    fn bind(&mut self, _: BindValue<'_>) -> QueryResult<()> {
        self.0 += 1;
        Ok(())
    }
}

fn count_binds(batch: &dyn RowBatch, rows: Range<usize>, dialect: &dyn Dialect) -> QueryResult<usize> {
    let mut count = CountBinds(0);
    batch.walk_rows(rows, &mut AstPass::collect_binds(&mut count, dialect))?;
    Ok(count.0)
}

/// The statements `batch` must be split into so that none binds more than `max_binds` values and, where
/// the dialect takes no `DEFAULT` in VALUES, each holds rows leaving the same columns to their defaults
/// (a row writing no column alone); `None` when one statement holds it all (the common case, found by
/// walking one row).
pub fn chunks<'b>(
    batch: &'b dyn RowBatch,
    key: Option<CacheKey>,
    max_binds: usize,
    dialect: &dyn Dialect,
) -> QueryResult<Option<Vec<BatchPart<'b>>>> {
    let rows = batch.row_count();
    if rows < 2 {
        return Ok(None);
    }
    // Where VALUES takes no DEFAULT, rows leaving different columns to their defaults (or none at all)
    // cannot share a statement: runs of consecutive alike rows, so the rows keep their order.
    let runs = default_runs(batch, dialect);
    // One row's statement binds the shared part once plus that row: an upper bound of each row's share.
    if runs.is_none() && rows.saturating_mul(count_binds(batch, 0..1, dialect)?) <= max_binds {
        return Ok(None);
    }
    let runs = runs.unwrap_or_else(|| std::iter::once(0..rows).collect());
    let shared = count_binds(batch, 0..0, dialect)?;
    let mut out = Vec::new();
    for run in runs {
        split_by_binds(batch, run, key, max_binds, shared, dialect, &mut out)?;
    }
    Ok(Some(out))
}

/// The runs of consecutive rows that leave the same columns to their defaults (a row that writes no
/// column a run of its own), where the dialect takes no `DEFAULT` in VALUES and the rows differ; `None`
/// when one statement can hold them all.
fn default_runs(batch: &dyn RowBatch, dialect: &dyn Dialect) -> Option<Vec<Range<usize>>> {
    if dialect.default_in_values() || !batch.may_default() {
        return None;
    }
    let rows = batch.row_count();
    let masks: Vec<(u64, bool)> = (0..rows).map(|row| batch.default_mask(row)).collect();
    if masks.iter().all(|m| *m == masks[0] && !m.1) {
        return None;
    }
    let mut runs = Vec::new();
    let mut start = 0;
    for row in 1..=rows {
        if row == rows || masks[row] != masks[start] || masks[start].1 {
            runs.push(start..row);
            start = row;
        }
    }
    Some(runs)
}

/// Splits `run` into statements of at most `max_binds` values each, appended to `out`.
fn split_by_binds<'b>(
    batch: &'b dyn RowBatch,
    run: Range<usize>,
    key: Option<CacheKey>,
    max_binds: usize,
    shared: usize,
    dialect: &dyn Dialect,
    out: &mut Vec<BatchPart<'b>>,
) -> QueryResult<()> {
    let (mut start, mut used) = (run.start, shared);
    for row in run.clone() {
        let own = count_binds(batch, row..row + 1, dialect)?.saturating_sub(shared);
        if shared + own > max_binds {
            return Err(build_error(
                BuildErrorKind::TooManyBinds,
                format!(
                    "row {} of the batch needs {} bound values, more than the {max_binds} one statement may have",
                    row + 1,
                    shared + own
                ),
            ));
        }
        if used + own > max_binds {
            out.push(BatchPart { batch, rows: start..row, key });
            (start, used) = (row, shared);
        }
        used += own;
    }
    out.push(BatchPart { batch, rows: start..run.end, key });
    Ok(())
}

/// Runs `f` all or nothing: in a `transaction` call (a savepoint when one is open), or, inside a
/// transaction begun with raw SQL (which `transaction` cannot nest in), in a savepoint of its own.
fn all_or_nothing<C: Connection, T>(conn: &mut C, f: impl FnOnce(&mut C) -> QueryResult<T>) -> QueryResult<T> {
    if conn.transaction_manager().depth() > 0 || !conn.is_in_transaction() {
        return conn.transaction(f);
    }
    conn.batch_execute("SAVEPOINT quarry_batch")?;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *conn)));
    let end = match &outcome {
        Ok(Ok(_)) => "RELEASE quarry_batch",
        _ => "ROLLBACK TO quarry_batch; RELEASE quarry_batch",
    };
    let ended = conn.batch_execute(end);
    match outcome {
        Ok(result) => result.and_then(|value| ended.map(|()| value)),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Runs each chunk, all in one transaction, and adds up the rows they changed.
pub fn execute_chunks<C: Connection>(conn: &mut C, chunks: &[BatchPart<'_>]) -> QueryResult<usize> {
    all_or_nothing(conn, |conn| chunks.iter().try_fold(0, |n, chunk| Ok(n + conn.execute_returning_count(chunk)?)))
}

/// Runs each chunk, all in one transaction, and reads at most `max_rows` of their rows (RETURNING);
/// every chunk runs, whatever it returns.
pub fn load_chunks<C, U, ST>(conn: &mut C, chunks: &[BatchPart<'_>], max_rows: usize) -> QueryResult<Vec<U>>
where
    C: Connection,
    U: FromSqlRow<ST, C::Backend>,
{
    all_or_nothing(conn, |conn| {
        let mut rows = Vec::new();
        for chunk in chunks {
            match max_rows - rows.len() {
                0 => {
                    conn.execute_returning_count(chunk)?;
                }
                left => rows.extend(conn.load_rows::<_, U, ST>(chunk, left)?),
            }
        }
        Ok(rows)
    })
}

// Part of a statement the connection already checked.
impl<DB> crate::backend::RunsOn<DB> for BatchPart<'_> {}
