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
use crate::result::{BuildErrorKind, build_error};
use crate::sql_types::Text;

/// The table that records applied migrations.
pub const MIGRATIONS_TABLE: &str = "__quarry_migrations";

/// A first line of `up.sql` or `down.sql` that runs it the way SQLite documents for table rebuilds:
/// foreign key enforcement off (set outside the transaction, as it must be), the SQL and the version
/// record in one transaction, `PRAGMA foreign_key_check` before COMMIT (a row that points nowhere rolls
/// everything back), enforcement restored. SQLite only. `quarry migration generate --diff-schema` writes
/// it when it rebuilds a table that other tables reference.
pub const FOREIGN_KEYS_OFF: &str = "-- quarry: foreign-keys-off";

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

/// One migration with its SQL, as a [`MigrationSource`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The folder name; migrations apply in this order.
    pub name: String,
    /// The SQL that applies it.
    pub up: String,
    /// The SQL that reverts it, if any.
    pub down: Option<String>,
}

/// Where migrations come from: compiled in ([`EmbeddedMigrations`]) or read from a folder at run time
/// ([`FileMigrations`], what the CLI uses).
pub trait MigrationSource {
    /// Every migration, sorted by name.
    fn migrations(&self) -> Result<Vec<Migration>, MigrationError>;
}

impl<S: MigrationSource + ?Sized> MigrationSource for &S {
    fn migrations(&self) -> Result<Vec<Migration>, MigrationError> {
        (**self).migrations()
    }
}

impl MigrationSource for EmbeddedMigrations {
    fn migrations(&self) -> Result<Vec<Migration>, MigrationError> {
        Ok(self
            .migrations
            .iter()
            .map(|m| Migration { name: m.name.to_owned(), up: m.up.to_owned(), down: m.down.map(str::to_owned) })
            .collect())
    }
}

/// The migrations of a folder, read when they are needed: each subfolder (hidden ones skipped) is one
/// migration with an `up.sql` and optionally a `down.sql`.
#[derive(Debug, Clone)]
pub struct FileMigrations {
    dir: std::path::PathBuf,
}

impl FileMigrations {
    /// The migrations in folder `dir`.
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        FileMigrations { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }
}

impl MigrationSource for FileMigrations {
    fn migrations(&self) -> Result<Vec<Migration>, MigrationError> {
        let shown = self.dir.display();
        let invalid = |reason: String| MigrationError::InvalidSource(reason);
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|e| invalid(format!("cannot read the migrations folder `{shown}`: {e}")))?;
        let mut folders = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| invalid(format!("cannot read the migrations folder `{shown}`: {e}")))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                return Err(invalid(format!("`{}` is not a UTF-8 name", path.display())));
            };
            if path.is_dir() && !name.starts_with('.') {
                folders.push((name, path));
            }
        }
        folders.sort();
        let read = |path: std::path::PathBuf| {
            std::fs::read_to_string(&path).map_err(|e| invalid(format!("cannot read `{}`: {e}", path.display())))
        };
        let mut out = Vec::with_capacity(folders.len());
        for (name, path) in folders {
            if !path.join("up.sql").is_file() {
                return Err(invalid(format!("`{}` is not a migration: it has no up.sql", path.display())));
            }
            let down = path.join("down.sql");
            let down = if down.is_file() { Some(read(down)?) } else { None };
            out.push(Migration { up: read(path.join("up.sql"))?, down, name });
        }
        Ok(out)
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
    /// The migrations could not be read (a missing folder, a folder without up.sql, ...).
    InvalidSource(String),
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
            MigrationError::InvalidSource(reason) => f.write_str(reason),
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

struct ForeignKeysPragma {
    foreign_keys: i32,
}

struct BrokenReference {
    table: String,
    parent: String,
}

// By hand rather than derived: the derives live in `quarry-macros`, which this crate does not wait for.
impl<DB: crate::backend::Backend> QueryableByName<DB> for ForeignKeysPragma
where
    i32: FromSql<crate::sql_types::Integer, DB>,
{
    fn build_by_name<R: crate::deserialize::Row<DB>>(
        row: &crate::deserialize::RowReader<'_, R>,
    ) -> crate::result::QueryResult<Self> {
        Ok(ForeignKeysPragma { foreign_keys: row.read_named::<i32, crate::sql_types::Integer, DB>("foreign_keys")? })
    }
}

