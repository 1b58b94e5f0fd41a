//! `PgConnection`: a connection to a PostgreSQL server, its prepared-statement cache, binding and rows.

use std::any::TypeId;
use std::collections::HashMap;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{FromSql as PgFromSql, Type};
use postgres::{Client, NoTls, Statement};

use super::Pg;
use super::binds::{Collect, PgBind};
use super::types::PgValue;
use crate::connection::batch::{self, BatchPart};
use crate::connection::{Connection, ConnectionStats, TransactionManager};
use crate::deserialize::{FromSqlRow, Row, RowReader};
use crate::render::{AstPass, CacheKey, QueryFragment, QueryId};
use crate::result::{
    ConnectionError, ConnectionResult, DatabaseErrorInfo, DatabaseErrorKind, Error, QueryResult, excerpt, msg,
};

/// PostgreSQL's limit of bound values per statement (a 16-bit count in the protocol).
const MAX_BINDS: usize = 65_535;
/// At most this many statements are cached by SQL text, or by (rows' type, row count); beyond it that
/// cache starts over.
const MAX_CACHE_ENTRIES: usize = 256;

#[derive(Default)]
struct StatementCache {
    // Each keyed also by the types declared for its parameters ([`declared_types_key`]): a statement
    // prepared with a NULL (left to the server to type) is not reused for a value of a definite type.
    by_type: HashMap<(TypeId, u64), Statement>,
    by_rows: HashMap<(CacheKey, u64), Statement>,
    by_sql: HashMap<(String, u64), Statement>,
}

/// A connection to a PostgreSQL server.
///
/// Every query whose SQL depends only on its type is rendered and prepared (as a named server-side
/// statement) once per connection and then found again by its type; other queries by their SQL text.
pub struct PgConnection {
    client: Client,
    cache: StatementCache,
    transactions: TransactionManager,
    stats: ConnectionStats,
    /// Whether the server has a transaction block open. The `postgres` client does not report the
    /// server's status, so it is known from the transaction statements Quarry runs itself, and asked of
    /// the server after any other SQL that may begin or end one and after every failed statement.
    server_in_transaction: bool,
    /// A statement failed inside the open block: PostgreSQL has aborted it, and would answer a COMMIT
    /// by rolling back without an error. `transaction` reports that instead of `Ok`.
    block_failed: bool,
    /// A statement failed where the server could not be asked at once (under `load_iter`'s borrow):
    /// it is asked before the next use.
    needs_probe: bool,
}

/// What the server's transaction block is after a statement, as the connection follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Open,
    Closed,
    /// Unchanged (a savepoint), or unknown.
    Same,
}

/// The effect of one of the statements Quarry's own transaction handling sends, known without asking.
fn own_statement_effect(sql: &str) -> Option<Block> {
    if sql == "BEGIN"
        || sql.starts_with("BEGIN ISOLATION")
        || sql.starts_with("BEGIN READ")
        || sql.starts_with("BEGIN NOT")
        || sql == "BEGIN DEFERRABLE"
    {
        return Some(Block::Open);
    }
    match sql {
        "COMMIT" | "ROLLBACK" => Some(Block::Closed),
        _ if sql.starts_with("SAVEPOINT quarry_") || sql.starts_with("RELEASE SAVEPOINT quarry_") => Some(Block::Same),
        _ if sql.starts_with("ROLLBACK TO SAVEPOINT quarry_") => Some(Block::Same),
        "SAVEPOINT quarry_batch" | "RELEASE quarry_batch" | "ROLLBACK TO quarry_batch; RELEASE quarry_batch" => {
            Some(Block::Same)
        }
        _ => None,
    }
}

/// Whether `sql` has a word that may begin or end a transaction block (in a string or a comment too:
/// that only costs a question to the server).
fn may_control_transactions(sql: &str) -> bool {
    sql.split(|c: char| !c.is_ascii_alphabetic()).any(|word| {
        ["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "PREPARE", "CHAIN"]
            .iter()
            .any(|k| word.eq_ignore_ascii_case(k))
    })
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection").field("closed", &self.client.is_closed()).finish_non_exhaustive()
    }
}

