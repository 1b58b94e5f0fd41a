//! `SqliteConnection`: opening a database, the prepared-statement cache, binding and stepping.

use std::any::TypeId;
use std::collections::HashMap;
use std::ffi::c_int;
use std::ops::{Deref, DerefMut};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::{Duration, Instant};

use super::Sqlite;
use super::ffi::{RawConnection, Statement};
use super::types::SqliteValue;
use crate::connection::batch::{self, BatchPart};
use crate::connection::instrumentation::{Event, InstrumentationSlot};
use crate::connection::{Connection, ConnectionStats, TransactionManager};
use crate::deserialize::{FromSqlRow, Row, RowReader};
use crate::render::{AstPass, BindSink, BindValue, CacheKey, QueryFragment, QueryId};
use crate::result::{BuildErrorKind, build_error};
use crate::result::{ConnectionError, ConnectionResult, Error, QueryResult};

/// How long a statement waits for another connection's write lock before failing with
/// [`DatabaseErrorKind::Busy`](crate::result::DatabaseErrorKind::Busy).
pub const DEFAULT_BUSY_TIMEOUT_MS: i32 = 5_000;

/// Statements whose SQL is longer than this (large batch inserts) are not kept in the cache.
const MAX_CACHED_SQL_LEN: usize = 8 * 1024;
/// At most this many statements are cached by SQL text; beyond it the text cache starts over.
const MAX_TEXT_CACHE_ENTRIES: usize = 256;
/// At most this many INSERTs are cached by (rows' type, row count): a program inserting batches of ever
/// new sizes must not fill memory; beyond it this cache starts over.
const MAX_ROWS_CACHE_ENTRIES: usize = 64;

/// At most this many INSERTs longer than [`MAX_CACHED_SQL_LEN`] are kept (by rows' type and count):
/// the parts of a batch too big for one statement, each part's statement a few MB once prepared. Two
/// hold a batch's full part and its last one.
const MAX_LONG_ROWS_ENTRIES: usize = 2;

#[derive(Default)]
struct StatementCache {
    by_type: HashMap<TypeId, Statement>,
    by_rows: HashMap<CacheKey, Statement>,
    /// Long INSERTs, oldest first.
    long_rows: Vec<(CacheKey, Statement)>,
    by_sql: HashMap<String, Statement>,
}

/// A connection to a SQLite database.
///
/// Opening it turns on foreign key enforcement (`PRAGMA foreign_keys = ON`, which SQLite leaves off by
/// default) and sets a busy timeout of [`DEFAULT_BUSY_TIMEOUT_MS`] milliseconds, so a write that meets
/// another connection's lock waits before it fails.
///
/// Every query whose SQL depends only on its type is rendered and prepared once per connection and then
/// found again by its type; other queries are found by their SQL text.
pub struct SqliteConnection {
    // Declared before `raw`: statements are finalized before the connection closes.
    cache: StatementCache,
    raw: RawConnection,
    transactions: TransactionManager,
    stats: ConnectionStats,
    /// SQLite's limit of bound values per statement, read once: larger batches are split.
    max_binds: usize,
    /// How `transaction` begins the outermost transaction.
    behavior: TransactionBehavior,
    /// The instrumentation hook, if any.
    hook: InstrumentationSlot,
}

/// How [`Connection::transaction`] begins a transaction on SQLite (nested calls always use savepoints).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TransactionBehavior {
    /// `BEGIN`: no lock until the first read or write. A transaction that reads and then writes can fail
    /// with `Busy` (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out) when another connection wrote
    /// in between.
    #[default]
    Deferred,
    /// `BEGIN IMMEDIATE`: the write lock is taken at the start (waiting up to the busy timeout), so a
    /// read-modify-write transaction never fails halfway; read-only transactions queue up behind writers.
    Immediate,
    /// `BEGIN EXCLUSIVE`: as `Immediate` in WAL mode; in rollback-journal mode readers are kept out too.
    Exclusive,
}

impl TransactionBehavior {
    fn begin_sql(self) -> &'static str {
        match self {
            TransactionBehavior::Deferred => "BEGIN",
            TransactionBehavior::Immediate => "BEGIN IMMEDIATE",
            TransactionBehavior::Exclusive => "BEGIN EXCLUSIVE",
        }
    }
}

