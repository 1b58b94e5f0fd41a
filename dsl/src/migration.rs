//! Migrations: folders of `up.sql` and `down.sql`, applied in name order, each in a transaction, and
//! recorded in the table `__quarry_migrations` (the same one the `quarry` CLI uses).
//!
//! ```
//! use quarry::migration::{EmbeddedMigration, EmbeddedMigrations, MigrationHarness};
//! use quarry::prelude::*;
//!
//! // `quarry::embed_migrations!("migrations")` builds this from a folder at compile time.
//! const MIGRATIONS: EmbeddedMigrations = EmbeddedMigrations::new(&[EmbeddedMigration {
//!     name: "2026-11-25-000000_create_notes",
//!     up: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
//!     down: Some("DROP TABLE notes;"),
//! }]);
//!
//! let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:")?;
//! assert_eq!(conn.run_pending_migrations(MIGRATIONS)?, ["2026-11-25-000000_create_notes"]);
//! assert!(conn.run_pending_migrations(MIGRATIONS)?.is_empty());
//! assert_eq!(conn.revert_last_migration(MIGRATIONS)?, "2026-11-25-000000_create_notes");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::connection::{Connection, RunQueryDsl};
use crate::deserialize::{FromSql, QueryableByName};
use crate::query::sql_query;
use crate::result::Error;
use crate::sql_types::Text;

/// The table that records applied migrations.
pub const MIGRATIONS_TABLE: &str = "__quarry_migrations";

/// One migration: its folder name (which orders it: a timestamp prefix), its `up.sql` and `down.sql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigration {
    /// The folder name, e.g. `2026-11-25-093000_create_users`.
    pub name: &'static str,
    /// The SQL that applies it.
    pub up: &'static str,
    /// The SQL that reverts it, if the folder has a `down.sql`.
    pub down: Option<&'static str>,
}

/// Migrations compiled into the program, as `embed_migrations!` writes them; sorted by name.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMigrations {
    migrations: &'static [EmbeddedMigration],
}

impl EmbeddedMigrations {
    /// The migrations in `migrations`, which must be sorted by name (`embed_migrations!` sorts them).
    pub const fn new(migrations: &'static [EmbeddedMigration]) -> Self {
        EmbeddedMigrations { migrations }
    }

    /// Every migration, in the order they apply.
    pub fn all(&self) -> &'static [EmbeddedMigration] {
        self.migrations
    }
}

/// Why a migration could not be run or reverted.
#[derive(Debug)]
#[non_exhaustive]
pub enum MigrationError {
    /// A migration's SQL failed; its transaction was rolled back, so the database is at the version before it.
    Failed {
        /// The migration's name.
        name: String,
        /// `"up.sql"` or `"down.sql"`.
        file: &'static str,
        /// What the database said.
        source: Error,
    },
    /// The last applied migration has no `down.sql`.
    NoDown(String),
    /// No migration has been applied, so there is none to revert.
    NothingToRevert,
    /// The database records a migration that the source does not have.
    UnknownApplied(String),
    /// Reading or writing the migrations table failed.
    Database(Error),
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MigrationError::Failed { name, file, source } => {
                write!(f, "migration `{name}` failed in {file}: {source}; the database is left as it was before it")
            }
            MigrationError::NoDown(name) => write!(f, "migration `{name}` has no down.sql, so it cannot be reverted"),
            MigrationError::NothingToRevert => f.write_str("no migration has been applied, so there is none to revert"),
            MigrationError::UnknownApplied(name) => write!(
                f,
                "the database records migration `{name}`, which is not among the migrations given; \
                 was its folder renamed or removed?"
            ),
            MigrationError::Database(e) => write!(f, "reading the migrations table `{MIGRATIONS_TABLE}` failed: {e}"),
        }
    }
}

impl std::error::Error for MigrationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MigrationError::Failed { source, .. } | MigrationError::Database(source) => Some(source),
            _ => None,
        }
    }
}

impl From<Error> for MigrationError {
    fn from(e: Error) -> Self {
        MigrationError::Database(e)
    }
}

