//! The only `unsafe` code of the SQLite backend: RAII handles around `sqlite3*` and `sqlite3_stmt*`.
//!
//! Each handle closes or finalizes itself on drop; every return code goes through [`check`], the one
//! place that turns SQLite's codes into [`Error`]s.
#![allow(unsafe_code)] // This module is the FFI boundary; every unsafe block states why it is sound.

use std::cell::Cell;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::ptr::{self, NonNull};

use libsqlite3_sys as sys;

use crate::result::{BuildErrorKind, build_error};
use crate::result::{DatabaseErrorInfo, DatabaseErrorKind, Error, QueryResult};

/// An open database connection.
pub(crate) struct RawConnection {
    db: NonNull<sys::sqlite3>,
    /// Set by SQLite's authorizer while a statement that begins, commits or rolls back the transaction
    /// (`BEGIN`, `COMMIT`, `END`, `ROLLBACK`; not savepoints) is compiled: SQLite's own parser tells, so
    /// comments, case and spacing cannot hide one. Allocated with `Box::into_raw` and freed in `Drop`
    /// after the connection closes: SQLite keeps the address, so no `Box` may assert it is unique.
    saw_transaction_control: NonNull<Cell<bool>>,
}

/// SQLite's authorizer, installed on every connection: it allows everything and only notes when the
/// statement being compiled controls the transaction. It runs at prepare time only, never per row.
unsafe extern "C" fn note_transaction_control(
    user: *mut c_void,
    action: c_int,
    _: *const c_char,
    _: *const c_char,
    _: *const c_char,
    _: *const c_char,
) -> c_int {
    if action == sys::SQLITE_TRANSACTION {
        // SAFETY: `user` is the `Cell<bool>` boxed in the `RawConnection` that installed this callback,
        // which outlives every prepare on that connection; the connection is used by one thread at a time.
        unsafe { (*user.cast::<Cell<bool>>()).set(true) };
    }
    sys::SQLITE_OK
}

/// The error for SQL text holding a NUL byte, which SQLite would take as the end of the text and so run
/// only what comes before it.
fn nul_error(sql: &str, at: usize) -> Error {
    build_error(
        BuildErrorKind::NulInSql,
        format!(
            "the SQL text holds a NUL byte (shown as \\0) at byte {at}, where SQLite would stop reading it: `{}`",
            crate::result::excerpt(sql).replace('\0', "\\0")
        ),
    )
}

// SAFETY: SQLite built thread-safe (checked in `open`) lets a connection opened NOMUTEX ("multi-thread"
// mode) be used from any thread, one thread at a time. Moving it moves that one user; it is not `Sync`,
// and every call goes through `&mut` or ownership, so two threads never use it at once.
unsafe impl Send for RawConnection {}

impl RawConnection {
    /// Opens `filename` (a path, `:memory:` or a `file:` URI) for reading and writing, creating it.
    pub(crate) fn open(filename: &str) -> Result<Self, String> {
        // SAFETY: a pure query of how the library was compiled.
        if unsafe { sys::sqlite3_threadsafe() } == 0 {
            return Err(format!(
                "`{filename}`: the SQLite linked was compiled single-threaded (SQLITE_THREADSAFE=0), which Quarry's connections, movable between threads, cannot use"
            ));
        }
        let c_name = CString::new(filename).map_err(|_| format!("`{filename}` contains a NUL byte"))?;
        // NOMUTEX: the connection is used through `&mut` from one thread at a time, so SQLite's per-call
        // mutex (taken by every `sqlite3_column_*`) is pure overhead; it was 11% of loading 10,000 rows.
        let flags =
            sys::SQLITE_OPEN_READWRITE | sys::SQLITE_OPEN_CREATE | sys::SQLITE_OPEN_URI | sys::SQLITE_OPEN_NOMUTEX;
        let mut db: *mut sys::sqlite3 = ptr::null_mut();
        // SAFETY: `c_name` is a valid NUL-terminated string and `db` a valid out-pointer.
        let rc = unsafe { sys::sqlite3_open_v2(c_name.as_ptr(), &mut db, flags, ptr::null()) };
        let Some(db) = NonNull::new(db) else {
            return Err(format!("`{filename}`: SQLite could not allocate a connection"));
        };
        let note = NonNull::from(Box::leak(Box::new(Cell::new(false))));
        let conn = RawConnection { db, saw_transaction_control: note };
        if rc != sys::SQLITE_OK {
            // `conn` is dropped (and closed) after the message is read.
            return Err(format!("`{filename}`: {}", conn.errmsg()));
        }
        // SAFETY: `db` is an open connection; extended codes let errors tell constraint kinds apart.
        unsafe { sys::sqlite3_extended_result_codes(conn.db.as_ptr(), 1) };
        // SAFETY: `db` is open; the callback only writes the cell, which is freed after the connection
        // (and with it the authorizer) is closed.
        let rc = unsafe {
            sys::sqlite3_set_authorizer(conn.db.as_ptr(), Some(note_transaction_control), note.as_ptr().cast())
        };
        if rc != sys::SQLITE_OK {
            return Err(format!("`{filename}`: {}", conn.errmsg()));
        }
        Ok(conn)
    }