impl std::fmt::Debug for SqliteConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteConnection")
            .field(
                "cached_statements",
                &(self.cache.by_type.len()
                    + self.cache.by_rows.len()
                    + self.cache.long_rows.len()
                    + self.cache.by_sql.len()),
            )
            .field("stats", &self.stats)
            .finish()
    }
}

impl SqliteConnection {
    /// Closes the connection now and says whether SQLite closed it cleanly (Drop closes it too, without
    /// a word): its cached statements are finalized first. rusqlite's `Connection::close` is the model.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:")?;
    /// conn.batch_execute("CREATE TABLE t (x INTEGER)")?;
    /// conn.close()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(self) -> QueryResult<()> {
        let SqliteConnection { cache, raw, .. } = self;
        drop(cache);
        raw.close()
    }
    /// Sets how long a statement waits for another connection's lock before failing with
    /// [`DatabaseErrorKind::Busy`](crate::result::DatabaseErrorKind::Busy); 0 fails at once.
    pub fn set_busy_timeout(&mut self, millis: i32) -> QueryResult<()> {
        self.raw.busy_timeout(millis)
    }

    /// How [`transaction`](Connection::transaction) begins the outermost transaction from now on
    /// (`Deferred` unless set); [`immediate_transaction`](Self::immediate_transaction) and
    /// [`exclusive_transaction`](Self::exclusive_transaction) choose for one call.
    pub fn set_transaction_behavior(&mut self, behavior: TransactionBehavior) {
        self.behavior = behavior;
    }

    /// What the connection has rendered and prepared so far.
    pub fn stats(&self) -> ConnectionStats {
        self.stats
    }

    /// How many times SQLite had to re-prepare one of the cached statements (a bound LIMIT causes it).
    pub fn reprepare_count(&self) -> i64 {
        let cache = &self.cache;
        cache
            .by_type
            .values()
            .chain(cache.by_rows.values())
            .chain(cache.long_rows.iter().map(|(_, s)| s))
            .chain(cache.by_sql.values())
            .map(|s| i64::from(s.reprepare_count()))
            .sum()
    }

    /// The parts a batch too big for one statement is run in, or `None` when it fits (the usual case).
    fn chunks<'q, Q: QueryFragment + QueryId>(&self, query: &'q Q) -> QueryResult<Option<Vec<BatchPart<'q>>>> {
        self.chunks_of(query.row_batch(), query.cache_key())
    }

    /// [`chunks`](Self::chunks) past the query's type: one copy for every query.
    fn chunks_of<'q>(
        &self,
        batch: Option<&'q dyn crate::render::RowBatch>,
        key: Option<CacheKey>,
    ) -> QueryResult<Option<Vec<BatchPart<'q>>>> {
        let Some(batch) = batch else { return Ok(None) };
        // A statement cached for this key was prepared, so it fits: no need to count its values again.
        if let Some(key) = key
            && (self.cache.by_rows.contains_key(&key) || self.cache.long_rows.iter().any(|(k, _)| *k == key))
        {
            return Ok(None);
        }
        batch::chunks(batch, key, self.max_binds, &Sqlite)
    }

    /// The statement for `query`, prepared (or found) and bound, positioned before its first row; true
    /// when it was prepared now.
    fn bound(&mut self, query: &dyn QueryFragment, key: Option<CacheKey>) -> QueryResult<(StatementRef<'_>, bool)> {
        bound_in(&mut self.cache, &mut self.raw, &mut self.transactions, &mut self.stats, query, key)
    }

    /// Hands the bound statement to `run`, which steps it and returns how many rows it read (or the
    /// connection changed); with an instrumentation hook set, reports the statement, its duration and
    /// that count. Past the query's type, so one copy serves every query: `run` keeps what it reads.
    fn with_bound(
        &mut self,
        query: &dyn QueryFragment,
        key: Option<CacheKey>,
        run: &mut dyn FnMut(&mut Statement, &RawConnection) -> QueryResult<u64>,
    ) -> QueryResult<()> {
        if !self.hook.is_set() {
            let (mut stmt, _) =
                bound_in(&mut self.cache, &mut self.raw, &mut self.transactions, &mut self.stats, query, key)?;
            return run(&mut stmt, &self.raw).map(drop);
        }
        let mut outcome = Ok(());
        self.instrumented(query, key, &mut |stmt, raw, report| {
            let result = run(stmt, raw);
            report(*result.as_ref().unwrap_or(&0), result.as_ref().err());
            outcome = result.map(drop);
        })?;
        outcome
    }

    /// [`with_bound`](Self::with_bound) with a hook set: reports the statement started, hands it to
    /// `run`, which reports its row count and error, and reports it finished (failed, when `run` panics:
    /// the panic then goes on).
    fn instrumented(
        &mut self,
        query: &dyn QueryFragment,
        key: Option<CacheKey>,
        run: &mut dyn FnMut(&mut Statement, &RawConnection, &mut dyn FnMut(u64, Option<&Error>)),
    ) -> QueryResult<()> {
        // Taken out for the call (a panic in a row's conversion puts it back too, and reports the
        // statement as failed).
        let mut hook = std::mem::take(&mut self.hook);
        let mut started: Option<(String, usize, Instant)> = None;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let (mut stmt, prepared) =
                match bound_in(&mut self.cache, &mut self.raw, &mut self.transactions, &mut self.stats, query, key) {
                    Ok(bound) => bound,
                    Err(e) => {
                        let sql = crate::render::render_sql(query, &Sqlite).unwrap_or_default();
                        hook.emit(&Event::StatementFinished {
                            sql: &sql,
                            binds: 0,
                            duration: Duration::ZERO,
                            rows: 0,
                            error: Some(&e),
                        });
                        return Err(e);
                    }
                };
            let sql = stmt.sql().unwrap_or_default();
            let binds = stmt.parameter_count();
            hook.emit(&Event::StatementStarted { sql: &sql, binds, prepared });
            let (sql, binds, start) = started.insert((sql, binds, Instant::now()));
            let mut report = |count: u64, error: Option<&Error>| {
                let duration = start.elapsed();
                hook.emit(&Event::StatementFinished { sql, binds: *binds, duration, rows: count, error });
            };
            run(&mut stmt, &self.raw, &mut report);
            Ok(())
        }));
        if outcome.is_err()
            && let Some((sql, binds, start)) = &started
        {
            let error = crate::connection::instrumentation::panicked();
            let (duration, binds) = (start.elapsed(), *binds);
            hook.emit(&Event::StatementFinished { sql, binds, duration, rows: 0, error: Some(&error) });
        }
        self.hook = hook;
        outcome.unwrap_or_else(|panic| resume_unwind(panic))
    }
}

