//! `PgConnection`: a connection to a PostgreSQL server, its prepared-statement cache, binding and rows.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres_types::Type;

use super::Pg;
use super::binds::{Collect, PgBind};
use super::config::Config;
use super::types::PgValue;
use super::wire::{Column, Prepared, RowBytes, ServerError, Wire, WireError};
use crate::connection::batch::{self, BatchPart};
use crate::connection::instrumentation::{Event, InstrumentationSlot};
use crate::connection::{Connection, ConnectionStats, TransactionManager};
use crate::deserialize::{FromSqlRow, Row, RowReader};
use crate::render::{AstPass, CacheKey, QueryFragment, QueryId};
use crate::result::{BuildErrorKind, build_error};
use crate::result::{ConnectionResult, DatabaseErrorInfo, DatabaseErrorKind, Error, QueryResult, excerpt};

/// PostgreSQL's limit of bound values per statement (a 16-bit count in the protocol).
const MAX_BINDS: usize = 65_535;
/// At most this many statements are cached by SQL text, or by (rows' type, row count); beyond it that
/// cache starts over.
const MAX_CACHE_ENTRIES: usize = 256;

#[derive(Default)]
struct StatementCache {
    // Each keyed also by the types declared for its parameters ([`declared_types_key`]): a statement
    // prepared with a NULL (left to the server to type) is not reused for a value of a definite type.
    by_type: HashMap<(TypeId, u64), Arc<Prepared>>,
    by_rows: HashMap<(CacheKey, u64), Arc<Prepared>>,
    by_sql: HashMap<(String, u64), Arc<Prepared>>,
}

/// A connection to a PostgreSQL server.
///
/// Every query whose SQL depends only on its type is rendered and prepared (as a named server-side
/// statement) once per connection and then found again by its type; other queries by their SQL text.
/// Whether a transaction block is open (or failed) is what the server said at the end of the last
/// exchange.
pub struct PgConnection {
    wire: Wire,
    cache: StatementCache,
    transactions: TransactionManager,
    stats: ConnectionStats,
    /// The instrumentation hook, if any.
    hook: InstrumentationSlot,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection")
            .field("broken", &self.wire.broken())
            .field("status", &char::from(self.wire.status()))
            .finish_non_exhaustive()
    }
}

/// Whether `sql` is only blanks, `;` and comments: the server would run it as an empty query, where
/// SQLite finds no statement. (An unterminated `/* ..` comment counts as blank here; the server would
/// call it a syntax error.)
fn holds_no_statement(sql: &str) -> bool {
    let mut blank = true;
    scan_code(sql, |i| blank &= matches!(sql.as_bytes()[i], b';' | b'\x0b') || sql.as_bytes()[i].is_ascii_whitespace());
    blank
}

/// The error for a failed exchange: a server's with its kind from the SQLSTATE and what the server names,
/// a failed socket as a closed connection.
fn query_error(e: WireError, sql: Option<&str>) -> Error {
    let sql = sql.map(str::to_owned);
    let db = match e {
        WireError::Server(db) => db,
        WireError::Io(io) => {
            let message = format!("the connection to the server is gone: {io}");
            return Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection,
                Box::new(DatabaseErrorInfo::new(message, 0, sql)),
            );
        }
        WireError::Protocol(why) => {
            let message = format!("the server broke the protocol: {why}");
            return Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(DatabaseErrorInfo::new(message, 0, sql)));
        }
        WireError::Bind(why) => return Error::SerializationError(why.into()),
        WireError::Row(e) => return e,
    };
    // The extended protocol's Parse refuses text of several statements with a syntax error raised by
    // the routine that handles Parse (real syntax errors come from the parser's).
    if db.code == "42601"
        && db.routine.as_deref() == Some("exec_parse_message")
        && let Some(sql) = &sql
    {
        return crate::result::several_statements(sql);
    }
    let kind = match db.code.as_str() {
        "23505" => DatabaseErrorKind::UniqueViolation,
        "23503" => DatabaseErrorKind::ForeignKeyViolation,
        "23502" => DatabaseErrorKind::NotNullViolation,
        "23514" => DatabaseErrorKind::CheckViolation,
        "40001" => DatabaseErrorKind::SerializationFailure,
        "40P01" => DatabaseErrorKind::Deadlock,
        "57014" => DatabaseErrorKind::QueryCanceled,
        "25006" => DatabaseErrorKind::ReadOnly,
        "55P03" => DatabaseErrorKind::Locked,
        // The server is shutting down, or the backend was terminated.
        "57P01" | "57P02" | "57P03" => DatabaseErrorKind::ClosedConnection,
        _ => DatabaseErrorKind::Unknown,
    };
    let message = match &db.detail {
        Some(detail) => format!("{} ({detail})", db.message),
        None => db.message.clone(),
    };
    let ServerError { code, constraint, table, column, .. } = *db;
    let info = DatabaseErrorInfo::new(message, 0, sql).with_details(Some(code), constraint, table, column);
    Error::DatabaseError(kind, Box::new(info))
}