    fn errmsg(&self) -> String {
        errmsg(self.db)
    }

    /// Runs one or more `;`-separated statements, one at a time: each is compiled and handed to `run`,
    /// which steps it (and may refuse it) before the next one is compiled.
    pub(crate) fn exec_each(
        &mut self,
        sql: &str,
        mut run: impl FnMut(&mut Statement) -> QueryResult<()>,
    ) -> QueryResult<()> {
        if let Some(at) = sql.find('\0') {
            return Err(nul_error(sql, at));
        }
        let mut rest = sql;
        while !rest.is_empty() {
            let (stmt, tail) = self.prepare_one(rest, false)?;
            if let Some(mut stmt) = stmt {
                run(&mut stmt)?;
            }
            rest = tail;
        }
        Ok(())
    }

    /// Sets how long a statement waits for another connection's lock before failing with `Busy`.
    pub(crate) fn busy_timeout(&mut self, millis: i32) -> QueryResult<()> {
        // SAFETY: `db` is open.
        let rc = unsafe { sys::sqlite3_busy_timeout(self.db.as_ptr(), millis) };
        self.check(rc, None)
    }

    /// The most values one statement may bind (SQLITE_LIMIT_VARIABLE_NUMBER: 32,766 unless lowered).
    pub(crate) fn max_binds(&self) -> usize {
        // SAFETY: `db` is open; a negative new value only reads the limit.
        let n = unsafe { sys::sqlite3_limit(self.db.as_ptr(), sys::SQLITE_LIMIT_VARIABLE_NUMBER, -1) };
        usize::try_from(n).unwrap_or(0)
    }

    /// True while a transaction is open on the connection, however it was begun (SQLite's autocommit
    /// mode is off).
    pub(crate) fn in_transaction(&self) -> bool {
        in_transaction(self.db)
    }