struct Applied {
    version: String,
}

impl<DB: crate::backend::Backend> QueryableByName<DB> for Applied
where
    String: FromSql<Text, DB>,
{
    fn build_by_name<R: crate::deserialize::Row<DB>>(
        row: &crate::deserialize::RowReader<'_, R>,
    ) -> crate::result::QueryResult<Self> {
        Ok(Applied { version: row.read_named::<String, Text, DB>("version")? })
    }
}

/// Runs and reverts migrations on a connection.
pub trait MigrationHarness {
    /// The names of the applied migrations, oldest first.
    fn applied_migrations(&mut self) -> Result<Vec<String>, MigrationError>;

    /// Applies every migration of `source` not applied yet, in name order, each in its own transaction;
    /// returns their names. A failing one stops the run with the database at the version before it.
    fn run_pending_migrations(&mut self, source: EmbeddedMigrations) -> Result<Vec<String>, MigrationError>;

    /// Reverts the last applied migration with its `down.sql`, in a transaction; returns its name.
    fn revert_last_migration(&mut self, source: EmbeddedMigrations) -> Result<String, MigrationError>;

    /// True when `source` has a migration not applied yet.
    fn has_pending_migration(&mut self, source: EmbeddedMigrations) -> Result<bool, MigrationError> {
        let applied = self.applied_migrations()?;
        Ok(source.all().iter().any(|m| !applied.iter().any(|a| a == m.name)))
    }
}

fn ensure_table<C: Connection>(conn: &mut C) -> Result<(), MigrationError> {
    conn.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (
             version VARCHAR(255) PRIMARY KEY NOT NULL,
             run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
         )"
    ))?;
    Ok(())
}

impl<C> MigrationHarness for C
where
    C: Connection,
    String: FromSql<Text, C::Backend>,
{
    fn applied_migrations(&mut self) -> Result<Vec<String>, MigrationError> {
        ensure_table(self)?;
        let rows: Vec<Applied> =
            sql_query(format!("SELECT version FROM {MIGRATIONS_TABLE} ORDER BY version")).load(self)?;
        Ok(rows.into_iter().map(|r| r.version).collect())
    }

    fn run_pending_migrations(&mut self, source: EmbeddedMigrations) -> Result<Vec<String>, MigrationError> {
        let applied = self.applied_migrations()?;
        if let Some(unknown) = applied.iter().find(|a| !source.all().iter().any(|m| m.name == a.as_str())) {
            return Err(MigrationError::UnknownApplied(unknown.clone()));
        }
        let mut ran = Vec::new();
        for m in source.all().iter().filter(|m| !applied.iter().any(|a| a == m.name)) {
            let failed = |source| MigrationError::Failed { name: m.name.to_owned(), file: "up.sql", source };
            self.transaction::<_, Error, _>(|conn| {
                conn.batch_execute(m.up)?;
                sql_query(format!("INSERT INTO {MIGRATIONS_TABLE} (version) VALUES (?)"))
                    .bind::<Text, _>(m.name)
                    .execute(conn)
                    .map(drop)
            })
            .map_err(failed)?;
            ran.push(m.name.to_owned());
        }
        Ok(ran)
    }

    fn revert_last_migration(&mut self, source: EmbeddedMigrations) -> Result<String, MigrationError> {
        let last = self.applied_migrations()?.pop().ok_or(MigrationError::NothingToRevert)?;
        let m =
            source.all().iter().find(|m| m.name == last).ok_or_else(|| MigrationError::UnknownApplied(last.clone()))?;
        let down = m.down.ok_or_else(|| MigrationError::NoDown(last.clone()))?;
        self.transaction::<_, Error, _>(|conn| {
            conn.batch_execute(down)?;
            sql_query(format!("DELETE FROM {MIGRATIONS_TABLE} WHERE version = ?"))
                .bind::<Text, _>(m.name)
                .execute(conn)
                .map(drop)
        })
        .map_err(|source| MigrationError::Failed { name: last.clone(), file: "down.sql", source })?;
        Ok(last)
    }
}