/// Finds or prepares the statement for `query` in `cache` (one hash lookup, whichever cache it is in).
fn statement_in<'a>(
    cache: &'a mut StatementCache,
    raw: &mut RawConnection,
    stats: &mut ConnectionStats,
    query: &dyn QueryFragment,
    key: Option<CacheKey>,
) -> QueryResult<StatementRef<'a>> {
    use std::collections::hash_map::Entry;
    match key {
        Some(CacheKey::Type(id)) => {
            return match cache.by_type.entry(id) {
                Entry::Occupied(e) => Ok(StatementRef::Cached(e.into_mut())),
                Entry::Vacant(e) => {
                    stats.renders += 1;
                    let stmt = raw.prepare(&crate::render::render_sql(query, &Sqlite)?, true)?;
                    stats.prepares += 1;
                    Ok(StatementRef::Cached(e.insert(stmt)))
                }
            };
        }
        Some(key @ CacheKey::Rows { .. }) => {
            if let Some(i) = cache.long_rows.iter().position(|(k, _)| *k == key) {
                return Ok(StatementRef::Cached(&mut cache.long_rows[i].1));
            }
            if cache.by_rows.len() >= MAX_ROWS_CACHE_ENTRIES && !cache.by_rows.contains_key(&key) {
                cache.by_rows.clear();
            }
            return match cache.by_rows.entry(key) {
                Entry::Occupied(e) => Ok(StatementRef::Cached(e.into_mut())),
                Entry::Vacant(e) => {
                    stats.renders += 1;
                    let sql = crate::render::render_sql(query, &Sqlite)?;
                    let long = sql.len() > MAX_CACHED_SQL_LEN;
                    let stmt = raw.prepare(&sql, true)?;
                    stats.prepares += 1;
                    if !long {
                        return Ok(StatementRef::Cached(e.insert(stmt)));
                    }
                    if cache.long_rows.len() >= MAX_LONG_ROWS_ENTRIES {
                        cache.long_rows.remove(0);
                    }
                    cache.long_rows.push((key, stmt));
                    Ok(StatementRef::Cached(&mut cache.long_rows.last_mut().expect("just pushed").1))
                }
            };
        }
        None => {}
    }
    stats.renders += 1;
    let sql = crate::render::render_sql(query, &Sqlite)?;
    if sql.len() > MAX_CACHED_SQL_LEN {
        stats.prepares += 1;
        return raw.prepare(&sql, false).map(StatementRef::Owned);
    }
    if cache.by_sql.len() >= MAX_TEXT_CACHE_ENTRIES && !cache.by_sql.contains_key(&sql) {
        cache.by_sql.clear();
    }
    match cache.by_sql.entry(sql) {
        Entry::Occupied(e) => Ok(StatementRef::Cached(e.into_mut())),
        Entry::Vacant(e) => {
            let stmt = raw.prepare(e.key(), true)?;
            stats.prepares += 1;
            Ok(StatementRef::Cached(e.insert(stmt)))
        }
    }
}