/// The error for a failed statement, with its kind from the SQLSTATE and what the server names.
fn query_error(e: postgres::Error, sql: Option<&str>) -> Error {
    let sql = sql.map(str::to_owned);
    let Some(db) = e.as_db_error() else {
        // A closed client, or a socket that failed under it: the connection is gone either way.
        let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
        let kind = if e.is_closed() || io { DatabaseErrorKind::ClosedConnection } else { DatabaseErrorKind::Unknown };
        return Error::DatabaseError(kind, Box::new(DatabaseErrorInfo::new(e.to_string(), 0, sql)));
    };
    let kind = match db.code().code() {
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
    let message = match db.detail() {
        Some(detail) => format!("{} ({detail})", db.message()),
        None => db.message().to_owned(),
    };
    let info = DatabaseErrorInfo::new(message, 0, sql).with_details(
        Some(db.code().code().to_owned()),
        db.constraint().map(str::to_owned),
        db.table().map(str::to_owned),
        db.column().map(str::to_owned),
    );
    Error::DatabaseError(kind, Box::new(info))
}

/// The types declared for `binds` when a statement is prepared, folded into one number (FNV-1a over
/// their OIDs) for the statement caches' keys.
fn declared_types_key(binds: &[PgBind]) -> u64 {
    binds.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b.declared_type().oid())).wrapping_mul(0x100_0000_01b3)
    })
}

/// The values as the client takes them.
fn as_params(binds: &[PgBind]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    binds.iter().map(|b| b as &(dyn postgres::types::ToSql + Sync)).collect()
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

impl PgConnection {
    /// A transaction with PostgreSQL's options (isolation level, read only, deferrable).
    pub fn build_transaction(&mut self) -> TransactionBuilder<'_> {
        TransactionBuilder { conn: self, isolation: None, read_only: None, deferrable: None }
    }

    /// What the connection has rendered and prepared so far.
    pub fn stats(&self) -> ConnectionStats {
        self.stats
    }

    /// The client, for a statement this module does not run itself (COPY).
    pub(super) fn client_mut(&mut self) -> &mut Client {
        &mut self.client
    }

    /// What every statement does first: learn what an earlier failure left, and refuse to run in
    /// autocommit inside a transaction the server has ended.
    pub(super) fn before_statement(&mut self) -> QueryResult<()> {
        self.settle();
        let open = self.server_in_transaction;
        self.transactions.check_still_open(|| open)
    }

    /// The error for a failed statement `sql` (see `failed`).
    pub(super) fn failed_statement(&mut self, e: postgres::Error, sql: &str) -> Error {
        self.failed(e, Some(sql))
    }

    /// After a COPY this side aborted: the server failed it, which aborted an enclosing block.
    pub(super) fn after_failed_copy(&mut self) {
        self.probe_after_failure();
    }

    /// The error for a failed statement, after learning from the server what the failure left: an
    /// aborted block (the next statement fails with 25P02) or none (a failure inside a block always
    /// aborts it, so a statement that runs means no block is open). A cached statement the server no
    /// longer takes (0A000 after DDL changed its result, 26000) leaves the cache.
    fn failed(&mut self, e: postgres::Error, sql: Option<&str>) -> Error {
        let error = query_error(e, sql);
        if let Error::DatabaseError(kind, info) = &error {
            if *kind == DatabaseErrorKind::ClosedConnection {
                return error;
            }
            if matches!(info.sqlstate(), Some("0A000" | "26000")) {
                self.cache = StatementCache::default();
            }
        }
        self.probe_after_failure();
        error
    }

    /// Learns what a failed statement left: see [`failed`](Self::failed).
    fn probe_after_failure(&mut self) {
        self.needs_probe = false;
        match self.client.batch_execute("SELECT 1") {
            Ok(()) => (self.server_in_transaction, self.block_failed) = (false, false),
            Err(probe) if probe.code().is_some_and(|c| c.code() == "25P02") => {
                (self.server_in_transaction, self.block_failed) = (true, true);
            }
            Err(_) => {}
        }
    }

    /// Runs the probe a failure under `load_iter` left pending.
    fn settle(&mut self) {
        if self.needs_probe {
            self.probe_after_failure();
        }
    }

    /// Asks the server whether a transaction block is open, after SQL that may have begun or ended one:
    /// inside a block begun earlier, the transaction's start (`now()`) precedes this statement's.
    fn ask_block_state(&mut self) {
        match self.client.simple_query("SELECT now() <> statement_timestamp()") {
            Ok(messages) => {
                let open = messages.iter().any(|m| match m {
                    postgres::SimpleQueryMessage::Row(row) => row.get(0) == Some("t"),
                    _ => false,
                });
                (self.server_in_transaction, self.block_failed) = (open, false);
            }
            Err(e) if e.code().is_some_and(|c| c.code() == "25P02") => {
                (self.server_in_transaction, self.block_failed) = (true, true);
            }
            Err(_) => {}
        }
    }

    /// Finds or prepares the statement for `query`, whose values are `binds`.
    fn statement<Q: QueryFragment + QueryId>(&mut self, query: &Q, binds: &[PgBind]) -> QueryResult<Statement> {
        let depth = self.transactions.depth();
        let PgConnection { client, cache, stats, .. } = self;
        let types = declared_types_key(binds);
        let mut prepare = |sql: &str| -> QueryResult<Statement> {
            stats.renders += 1;
            stats.prepares += 1;
            if let Some(at) = sql.find('\0') {
                return Err(Error::QueryBuilderError(msg(format!(
                    "the SQL text holds a NUL byte (shown as \\0) at byte {at}: `{}`",
                    excerpt(sql).replace('\0', "\\0")
                ))));
            }
            let types: Vec<Type> = binds.iter().map(PgBind::declared_type).collect();
            client.prepare_typed(sql, &types).map_err(|e| query_error(e, Some(sql)))
        };
        match query.cache_key() {
            Some(CacheKey::Type(id)) => {
                if let Some(stmt) = cache.by_type.get(&(id, types)) {
                    return Ok(stmt.clone());
                }
                let stmt = prepare(&crate::render::render_sql(query, &Pg)?)?;
                cache.by_type.insert((id, types), stmt.clone());
                Ok(stmt)
            }
            Some(key @ CacheKey::Rows { .. }) => {
                if let Some(stmt) = cache.by_rows.get(&(key, types)) {
                    return Ok(stmt.clone());
                }
                let stmt = prepare(&crate::render::render_sql(query, &Pg)?)?;
                if cache.by_rows.len() >= MAX_CACHE_ENTRIES {
                    cache.by_rows.clear();
                }
                cache.by_rows.insert((key, types), stmt.clone());
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
                if let Some(stmt) = cache.by_sql.get(&key) {
                    return Ok(stmt.clone());
                }
                // The server takes a statement that leaves declared parameters unused, so SQL not written
                // by the DSL (whose count matches by construction) has its `$n` counted, once per text.
                let used = highest_placeholder(&key.0);
                if used != binds.len() {
                    return Err(Error::QueryBuilderError(msg(format!(
                        "the query bound {} values for {used} parameters in `{}`",
                        binds.len(),
                        excerpt(&key.0)
                    ))));
                }
                let stmt = prepare(&key.0)?;
                if cache.by_sql.len() >= MAX_CACHE_ENTRIES {
                    cache.by_sql.clear();
                }
                cache.by_sql.insert(key, stmt.clone());
                Ok(stmt)
            }
        }
    }

    /// The statement and values for `query`, checked to agree on the number of parameters.
    fn bound<Q: QueryFragment + QueryId>(&mut self, query: &Q) -> QueryResult<(Statement, Vec<PgBind>)> {
        self.before_statement()?;
        let binds = collect_binds(query)?;
        let stmt = self.statement(query, &binds)?;
        Ok((stmt, binds))
    }

    fn chunks<'q, Q: QueryFragment + QueryId>(query: &'q Q) -> QueryResult<Option<Vec<BatchPart<'q>>>> {
        match query.row_batch() {
            Some(batch) => batch::chunks(batch, query.cache_key(), MAX_BINDS, &Pg),
            None => Ok(None),
        }
    }
}