/// The types declared for `binds` when a statement is prepared, folded into one number (FNV-1a over
/// their OIDs) for the statement caches' keys.
fn declared_types_key(binds: &[PgBind]) -> u64 {
    binds.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b.declared_type().oid())).wrapping_mul(0x100_0000_01b3)
    })
}

/// Whether `sql` is one of the statements Quarry's own transaction handling sends.
fn is_own_statement(sql: &str) -> bool {
    sql == "BEGIN"
        || sql.starts_with("BEGIN ISOLATION")
        || sql.starts_with("BEGIN READ")
        || sql.starts_with("BEGIN NOT")
        || sql == "BEGIN DEFERRABLE"
        || matches!(sql, "COMMIT" | "ROLLBACK")
        || sql.starts_with("SAVEPOINT quarry_")
        || sql.starts_with("RELEASE SAVEPOINT quarry_")
        || sql.starts_with("ROLLBACK TO SAVEPOINT quarry_")
        || matches!(
            sql,
            "SAVEPOINT quarry_batch" | "RELEASE quarry_batch" | "ROLLBACK TO quarry_batch; RELEASE quarry_batch"
        )
}

/// The values `query` binds, in order.
fn collect_binds(query: &dyn QueryFragment) -> QueryResult<Vec<PgBind>> {
    let mut binds = Collect::default();
    query.walk(&mut AstPass::collect_binds(&mut binds, &Pg))?;
    Ok(binds.0)
}

/// A transaction with PostgreSQL's options, begun by [`PgConnection::build_transaction`]:
/// `conn.build_transaction().serializable().read_only().run(|conn| ..)`.
#[derive(Debug)]
#[must_use = "a transaction builder does nothing until `run`"]
pub struct TransactionBuilder<'c> {
    conn: &'c mut PgConnection,
    isolation: Option<&'static str>,
    read_only: Option<bool>,
    deferrable: Option<bool>,
}

impl TransactionBuilder<'_> {
    /// `ISOLATION LEVEL SERIALIZABLE`: retry on [`DatabaseErrorKind::SerializationFailure`].
    pub fn serializable(mut self) -> Self {
        self.isolation = Some("SERIALIZABLE");
        self
    }
    /// `ISOLATION LEVEL REPEATABLE READ`.
    pub fn repeatable_read(mut self) -> Self {
        self.isolation = Some("REPEATABLE READ");
        self
    }
    /// `ISOLATION LEVEL READ COMMITTED` (PostgreSQL's default).
    pub fn read_committed(mut self) -> Self {
        self.isolation = Some("READ COMMITTED");
        self
    }
    /// `READ ONLY`: a write fails with [`DatabaseErrorKind::ReadOnly`].
    pub fn read_only(mut self) -> Self {
        self.read_only = Some(true);
        self
    }
    /// `READ WRITE`.
    pub fn read_write(mut self) -> Self {
        self.read_only = Some(false);
        self
    }
    /// `DEFERRABLE` (with `serializable().read_only()`: waits for a snapshot that cannot fail).
    pub fn deferrable(mut self) -> Self {
        self.deferrable = Some(true);
        self
    }
    /// `NOT DEFERRABLE`.
    pub fn not_deferrable(mut self) -> Self {
        self.deferrable = Some(false);
        self
    }

    /// Runs `f` in the transaction: committed on `Ok`, rolled back on `Err` or a panic. Inside another
    /// transaction it is a savepoint, which cannot change these options: that is an `Err`.
    pub fn run<T, E, F>(self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, E>,
        E: From<Error>,
    {
        let mut begin = String::from("BEGIN");
        if let Some(level) = self.isolation {
            begin.push_str(" ISOLATION LEVEL ");
            begin.push_str(level);
        }
        if let Some(read_only) = self.read_only {
            begin.push_str(if read_only { " READ ONLY" } else { " READ WRITE" });
        }
        if let Some(deferrable) = self.deferrable {
            begin.push_str(if deferrable { " DEFERRABLE" } else { " NOT DEFERRABLE" });
        }
        if self.conn.transactions.depth() > 0 && begin != "BEGIN" {
            return Err(Error::BrokenTransactionManager(format!(
                "`{begin}` inside another transaction: a savepoint keeps the outer transaction's options"
            ))
            .into());
        }
        crate::connection::run_beginning_with(self.conn, &begin, f)
    }
}