/// [`SqliteConnection::bound`] over the connection's fields, borrowed apart (so that `load_iter` can lend
/// the instrumentation hook beside the statement).
fn bound_in<'a>(
    cache: &'a mut StatementCache,
    raw: &mut RawConnection,
    transactions: &mut TransactionManager,
    stats: &mut ConnectionStats,
    query: &dyn QueryFragment,
    key: Option<CacheKey>,
) -> QueryResult<(StatementRef<'a>, bool)> {
    transactions.check_still_open(|| raw.in_transaction())?;
    let depth = transactions.depth();
    let before = stats.prepares;
    let mut stmt = statement_in(cache, raw, stats, query, key)?;
    let prepared = stats.prepares != before;
    refuse_transaction_control(&stmt, depth)?;
    bind_all(&mut stmt, query)?;
    Ok((stmt, prepared))
}

/// Inside a `transaction` call (or the test transaction) the transaction is Quarry's to end: a `COMMIT`
/// or `ROLLBACK` run there (from `sql_query`, `batch_execute`, a migration's SQL) would let what follows
/// run in autocommit and commit a half-done migration, so it is refused before it runs.
fn refuse_transaction_control(stmt: &Statement, depth: u32) -> QueryResult<()> {
    if !stmt.controls_transaction() || depth == 0 {
        return Ok(());
    }
    Err(build_error(
        BuildErrorKind::TransactionControl,
        format!(
            "`{}` ends or begins a transaction inside a `transaction` call (or a migration, or the test \
         transaction), which Quarry ends itself: return `Ok` from the closure to commit, `Err` to roll back",
            crate::result::excerpt(&stmt.sql().unwrap_or_default())
        ),
    ))
}

/// A statement from the cache, or one prepared for a single use.
///
/// Dropping it resets the statement, however its user is left (a return, a `?`, or a panic inside a
/// row's conversion): a cached statement half-stepped would hand its remaining rows to the next run,
/// keep an old read snapshot, or keep the write lock of an `UPDATE .. RETURNING`.
enum StatementRef<'a> {
    Cached(&'a mut Statement),
    Owned(Statement),
}

impl Drop for StatementRef<'_> {
    fn drop(&mut self) {
        if let StatementRef::Cached(stmt) = self {
            stmt.reset();
        }
        // An owned statement is finalized by its own drop, which also ends its read or write.
    }
}

impl Deref for StatementRef<'_> {
    type Target = Statement;
    fn deref(&self) -> &Statement {
        match self {
            StatementRef::Cached(s) => s,
            StatementRef::Owned(s) => s,
        }
    }
}
impl DerefMut for StatementRef<'_> {
    fn deref_mut(&mut self) -> &mut Statement {
        match self {
            StatementRef::Cached(s) => s,
            StatementRef::Owned(s) => s,
        }
    }
}

