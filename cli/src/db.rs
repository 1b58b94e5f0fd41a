//! The database the command works on: SQLite (a file path, `sqlite://`, `file:`) or PostgreSQL
//! (`postgres://`, `postgresql://`, or `host=.. dbname=..` pairs), chosen by the URL.

use quarry::introspection::TableInfo;
use quarry::migration::{MigrationError, MigrationHarness, MigrationSource};
use quarry::pg::PgConnection;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

/// An open connection to either backend.
pub enum Db {
    Sqlite(Box<SqliteConnection>),
    Pg(Box<PgConnection>),
}

/// Runs `$body` with `$c` bound to the connection, whichever backend it is.
macro_rules! each {
    ($db:expr, $c:ident => $body:expr) => {
        match $db {
            Db::Sqlite($c) => $body,
            Db::Pg($c) => $body,
        }
    };
}

/// Whether `url` names a PostgreSQL server.
pub fn is_postgres(url: &str) -> bool {
    let key_values = ["host=", "hostaddr=", "dbname=", "user=", "port="];
    url.starts_with("postgres://")
        || url.starts_with("postgresql://")
        || url.split_whitespace().any(|pair| key_values.iter().any(|k| pair.starts_with(k)))
}

impl Db {
    /// Opens `url`.
    pub fn connect(url: &str) -> Result<Db, String> {
        let failed = |e: quarry::result::ConnectionError| format!("cannot open the database `{}`: {e}", shown(url));
        if is_postgres(url) {
            PgConnection::establish(url).map(|c| Db::Pg(Box::new(c))).map_err(failed)
        } else {
            SqliteConnection::establish(url).map(|c| Db::Sqlite(Box::new(c))).map_err(failed)
        }
    }

    pub fn applied_migrations(&mut self) -> Result<Vec<String>, MigrationError> {
        each!(self, c => c.applied_migrations())
    }

    pub fn run_pending_migrations(&mut self, source: impl MigrationSource) -> Result<Vec<String>, MigrationError> {
        each!(self, c => c.run_pending_migrations(source))
    }

    pub fn revert_last_migration(&mut self, source: impl MigrationSource) -> Result<String, MigrationError> {
        each!(self, c => c.revert_last_migration(source))
    }

    pub fn has_pending_migration(&mut self, source: impl MigrationSource) -> Result<bool, MigrationError> {
        each!(self, c => c.has_pending_migration(source))
    }

    /// The tables of the database (of `schema`, on PostgreSQL), and the lines of comment that go above
    /// them (PostgreSQL's enum types and how to read them).
    pub fn introspect(&mut self, schema: Option<&str>) -> Result<(Vec<TableInfo>, Vec<String>), String> {
        let failed = |e: quarry::result::Error| format!("cannot read the schema: {e}");
        match self {
            Db::Sqlite(_) if schema.is_some() => {
                Err("--schema names a PostgreSQL schema; a SQLite database has one".to_owned())
            }
            Db::Sqlite(c) => Ok((quarry::sqlite::introspect(c).map_err(failed)?, Vec::new())),
            Db::Pg(c) => {
                let tables = quarry::pg::introspect(c, schema).map_err(failed)?;
                let notes = quarry::pg::enums(c, schema)
                    .map_err(failed)?
                    .into_iter()
                    .map(|e| {
                        let labels: Vec<String> = e.labels.iter().map(|l| format!("{l:?}")).collect();
                        match quarry::introspection::custom_type_rust_name(&e.name) {
                            Some(rust) => format!(
                                "// Enum `{}` ({}): `sql_types::{rust}`, read and written by `#[derive(DbEnum)] #[quarry(sql_type = sql_types::{rust})]`.",
                                e.name,
                                labels.join(", ")
                            ),
                            None => format!("// Enum `{}` ({}): its columns are declared `Text`.", e.name, labels.join(", ")),
                        }
                    })
                    .collect();
                Ok((tables, notes))
            }
        }
    }
}