/// Cancels what a [`PgConnection`] is running, from another thread: `let token = conn.cancel_token();`
/// before the long query, then `token.cancel_query()` while it runs. The query then fails with
/// [`DatabaseErrorKind::QueryCanceled`] (inside a transaction, that transaction is failed, as any error
/// leaves it) and the connection stays usable. A cancel that arrives when nothing runs does nothing.
#[derive(Clone)]
pub struct CancelToken(super::wire::CancelTarget);

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CancelToken")
    }
}

impl CancelToken {
    /// Asks the server to cancel the connection's running query, on a connection of its own (the same
    /// host and TLS, no login); returns once the server has the request.
    pub fn cancel_query(&self) -> ConnectionResult<()> {
        self.0.send()
    }
}

impl PgConnection {
    /// A token that cancels this connection's running query from another thread; `None` when the server
    /// gave no key for it (a proxy may not).
    pub fn cancel_token(&self) -> Option<CancelToken> {
        self.wire.cancel_target().map(CancelToken)
    }

    /// A transaction with PostgreSQL's options (isolation level, read only, deferrable).
    pub fn build_transaction(&mut self) -> TransactionBuilder<'_> {
        TransactionBuilder { conn: self, isolation: None, read_only: None, deferrable: None }
    }

    /// What the connection has rendered and prepared so far.
    pub fn stats(&self) -> ConnectionStats {
        self.stats
    }

    /// Runs `sql` (one or more statements, no binds) with the simple query protocol.
    fn simple_statements(&mut self, sql: &str) -> QueryResult<()> {
        if sql.contains('\0') {
            return Err(build_error(BuildErrorKind::NulInSql, "the SQL text holds a NUL byte"));
        }
        self.wire.settle().map_err(|e| query_error(e, None))?;
        if !is_own_statement(sql) && self.transactions.depth() > 0 {
            let open = self.wire.status() != b'I';
            self.transactions.check_still_open(|| open)?;
            // Refused before it runs, as on SQLite: once COMMIT ran, the statements before it are
            // committed and those after it run outside the transaction, which nothing can undo.
            if let Some(statement) = transaction_statement(sql) {
                return Err(refused_transaction_statement(&statement));
            }
        }
        // Quarry's own BEGIN and SAVEPOINT go with the statement that follows them: one round trip less.
        if self.wire.status() != b'E'
            && is_own_statement(sql)
            && (sql.starts_with("BEGIN") || sql.starts_with("SAVEPOINT "))
        {
            return self.wire.defer(sql).map_err(|e| query_error(e, Some(sql)));
        }
        if sql == "COMMIT" && self.wire.status() == b'E' {
            // PostgreSQL would roll back and answer COMMIT with no error: say so instead.
            self.wire.simple_rows("ROLLBACK").map_err(|e| self.failed(e, Some("ROLLBACK")))?;
            return Err(Error::BrokenTransactionManager(
                "a statement failed inside the transaction, so PostgreSQL rolled it back: nothing was committed"
                    .to_owned(),
            ));
        }
        match self.wire.simple_rows(sql) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.failed(e, Some(sql))),
        }
    }

    /// The instrumentation hook, for a statement this module does not run itself (COPY).
    pub(super) fn hook_mut(&mut self) -> &mut InstrumentationSlot {
        &mut self.hook
    }

    /// The protocol state, for a statement this module does not run itself (COPY).
    pub(super) fn wire_mut(&mut self) -> &mut Wire {
        &mut self.wire
    }

    /// What every statement does first: finish what an interrupted exchange left, and refuse to run in
    /// autocommit inside a transaction the server has ended.
    pub(super) fn before_statement(&mut self) -> QueryResult<()> {
        self.wire.settle().map_err(|e| query_error(e, None))?;
        let open = self.wire.status() != b'I';
        self.transactions.check_still_open(|| open)
    }

    /// The error for a failed exchange. A cached statement the server no longer takes (0A000 after DDL
    /// changed its result, 26000) leaves the cache.
    pub(super) fn failed(&mut self, e: WireError, sql: Option<&str>) -> Error {
        let error = query_error(e, sql);
        if let Error::DatabaseError(_, info) = &error
            && matches!(info.sqlstate(), Some("0A000" | "26000"))
        {
            self.clear_cache();
        }
        error
    }

    /// Forgets every cached statement, closing them on the server.
    fn clear_cache(&mut self) {
        let cache = std::mem::take(&mut self.cache);
        let all = cache.by_type.into_values().chain(cache.by_rows.into_values()).chain(cache.by_sql.into_values());
        for stmt in all {
            self.wire.close_later(stmt.name.clone());
        }
    }

    /// Finds or prepares the statement for `query`, whose values are `binds`.
    fn statement<Q: QueryFragment + QueryId>(&mut self, query: &Q, binds: &[PgBind]) -> QueryResult<Arc<Prepared>> {
        let depth = self.transactions.depth();
        let types = declared_types_key(binds);
        let prepare = |this: &mut Self, sql: &str| -> QueryResult<Arc<Prepared>> {
            this.stats.renders += 1;
            if let Some(at) = sql.find('\0') {
                return Err(build_error(
                    BuildErrorKind::NulInSql,
                    format!(
                        "the SQL text holds a NUL byte (shown as \\0) at byte {at}: `{}`",
                        excerpt(sql).replace('\0', "\\0")
                    ),
                ));
            }
            if holds_no_statement(sql) {
                return Err(crate::result::no_statement(sql));
            }
            this.stats.prepares += 1;
            let declared: Vec<Type> = binds.iter().map(PgBind::declared_type).collect();
            match this.wire.prepare(sql, &declared) {
                Ok(stmt) => Ok(Arc::new(stmt)),
                Err(e) => Err(this.failed(e, Some(sql))),
            }
        };
        match query.cache_key() {
            Some(CacheKey::Type(id)) => {
                if let Some(stmt) = self.cache.by_type.get(&(id, types)) {
                    return Ok(stmt.clone());
                }
                let stmt = prepare(self, &crate::render::render_sql(query, &Pg)?)?;
                self.cache.by_type.insert((id, types), stmt.clone());
                Ok(stmt)
            }
            Some(key @ CacheKey::Rows { .. }) => {
                if let Some(stmt) = self.cache.by_rows.get(&(key, types)) {
                    return Ok(stmt.clone());
                }
                let stmt = prepare(self, &crate::render::render_sql(query, &Pg)?)?;
                if self.cache.by_rows.len() >= MAX_CACHE_ENTRIES {
                    for (_, old) in self.cache.by_rows.drain() {
                        self.wire.close_later(old.name.clone());
                    }
                }
                self.cache.by_rows.insert((key, types), stmt.clone());
                Ok(stmt)
            }
            None => {
                let sql = crate::render::render_sql(query, &Pg)?;
                // Raw SQL (`sql_query`) may end the transaction a `transaction` call owns: refused, as in
                // `batch_execute` (the DSL's own statements never do, and are cached by type).
                if depth > 0
                    && let Some(statement) = transaction_statement(&sql)
                {
                    return Err(refused_transaction_statement(&statement));
                }
                let key = (sql, types);
                if let Some(stmt) = self.cache.by_sql.get(&key) {
                    return Ok(stmt.clone());
                }
                // The server takes a statement that leaves declared parameters unused, so SQL not written
                // by the DSL (whose count matches by construction) has its `$n` counted, once per text.
                let used = highest_placeholder(&key.0);
                if used != binds.len() {
                    return Err(build_error(
                        BuildErrorKind::BindCount,
                        format!(
                            "the query bound {} values for {used} parameters in `{}`",
                            binds.len(),
                            excerpt(&key.0)
                        ),
                    ));
                }
                let stmt = prepare(self, &key.0)?;
                if self.cache.by_sql.len() >= MAX_CACHE_ENTRIES {
                    for (_, old) in self.cache.by_sql.drain() {
                        self.wire.close_later(old.name.clone());
                    }
                }
                self.cache.by_sql.insert(key, stmt.clone());
                Ok(stmt)
            }
        }
    }

    /// The statement and values for `query`, checked to agree on the number of parameters; reported to
    /// the instrumentation as started (or as failed, when it cannot be prepared).
    fn bound<Q: QueryFragment + QueryId>(&mut self, query: &Q) -> QueryResult<(Arc<Prepared>, Vec<PgBind>)> {
        if !self.hook.is_set() {
            // Nobody to tell: notices are not kept.
            self.wire.notices.clear();
        }
        let prepares = self.stats.prepares;
        let bound = self.before_statement().and_then(|()| {
            let binds = collect_binds(query)?;
            let stmt = self.statement(query, &binds)?;
            Ok((stmt, binds))
        });
        if self.hook.is_set() {
            match &bound {
                Ok((stmt, binds)) => {
                    let prepared = self.stats.prepares != prepares;
                    self.hook.emit(&Event::StatementStarted { sql: &stmt.sql, binds: binds.len(), prepared });
                }
                Err(e) => {
                    let sql = crate::render::render_sql(query, &Pg).unwrap_or_default();
                    let (duration, error) = (Duration::ZERO, Some(e));
                    self.hook.emit(&Event::StatementFinished { sql: &sql, binds: 0, duration, rows: 0, error });
                    self.report_notices();
                }
            }
        }
        bound
    }

    /// Reports a statement `bound` started, begun at `start`, as finished, then the notices it drew.
    fn finished(&mut self, stmt: &Prepared, binds: usize, start: Option<Instant>, rows: u64, error: Option<&Error>) {
        if let Some(start) = start {
            let duration = start.elapsed();
            self.hook.emit(&Event::StatementFinished { sql: &stmt.sql, binds, duration, rows, error });
            self.report_notices();
        }
    }

    /// Reports the notices the server sent since the last report (dropped when no hook is set).
    pub(super) fn report_notices(&mut self) {
        for (severity, message) in std::mem::take(&mut self.wire.notices) {
            self.hook.emit(&Event::Notice { severity: &severity, message: &message });
        }
    }

    /// The time a statement starts, when the instrumentation wants it.
    fn clock(&self) -> Option<Instant> {
        self.hook.is_set().then(Instant::now)
    }

    fn chunks<'q, Q: QueryFragment + QueryId>(query: &'q Q) -> QueryResult<Option<Vec<BatchPart<'q>>>> {
        match query.row_batch() {
            Some(batch) => batch::chunks(batch, query.cache_key(), MAX_BINDS, &Pg),
            None => Ok(None),
        }
    }
}

