//! Connections and running queries: `Connection`, `RunQueryDsl` and transactions.

pub mod batch;
pub mod instrumentation;
mod run_query_dsl;
mod transaction;

pub use instrumentation::{Event as InstrumentationEvent, Instrumentation, set_default_instrumentation};
pub use run_query_dsl::{CanExecute, CanLoad, CanRunOn, FirstDsl, LoadRow, RunQueryDsl};
pub use transaction::{TransactionManager, run_beginning_with};

use crate::backend::{Backend, RunsOn};
use crate::deserialize::FromSqlRow;
use crate::render::{QueryFragment, QueryId};
use crate::result::{ConnectionResult, QueryResult};

/// Counters of the work the connection did, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnectionStats {
    /// Queries rendered to SQL text.
    pub renders: u64,
    /// Statements prepared (compiled) by SQLite.
    pub prepares: u64,
}

/// A connection to a database.
pub trait Connection: Sized {
    /// The database's backend.
    type Backend: Backend;

    /// Opens a connection. For SQLite: a file path, `:memory:`, or a `file:` URI.
    fn establish(url: &str) -> ConnectionResult<Self>;

    /// Runs SQL text with no bind values and no result rows; several `;`-separated statements are allowed.
    fn batch_execute(&mut self, sql: &str) -> QueryResult<()>;

    /// Runs a statement and returns how many rows it changed.
    fn execute_returning_count<Q: QueryFragment + QueryId + RunsOn<Self::Backend>>(
        &mut self,
        query: &Q,
    ) -> QueryResult<usize>;

    /// Runs a query and reads at most `max_rows` rows into `U`s.
    fn load_rows<Q, U, ST>(&mut self, query: &Q, max_rows: usize) -> QueryResult<Vec<U>>
    where
        Q: QueryFragment + QueryId + RunsOn<Self::Backend>,
        U: FromSqlRow<ST, Self::Backend>;

    /// The iterator [`RunQueryDsl::load_iter`] returns: rows decoded one at a time, as they are stepped.
    type RowIter<'c, U>: Iterator<Item = QueryResult<U>>
    where
        Self: 'c,
        U: 'c;

    /// Runs a query and returns an iterator that reads one row per step, holding only that row.
    fn load_iter_rows<'c, Q, U, ST>(&'c mut self, query: &Q) -> QueryResult<Self::RowIter<'c, U>>
    where
        Q: QueryFragment + QueryId + RunsOn<Self::Backend>,
        U: FromSqlRow<ST, Self::Backend> + 'c;

    /// The connection's transaction bookkeeping.
    fn transaction_manager(&mut self) -> &mut TransactionManager;

    /// The connection's instrumentation hook, which the backend reports to.
    #[doc(hidden)]
    fn instrumentation(&mut self) -> &mut instrumentation::InstrumentationSlot;

    /// Reports this connection's events to `hook` from now on (replacing a hook set before, or the
    /// default one): each statement with its SQL, binds, duration, rows and error, each transaction begun
    /// and ended. See [`instrumentation`].
    fn set_instrumentation(&mut self, hook: impl instrumentation::Instrumentation + 'static) {
        self.instrumentation().set(Box::new(hook));
    }

    /// Removes the connection's hook and gives it back.
    fn take_instrumentation(&mut self) -> Option<Box<dyn instrumentation::Instrumentation>> {
        self.instrumentation().take()
    }

    /// True while the database has a transaction open on this connection, whoever began it (a
    /// `transaction` call, raw `BEGIN` SQL) and even after the database rolled it back on its own (SQLite
    /// does for `INSERT OR ROLLBACK`, `RAISE(ROLLBACK)` or a full disk), when this turns false.
    fn is_in_transaction(&mut self) -> bool;

    /// Runs `f` in a transaction: committed if `f` returns `Ok`, rolled back if it returns `Err` or
    /// panics (the panic then goes on). Nested calls use SAVEPOINTs, so an inner failure rolls back only
    /// the inner part.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// let mut conn = SqliteConnection::establish(":memory:")?;
    /// conn.batch_execute("CREATE TABLE t (x INTEGER)")?;
    /// let r: Result<(), quarry::result::Error> = conn.transaction(|conn| {
    ///     conn.batch_execute("INSERT INTO t VALUES (1)")?;
    ///     Err(quarry::result::Error::RollbackTransaction)
    /// });
    /// assert!(r.is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<crate::result::Error>,
    {
        transaction::run(self, f)
    }

    /// Opens a transaction that is never committed: everything done on this connection afterwards is
    /// rolled back when it closes. For tests against a shared database.
    fn begin_test_transaction(&mut self) -> QueryResult<()> {
        transaction::begin_test(self)
    }
}