    /// The flag the authorizer sets.
    fn transaction_control_note(&self) -> &Cell<bool> {
        // SAFETY: the cell lives until `Drop`, after the last use of `self`; it is only used from the
        // thread using the connection (the authorizer runs inside its calls).
        unsafe { self.saw_transaction_control.as_ref() }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    pub(crate) fn changes(&self) -> usize {
        // SAFETY: `db` is open.
        let n = unsafe { sys::sqlite3_changes64(self.db.as_ptr()) };
        usize::try_from(n).unwrap_or(0)
    }

    /// Turns a return code into `Ok` or an `Error` carrying SQLite's message and the SQL.
    pub(crate) fn check(&self, rc: c_int, sql: Option<&str>) -> QueryResult<()> {
        match rc {
            sys::SQLITE_OK | sys::SQLITE_DONE | sys::SQLITE_ROW => Ok(()),
            _ => Err(self.error(rc, sql)),
        }
    }

    fn error(&self, rc: c_int, sql: Option<&str>) -> Error {
        error(self.db, rc, sql)
    }

    /// Compiles `sql` into a statement; `persistent` hints SQLite that it will be kept and reused. The
    /// text must hold exactly one statement (and no NUL byte, where SQLite would stop reading).
    pub(crate) fn prepare(&mut self, sql: &str, persistent: bool) -> QueryResult<Statement> {
        if let Some(at) = sql.find('\0') {
            return Err(nul_error(sql, at));
        }
        let (stmt, rest) = self.prepare_one(sql, persistent)?;
        let Some(stmt) = stmt else {
            return Err(crate::result::no_statement(sql));
        };
        // What SQLite did not compile: only blanks, `;` and comments may follow the statement.
        // A second statement that does not compile counts as one too.
        if !rest.trim_matches(|c: char| c.is_whitespace() || c == ';').is_empty()
            && !matches!(self.prepare_one(rest, false), Ok((None, _)))
        {
            return Err(crate::result::several_statements(sql));
        }
        Ok(stmt)
    }

    /// Compiles the first statement of `sql` (no NUL byte in it: the caller checked), and returns it
    /// (`None` when only blanks and comments were left) with the text after it.
    fn prepare_one<'s>(&mut self, sql: &'s str, persistent: bool) -> QueryResult<(Option<Statement>, &'s str)> {
        let mut stmt: *mut sys::sqlite3_stmt = ptr::null_mut();
        let len = c_int::try_from(sql.len())
            .map_err(|_| build_error(BuildErrorKind::Other, "the SQL text is longer than 2 GiB"))?;
        let flags = if persistent { sys::SQLITE_PREPARE_PERSISTENT } else { 0 };
        let mut tail: *const c_char = ptr::null();
        self.transaction_control_note().set(false);
        // SAFETY: `db` is open; `sql` points to `len` valid bytes (no NUL needed when a length is given);
        // `stmt` and `tail` are valid out-pointers.
        let rc = unsafe {
            sys::sqlite3_prepare_v3(self.db.as_ptr(), sql.as_ptr().cast::<c_char>(), len, flags, &mut stmt, &mut tail)
        };
        self.check(rc, Some(sql))?;
        let used = (tail as usize).saturating_sub(sql.as_ptr() as usize).min(sql.len());
        // SQLite stops at a character boundary (after a `;` or at the end), but never trust it to.
        let rest = sql.get(used..).unwrap_or("");
        let stmt = NonNull::new(stmt).map(|stmt| Statement {
            stmt,
            db: self.db,
            controls_transaction: self.transaction_control_note().get(),
        });
        Ok((stmt, rest))
    }
}

/// The connection's last error message.
fn errmsg(db: NonNull<sys::sqlite3>) -> String {
    // SAFETY: `db` is a valid connection; sqlite3_errmsg returns a NUL-terminated string owned by it,
    // copied here before any other call can change it.
    unsafe { CStr::from_ptr(sys::sqlite3_errmsg(db.as_ptr())).to_string_lossy().into_owned() }
}

/// The error for return code `rc` on connection `db`, with its kind, SQLite's message and the SQL.
fn error(db: NonNull<sys::sqlite3>, rc: c_int, sql: Option<&str>) -> Error {
    let kind = match rc {
        sys::SQLITE_CONSTRAINT_UNIQUE | sys::SQLITE_CONSTRAINT_PRIMARYKEY => DatabaseErrorKind::UniqueViolation,
        sys::SQLITE_CONSTRAINT_FOREIGNKEY => DatabaseErrorKind::ForeignKeyViolation,
        sys::SQLITE_CONSTRAINT_NOTNULL => DatabaseErrorKind::NotNullViolation,
        sys::SQLITE_CONSTRAINT_CHECK => DatabaseErrorKind::CheckViolation,
        _ => match rc & 0xff {
            sys::SQLITE_BUSY => DatabaseErrorKind::Busy,
            sys::SQLITE_LOCKED => DatabaseErrorKind::Locked,
            sys::SQLITE_READONLY => DatabaseErrorKind::ReadOnly,
            _ => DatabaseErrorKind::Unknown,
        },
    };
    let message = errmsg(db);
    let (constraint, table, column) = constraint_details(&message);
    let info =
        DatabaseErrorInfo::new(message, rc, sql.map(str::to_owned)).with_details(None, constraint, table, column);
    Error::DatabaseError(kind, Box::new(info))
}

/// What SQLite's constraint messages name: `UNIQUE constraint failed: users.email` (the first column
/// when there are several), `NOT NULL constraint failed: users.name`, `CHECK constraint failed: positive`.
fn constraint_details(message: &str) -> (Option<String>, Option<String>, Option<String>) {
    let Some((kind, named)) = message.split_once(" constraint failed: ") else { return (None, None, None) };
    if kind == "CHECK" {
        return (Some(named.to_owned()), None, None);
    }
    let first = named.split(", ").next().unwrap_or(named);
    match first.split_once('.') {
        Some((table, column)) => (None, Some(table.to_owned()), Some(column.to_owned())),
        None => (None, None, None),
    }
}