/// A column value's bytes, borrowed from the row: decoded by Quarry's own `FromSql` impls.
struct RawBytes<'a>(&'a [u8]);

impl<'a> PgFromSql<'a> for RawBytes<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawBytes(raw))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A row as the decoders read it.
struct PgRow<'r> {
    row: &'r postgres::Row,
}

impl Row<Pg> for PgRow<'_> {
    #[inline]
    fn value(&self, index: usize) -> Option<PgValue<'_>> {
        let column = self.row.columns().get(index)?;
        let bytes = self.row.try_get::<_, Option<RawBytes<'_>>>(index).ok()??;
        Some(PgValue::new(bytes.0, column.type_()))
    }
    fn column_name(&self, index: usize) -> Option<&str> {
        self.row.columns().get(index).map(|c| c.name())
    }
    fn column_count(&self) -> usize {
        self.row.len()
    }
}

fn decode_row<U: FromSqlRow<ST, Pg>, ST>(row: &postgres::Row) -> QueryResult<U> {
    U::build_from_row(&mut RowReader::new(&PgRow { row }))
}

/// The rows of a query, decoded one at a time; see `RunQueryDsl::load_iter`.
pub struct PgRowIter<'c, U> {
    rows: Option<postgres::RowIter<'c>>,
    /// Set when a row fails: the connection then asks the server what the failure left.
    failed: Option<&'c mut bool>,
    decode: fn(&postgres::Row) -> QueryResult<U>,
    /// The rows of an INSERT .. RETURNING run in several parts, read before the iterator was made.
    loaded: Option<std::vec::IntoIter<U>>,
}

