//! Transactions: BEGIN/COMMIT at the outer level, SAVEPOINTs inside, rollback on `Err` or panic.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use super::Connection;
use super::instrumentation::Event;
use crate::result::{Error, QueryResult};

/// How deep in (nested) transactions a connection is.
#[derive(Debug, Default)]
pub struct TransactionManager {
    depth: u32,
    broken: Option<String>,
    /// `begin_test_transaction` opened the outermost transaction, which is never committed.
    test_transaction: bool,
    /// The database rolled the whole transaction back on its own (`RAISE(ROLLBACK)`, `OR ROLLBACK`, a
    /// full disk) while an enclosing `transaction` call, or the test transaction, still counted on it.
    aborted: bool,
}

impl TransactionManager {
    /// How many transactions (the outer one and savepoints) are open.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// True once a rollback failed: the connection's transaction state is unknown, so it refuses new
    /// transactions (and a pool drops it).
    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// True inside a `transaction` call (not counting the test transaction, which stays open for the
    /// connection's life): a pool must not give such a connection to someone else.
    pub fn in_transaction(&self) -> bool {
        self.depth > u32::from(self.test_transaction)
    }

    /// True when `begin_test_transaction` opened the connection's outermost transaction.
    pub fn in_test_transaction(&self) -> bool {
        self.test_transaction
    }

    /// True when the database rolled back a transaction that enclosing `transaction` calls (or the test
    /// transaction) still count on: they fail instead of running outside it.
    pub fn is_aborted(&self) -> bool {
        self.aborted
    }

    /// Called by a connection before each statement, with a way to ask whether the database still has
    /// a transaction open (asked only inside one): inside a `transaction` call (or the test transaction) whose transaction the database rolled
    /// back on its own, nothing more runs, or it would run in autocommit; the enclosing calls fail.
    #[doc(hidden)]
    pub fn check_still_open(&mut self, database_in_transaction: impl FnOnce() -> bool) -> QueryResult<()> {
        if self.depth == 0 || database_in_transaction() {
            return Ok(());
        }
        self.aborted = true;
        Err(Self::aborted_error())
    }

    fn aborted_error() -> Error {
        Error::BrokenTransactionManager(
            "the database rolled back the whole transaction (RAISE(ROLLBACK), OR ROLLBACK, a full disk); \
             the enclosing transaction is gone and nothing more runs in it"
                .to_owned(),
        )
    }

    fn check_usable(&self) -> QueryResult<()> {
        match &self.broken {
            Some(why) => Err(Error::BrokenTransactionManager(why.clone())),
            None => Ok(()),
        }
    }
}

// The outermost level's SQL is borrowed: a transaction allocates nothing unless it nests.
fn begin_sql(depth: u32, outer: &str) -> Cow<'_, str> {
    if depth == 0 { Cow::Borrowed(outer) } else { Cow::Owned(format!("SAVEPOINT quarry_savepoint_{depth}")) }
}

fn commit_sql(depth: u32) -> Cow<'static, str> {
    if depth == 0 { Cow::Borrowed("COMMIT") } else { Cow::Owned(format!("RELEASE SAVEPOINT quarry_savepoint_{depth}")) }
}

fn rollback_sql(depth: u32) -> Cow<'static, str> {
    if depth == 0 {
        Cow::Borrowed("ROLLBACK")
    } else {
        Cow::Owned(format!(
            "ROLLBACK TO SAVEPOINT quarry_savepoint_{depth}; RELEASE SAVEPOINT quarry_savepoint_{depth}"
        ))
    }
}

/// Rolls back level `depth`; on failure the connection's transaction state can no longer be trusted.
fn rollback<C: Connection>(conn: &mut C, depth: u32) -> QueryResult<()> {
    if !conn.is_in_transaction() {
        // The database already rolled the whole transaction back (and every savepoint in it). Enclosing
        // levels, or a test transaction, must not go on as if it were still open.
        let manager = conn.transaction_manager();
        if depth > 0 || manager.test_transaction {
            manager.aborted = true;
        }
        conn.instrumentation().emit(&Event::TransactionRolledBack { depth: depth + 1 });
        return Ok(());
    }
    let result = conn.batch_execute(&rollback_sql(depth));
    match &result {
        Ok(()) => conn.instrumentation().emit(&Event::TransactionRolledBack { depth: depth + 1 }),
        Err(e) => conn.transaction_manager().broken = Some(format!("rolling back failed: {e}")),
    }
    result
}