/// A row as the decoders read it: its values in place in the connection's receive buffer.
struct PgRow<'r> {
    columns: &'r [Column],
    row: RowBytes<'r>,
}

impl Row<Pg> for PgRow<'_> {
    #[inline]
    fn value(&self, index: usize) -> Option<PgValue<'_>> {
        let column = self.columns.get(index)?;
        let (start, end) = (*self.row.values.get(index)?)?;
        Some(PgValue::new(&self.row.body[start as usize..end as usize], &column.ty))
    }
    fn column_name(&self, index: usize) -> Option<&str> {
        self.columns.get(index).map(|c| c.name.as_str())
    }
    fn column_count(&self) -> usize {
        self.row.values.len()
    }
}

#[inline]
fn decode_row<U: FromSqlRow<ST, Pg>, ST>(columns: &[Column], row: RowBytes<'_>) -> QueryResult<U> {
    U::build_from_row(&mut RowReader::new(&PgRow { columns, row }))
}

/// The rows of a query, read from a portal a slice at a time and decoded one by one; see
/// `RunQueryDsl::load_iter`. Dropped early, it ends the portal (at most one slice is left to skip).
pub struct PgRowIter<'c, U> {
    wire: Option<&'c mut Wire>,
    stmt: Option<Arc<Prepared>>,
    decode: fn(&[Column], RowBytes<'_>) -> QueryResult<U>,
    /// The rows of an INSERT .. RETURNING run in several parts, read before the iterator was made.
    loaded: Option<std::vec::IntoIter<U>>,
    hook: &'c mut InstrumentationSlot,
    /// With an instrumentation hook: the statement's count and clock, reported when its rows end.
    probe: Option<Probe>,
}