/// True while a transaction is open on connection `db` (SQLite's autocommit mode is off).
fn in_transaction(db: NonNull<sys::sqlite3>) -> bool {
    // SAFETY: callers pass an open connection (their own, or their statement's).
    unsafe { sys::sqlite3_get_autocommit(db.as_ptr()) == 0 }
}

impl RawConnection {
    /// Closes the connection now, reporting what SQLite says: `SQLITE_BUSY` if a statement it prepared
    /// were still alive (the connection then stays open, and `Drop` closes it once they are finalized).
    pub(crate) fn close(self) -> QueryResult<()> {
        // SAFETY: `db` is open and owned by this value.
        let rc = unsafe { sys::sqlite3_close(self.db.as_ptr()) };
        if rc != sys::SQLITE_OK {
            // Still open: its error, then `Drop` closes it the way that cannot fail.
            return Err(self.error(rc, None));
        }
        let flag = self.saw_transaction_control;
        std::mem::forget(self);
        // SAFETY: as in `Drop`: made by `Box::leak` in `open`, freed once, its connection closed.
        drop(unsafe { Box::from_raw(flag.as_ptr()) });
        Ok(())
    }
}

// `sqlite3_close_v2` (SQLite 3.7.14 on; the bundled library has it), which the generated bindings leave out.
unsafe extern "C" {
    fn sqlite3_close_v2(db: *mut sys::sqlite3) -> c_int;
}

impl Drop for RawConnection {
    fn drop(&mut self) {
        // SAFETY: `db` is open and owned by this value. Every statement it prepared is finalized before
        // (cached ones live in a field of `SqliteConnection` declared, and so dropped, first; single-use
        // ones never outlive the call that made them); were one still alive, `sqlite3_close_v2` would
        // close the connection once it is finalized instead of failing, so nothing leaks either way. Its
        // only other failure is a misuse (a handle not open), which this type rules out.
        unsafe { sqlite3_close_v2(self.db.as_ptr()) };
        // SAFETY: made by `Box::leak` in `open` and freed only here; the authorizer that wrote it runs only
        // while a statement is prepared, and none is prepared after the close above.
        drop(unsafe { Box::from_raw(self.saw_transaction_control.as_ptr()) });
    }
}

/// A prepared statement. It must not be stepped after its `RawConnection` is dropped: a step may
/// re-prepare it (after a schema change), which runs the authorizer, whose cell the drop frees. The
/// connection keeps its cached statements in a field dropped before the raw connection, and every other
/// statement lives in a call that borrows the connection, so none is. (Finalizing one late would be
/// safe: `sqlite3_close_v2` keeps the connection until its last statement is finalized.)
pub(crate) struct Statement {
    stmt: NonNull<sys::sqlite3_stmt>,
    db: NonNull<sys::sqlite3>,
    /// It is a `BEGIN`, `COMMIT`, `END` or `ROLLBACK` (not a savepoint), as SQLite's parser saw it.
    controls_transaction: bool,
}

// SAFETY: a statement is used only with its connection, which it moves with (statements live in the
// connection's cache or in a call borrowing it); the reasoning of `RawConnection`'s `Send` applies.
unsafe impl Send for Statement {}

/// The storage class of a column value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnType {
    Int,
    Real,
    Str,
    Blob,
    Null,
}

impl Statement {
    /// Every bind and step goes through here: the success test inlined, the error built out of line.
    #[inline]
    fn check(&self, rc: c_int) -> QueryResult<()> {
        if matches!(rc, sys::SQLITE_OK | sys::SQLITE_DONE | sys::SQLITE_ROW) {
            return Ok(());
        }
        Err(self.error(rc))
    }

    #[cold]
    #[inline(never)]
    fn error(&self, rc: c_int) -> Error {
        error(self.db, rc, self.sql().as_deref())
    }

    /// True for `BEGIN`, `COMMIT`, `END` and `ROLLBACK` (savepoints are not counted).
    pub(crate) fn controls_transaction(&self) -> bool {
        self.controls_transaction
    }

