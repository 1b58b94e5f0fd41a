//! The SQLite backend: the bundled SQLite through `libsqlite3-sys`, nothing to install.

mod connection;
mod ffi;
mod introspect;
mod json;
mod types;
mod value_list;

pub use crate::connection::ConnectionStats;
pub use connection::{ConcurrentSetup, DEFAULT_BUSY_TIMEOUT_MS, SqliteConnection, SqliteRowIter, TransactionBehavior};
pub use introspect::introspect;
pub use types::SqliteValue;

use crate::backend::{Backend, Dialect, ListEncoder, push_quoted};

/// The SQLite backend: `?` placeholders, `"double-quoted"` identifiers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Sqlite;

impl Dialect for Sqlite {
    fn push_bind_placeholder(&self, sql: &mut String, _index: usize) {
        sql.push('?');
    }
    fn push_identifier(&self, sql: &mut String, ident: &str) {
        push_quoted(sql, ident, '"');
    }
    fn list_encoder(&self, len: usize, _element: Option<&'static str>) -> Option<Box<dyn ListEncoder>> {
        (len > value_list::MAX_INLINE_LIST).then(|| Box::new(value_list::JsonList::new(len)) as Box<dyn ListEncoder>)
    }
}

impl crate::migration::MigrationBackend for Sqlite {
    const CREATE_TABLE: &'static str = "CREATE TABLE IF NOT EXISTS __quarry_migrations (
        version VARCHAR(255) PRIMARY KEY NOT NULL,
        run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    )";
    const APPLIED: &'static str = "SELECT version FROM __quarry_migrations ORDER BY rowid";
    const RECORD: &'static str = "INSERT INTO __quarry_migrations (version) VALUES (?)";
    const FORGET: &'static str = "DELETE FROM __quarry_migrations WHERE version = ?";
    const FOREIGN_KEYS_PRAGMA: bool = true;
}

impl Backend for Sqlite {
    type RawValue<'a> = SqliteValue<'a>;
}