/// A statement read row by row, for the instrumentation.
struct Probe {
    binds: usize,
    rows: u64,
    start: Instant,
}

impl<U> PgRowIter<'_, U> {
    /// Reports the statement's end, once, then the notices it drew (those still to come with the portal's
    /// last rows go with the next statement).
    fn finish(&mut self, error: Option<&Error>, wire: Option<&mut Wire>) {
        if let (Some(probe), Some(stmt)) = (self.probe.take(), &self.stmt) {
            let (sql, binds, rows, duration) = (&stmt.sql, probe.binds, probe.rows, probe.start.elapsed());
            self.hook.emit(&Event::StatementFinished { sql, binds, duration, rows, error });
            for (severity, message) in wire.map(|w| std::mem::take(&mut w.notices)).unwrap_or_default() {
                self.hook.emit(&Event::Notice { severity: &severity, message: &message });
            }
        }
    }
}

impl<U> std::fmt::Debug for PgRowIter<'_, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgRowIter").field("done", &self.wire.is_none()).finish()
    }
}

impl<U> Iterator for PgRowIter<'_, U> {
    type Item = QueryResult<U>;

    fn next(&mut self) -> Option<QueryResult<U>> {
        if let Some(loaded) = &mut self.loaded {
            return loaded.next().map(Ok);
        }
        let wire = self.wire.as_deref_mut()?;
        let stmt = self.stmt.as_ref()?;
        let decode = self.decode;
        let item = wire.portal_next(|row| decode(&stmt.columns, row));
        let item = item.map(|r| r.map_err(|e| query_error(e, Some(&stmt.sql))));
        match &item {
            Some(Ok(_)) => {
                if let Some(probe) = &mut self.probe {
                    probe.rows += 1;
                }
            }
            Some(Err(e)) => {
                let wire = self.wire.take();
                self.finish(Some(e), wire);
            }
            None => {
                let wire = self.wire.take();
                self.finish(None, wire);
            }
        }
        item
    }
}

