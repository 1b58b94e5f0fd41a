//! Connection pools with [`r2d2`] (feature `r2d2`): threads take a connection from the pool and give it
//! back when the guard drops.
//!
//! ```
//! use quarry::prelude::*;
//! use quarry::r2d2::{ConnectionManager, Pool};
//! use quarry::sqlite::SqliteConnection;
//!
//! let path = std::env::temp_dir().join(format!("quarry-r2d2-doc-{}.db", std::process::id()));
//! let manager = ConnectionManager::<SqliteConnection>::new(path.to_str().unwrap());
//! let pool = Pool::builder().max_size(4).build(manager)?;
//! pool.get()?.batch_execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")?;
//! let workers: Vec<_> = (0..4)
//!     .map(|i| {
//!         let pool = pool.clone();
//!         std::thread::spawn(move || -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//!             pool.get()?.batch_execute(&format!("INSERT INTO t VALUES ({i})"))?;
//!             Ok(())
//!         })
//!     })
//!     .collect();
//! for w in workers {
//!     w.join().unwrap().unwrap();
//! }
//! # drop(pool);
//! # std::fs::remove_file(&path)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each pooled connection is opened like `SqliteConnection::establish(url)`: with `:memory:`, every
//! connection of the pool is its own empty database, so pool a file (or a shared-cache URI) instead.

use std::fmt;
use std::marker::PhantomData;

pub use r2d2::{Builder, CustomizeConnection, Pool, PooledConnection};

use crate::connection::Connection;
use crate::result::{ConnectionError, Error as QueryError};

/// Opens and checks the pool's connections of type `C` to the database at `url`.
pub struct ConnectionManager<C> {
    url: String,
    connection: PhantomData<fn() -> C>,
}

impl<C> ConnectionManager<C> {
    /// A manager for connections to `url`, as `C::establish` takes it.
    pub fn new(url: impl Into<String>) -> Self {
        ConnectionManager { url: url.into(), connection: PhantomData }
    }
}

impl<C> fmt::Debug for ConnectionManager<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionManager").field("url", &self.url).finish()
    }
}

/// Why the pool could not hand out a working connection.
#[derive(Debug)]
pub enum ManagerError {
    /// Opening a connection failed.
    Connection(ConnectionError),
    /// Checking a connection (`SELECT 1`) failed.
    Query(QueryError),
}

impl fmt::Display for ManagerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManagerError::Connection(e) => write!(f, "cannot open a pooled connection: {e}"),
            ManagerError::Query(e) => write!(f, "a pooled connection failed its check: {e}"),
        }
    }
}

impl std::error::Error for ManagerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ManagerError::Connection(e) => Some(e),
            ManagerError::Query(e) => Some(e),
        }
    }
}

impl<C: Connection + Send + 'static> r2d2::ManageConnection for ConnectionManager<C> {
    type Connection = C;
    type Error = ManagerError;

    fn connect(&self) -> Result<C, ManagerError> {
        C::establish(&self.url).map_err(ManagerError::Connection)
    }

    fn is_valid(&self, conn: &mut C) -> Result<(), ManagerError> {
        conn.batch_execute("SELECT 1").map_err(ManagerError::Query)
    }

    /// A connection whose transaction bookkeeping broke (a failed rollback), or that comes back inside a
    /// transaction (a `transaction` call, or raw `BEGIN` SQL), is not given out again. A test transaction
    /// (`begin_test_transaction`, e.g. from a `CustomizeConnection::on_acquire`) is not a reason: it is
    /// meant to stay open.
    fn has_broken(&self, conn: &mut C) -> bool {
        let open = conn.is_in_transaction();
        let manager = conn.transaction_manager();
        manager.is_broken()
            || manager.is_aborted()
            || manager.in_transaction()
            || (open != manager.in_test_transaction())
    }
}

/// Applies the [`ConcurrentSetup`](crate::sqlite::ConcurrentSetup) to every connection the pool opens.
#[cfg(feature = "sqlite")]
impl r2d2::CustomizeConnection<crate::sqlite::SqliteConnection, ManagerError> for crate::sqlite::ConcurrentSetup {
    fn on_acquire(&self, conn: &mut crate::sqlite::SqliteConnection) -> Result<(), ManagerError> {
        self.apply(conn).map_err(ManagerError::Query)
    }
}
