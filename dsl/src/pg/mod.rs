//! The PostgreSQL backend (feature `postgres`): the server's wire protocol spoken by Quarry itself (with
//! `postgres-protocol`'s messages), `$1` placeholders, values bound and decoded in binary format.
//!
//! ```no_run
//! use quarry::pg::PgConnection;
//! use quarry::prelude::*;
//!
//! let mut conn = PgConnection::establish("postgres://postgres@127.0.0.1:5432/test")?;
//! conn.batch_execute("CREATE TEMPORARY TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL)")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod binds;
mod config;
mod connection;
mod copy;
mod introspect;
mod text_to_binary;
mod tls;
mod types;
mod value_list;
mod wire;

pub use connection::{CancelToken, PgConnection, PgRowIter, TransactionBuilder};
pub use introspect::{EnumInfo, enums, introspect, pg_sql_type};
pub use types::PgValue;

/// PostgreSQL's own value types (Diesel's path): [`PgInterval`](data_types::PgInterval).
pub mod data_types {
    pub use crate::data_types::PgInterval;
}

use crate::backend::{Backend, Dialect, push_quoted};

/// The PostgreSQL backend: `$1` placeholders, `"double-quoted"` identifiers, `LIMIT ALL`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Pg;

impl Dialect for Pg {
    // `CURRENT_TIMESTAMP` is a `timestamptz` here, compared with a `timestamp` in the session's time zone:
    // the UTC wall clock keeps `now` the same as on SQLite.
    fn current_time_utc(&self) -> (&'static str, &'static str) {
        ("(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')", "CAST(CURRENT_TIMESTAMP AT TIME ZONE 'UTC' AS DATE)")
    }

    fn push_bind_placeholder(&self, sql: &mut String, index: usize) {
        // The digits by hand: `write!` costs more than the rest of a short query's rendering.
        let (mut digits, mut at, mut n) = ([0u8; 20], 20, index + 1);
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        sql.push('$');
        sql.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
    }
    fn push_identifier(&self, sql: &mut String, ident: &str) {
        push_quoted(sql, ident, '"');
    }
    fn delete_using(&self) -> bool {
        true
    }
    fn random(&self) -> &'static str {
        "random()"
    }
    fn explain_prefix(&self) -> &'static str {
        "EXPLAIN "
    }
    fn default_in_values(&self) -> bool {
        true
    }
    fn json_field_key(&self) -> (&'static str, &'static str) {
        (" ->> ", "")
    }
    fn unbounded_limit(&self) -> &'static str {
        " LIMIT ALL"
    }
    fn list_encoder(&self, len: usize, element: Option<&'static str>) -> Option<Box<dyn crate::backend::ListEncoder>> {
        let element = element.filter(|e| value_list::array_type(e).is_some())?;
        Some(Box::new(value_list::ArrayList::new(len, element)))
    }
}

/// PostgreSQL's DDL is transactional: each migration and its record commit together or not at all. The
/// run order is kept in a sequence column (SQLite uses the rowid).
impl crate::migration::MigrationBackend for Pg {
    const CREATE_TABLE: &'static str = "CREATE TABLE IF NOT EXISTS __quarry_migrations (
        version VARCHAR(255) PRIMARY KEY NOT NULL,
        run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
        run_order BIGSERIAL NOT NULL
    )";
    const APPLIED: &'static str = "SELECT version FROM __quarry_migrations ORDER BY run_order";
    const RECORD: &'static str = "INSERT INTO __quarry_migrations (version) VALUES ($1)";
    const FORGET: &'static str = "DELETE FROM __quarry_migrations WHERE version = $1";
    // A session lock on a key of Quarry's own: a second program waits until the first one is done.
    const LOCK: Option<(&'static str, &'static str)> =
        Some(("SELECT pg_advisory_lock(7174502317405512)", "SELECT pg_advisory_unlock(7174502317405512)"));
}

impl Backend for Pg {
    type RawValue<'a> = PgValue<'a>;
}

// The SQL PostgreSQL has and SQLite lacks. Not suggested in errors: the message names the backend that has
// the SQL already.
#[diagnostic::do_not_recommend]
impl crate::backend::SupportsILike for Pg {}
#[diagnostic::do_not_recommend]
impl crate::backend::SupportsDistinctOn for Pg {}
#[diagnostic::do_not_recommend]
impl crate::backend::SupportsRowLocking for Pg {}
#[diagnostic::do_not_recommend]
impl crate::backend::SupportsJsonb for Pg {}
#[diagnostic::do_not_recommend]
impl crate::backend::SupportsArrays for Pg {}
#[diagnostic::do_not_recommend]
impl crate::backend::SupportsInterval for Pg {}
#[diagnostic::do_not_recommend]
impl crate::backend::SupportsDataModifyingCte for Pg {}
