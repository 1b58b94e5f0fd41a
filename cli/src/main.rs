//! `quarry`: set up a database, write and run migrations, print `schema.rs` from a live database.
//!
//! The database URL comes from `--database-url`, else the `DATABASE_URL` environment variable, else
//! `database_url` in `quarry.toml` (in the current folder), which may also set `migrations_dir`
//! (default `migrations`) and `schema_file` (rewritten after every migration command when set).

mod config;
mod db;
mod diff;
mod pg_diff;
mod timestamp;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use quarry::introspection::{TableFilter, print_schema};
use quarry::migration::{FileMigrations, Migration, MigrationError, MigrationSource};
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

use config::Config;
use db::Db;

#[derive(Parser)]
#[command(name = "quarry", version, about = "Migrations and schema tooling for Quarry (SQLite and PostgreSQL)")]
struct Cli {
    /// The database: a SQLite file path, `sqlite://path` or a `file:` URI; or a PostgreSQL
    /// `postgres://user@host/name` URL (or `host=.. dbname=..` pairs).
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Print each statement run, with its time (a migration's SQL, and the bookkeeping around it).
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates the database (if missing: a SQLite file, or a PostgreSQL database on its server), its
    /// migrations table and the migrations folder.
    Setup,
    /// Whole-database commands.
    Database {
        #[command(subcommand)]
        command: DatabaseCommand,
    },
    /// Writes, runs and reverts migrations.
    Migration {
        #[command(subcommand)]
        command: MigrationCommand,
    },
    /// Prints the `table!` blocks of every table of the database, for `schema.rs`.
    PrintSchema {
        /// Print only these tables (comma-separated).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Leave these tables out (comma-separated).
        #[arg(long, value_delimiter = ',')]
        except: Vec<String>,
        /// On PostgreSQL: the schema to read (default: the first of the search path, usually `public`).
        #[arg(long)]
        schema: Option<String>,
    },
}

#[derive(Subcommand)]
enum DatabaseCommand {
    /// Deletes the database (the SQLite file, or drops the PostgreSQL database), creates it again and
    /// runs every migration.
    Reset,
}

#[derive(Subcommand)]
enum MigrationCommand {
    /// Creates `<migrations_dir>/<timestamp>_<NAME>/` with an empty up.sql and down.sql.
    Generate {
        /// Lowercase letters, digits and underscores, e.g. `create_users`.
        name: String,
        /// Write the SQL that makes the database match the schema file's `table!` declarations (and
        /// the SQL that undoes it), instead of empty files.
        #[arg(long)]
        diff_schema: bool,
        /// The schema file for `--diff-schema` (default: `schema_file` in quarry.toml).
        #[arg(long)]
        schema_file: Option<std::path::PathBuf>,
    },
    /// Runs every pending migration, each in a transaction.
    Run,
    /// Reverts the last applied migration.
    Revert,
    /// Reverts the last applied migration and runs it again.
    Redo,
    /// Lists the migrations: `[X]` applied, `[ ]` pending.
    List,
    /// Lists the pending migrations; exits with 1 when there are some, 0 when none.
    Pending,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            // One line, even when the message quotes SQL of several lines.
            let line: Vec<&str> = message.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            eprintln!("error: {}", line.join(" "));
            ExitCode::from(2)
        }
    }
}