impl<DB: crate::backend::Backend> QueryableByName<DB> for BrokenReference
where
    String: FromSql<Text, DB>,
{
    fn build_by_name<R: crate::deserialize::Row<DB>>(
        row: &crate::deserialize::RowReader<'_, R>,
    ) -> crate::result::QueryResult<Self> {
        Ok(BrokenReference {
            table: row.read_named::<String, Text, DB>("table")?,
            parent: row.read_named::<String, Text, DB>("parent")?,
        })
    }
}

/// Runs a migration's `sql` and `record`s it, in one transaction; with [`FOREIGN_KEYS_OFF`] on its
/// first line, the way that directive says.
fn apply<C>(conn: &mut C, sql: &str, record: impl FnOnce(&mut C) -> Result<(), Error>) -> Result<(), Error>
where
    C: Connection,
    C::Backend: MigrationBackend,
    i32: FromSql<crate::sql_types::Integer, C::Backend>,
    String: FromSql<Text, C::Backend>,
{
    if sql.lines().next().map(str::trim) != Some(FOREIGN_KEYS_OFF) {
        return conn.transaction(|conn| {
            conn.batch_execute(sql)?;
            record(conn)
        });
    }
    if !<C::Backend as MigrationBackend>::FOREIGN_KEYS_PRAGMA {
        return Err(build_error(
            BuildErrorKind::Migration,
            format!(
                "`{FOREIGN_KEYS_OFF}` is for SQLite, which rebuilds a table to change it; this database alters \
             tables in place inside the migration's transaction: remove the line"
            ),
        ));
    }
    let was_on = sql_query("PRAGMA foreign_keys").load::<ForeignKeysPragma>(conn)?.iter().any(|p| p.foreign_keys == 1);
    conn.batch_execute("PRAGMA foreign_keys = OFF")?;
    let result = conn.transaction(|conn| {
        conn.batch_execute(sql)?;
        let broken: Vec<BrokenReference> =
            sql_query("SELECT \"table\", parent FROM pragma_foreign_key_check").load(conn)?;
        if let Some(b) = broken.first() {
            return Err(build_error(BuildErrorKind::Migration, format!(
                "it leaves {} row(s) of `{}` pointing at rows of `{}` that do not exist; everything was rolled back",
                broken.len(),
                b.table,
                b.parent
            )));
        }
        record(conn)
    });
    let restored = if was_on { conn.batch_execute("PRAGMA foreign_keys = ON") } else { Ok(()) };
    result.and(restored)
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
    /// The names of the applied migrations, in the order they ran.
    fn applied_migrations(&mut self) -> Result<Vec<String>, MigrationError>;

    /// Applies every migration of `source` not applied yet, in name order, each in its own transaction;
    /// returns their names. A failing one stops the run with the database at the version before it.
    fn run_pending_migrations<S: MigrationSource>(&mut self, source: S) -> Result<Vec<String>, MigrationError>;

    /// Reverts the migration applied last (by run order, not name) with its `down.sql`, in a
    /// transaction; returns its name.
    fn revert_last_migration<S: MigrationSource>(&mut self, source: S) -> Result<String, MigrationError>;

    /// True when `source` has a migration not applied yet.
    fn has_pending_migration<S: MigrationSource>(&mut self, source: S) -> Result<bool, MigrationError> {
        let applied = self.applied_migrations()?;
        Ok(source.migrations()?.iter().any(|m| !applied.contains(&m.name)))
    }
}

fn ensure_table<C: Connection>(conn: &mut C) -> Result<(), MigrationError>
where
    C::Backend: MigrationBackend,
{
    conn.batch_execute(<C::Backend as MigrationBackend>::CREATE_TABLE)?;
    Ok(())
}

/// A backend the migration harness runs on, and the SQL of its bookkeeping. Each migration runs in one
/// transaction with its record, so a backend implements it only where DDL is transactional (SQLite,
/// PostgreSQL); on another, `run_pending_migrations` and the rest do not compile.
#[diagnostic::on_unimplemented(
    message = "migrations do not run on `{Self}` yet",
    label = "the migration harness runs on SQLite and PostgreSQL",
    note = "run the migrations' SQL yourself for now"
)]
pub trait MigrationBackend: crate::backend::Backend {
    /// Creates the migrations table if it is missing.
    const CREATE_TABLE: &'static str;
    /// The applied versions (a `version` column), in the order they ran.
    const APPLIED: &'static str;
    /// Records version `$1`.
    const RECORD: &'static str;
    /// Forgets version `$1`.
    const FORGET: &'static str;
    /// True where `-- quarry: foreign-keys-off` has a meaning (SQLite's `foreign_keys` PRAGMA).
    const FOREIGN_KEYS_PRAGMA: bool = false;
    /// Taken before a run reads what is applied and released after it, so that two programs starting
    /// at once apply each migration once (`None` where a write transaction already serializes them).
    const LOCK: Option<(&'static str, &'static str)> = None;
}