pub(super) fn run<C, T, E, F>(conn: &mut C, f: F) -> Result<T, E>
where
    C: Connection,
    F: FnOnce(&mut C) -> Result<T, E>,
    E: From<Error>,
{
    run_beginning_with(conn, "BEGIN", f)
}

/// [`Connection::transaction`] with `begin` as the SQL that opens the outermost transaction (a backend's
/// `BEGIN IMMEDIATE`, say); nested calls still use savepoints.
#[doc(hidden)]
pub fn run_beginning_with<C, T, E, F>(conn: &mut C, begin: &str, f: F) -> Result<T, E>
where
    C: Connection,
    F: FnOnce(&mut C) -> Result<T, E>,
    E: From<Error>,
{
    conn.transaction_manager().check_usable()?;
    if conn.transaction_manager().aborted {
        return Err(TransactionManager::aborted_error().into());
    }
    let depth = conn.transaction_manager().depth;
    if depth == 0 && conn.is_in_transaction() {
        // A transaction begun with raw SQL: a BEGIN now would fail (SQLite) or be ignored with a
        // warning (PostgreSQL), and this call's COMMIT would then end the other transaction.
        return Err(Error::BrokenTransactionManager(
            "a transaction begun with raw SQL (`BEGIN`) is still open: end it before calling `transaction`".to_owned(),
        )
        .into());
    }
    conn.batch_execute(&begin_sql(depth, begin))?;
    conn.transaction_manager().depth = depth + 1;
    conn.instrumentation().emit(&Event::TransactionBegun { depth: depth + 1 });
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut *conn)));
    conn.transaction_manager().depth = depth;
    // Back at the outermost level of a normal transaction, the aborted one is over: report it once.
    let manager = conn.transaction_manager();
    let aborted = manager.aborted;
    if aborted && depth == 0 && !manager.test_transaction {
        manager.aborted = false;
    }
    match outcome {
        Ok(Ok(_)) if aborted => {
            // The database rolled it back already: what this level ends as.
            conn.instrumentation().emit(&Event::TransactionRolledBack { depth: depth + 1 });
            Err(TransactionManager::aborted_error().into())
        }
        Ok(Ok(value)) => match conn.batch_execute(&commit_sql(depth)) {
            Ok(()) => {
                conn.instrumentation().emit(&Event::TransactionCommitted { depth: depth + 1 });
                Ok(value)
            }
            Err(commit_error) => {
                // A failed COMMIT (e.g. busy) leaves the transaction open: undo it, report the commit's error.
                let _ = rollback(conn, depth);
                Err(commit_error.into())
            }
        },
        Ok(Err(user_error)) => {
            // The user's error is what matters; a failed rollback marks the connection broken instead.
            let _ = rollback(conn, depth);
            Err(user_error)
        }
        Err(panic) => {
            let _ = rollback(conn, depth);
            resume_unwind(panic)
        }
    }
}

pub(super) fn begin_test<C: Connection>(conn: &mut C) -> QueryResult<()> {
    conn.transaction_manager().check_usable()?;
    if conn.transaction_manager().depth != 0 {
        return Err(Error::BrokenTransactionManager(
            "begin_test_transaction was called inside a transaction".to_owned(),
        ));
    }
    conn.batch_execute("BEGIN")?;
    // Depth 1 with no matching commit: nested `transaction` calls use savepoints and nothing commits.
    conn.transaction_manager().depth = 1;
    conn.instrumentation().emit(&Event::TransactionBegun { depth: 1 });
    conn.transaction_manager().test_transaction = true;
    Ok(())
}