impl<U> Drop for PgRowIter<'_, U> {
    fn drop(&mut self) {
        let panicked = std::thread::panicking().then(crate::connection::instrumentation::panicked);
        // Settled first (the rest of the portal read; a failed socket is reported by the next
        // statement), so that the statement's notices are reported with it.
        let mut wire = self.wire.take();
        if let Some(wire) = wire.as_deref_mut() {
            let _ = wire.settle();
        }
        self.finish(panicked.as_ref(), wire);
    }
}

impl Connection for PgConnection {
    type Backend = Pg;

    /// Connects to `url`: a `postgres://` or `postgresql://` URL, or `key=value` pairs (`host`,
    /// `hostaddr`, `port`, `user`, `password`, `dbname`, `application_name`, `connect_timeout`, `options`
    /// such as `-c search_path=app`, `sslmode`, `sslrootcert`, `target_session_attrs`, `passfile`), as libpq
    /// takes them; what it leaves unsaid comes from the `PG*` variables (`PGHOST`, `PGUSER`, ..), and a
    /// password the server asks for from libpq's password file (`~/.pgpass` unless `passfile` names one).
    fn establish(url: &str) -> ConnectionResult<Self> {
        let start = Instant::now();
        let wire = Config::parse(url).and_then(|config| Wire::connect(&config));
        let wire = match wire {
            Ok(wire) => wire,
            Err(e) => {
                crate::connection::instrumentation::report_failed_connection(url, start, &e);
                return Err(e);
            }
        };
        let mut conn = PgConnection {
            wire,
            cache: StatementCache::default(),
            transactions: TransactionManager::default(),
            stats: ConnectionStats::default(),
            hook: InstrumentationSlot::from_default(),
        };
        conn.hook.connected(url, start, None);
        Ok(conn)
    }

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        if !self.hook.is_set() {
            self.wire.notices.clear();
            return self.simple_statements(sql);
        }
        self.hook.emit(&Event::StatementStarted { sql, binds: 0, prepared: true });
        let start = Instant::now();
        let result = self.simple_statements(sql);
        let (duration, error) = (start.elapsed(), result.as_ref().err());
        self.hook.emit(&Event::StatementFinished { sql, binds: 0, duration, rows: 0, error });
        self.report_notices();
        result
    }

    fn execute_returning_count<Q: QueryFragment + QueryId>(&mut self, query: &Q) -> QueryResult<usize> {
        if query.is_noop() {
            return Ok(0);
        }
        if let Some(chunks) = Self::chunks(query)? {
            return batch::execute_chunks(self, &chunks);
        }
        let (stmt, binds) = self.bound(query)?;
        let start = self.clock();
        let result = match self.wire.execute(&stmt, &binds, |_| Ok(())) {
            Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
            Err(e) => Err(self.failed(e, Some(&stmt.sql))),
        };
        let rows = *result.as_ref().unwrap_or(&0) as u64;
        self.finished(&stmt, binds.len(), start, rows, result.as_ref().err());
        result
    }

    fn load_rows<Q, U, ST>(&mut self, query: &Q, max_rows: usize) -> QueryResult<Vec<U>>
    where
        Q: QueryFragment + QueryId,
        U: FromSqlRow<ST, Pg>,
    {
        if query.is_noop() {
            return Ok(Vec::new());
        }
        if let Some(chunks) = Self::chunks(query)? {
            return batch::load_chunks::<_, U, ST>(self, &chunks, max_rows);
        }
        let (stmt, binds) = self.bound(query)?;
        let start = self.clock();
        let mut out = Vec::new();
        let columns = &stmt.columns;
        let wire = &mut self.wire;
        let mut read = || {
            wire.execute(&stmt, &binds, |row| {
                if out.len() < max_rows {
                    out.push(decode_row::<U, ST>(columns, row)?);
                }
                Ok(())
            })
        };
        let read = match start {
            None => read(),
            // With a hook: a panic in a row's conversion reports the statement as failed, then goes on.
            Some(_) => match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
                Ok(read) => read,
                Err(panic) => {
                    let error = crate::connection::instrumentation::panicked();
                    self.finished(&stmt, binds.len(), start, 0, Some(&error));
                    std::panic::resume_unwind(panic)
                }
            },
        };
        let result = match read {
            Ok(_) => Ok(out),
            Err(e) => Err(self.failed(e, Some(&stmt.sql))),
        };
        let rows = result.as_ref().map_or(0, |rows| rows.len() as u64);
        self.finished(&stmt, binds.len(), start, rows, result.as_ref().err());
        result
    }

    type RowIter<'c, U>
        = PgRowIter<'c, U>
    where
        U: 'c;

    fn load_iter_rows<'c, Q, U, ST>(&'c mut self, query: &Q) -> QueryResult<PgRowIter<'c, U>>
    where
        Q: QueryFragment + QueryId,
        U: FromSqlRow<ST, Pg> + 'c,
    {
        let decode = decode_row::<U, ST>;
        if query.is_noop() {
            return Ok(PgRowIter { wire: None, stmt: None, decode, loaded: None, hook: &mut self.hook, probe: None });
        }
        if let Some(chunks) = Self::chunks(query)? {
            let rows = batch::load_chunks::<_, U, ST>(self, &chunks, usize::MAX)?;
            let loaded = Some(rows.into_iter());
            return Ok(PgRowIter { wire: None, stmt: None, decode, loaded, hook: &mut self.hook, probe: None });
        }
        let (stmt, binds) = self.bound(query)?;
        let start = self.clock();
        if let Err(e) = self.wire.portal_start(&stmt, &binds) {
            let e = self.failed(e, Some(&stmt.sql));
            self.finished(&stmt, binds.len(), start, 0, Some(&e));
            return Err(e);
        }
        let probe = start.map(|start| Probe { binds: binds.len(), rows: 0, start });
        let PgConnection { wire, hook, .. } = self;
        Ok(PgRowIter { wire: Some(wire), stmt: Some(stmt), decode, loaded: None, hook, probe })
    }

    fn transaction_manager(&mut self) -> &mut TransactionManager {
        &mut self.transactions
    }

    fn instrumentation(&mut self) -> &mut InstrumentationSlot {
        &mut self.hook
    }

    /// Whether a transaction block is open on the server, as its last ReadyForQuery said.
    fn is_in_transaction(&mut self) -> bool {
        let _ = self.wire.settle();
        self.wire.status() != b'I'
    }
}