/// `url` with its password hidden, for messages.
pub fn shown(url: &str) -> String {
    quarry::connection::instrumentation::hide_password(url)
}

/// For a PostgreSQL `url`: the same server's maintenance database `postgres` (to create or drop the
/// named one from), and the named database.
pub fn pg_admin(url: &str) -> Result<(String, String), String> {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (before_query, query) = rest.split_once('?').map_or((rest, None), |(b, q)| (b, Some(q)));
        let (authority, database) = before_query.split_once('/').unwrap_or((before_query, ""));
        let database = crate::percent_decode(database);
        if database.is_empty() {
            return Err(format!("the URL `{}` names no database (`postgres://user@host/name`)", shown(url)));
        }
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        return Ok((format!("{scheme}://{authority}/postgres{query}"), database));
    }
    let mut database = None;
    let mut pairs: Vec<String> = Vec::new();
    for pair in url.split_whitespace() {
        match pair.strip_prefix("dbname=") {
            Some(name) => database = Some(name.trim_matches('\'').to_owned()),
            None => pairs.push(pair.to_owned()),
        }
    }
    let database = database.ok_or_else(|| format!("`{}` names no database (dbname=..)", shown(url)))?;
    pairs.push("dbname=postgres".to_owned());
    Ok((pairs.join(" "), database))
}

/// `"name"` as a PostgreSQL identifier.
pub fn pg_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Creates the database `url` names if it does not exist; true when it did not.
pub fn create_pg_database(url: &str) -> Result<bool, String> {
    let (admin, database) = pg_admin(url)?;
    let mut conn = PgConnection::establish(&admin)
        .map_err(|e| format!("cannot reach the server's `postgres` database to create `{database}`: {e}"))?;
    #[derive(QueryableByName)]
    struct Found {
        #[quarry(sql_type = quarry::sql_types::Integer)]
        #[allow(dead_code)]
        one: i32,
    }
    let found: Vec<Found> = quarry::sql_query("SELECT 1 AS one FROM pg_database WHERE datname = $1")
        .bind::<quarry::sql_types::Text, _>(&database)
        .load(&mut conn)
        .map_err(|e| format!("cannot list the databases: {e}"))?;
    if !found.is_empty() {
        return Ok(false);
    }
    conn.batch_execute(&format!("CREATE DATABASE {}", pg_identifier(&database)))
        .map_err(|e| format!("cannot create the database `{database}`: {e}"))?;
    Ok(true)
}

/// Drops the database `url` names (closing its other sessions), if it exists.
pub fn drop_pg_database(url: &str) -> Result<(), String> {
    let (admin, database) = pg_admin(url)?;
    let mut conn = PgConnection::establish(&admin)
        .map_err(|e| format!("cannot reach the server's `postgres` database to drop `{database}`: {e}"))?;
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg_identifier(&database)))
        .map_err(|e| format!("cannot drop the database `{database}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_name_their_maintenance_database() {
        assert_eq!(
            pg_admin("postgres://u:p@h:5433/app?sslmode=disable").unwrap(),
            ("postgres://u:p@h:5433/postgres?sslmode=disable".to_owned(), "app".to_owned())
        );
        assert_eq!(
            pg_admin("postgresql://h/my%20db").unwrap(),
            ("postgresql://h/postgres".to_owned(), "my db".to_owned())
        );
        assert_eq!(
            pg_admin("host=h user=u dbname=app port=5432").unwrap(),
            ("host=h user=u port=5432 dbname=postgres".to_owned(), "app".to_owned())
        );
        assert!(pg_admin("postgres://h").is_err());
        assert!(is_postgres("host=h dbname=x") && is_postgres("postgres://h/x") && !is_postgres("app.db"));
        assert!(!is_postgres("file:a.db?mode=rwc"));
        assert_eq!(shown("postgres://u:secret@h/x"), "postgres://u:***@h/x");
        assert_eq!(shown("host=h password=secret dbname=x"), "host=h password=*** dbname=x");
        assert_eq!(pg_identifier("we\"ird"), "\"we\"\"ird\"");
    }
}