/// Binds values to a statement's parameters in order, straight from the query's values.
struct Binder<'s> {
    stmt: &'s mut Statement,
    next: c_int,
    /// The statement's parameter count: values past it are counted, not bound, so the error names both
    /// numbers instead of SQLite's "column index out of range".
    parameters: c_int,
}

impl BindSink for Binder<'_> {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        self.next = self.next.saturating_add(1);
        let i = self.next;
        if i > self.parameters {
            return Ok(());
        }
        match value {
            BindValue::Null => self.stmt.bind_null(i),
            BindValue::Boolean(v) => self.stmt.bind_i64(i, i64::from(v)),
            BindValue::I16(v) => self.stmt.bind_i64(i, i64::from(v)),
            BindValue::I32(v) => self.stmt.bind_i64(i, i64::from(v)),
            BindValue::I64(v) => self.stmt.bind_i64(i, v),
            BindValue::F32(v) => self.stmt.bind_f64(i, f64::from(v)),
            BindValue::F64(v) => self.stmt.bind_f64(i, v),
            BindValue::Str(v) => self.stmt.bind_text(i, v),
            BindValue::Temporal(v, _) | BindValue::Numeric(v) => self.stmt.bind_text(i, v.as_str()),
            // An `Interval` column does not compile for SQLite; a bare value is written in PostgreSQL's words.
            BindValue::Interval { months, days, microseconds } => {
                self.stmt.bind_text(i, &crate::render::interval_text(months, days, microseconds))
            }
            BindValue::OwnedStr(v) => self.stmt.bind_text(i, &v),
            BindValue::Bytes(v) => self.stmt.bind_blob(i, v),
            BindValue::Uuid(v) => self.stmt.bind_blob(i, &v),
            // Only PostgreSQL's list encoder makes one; SQLite's lists are JSON (`value_list`).
            BindValue::Array { .. } => Err(build_error(
                BuildErrorKind::Unsupported,
                "an array value cannot be bound on SQLite: its lists are bound as JSON",
            )),
        }
    }
}

fn bind_all(stmt: &mut Statement, query: &dyn QueryFragment) -> QueryResult<()> {
    let expected = stmt.parameter_count();
    let mut binder = Binder { stmt, next: 0, parameters: c_int::try_from(expected).unwrap_or(c_int::MAX) };
    query.walk(&mut AstPass::collect_binds(&mut binder, &Sqlite))?;
    let bound = usize::try_from(binder.next).unwrap_or(0);
    if bound != expected {
        return Err(build_error(
            BuildErrorKind::BindCount,
            format!(
                "the query bound {bound} values for {expected} parameters in `{}`",
                crate::result::excerpt(&binder.stmt.sql().unwrap_or_default())
            ),
        ));
    }
    Ok(())
}

/// The rows of a query, stepped and decoded one at a time; see `RunQueryDsl::load_iter`.
///
/// Dropping it (after the last row or before) resets the statement, which goes back to the cache.
pub struct SqliteRowIter<'c, U> {
    stmt: Option<StatementRef<'c>>,
    decode: fn(&SqliteRow<'_>) -> QueryResult<U>,
    /// The rows of an INSERT .. RETURNING run in several parts, read before the iterator was made.
    loaded: Option<std::vec::IntoIter<U>>,
    /// With an instrumentation hook: the statement, reported when its rows end.
    probe: Option<Probe<'c>>,
}

/// A statement read row by row, reported to the connection's hook (held here meanwhile) when it ends.
struct Probe<'c> {
    /// Where the hook goes back.
    slot: &'c mut InstrumentationSlot,
    hook: InstrumentationSlot,
    sql: String,
    binds: usize,
    rows: u64,
    start: Instant,
}

impl Probe<'_> {
    /// Reports the end of the statement and gives the hook back.
    fn finish(mut self, error: Option<&Error>) {
        let (sql, binds, rows, duration) = (std::mem::take(&mut self.sql), self.binds, self.rows, self.start.elapsed());
        self.hook.emit(&Event::StatementFinished { sql: &sql, binds, duration, rows, error });
    }
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        *self.slot = std::mem::take(&mut self.hook);
    }
}

fn decode_row<U: FromSqlRow<ST, Sqlite>, ST>(row: &SqliteRow<'_>) -> QueryResult<U> {
    U::build_from_row(&mut RowReader::new(row))
}