/// The highest `$n` placeholder in `sql`, outside quotes (`E'..'` with its backslash escapes too),
/// comments (nested block comments too) and dollar-quoted strings; a `$` inside a word (`price$1`) is
/// part of the word.
fn highest_placeholder(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut highest = 0;
    scan_code(sql, |i| {
        if bytes[i] == b'$' && !(i > 0 && word_char(bytes[i - 1])) {
            let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 0 {
                highest = highest.max(sql[i + 1..i + 1 + digits].parse().unwrap_or(usize::MAX));
            }
        }
    });
    highest
}

/// Calls `code(i)` for each byte of `sql` that is SQL code: outside quotes (`E'..'` with its backslash
/// escapes too), quoted identifiers, comments (nested block comments too) and dollar-quoted strings,
/// whose opening byte alone counts as code (a string is a token of the statement).
fn scan_code(sql: &str, mut code: impl FnMut(usize)) {
    let bytes = sql.as_bytes();
    let mut i = 0;
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let find = |from: usize, pattern: &str| sql.get(from..).and_then(|rest| rest.find(pattern)).map(|at| from + at);
    while i < bytes.len() {
        let after_word = i > 0 && word_char(bytes[i - 1]);
        match bytes[i] {
            b'\'' => {
                code(i);
                // `E'..'`: backslash escapes; elsewhere a doubled quote reads as two strings back to back.
                let escapes = i > 0 && matches!(bytes[i - 1], b'E' | b'e') && !(i > 1 && word_char(bytes[i - 2]));
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'\'' {
                    j += if escapes && bytes[j] == b'\\' { 2 } else { 1 };
                }
                i = j + 1;
            }
            b'"' => {
                code(i);
                i = find(i + 1, "\"").map_or(bytes.len(), |at| at + 1);
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => i = find(i, "\n").unwrap_or(bytes.len()),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let (mut depth, mut j) = (1, i + 2);
                while j < bytes.len() && depth > 0 {
                    if bytes[j..].starts_with(b"/*") {
                        (depth, j) = (depth + 1, j + 2);
                    } else if bytes[j..].starts_with(b"*/") {
                        (depth, j) = (depth - 1, j + 2);
                    } else {
                        j += 1;
                    }
                }
                i = j;
            }
            b'$' if !after_word && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                // `$tag$ ... $tag$`: a dollar-quoted string.
                let tag_len = bytes[i + 1..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
                if bytes.get(i + 1 + tag_len) == Some(&b'$') {
                    code(i);
                    let tag = &sql[i..i + tag_len + 2];
                    i = find(i + tag.len(), tag).map_or(bytes.len(), |at| at + tag.len());
                } else {
                    code(i);
                    i += 1;
                }
            }
            _ => {
                code(i);
                i += 1;
            }
        }
    }
}

/// The error for `statement`, which would begin or end a transaction inside a `transaction` call.
fn refused_transaction_statement(statement: &str) -> Error {
    build_error(
        BuildErrorKind::TransactionControl,
        format!(
            "`{statement}` ends or begins a transaction inside a `transaction` call (or a migration, or the test \
         transaction), which Quarry ends itself: return `Ok` from the closure to commit, `Err` to roll back"
        ),
    )
}