impl<C> MigrationHarness for C
where
    C: Connection,
    C::Backend: MigrationBackend,
    String: FromSql<Text, C::Backend>,
    i32: FromSql<crate::sql_types::Integer, C::Backend>,
{
    fn applied_migrations(&mut self) -> Result<Vec<String>, MigrationError> {
        ensure_table(self)?;
        let rows: Vec<Applied> = sql_query(<C::Backend as MigrationBackend>::APPLIED).load(self)?;
        Ok(rows.into_iter().map(|r| r.version).collect())
    }

    fn run_pending_migrations<S: MigrationSource>(&mut self, source: S) -> Result<Vec<String>, MigrationError> {
        let migrations = source.migrations()?;
        locked(self, |conn| run_pending(conn, &migrations))
    }

    fn revert_last_migration<S: MigrationSource>(&mut self, source: S) -> Result<String, MigrationError> {
        let migrations = source.migrations()?;
        locked(self, |conn| revert_last(conn, &migrations))
    }
}

/// Runs `f` holding the backend's migration lock, if it has one.
fn locked<C, T>(conn: &mut C, f: impl FnOnce(&mut C) -> Result<T, MigrationError>) -> Result<T, MigrationError>
where
    C: Connection,
    C::Backend: MigrationBackend,
{
    let Some((lock, unlock)) = <C::Backend as MigrationBackend>::LOCK else { return f(conn) };
    conn.batch_execute(lock)?;
    let result = f(conn);
    let released = conn.batch_execute(unlock);
    let value = result?;
    released?;
    Ok(value)
}

/// Reverts the migration applied last with its `down.sql`.
fn revert_last<C>(conn: &mut C, migrations: &[Migration]) -> Result<String, MigrationError>
where
    C: Connection,
    C::Backend: MigrationBackend,
    String: FromSql<Text, C::Backend>,
    i32: FromSql<crate::sql_types::Integer, C::Backend>,
{
    {
        let last = conn.applied_migrations()?.pop().ok_or(MigrationError::NothingToRevert)?;
        let m =
            migrations.iter().find(|m| m.name == last).ok_or_else(|| MigrationError::UnknownApplied(last.clone()))?;
        let down = m.down.as_deref().ok_or_else(|| MigrationError::NoDown(last.clone()))?;
        apply(conn, down, |conn| {
            sql_query(<C::Backend as MigrationBackend>::FORGET).bind::<Text, _>(m.name.as_str()).execute(conn).map(drop)
        })
        .map_err(|source| MigrationError::Failed { name: last.clone(), file: "down.sql", source })?;
        Ok(last)
    }
}

/// Applies `migrations` not applied yet, each with its record in one transaction.
fn run_pending<C>(conn: &mut C, migrations: &[Migration]) -> Result<Vec<String>, MigrationError>
where
    C: Connection,
    C::Backend: MigrationBackend,
    String: FromSql<Text, C::Backend>,
    i32: FromSql<crate::sql_types::Integer, C::Backend>,
{
    let applied = conn.applied_migrations()?;
    if let Some(unknown) = applied.iter().find(|a| !migrations.iter().any(|m| &m.name == *a)) {
        return Err(MigrationError::UnknownApplied(unknown.clone()));
    }
    let mut ran = Vec::new();
    for m in migrations.iter().filter(|m| !applied.contains(&m.name)) {
        let failed = |source| MigrationError::Failed { name: m.name.clone(), file: "up.sql", source };
        apply(conn, &m.up, |conn| {
            sql_query(<C::Backend as MigrationBackend>::RECORD).bind::<Text, _>(m.name.as_str()).execute(conn).map(drop)
        })
        .map_err(failed)?;
        ran.push(m.name.clone());
    }
    Ok(ran)
}