impl<U> Iterator for SqliteRowIter<'_, U> {
    type Item = QueryResult<U>;

    fn next(&mut self) -> Option<QueryResult<U>> {
        if let Some(loaded) = &mut self.loaded {
            return loaded.next().map(Ok);
        }
        let stmt = self.stmt.as_mut()?;
        let item = match stmt.step() {
            Ok(true) => {
                if let Some(probe) = &mut self.probe {
                    probe.rows += 1;
                }
                return Some((self.decode)(&SqliteRow::new(stmt)));
            }
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        };
        // Done, or failed: the statement goes back to the cache (reset) now rather than when the iterator drops.
        self.stmt = None;
        if let Some(probe) = self.probe.take() {
            probe.finish(item.as_ref().and_then(|r| r.as_ref().err()));
        }
        item
    }
}

impl<U> Drop for SqliteRowIter<'_, U> {
    fn drop(&mut self) {
        // Left before its last row: the statement ends here (reset as the iterator's statement drops),
        // failed if a panic (a row's conversion) is why.
        if let Some(probe) = self.probe.take() {
            let panicked = std::thread::panicking().then(crate::connection::instrumentation::panicked);
            probe.finish(panicked.as_ref());
        }
    }
}

impl<U> std::fmt::Debug for SqliteRowIter<'_, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteRowIter").field("done", &self.stmt.is_none()).finish()
    }
}

/// The current row of a stepping statement, with its column count read once per statement.
struct SqliteRow<'s> {
    stmt: &'s Statement,
    columns: usize,
}

impl<'s> SqliteRow<'s> {
    fn new(stmt: &'s Statement) -> Self {
        SqliteRow { stmt, columns: stmt.column_count() }
    }
}

impl Row<Sqlite> for SqliteRow<'_> {
    #[inline]
    fn value(&self, index: usize) -> Option<SqliteValue<'_>> {
        SqliteValue::new(self.stmt, c_int::try_from(index).ok()?)
    }
    fn column_name(&self, index: usize) -> Option<&str> {
        self.stmt.column_name(index)
    }
    #[inline]
    fn column_count(&self) -> usize {
        self.columns
    }
}

impl SqliteConnection {
    /// [`transaction`](Connection::transaction) begun with `BEGIN IMMEDIATE`: the write lock is taken at
    /// the start, so a transaction that reads and then writes cannot fail halfway with `Busy` because
    /// another connection started writing in between (it waits for the lock up front instead). Nested
    /// calls use savepoints as usual.
    pub fn immediate_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        crate::connection::run_beginning_with(self, TransactionBehavior::Immediate.begin_sql(), f)
    }

    /// [`transaction`](Connection::transaction) begun with `BEGIN EXCLUSIVE`: no other connection reads
    /// or writes until it ends (in WAL mode SQLite treats it as `IMMEDIATE`).
    pub fn exclusive_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        crate::connection::run_beginning_with(self, TransactionBehavior::Exclusive.begin_sql(), f)
    }
}

/// The setup for a file database that many threads (through a pool) or processes write at once, which
/// gives no `Busy` error under contention:
/// - `PRAGMA journal_mode = WAL`: readers never wait for the writer, nor the writer for readers;
/// - `PRAGMA synchronous = NORMAL`: in WAL mode a commit stays durable against a crash of the program
///   (a power cut may lose the last commits, never corrupt the file) and writes much faster;
/// - a busy timeout long enough for writers queueing behind each other ([`busy_timeout_ms`](Self::busy_timeout_ms), 30 s);
/// - `BEGIN IMMEDIATE` for [`transaction`](Connection::transaction), so a read-modify-write
///   transaction waits for the write lock up front instead of failing with SQLITE_BUSY_SNAPSHOT.
///
/// Apply it to each connection (`setup.apply(&mut conn)`), or let an `r2d2` pool apply it to every
/// connection it opens: `Pool::builder().connection_customizer(Box::new(ConcurrentSetup::default()))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConcurrentSetup {
    /// How long a statement waits for the write lock before failing with `Busy`.
    pub busy_timeout_ms: i32,
}

impl Default for ConcurrentSetup {
    fn default() -> Self {
        ConcurrentSetup { busy_timeout_ms: 30_000 }
    }
}