/// The first statement of `sql` that begins or ends a transaction block (`BEGIN`, `START TRANSACTION`,
/// `COMMIT`, `END`, `ROLLBACK` but not `ROLLBACK TO`, `ABORT`, `PREPARE TRANSACTION`), read from the
/// first words of each statement, outside strings and comments.
fn transaction_statement(sql: &str) -> Option<String> {
    let bytes = sql.as_bytes();
    let mut starts = Vec::new();
    let mut at_start = true;
    scan_code(sql, |i| match bytes[i] {
        b';' => at_start = true,
        b if b.is_ascii_whitespace() => {}
        _ if at_start => {
            starts.push(i);
            at_start = false;
        }
        _ => {}
    });
    starts.into_iter().find_map(|at| {
        let mut words = sql[at..].split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty());
        let first = words.next()?.to_ascii_uppercase();
        let second = words.next().map(str::to_ascii_uppercase).unwrap_or_default();
        let controls = match first.as_str() {
            "BEGIN" | "START" | "COMMIT" | "END" | "ABORT" => true,
            "ROLLBACK" => second != "TO",
            "PREPARE" => second == "TRANSACTION",
            _ => false,
        };
        controls.then(|| crate::result::excerpt(sql[at..].split(';').next().unwrap_or_default().trim()).into_owned())
    })
}

/// A line of `EXPLAIN`: its one column, `QUERY PLAN`.
impl crate::deserialize::QueryableByName<Pg> for crate::query::PlanRow {
    fn build_by_name<R: Row<Pg>>(row: &RowReader<'_, R>) -> QueryResult<Self> {
        let detail = row.read_named::<String, crate::sql_types::Text, Pg>("QUERY PLAN")?;
        Ok(crate::query::PlanRow { id: 0, parent: 0, detail })
    }
}

#[cfg(test)]
mod tests {
    use super::{highest_placeholder, holds_no_statement, transaction_statement};

    #[test]
    fn text_of_blanks_comments_and_semicolons_holds_no_statement() {
        for sql in ["", "  ;\n", "-- nothing", "/* a /* nested */ note */ ;", "-- one\n/* two */\t"] {
            assert!(holds_no_statement(sql), "{sql:?}");
        }
        for sql in ["SELECT 1", "'text'", "\"ident\"", "$$ body $$", "-- note\nx", "/* a */ ;x"] {
            assert!(!holds_no_statement(sql), "{sql:?}");
        }
    }

    #[test]
    fn statements_that_begin_or_end_a_transaction_are_found_by_their_first_words() {
        for (sql, found) in [
            ("CREATE TABLE a (x INT); COMMIT; CREATE TABLE b (x INT)", Some("COMMIT")),
            ("  commit", Some("commit")),
            ("/* note */ BEGIN; SELECT 1", Some("BEGIN")),
            ("-- a comment\nEND", Some("END")),
            ("start transaction isolation level serializable", Some("start transaction isolation level serializable")),
            ("ROLLBACK", Some("ROLLBACK")),
            ("ABORT;", Some("ABORT")),
            ("PREPARE TRANSACTION 'x'", Some("PREPARE TRANSACTION 'x'")),
            ("ROLLBACK TO SAVEPOINT mine", None),
            ("SAVEPOINT mine; RELEASE SAVEPOINT mine", None),
            ("PREPARE q AS SELECT 1", None),
            ("SELECT 'COMMIT'; SELECT \"commit\" FROM t", None),
            ("INSERT INTO log VALUES ($$; COMMIT; $$)", None),
            ("/* ; COMMIT */ SELECT 1 -- ; ROLLBACK", None),
            ("CREATE FUNCTION f() RETURNS void AS $body$ BEGIN END $body$ LANGUAGE plpgsql", None),
            ("UPDATE t SET committed = true WHERE ending", None),
        ] {
            assert_eq!(transaction_statement(sql).as_deref(), found, "{sql}");
        }
    }

    #[test]
    fn placeholders_are_counted_outside_strings_and_comments() {
        assert_eq!(highest_placeholder("SELECT $1, $2"), 2);
        assert_eq!(highest_placeholder("SELECT '$5', \"$6\", $1 -- $7\n, $2 /* $8 */"), 2);
        assert_eq!(highest_placeholder("SELECT $tag$ $9 $tag$, $$ $4 $$, $3"), 3);
        assert_eq!(highest_placeholder("SELECT 'it''s $4', $1"), 1);
        assert_eq!(highest_placeholder("SELECT 1"), 0);
        assert_eq!(highest_placeholder(r"SELECT E'it\'s $5', $1"), 1);
        assert_eq!(highest_placeholder("SELECT /* a /* b */ $3 */ $1"), 1);
        assert_eq!(highest_placeholder("SELECT price$1, col$usd$ FROM t WHERE x = $2"), 2);
    }
}