/// What `--verbose` prints on stderr (so `print-schema -v > schema.rs` stays clean): each statement
/// finished, its time and its SQL (on one line), and a failure.
fn print_statements() -> Option<Box<dyn quarry::connection::Instrumentation>> {
    use quarry::connection::instrumentation::Event;
    Some(Box::new(|event: &Event<'_>| {
        if let Event::StatementFinished { sql, duration, error, .. } = event {
            let sql: Vec<&str> = sql.split_whitespace().collect();
            let ms = duration.as_secs_f64() * 1000.0;
            match error {
                Some(e) => eprintln!("  {ms:>9.3} ms  {}  -- failed: {e}", sql.join(" ")),
                None => eprintln!("  {ms:>9.3} ms  {}", sql.join(" ")),
            }
        }
    }))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    if cli.verbose {
        quarry::connection::set_default_instrumentation(Some(print_statements));
    }
    let config = Config::load(Path::new("quarry.toml"))?;
    let url = cli.database_url.or_else(|| std::env::var("DATABASE_URL").ok()).or(config.database_url.clone());
    let url = || {
        url.clone().ok_or_else(|| {
            "no database URL: pass --database-url, set DATABASE_URL, or set database_url in quarry.toml".to_owned()
        })
    };
    let source = FileMigrations::new(&config.migrations_dir);
    match cli.command {
        Command::Setup => {
            std::fs::create_dir_all(&config.migrations_dir)
                .map_err(|e| format!("cannot create `{}`: {e}", config.migrations_dir.display()))?;
            if db::is_postgres(&url()?) && db::create_pg_database(&url()?)? {
                println!("Created the database `{}`", db::pg_admin(&url()?)?.1);
            }
            let mut conn = Db::connect(&url()?)?;
            conn.applied_migrations().map_err(|e| e.to_string())?;
            println!("Set up `{}` and `{}`", db::shown(&url()?), config.migrations_dir.display());
            write_config_if_missing(Path::new("quarry.toml"), &url()?)?;
        }
        Command::Database { command: DatabaseCommand::Reset } => {
            let url = url()?;
            if db::is_postgres(&url) {
                db::drop_pg_database(&url)?;
                db::create_pg_database(&url)?;
                println!("Dropped and created the database `{}`", db::pg_admin(&url)?.1);
            } else if let Some(path) = file_path(&url) {
                // The database and the files SQLite keeps beside it, which it could replay into a new one.
                for file in [path.clone(), format!("{path}-wal"), format!("{path}-shm"), format!("{path}-journal")] {
                    match std::fs::remove_file(&file) {
                        Ok(()) => println!("Deleted `{file}`"),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(format!("cannot delete `{file}`: {e}")),
                    }
                }
            }
            let mut conn = Db::connect(&url)?;
            run_pending(&mut conn, &source)?;
            write_schema(&config, &mut conn)?;
        }
        Command::Migration { command } => return migration(command, &config, &source, url),
        Command::PrintSchema { only, except, schema } => {
            let mut conn = Db::connect(&url()?)?;
            let filter = TableFilter { only, except, schema: schema.clone() };
            print!("{}", schema_text(&mut conn, schema.as_deref(), &filter)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn migration(
    command: MigrationCommand,
    config: &Config,
    source: &FileMigrations,
    url: impl Fn() -> Result<String, String>,
) -> Result<ExitCode, String> {
    match command {
        MigrationCommand::Generate { name, diff_schema, schema_file } => {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(format!(
                    "`{name}` is not a migration name: use lowercase letters, digits and `_`, e.g. `create_users`"
                ));
            }
            let (up, down) = if diff_schema {
                let path = schema_file.or_else(|| config.schema_file.clone()).ok_or_else(|| {
                    "--diff-schema needs the schema file: pass --schema-file or set schema_file in quarry.toml"
                        .to_owned()
                })?;
                let shown = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
                let declared = diff::parse_schema(&text, &shown)?;
                let mut conn = Db::connect(&url()?)?;
                // Against a database behind its migrations, the diff would repeat what they do.
                if conn.has_pending_migration(source).map_err(|e| e.to_string())? {
                    return Err("the database has pending migrations: run them first (`quarry migration run`), \
                                then generate the diff"
                        .to_owned());
                }
                let live = conn.introspect(None)?.0;
                let generated = match &mut conn {
                    Db::Sqlite(c) => diff::diff(&live, &declared, &indexes_triggers_and_defaults(c)?)?,
                    Db::Pg(_) => pg_diff::diff(&live, &diff::comparable(&live, &declared), &declared)?,
                };
                generated
                    .ok_or_else(|| format!("the database already matches `{shown}`: there is nothing to generate"))?
            } else {
                ("-- The SQL that applies this migration.\n".to_owned(), "-- The SQL that undoes up.sql.\n".to_owned())
            };
            let existing: Vec<String> = std::fs::read_dir(&config.migrations_dir)
                .map(|entries| entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
                .unwrap_or_default();
            let version = timestamp::next_version(existing.iter().map(String::as_str));
            let dir = config.migrations_dir.join(format!("{version}_{name}"));
            std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
            for (file, text) in [("up.sql", up), ("down.sql", down)] {
                let path = dir.join(file);
                std::fs::write(&path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
                println!("Created {}", path.display());
            }
        }
        MigrationCommand::Run => {
            let mut conn = Db::connect(&url()?)?;
            run_pending(&mut conn, source)?;
            write_schema(config, &mut conn)?;
        }
        MigrationCommand::Revert => {
            let mut conn = Db::connect(&url()?)?;
            let name = conn.revert_last_migration(source).map_err(|e| e.to_string())?;
            println!("Reverted {name}");
            write_schema(config, &mut conn)?;
        }
        MigrationCommand::Redo => {
            let mut conn = Db::connect(&url()?)?;
            let migrations = source.migrations().map_err(|e| e.to_string())?;
            let name = conn.revert_last_migration(source).map_err(|e| e.to_string())?;
            println!("Reverted {name}");
            // Run that one again, and no other pending one.
            let applied = conn.applied_migrations().map_err(|e| e.to_string())?;
            let again: Vec<Migration> =
                migrations.into_iter().filter(|m| m.name == name || applied.contains(&m.name)).collect();
            run_pending(&mut conn, Listed(again))?;
            write_schema(config, &mut conn)?;
        }
        MigrationCommand::List | MigrationCommand::Pending => {
            let pending_only = matches!(command, MigrationCommand::Pending);
            let mut conn = Db::connect(&url()?)?;
            let migrations = source.migrations().map_err(|e| e.to_string())?;
            let applied = conn.applied_migrations().map_err(|e| e.to_string())?;
            let mut pending = 0;
            for m in &migrations {
                let done = applied.contains(&m.name);
                pending += usize::from(!done);
                if !pending_only {
                    println!("[{}] {}", if done { 'X' } else { ' ' }, m.name);
                } else if !done {
                    println!("{}", m.name);
                }
            }
            if !pending_only {
                for a in applied.iter().filter(|a| !migrations.iter().any(|m| &m.name == *a)) {
                    println!("[?] {a} (applied, but not in `{}`)", source.dir().display());
                }
            }
            if pending_only && pending > 0 {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A fixed list of migrations.
struct Listed(Vec<Migration>);

impl MigrationSource for Listed {
    fn migrations(&self) -> Result<Vec<Migration>, MigrationError> {
        Ok(self.0.clone())
    }
}

/// Runs the pending migrations of `source` one at a time, printing each as it is applied, so that a
/// failure shows which ones ran before it.
/// Writes a commented `quarry.toml` naming `url`, unless one exists: the keys a project sets, each said.
fn write_config_if_missing(path: &Path, url: &str) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let text = format!(
        "# Settings of the `quarry` command, all optional. --database-url and DATABASE_URL win over database_url.\n\
         database_url = {url:?}\n\
         # Where the migration folders are (default: migrations).\n\
         # migrations_dir = \"migrations\"\n\
         # The schema file: `migration run` prints the schema there, `migration generate --diff-schema` reads it.\n\
         # schema_file = \"src/schema.rs\"\n"
    );
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    println!("Created {}", path.display());
    Ok(())
}

fn run_pending(conn: &mut Db, source: impl MigrationSource) -> Result<(), String> {
    let migrations = source.migrations().map_err(|e| e.to_string())?;
    let applied = conn.applied_migrations().map_err(|e| e.to_string())?;
    let pending: Vec<&Migration> = migrations.iter().filter(|m| !applied.contains(&m.name)).collect();
    if pending.is_empty() {
        // Still checks that every applied migration is known.
        conn.run_pending_migrations(Listed(migrations.clone())).map_err(|e| e.to_string())?;
        println!("No pending migration");
    }
    for m in pending {
        // The applied ones (known to the database) and this one: running that list applies only this one.
        let step: Vec<Migration> =
            migrations.iter().filter(|o| o.name <= m.name || applied.contains(&o.name)).cloned().collect();
        for name in conn.run_pending_migrations(Listed(step)).map_err(|e| e.to_string())? {
            println!("Ran {name}");
        }
    }
    Ok(())
}

fn write_schema(config: &Config, conn: &mut Db) -> Result<(), String> {
    let Some(path) = &config.schema_file else { return Ok(()) };
    std::fs::write(path, schema_text(conn, None, &TableFilter::default())?)
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    println!("Wrote {}", path.display());
    Ok(())
}

/// The `schema.rs` text of the database's tables, with its notes (PostgreSQL's enums) after the header.
fn schema_text(conn: &mut Db, schema: Option<&str>, filter: &TableFilter) -> Result<String, String> {
    let (tables, notes) = conn.introspect(schema)?;
    let text = print_schema(&tables, filter);
    if notes.is_empty() {
        return Ok(text);
    }
    let (header, rest) = text.split_once('\n').unwrap_or((&text, ""));
    Ok(format!("{header}\n{}\n{rest}", notes.join("\n")))
}

/// What a rebuild must keep that `TableInfo` does not hold: indexes, triggers, column defaults, CHECK and
/// UNIQUE constraints.
fn indexes_triggers_and_defaults(conn: &mut SqliteConnection) -> Result<diff::Extras, String> {
    use quarry::sql_types::Text;
    #[derive(QueryableByName)]
    struct Object {
        #[quarry(sql_type = Text)]
        tbl_name: String,
        #[quarry(sql_type = Text)]
        sql: String,
    }
    #[derive(QueryableByName)]
    struct Default {
        #[quarry(sql_type = Text)]
        tbl_name: String,
        #[quarry(sql_type = Text)]
        column_name: String,
        #[quarry(sql_type = Text)]
        dflt_value: String,
    }
    let failed = |e: quarry::result::Error| format!("cannot read the schema: {e}");
    // SQLite's automatic indexes (for UNIQUE and keys) have no SQL and come back with their table.
    let objects: Vec<Object> = quarry::sql_query(
        "SELECT tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
    )
    .load(conn)
    .map_err(failed)?;
    let defaults: Vec<Default> = quarry::sql_query(
        "SELECT m.tbl_name, p.name AS column_name, p.dflt_value FROM sqlite_schema AS m, pragma_table_info(m.name) AS p \
         WHERE m.type = 'table' AND p.dflt_value IS NOT NULL",
    )
    .load(conn)
    .map_err(failed)?;
    // UNIQUE constraints live in automatic indexes without SQL: kept as unique indexes.
    #[derive(QueryableByName)]
    struct Unique {
        #[quarry(sql_type = Text)]
        tbl_name: String,
        #[quarry(sql_type = Text)]
        index_name: String,
        #[quarry(sql_type = Text)]
        column_name: String,
    }
    let uniques: Vec<Unique> = quarry::sql_query(
        "SELECT m.tbl_name, il.name AS index_name, ii.name AS column_name \
         FROM sqlite_schema AS m, pragma_index_list(m.name) AS il, pragma_index_info(il.name) AS ii \
         WHERE m.type = 'table' AND il.origin = 'u' ORDER BY il.name, ii.seqno",
    )
    .load(conn)
    .map_err(failed)?;
    let tables: Vec<Object> =
        quarry::sql_query("SELECT tbl_name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL")
            .load(conn)
            .map_err(failed)?;
    let views: Vec<Object> = quarry::sql_query(
        "SELECT name AS tbl_name, sql FROM sqlite_schema WHERE type = 'view' AND sql IS NOT NULL ORDER BY name",
    )
    .load(conn)
    .map_err(failed)?;
    let mut extras =
        diff::Extras { views: views.into_iter().map(|v| (v.tbl_name, v.sql)).collect(), ..diff::Extras::default() };
    for t in tables {
        let checks = diff::check_clauses(&t.sql);
        if !checks.is_empty() {
            extras.checks.insert(t.tbl_name, checks);
        }
    }
    for o in objects {
        extras.objects.entry(o.tbl_name).or_default().push(o.sql);
    }
    let mut groups: Vec<(String, String, Vec<String>)> = Vec::new();
    for u in uniques {
        match groups.last_mut() {
            Some((_, index, columns)) if *index == u.index_name => columns.push(u.column_name),
            _ => groups.push((u.tbl_name, u.index_name, vec![u.column_name])),
        }
    }
    for (table, _, columns) in groups {
        let columns_sql: Vec<String> = columns.iter().map(|c| diff::quoted(c)).collect();
        let name = diff::quoted(&format!("{table}_{}_unique", columns.join("_")));
        let sql = format!("CREATE UNIQUE INDEX {name} ON {} ({})", diff::quoted(&table), columns_sql.join(", "));
        extras.objects.entry(table).or_default().push(sql);
    }
    for d in defaults {
        extras.defaults.insert((d.tbl_name, d.column_name), d.dflt_value);
    }
    Ok(extras)
}

/// The file behind a SQLite URL, if it is one (not an in-memory database). A `file:` URI is decoded
/// as SQLite reads it (<https://sqlite.org/uri.html>): `file:///abs`, `file://localhost/abs`,
/// `file:rel`, `%XX` escapes, the query string removed.
fn file_path(url: &str) -> Option<String> {
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    let path = match path.strip_prefix("file:") {
        Some(uri) => {
            let uri = uri.split(['?', '#']).next().unwrap_or(uri);
            let uri = uri.strip_prefix("//localhost").or_else(|| uri.strip_prefix("//")).unwrap_or(uri);
            if uri.contains("mode=memory") || url.contains("mode=memory") {
                return None;
            }
            percent_decode(uri)
        }
        None => path.to_owned(),
    };
    (!path.is_empty() && path != ":memory:").then_some(path)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::file_path;

    #[test]
    fn urls_name_their_file() {
        assert_eq!(file_path("app.db").as_deref(), Some("app.db"));
        assert_eq!(file_path("sqlite://data/app.db").as_deref(), Some("data/app.db"));
        assert_eq!(file_path("file:my%20db.db?mode=rwc").as_deref(), Some("my db.db"));
        assert_eq!(file_path("file:///tmp/a.db").as_deref(), Some("/tmp/a.db"));
        assert_eq!(file_path("file://localhost/tmp/a.db").as_deref(), Some("/tmp/a.db"));
        assert_eq!(file_path(":memory:"), None);
        assert_eq!(file_path("file:mem?mode=memory"), None);
    }
}