impl ConcurrentSetup {
    /// Sets the connection up; an in-memory database keeps its journal mode, the rest applies.
    pub fn apply(&self, conn: &mut SqliteConnection) -> QueryResult<()> {
        conn.set_busy_timeout(self.busy_timeout_ms)?;
        conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")?;
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        Ok(())
    }
}

impl Connection for SqliteConnection {
    type Backend = Sqlite;

    /// Opens `url`: a file path (created if missing), `:memory:`, or a `file:` URI such as
    /// `file:app.db?mode=ro`. A leading `sqlite://` is accepted and removed.
    fn establish(url: &str) -> ConnectionResult<Self> {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() {
            return Err(ConnectionError::InvalidConnectionUrl(
                "the SQLite URL is empty; give a file path, `:memory:` or a `file:` URI".to_owned(),
            ));
        }
        let start = Instant::now();
        let raw = match RawConnection::open(path) {
            Ok(raw) => raw,
            Err(why) => {
                let e = ConnectionError::BadConnection(why);
                crate::connection::instrumentation::report_failed_connection(url, start, &e);
                return Err(e);
            }
        };
        let mut conn = SqliteConnection {
            cache: StatementCache::default(),
            raw,
            transactions: TransactionManager::default(),
            stats: ConnectionStats::default(),
            max_binds: 0,
            behavior: TransactionBehavior::Deferred,
            hook: InstrumentationSlot::from_default(),
        };
        conn.max_binds = conn.raw.max_binds();
        let setup = conn
            .raw
            .busy_timeout(DEFAULT_BUSY_TIMEOUT_MS)
            .and_then(|()| conn.batch_execute("PRAGMA foreign_keys = ON"))
            .map_err(|e| ConnectionError::CouldntSetupConfiguration(format!("`{path}`: {e}")));
        conn.hook.connected(url, start, setup.as_ref().err());
        setup.map(|()| conn)
    }