    /// True while a transaction is open on the statement's connection.
    pub(crate) fn connection_in_transaction(&self) -> bool {
        in_transaction(self.db)
    }

    /// Rows changed on the statement's connection since it opened, triggers' changes included (DDL
    /// changes none): the difference across a statement is what it changed.
    pub(crate) fn connection_total_changes(&self) -> u64 {
        // SAFETY: the statement's connection is open while the statement lives.
        let n = unsafe { sys::sqlite3_total_changes64(self.db.as_ptr()) };
        u64::try_from(n).unwrap_or(0)
    }

    /// The statement's SQL text.
    pub(crate) fn sql(&self) -> Option<String> {
        // SAFETY: `stmt` is valid; sqlite3_sql returns a string owned by the statement, copied at once.
        unsafe {
            let p = sys::sqlite3_sql(self.stmt.as_ptr());
            (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
        }
    }

    /// How many `?` parameters the statement has.
    pub(crate) fn parameter_count(&self) -> usize {
        // SAFETY: `stmt` is valid.
        let n = unsafe { sys::sqlite3_bind_parameter_count(self.stmt.as_ptr()) };
        usize::try_from(n).unwrap_or(0)
    }

    /// Binds NULL to parameter `index` (1-based).
    #[inline]
    pub(crate) fn bind_null(&mut self, index: c_int) -> QueryResult<()> {
        // SAFETY: `stmt` is valid; an out-of-range index is reported as SQLITE_RANGE.
        let rc = unsafe { sys::sqlite3_bind_null(self.stmt.as_ptr(), index) };
        self.check(rc)
    }

    /// Binds an integer.
    #[inline]
    pub(crate) fn bind_i64(&mut self, index: c_int, value: i64) -> QueryResult<()> {
        // SAFETY: as for bind_null.
        let rc = unsafe { sys::sqlite3_bind_int64(self.stmt.as_ptr(), index, value) };
        self.check(rc)
    }

    /// Binds a float.
    #[inline]
    pub(crate) fn bind_f64(&mut self, index: c_int, value: f64) -> QueryResult<()> {
        // SAFETY: as for bind_null.
        let rc = unsafe { sys::sqlite3_bind_double(self.stmt.as_ptr(), index, value) };
        self.check(rc)
    }

    /// Binds text; SQLite copies it (SQLITE_TRANSIENT), so `value` need not outlive the call.
    #[inline]
    pub(crate) fn bind_text(&mut self, index: c_int, value: &str) -> QueryResult<()> {
        // SAFETY: `value` points to `len` valid UTF-8 bytes; SQLITE_TRANSIENT makes SQLite copy them.
        let rc = unsafe {
            sys::sqlite3_bind_text64(
                self.stmt.as_ptr(),
                index,
                value.as_ptr().cast::<c_char>(),
                value.len() as u64,
                sys::SQLITE_TRANSIENT(),
                sys::SQLITE_UTF8 as u8,
            )
        };
        self.check(rc)
    }

    /// Binds bytes; SQLite copies them.
    #[inline]
    pub(crate) fn bind_blob(&mut self, index: c_int, value: &[u8]) -> QueryResult<()> {
        // SAFETY: `value` points to `len` valid bytes; SQLITE_TRANSIENT makes SQLite copy them.
        let rc = unsafe {
            sys::sqlite3_bind_blob64(
                self.stmt.as_ptr(),
                index,
                value.as_ptr().cast(),
                value.len() as u64,
                sys::SQLITE_TRANSIENT(),
            )
        };
        self.check(rc)
    }

    /// Advances to the next row: `Ok(true)` on a row, `Ok(false)` when done.
    #[inline]
    pub(crate) fn step(&mut self) -> QueryResult<bool> {
        // SAFETY: `stmt` is valid.
        let rc = unsafe { sys::sqlite3_step(self.stmt.as_ptr()) };
        match rc {
            sys::SQLITE_ROW => Ok(true),
            sys::SQLITE_DONE => Ok(false),
            _ => self.check(rc).map(|()| false),
        }
    }

    /// Resets the statement for another run and forgets its bindings.
    pub(crate) fn reset(&mut self) {
        // SAFETY: `stmt` is valid. reset's return code repeats the last step's error, already reported.
        unsafe {
            sys::sqlite3_reset(self.stmt.as_ptr());
            sys::sqlite3_clear_bindings(self.stmt.as_ptr());
        }
    }

    /// Number of result columns.
    #[inline]
    pub(crate) fn column_count(&self) -> usize {
        // SAFETY: `stmt` is valid.
        let n = unsafe { sys::sqlite3_column_count(self.stmt.as_ptr()) };
        usize::try_from(n).unwrap_or(0)
    }

    /// The name of result column `index`.
    pub(crate) fn column_name(&self, index: usize) -> Option<&str> {
        let index = c_int::try_from(index).ok()?;
        // SAFETY: `stmt` is valid; the returned string lives as long as the statement is neither
        // re-prepared nor finalized, which cannot happen while `&self` is borrowed.
        unsafe {
            let p = sys::sqlite3_column_name(self.stmt.as_ptr(), index);
            if p.is_null() { None } else { CStr::from_ptr(p).to_str().ok() }
        }
    }

    /// The storage class of column `index` in the current row.
    #[inline]
    pub(crate) fn column_type(&self, index: c_int) -> ColumnType {
        // SAFETY: `stmt` is valid and positioned on a row; an out-of-range index gives SQLITE_NULL.
        match unsafe { sys::sqlite3_column_type(self.stmt.as_ptr(), index) } {
            sys::SQLITE_INTEGER => ColumnType::Int,
            sys::SQLITE_FLOAT => ColumnType::Real,
            sys::SQLITE_TEXT => ColumnType::Str,
            sys::SQLITE_BLOB => ColumnType::Blob,
            _ => ColumnType::Null,
        }
    }

    /// Column `index` as an integer.
    #[inline]
    pub(crate) fn column_i64(&self, index: c_int) -> i64 {
        // SAFETY: `stmt` is valid and positioned on a row.
        unsafe { sys::sqlite3_column_int64(self.stmt.as_ptr(), index) }
    }

    /// Column `index` as a float.
    #[inline]
    pub(crate) fn column_f64(&self, index: c_int) -> f64 {
        // SAFETY: `stmt` is valid and positioned on a row.
        unsafe { sys::sqlite3_column_double(self.stmt.as_ptr(), index) }
    }

    /// Column `index` as bytes of text (not checked to be UTF-8), borrowed until the next step.
    #[inline]
    pub(crate) fn column_text(&self, index: c_int) -> &[u8] {
        // SAFETY: `stmt` is valid and on a row. column_text is called before column_bytes, as SQLite
        // requires; the buffer stays valid until the statement steps, resets or is finalized, none of
        // which can happen while `&self` is borrowed.
        unsafe {
            let p = sys::sqlite3_column_text(self.stmt.as_ptr(), index);
            let len = sys::sqlite3_column_bytes(self.stmt.as_ptr(), index);
            if p.is_null() || len <= 0 { &[] } else { std::slice::from_raw_parts(p, len as usize) }
        }
    }

    /// Column `index` as bytes, borrowed until the next step.
    #[inline]
    pub(crate) fn column_blob(&self, index: c_int) -> &[u8] {
        // SAFETY: as for column_text, with column_blob before column_bytes.
        unsafe {
            let p = sys::sqlite3_column_blob(self.stmt.as_ptr(), index);
            let len = sys::sqlite3_column_bytes(self.stmt.as_ptr(), index);
            if p.is_null() || len <= 0 { &[] } else { std::slice::from_raw_parts(p.cast::<u8>(), len as usize) }
        }
    }

    /// How many times SQLite re-prepared this statement (SQLITE_STMTSTATUS_REPREPARE).
    pub(crate) fn reprepare_count(&self) -> i32 {
        // SAFETY: `stmt` is valid; the counter is only read (reset flag 0).
        unsafe { sys::sqlite3_stmt_status(self.stmt.as_ptr(), sys::SQLITE_STMTSTATUS_REPREPARE, 0) }
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: `stmt` is owned by this value and finalized exactly once. `sqlite3_finalize` frees the
        // statement whatever it returns: its code repeats the last `sqlite3_step`'s error, which was
        // already reported where that step ran, so there is nothing left to report here.
        unsafe { sys::sqlite3_finalize(self.stmt.as_ptr()) };
    }
}