impl<U> std::fmt::Debug for PgRowIter<'_, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgRowIter").field("done", &self.rows.is_none()).finish()
    }
}

impl<U> Iterator for PgRowIter<'_, U> {
    type Item = QueryResult<U>;

    fn next(&mut self) -> Option<QueryResult<U>> {
        if let Some(loaded) = &mut self.loaded {
            return loaded.next().map(Ok);
        }
        let rows = self.rows.as_mut()?;
        let item = match rows.next() {
            Ok(Some(row)) => return Some((self.decode)(&row)),
            Ok(None) => None,
            Err(e) => {
                if let Some(failed) = self.failed.as_deref_mut() {
                    *failed = true;
                }
                Some(Err(query_error(e, None)))
            }
        };
        self.rows = None;
        item
    }
}

impl Connection for PgConnection {
    type Backend = Pg;

    /// Connects to `url`: a `postgres://` or `postgresql://` URL, or `key=value` pairs (`host`, `port`,
    /// `user`, `password`, `dbname`, `application_name`, `connect_timeout`, `options` such as
    /// `-c search_path=app`), as libpq takes them.
    fn establish(url: &str) -> ConnectionResult<Self> {
        use super::tls::SslMode;
        let (url, tls) = super::tls::split_tls_options(url)?;
        // The URL may hold a password: messages describe what was parsed, never echo the text.
        let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            ConnectionError::InvalidConnectionUrl(format!("not a PostgreSQL URL or key=value string: {e}"))
        })?;
        config.ssl_mode(match tls.mode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => postgres::config::SslMode::Require,
        });
        let failed =
            |e: postgres::Error| ConnectionError::BadConnection(format!("{}: {}", describe(&config), error_chain(&e)));
        #[cfg(feature = "rustls")]
        let client = if tls.mode == SslMode::Disable {
            config.connect(NoTls).map_err(failed)?
        } else {
            let tls_config = super::tls::rustls_tls::client_config(&tls)?;
            config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls_config)).map_err(failed)?
        };
        #[cfg(not(feature = "rustls"))]
        let client = match tls.mode {
            SslMode::Disable | SslMode::Prefer => config.connect(NoTls).map_err(failed)?,
            _ => {
                return Err(ConnectionError::BadConnection(
                    "TLS (sslmode=require, verify-ca, verify-full) needs quarry's `rustls` feature".to_owned(),
                ));
            }
        };
        Ok(PgConnection {
            client,
            cache: StatementCache::default(),
            transactions: TransactionManager::default(),
            stats: ConnectionStats::default(),
            server_in_transaction: false,
            block_failed: false,
            needs_probe: false,
        })
    }

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        if sql.contains('\0') {
            return Err(Error::QueryBuilderError(msg("the SQL text holds a NUL byte")));
        }
        self.settle();
        let own = own_statement_effect(sql);
        if own.is_none() && self.transactions.depth() > 0 {
            self.transactions.check_still_open(|| self.server_in_transaction)?;
            // Refused before it runs, as on SQLite: once COMMIT ran, the statements before it are
            // committed and those after it run outside the transaction, which nothing can undo.
            if let Some(statement) = transaction_statement(sql) {
                return Err(refused_transaction_statement(&statement));
            }
        }
        if sql == "COMMIT" && self.block_failed {
            // PostgreSQL would roll back and answer COMMIT with no error: say so instead.
            let rolled_back = self.client.batch_execute("ROLLBACK").map_err(|e| self.failed(e, Some("ROLLBACK")));
            (self.server_in_transaction, self.block_failed) = (false, false);
            rolled_back?;
            return Err(Error::BrokenTransactionManager(
                "a statement failed inside the transaction, so PostgreSQL rolled it back: nothing was committed"
                    .to_owned(),
            ));
        }
        if let Err(e) = self.client.batch_execute(sql) {
            return Err(self.failed(e, Some(sql)));
        }
        match own {
            Some(Block::Open) => (self.server_in_transaction, self.block_failed) = (true, false),
            Some(Block::Closed) => (self.server_in_transaction, self.block_failed) = (false, false),
            // Rolling back to a savepoint clears the failure; releasing one does not change the block.
            Some(Block::Same) if sql.contains("ROLLBACK TO") => self.block_failed = false,
            Some(Block::Same) => {}
            None if may_control_transactions(sql) => self.ask_block_state(),
            None => {}
        }
        Ok(())
    }

    fn execute_returning_count<Q: QueryFragment + QueryId>(&mut self, query: &Q) -> QueryResult<usize> {
        if query.is_noop() {
            return Ok(0);
        }
        if let Some(chunks) = Self::chunks(query)? {
            return batch::execute_chunks(self, &chunks);
        }
        let (stmt, binds) = self.bound(query)?;
        let params = as_params(&binds);
        let n = match self.client.execute(&stmt, &params) {
            Ok(n) => n,
            Err(e) => return Err(self.failed(e, None)),
        };
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
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
        // All rows in one call: the `postgres` client's row iterator blocks on its runtime once per row,
        // which cost 1.5x the decoding itself over 10,000 rows (`load_iter` streams that way).
        let params = as_params(&binds);
        let rows = match self.client.query(&stmt, &params) {
            Ok(rows) => rows,
            Err(e) => return Err(self.failed(e, None)),
        };
        let mut out = Vec::with_capacity(rows.len().min(max_rows));
        for row in rows.iter().take(max_rows) {
            out.push(decode_row::<U, ST>(row)?);
        }
        Ok(out)
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
            return Ok(PgRowIter { rows: None, failed: None, decode, loaded: None });
        }
        if let Some(chunks) = Self::chunks(query)? {
            let rows = batch::load_chunks::<_, U, ST>(self, &chunks, usize::MAX)?;
            return Ok(PgRowIter { rows: None, failed: None, decode, loaded: Some(rows.into_iter()) });
        }
        let (stmt, binds) = self.bound(query)?;
        let PgConnection { client, needs_probe, .. } = self;
        let rows = match client.query_raw(&stmt, binds.iter()) {
            Ok(rows) => rows,
            Err(e) => {
                *needs_probe = true;
                return Err(query_error(e, None));
            }
        };
        Ok(PgRowIter { rows: Some(rows), failed: Some(needs_probe), decode, loaded: None })
    }

    fn transaction_manager(&mut self) -> &mut TransactionManager {
        &mut self.transactions
    }

    /// Whether a transaction block is open on the server, as followed from the `BEGIN`, `COMMIT` and
    /// `ROLLBACK` statements run through `batch_execute` (the transaction calls' own, or raw SQL).
    fn is_in_transaction(&mut self) -> bool {
        self.settle();
        self.server_in_transaction
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
/// escapes too), quoted identifiers, comments (nested block comments too) and dollar-quoted strings.
fn scan_code(sql: &str, mut code: impl FnMut(usize)) {
    let bytes = sql.as_bytes();
    let mut i = 0;
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let find = |from: usize, pattern: &str| sql.get(from..).and_then(|rest| rest.find(pattern)).map(|at| from + at);
    while i < bytes.len() {
        let after_word = i > 0 && word_char(bytes[i - 1]);
        match bytes[i] {
            b'\'' => {
                // `E'..'`: backslash escapes; elsewhere a doubled quote reads as two strings back to back.
                let escapes = i > 0 && matches!(bytes[i - 1], b'E' | b'e') && !(i > 1 && word_char(bytes[i - 2]));
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'\'' {
                    j += if escapes && bytes[j] == b'\\' { 2 } else { 1 };
                }
                i = j + 1;
            }
            b'"' => i = find(i + 1, "\"").map_or(bytes.len(), |at| at + 1),
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
    Error::QueryBuilderError(msg(format!(
        "`{statement}` ends or begins a transaction inside a `transaction` call (or a migration, or the test \
         transaction), which Quarry ends itself: return `Ok` from the closure to commit, `Err` to roll back"
    )))
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

/// What a connection string names, for error messages: host, port, database and user, never the
/// password.
fn describe(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "PostgreSQL at {host}:{port}, database `{}` as `{}`",
        config.get_dbname().unwrap_or("(the user's)"),
        config.get_user().unwrap_or("(the OS user)")
    )
}

/// An error and its sources, joined: "error connecting to server: Connection refused (os error 111)".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{highest_placeholder, transaction_statement};

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
    fn words_that_may_begin_or_end_a_block_are_noticed() {
        use super::may_control_transactions as may;
        for sql in ["begin", "START TRANSACTION", "commit and chain", "END", "abort", "x; Rollback"] {
            assert!(may(sql), "{sql}");
        }
        for sql in ["SELECT 1", "SAVEPOINT s", "INSERT INTO t VALUES (1)", "SELECT beginning"] {
            assert!(!may(sql), "{sql}");
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