    /// Begins the outermost transaction as [`set_transaction_behavior`](Self::set_transaction_behavior)
    /// says (`BEGIN` by default).
    fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        crate::connection::run_beginning_with(self, self.behavior.begin_sql(), f)
    }

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        let SqliteConnection { raw, transactions, hook, .. } = self;
        // A statement that fails to compile never reaches the closure: reported after, with the text.
        let mut reported = false;
        let result = raw.exec_each(sql, |stmt| {
            // Checked before each statement: one that a previous one rolled back on its own (`OR
            // ROLLBACK`) must not run in autocommit.
            transactions.check_still_open(|| stmt.connection_in_transaction())?;
            refuse_transaction_control(stmt, transactions.depth())?;
            if !hook.is_set() {
                while stmt.step()? {}
                return Ok(());
            }
            // Each statement of the text reported on its own: its rows returned and changed.
            let text = stmt.sql().unwrap_or_default();
            let text = text.trim();
            hook.emit(&Event::StatementStarted { sql: text, binds: 0, prepared: true });
            let (start, changes) = (Instant::now(), stmt.connection_total_changes());
            let mut rows = 0;
            let result = loop {
                match stmt.step() {
                    Ok(true) => rows += 1,
                    Ok(false) => break Ok(()),
                    Err(e) => break Err(e),
                }
            };
            // The rows it returned (a query, RETURNING), else the rows it changed (triggers' included).
            if rows == 0 {
                rows = stmt.connection_total_changes() - changes;
            }
            let duration = start.elapsed();
            hook.emit(&Event::StatementFinished { sql: text, binds: 0, duration, rows, error: result.as_ref().err() });
            reported = result.is_err();
            result
        });
        if let Err(e) = &result
            && !reported
            && hook.is_set()
        {
            let (sql, duration) = (sql.trim(), Duration::ZERO);
            hook.emit(&Event::StatementFinished { sql, binds: 0, duration, rows: 0, error: Some(e) });
        }
        result
    }

    fn execute_returning_count<Q: QueryFragment + QueryId>(&mut self, query: &Q) -> QueryResult<usize> {
        if query.is_noop() {
            return Ok(0);
        }
        if let Some(chunks) = self.chunks(query)? {
            return batch::execute_chunks(self, &chunks);
        }
        self.with_bound(query, query.cache_key(), &mut |stmt, raw| {
            while stmt.step()? {}
            Ok(raw.changes() as u64)
        })?;
        Ok(self.raw.changes())
    }

    fn load_rows<Q, U, ST>(&mut self, query: &Q, max_rows: usize) -> QueryResult<Vec<U>>
    where
        Q: QueryFragment + QueryId,
        U: FromSqlRow<ST, Sqlite>,
    {
        if query.is_noop() {
            return Ok(Vec::new());
        }
        if let Some(chunks) = self.chunks(query)? {
            return batch::load_chunks::<_, U, ST>(self, &chunks, max_rows);
        }
        let mut rows = Vec::new();
        self.with_bound(query, query.cache_key(), &mut |stmt, _| {
            let columns = stmt.column_count();
            while rows.len() < max_rows && stmt.step()? {
                let row = SqliteRow { stmt, columns };
                rows.push(U::build_from_row(&mut RowReader::new(&row))?);
            }
            Ok(rows.len() as u64)
        })?;
        Ok(rows)
    }

    type RowIter<'c, U>
        = SqliteRowIter<'c, U>
    where
        U: 'c;

    fn load_iter_rows<'c, Q, U, ST>(&'c mut self, query: &Q) -> QueryResult<SqliteRowIter<'c, U>>
    where
        Q: QueryFragment + QueryId,
        U: FromSqlRow<ST, Sqlite> + 'c,
    {
        let decode = decode_row::<U, ST>;
        if query.is_noop() {
            return Ok(SqliteRowIter { stmt: None, decode, loaded: None, probe: None });
        }
        if let Some(chunks) = self.chunks(query)? {
            // The rows of a batch run in parts come from several statements: read them all first.
            let rows = batch::load_chunks::<_, U, ST>(self, &chunks, usize::MAX)?;
            return Ok(SqliteRowIter { stmt: None, decode, loaded: Some(rows.into_iter()), probe: None });
        }
        if !self.hook.is_set() {
            let (stmt, _) = self.bound(query, query.cache_key())?;
            return Ok(SqliteRowIter { stmt: Some(stmt), decode, loaded: None, probe: None });
        }
        // The hook goes into the iterator, which reports the statement when its rows end, and comes back
        // when the iterator drops.
        let SqliteConnection { cache, raw, transactions, stats, hook: slot, .. } = self;
        let hook = std::mem::take(slot);
        let bound = bound_in(cache, raw, transactions, stats, query, query.cache_key());
        let mut probe = Probe { slot, hook, sql: String::new(), binds: 0, rows: 0, start: Instant::now() };
        match bound {
            Ok((stmt, prepared)) => {
                probe.sql = stmt.sql().unwrap_or_default();
                probe.binds = stmt.parameter_count();
                probe.hook.emit(&Event::StatementStarted { sql: &probe.sql, binds: probe.binds, prepared });
                probe.start = Instant::now();
                Ok(SqliteRowIter { stmt: Some(stmt), decode, loaded: None, probe: Some(probe) })
            }
            Err(e) => {
                probe.sql = crate::render::render_sql(query, &Sqlite).unwrap_or_default();
                probe.finish(Some(&e));
                Err(e)
            }
        }
    }

    fn transaction_manager(&mut self) -> &mut TransactionManager {
        &mut self.transactions
    }

    fn instrumentation(&mut self) -> &mut InstrumentationSlot {
        &mut self.hook
    }

    fn is_in_transaction(&mut self) -> bool {
        self.raw.in_transaction()
    }
}

/// A row of `EXPLAIN QUERY PLAN`: `id`, `parent`, `notused`, `detail`.
impl crate::deserialize::QueryableByName<Sqlite> for crate::query::PlanRow {
    fn build_by_name<R: Row<Sqlite>>(row: &RowReader<'_, R>) -> QueryResult<Self> {
        use crate::sql_types::{BigInt, Text};
        Ok(crate::query::PlanRow {
            id: row.read_named::<i64, BigInt, Sqlite>("id")?,
            parent: row.read_named::<i64, BigInt, Sqlite>("parent")?,
            detail: row.read_named::<String, Text, Sqlite>("detail")?,
        })
    }
}
