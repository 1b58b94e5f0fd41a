//! Migrations on PostgreSQL: each migration and its record in one transaction (PostgreSQL's DDL is
//! transactional, so a failing one leaves nothing behind), the run order kept, two programs at once
//! applying each migration once. Each test in a schema of its own, committed, dropped at the end.

use quarry::migration::{EmbeddedMigration, EmbeddedMigrations, MigrationError, MigrationHarness};
use quarry::pg::PgConnection;
use quarry::prelude::*;

/// A schema of the test's own, and connections whose `search_path` is it.
struct Schema {
    url: String,
    name: String,
}

impl Schema {
    fn new(tag: &str) -> Option<Schema> {
        let Ok(url) = std::env::var("PG_DATABASE_URL") else {
            use std::io::Write;
            let _ =
                writeln!(std::io::stderr(), "skipped: set PG_DATABASE_URL=postgres://user@host/db to run these tests");
            return None;
        };
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let name = format!("quarry_mig_{tag}_{}_{nanos}", std::process::id());
        PgConnection::establish(&url).unwrap().batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
        Some(Schema { url, name })
    }

    fn connect(&self) -> PgConnection {
        let mut conn = PgConnection::establish(&self.url).unwrap();
        conn.batch_execute(&format!("SET search_path TO {}", self.name)).unwrap();
        conn
    }

    fn tables(&self, conn: &mut PgConnection) -> Vec<String> {
        #[derive(QueryableByName)]
        struct T {
            #[quarry(sql_type = quarry::sql_types::Text)]
            table_name: String,
        }
        let rows: Vec<T> = quarry::sql_query(
            "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
        )
        .bind::<quarry::sql_types::Text, _>(&self.name)
        .load(conn)
        .unwrap();
        rows.into_iter().map(|t| t.table_name).collect()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.url) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

const GOOD: EmbeddedMigrations = EmbeddedMigrations::new(&[
    EmbeddedMigration {
        name: "2026-11-30-000001_create_users",
        up: "CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL);",
        down: Some("DROP TABLE users;"),
    },
    EmbeddedMigration {
        name: "2026-11-30-000002_create_posts",
        up: "CREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));
             CREATE INDEX posts_user ON posts (user_id);",
        down: Some("DROP TABLE posts;"),
    },
]);

#[test]
fn migrations_run_revert_and_run_again_in_order() {
    let Some(schema) = Schema::new("order") else { return };
    let mut conn = schema.connect();
    assert_eq!(
        conn.run_pending_migrations(GOOD).unwrap(),
        ["2026-11-30-000001_create_users", "2026-11-30-000002_create_posts"]
    );
    assert!(conn.run_pending_migrations(GOOD).unwrap().is_empty());
    assert_eq!(schema.tables(&mut conn), ["__quarry_migrations", "posts", "users"]);
    assert!(!conn.has_pending_migration(GOOD).unwrap());
    assert_eq!(conn.revert_last_migration(GOOD).unwrap(), "2026-11-30-000002_create_posts");
    assert_eq!(schema.tables(&mut conn), ["__quarry_migrations", "users"]);
    assert_eq!(conn.applied_migrations().unwrap(), ["2026-11-30-000001_create_users"]);
    assert_eq!(conn.run_pending_migrations(GOOD).unwrap(), ["2026-11-30-000002_create_posts"]);
    assert_eq!(conn.revert_last_migration(GOOD).unwrap(), "2026-11-30-000002_create_posts");
    assert_eq!(conn.revert_last_migration(GOOD).unwrap(), "2026-11-30-000001_create_users");
    assert!(matches!(conn.revert_last_migration(GOOD), Err(MigrationError::NothingToRevert)));
}

#[test]
fn a_failing_migration_leaves_nothing_behind() {
    let Some(schema) = Schema::new("fail") else { return };
    const BAD: EmbeddedMigrations = EmbeddedMigrations::new(&[
        EmbeddedMigration { name: "1_ok", up: "CREATE TABLE kept (id INTEGER PRIMARY KEY);", down: None },
        EmbeddedMigration {
            name: "2_half",
            // The table, its row and the column change are all undone with the failing statement.
            up: "CREATE TABLE half (id INTEGER PRIMARY KEY); INSERT INTO half VALUES (1);
                 ALTER TABLE kept ADD COLUMN note TEXT; SELECT no_such_function();",
            down: None,
        },
        EmbeddedMigration { name: "3_never", up: "CREATE TABLE never (id INTEGER PRIMARY KEY);", down: None },
    ]);
    let mut conn = schema.connect();
    let err = conn.run_pending_migrations(BAD).unwrap_err();
    let MigrationError::Failed { name, file, .. } = &err else { panic!("{err}") };
    assert_eq!((name.as_str(), *file), ("2_half", "up.sql"));
    assert!(err.to_string().contains("no_such_function"), "{err}");
    assert_eq!(schema.tables(&mut conn), ["__quarry_migrations", "kept"]);
    assert_eq!(conn.applied_migrations().unwrap(), ["1_ok"]);
    let columns: i64 = quarry::sql_query(
        "SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'kept'",
    )
    .load::<N>(&mut conn)
    .unwrap()[0]
        .n;
    assert_eq!(columns, 1, "the ALTER TABLE was rolled back too");
    // The connection is usable, and the migration can be fixed and run.
    conn.batch_execute("SELECT 1").unwrap();
}

#[derive(QueryableByName)]
struct N {
    #[quarry(sql_type = quarry::sql_types::BigInt)]
    n: i64,
}

#[test]
fn sqlite_directives_and_transaction_statements_in_a_migration_are_errors_that_leave_nothing() {
    let Some(schema) = Schema::new("hostile") else { return };
    let mut conn = schema.connect();
    const FK_OFF: EmbeddedMigrations = EmbeddedMigrations::new(&[EmbeddedMigration {
        name: "1_rebuild",
        up: "-- quarry: foreign-keys-off\nCREATE TABLE t (id INTEGER PRIMARY KEY);",
        down: None,
    }]);
    let err = conn.run_pending_migrations(FK_OFF).unwrap_err();
    assert!(err.to_string().contains("foreign-keys-off"), "{err}");
    const COMMITS: EmbeddedMigrations = EmbeddedMigrations::new(&[EmbeddedMigration {
        name: "1_commits",
        up: "CREATE TABLE early (id INTEGER PRIMARY KEY); COMMIT; CREATE TABLE late (id INTEGER PRIMARY KEY);",
        down: None,
    }]);
    let result = conn.run_pending_migrations(COMMITS);
    let applied = conn.applied_migrations().unwrap();
    let tables = schema.tables(&mut conn);
    // Either refused with nothing left, or (never) recorded without its tables: a COMMIT inside the
    // migration must not let half of it through unrecorded.
    assert!(result.is_err(), "a COMMIT inside a migration is an error: {result:?}, tables {tables:?}");
    assert!(applied.is_empty(), "{applied:?}");
    assert_eq!(tables, ["__quarry_migrations"], "nothing of it stays");
}

#[test]
fn two_programs_running_the_migrations_at_once_apply_each_once() {
    let Some(schema) = Schema::new("race") else { return };
    let schema = std::sync::Arc::new(schema);
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let schema = schema.clone();
            std::thread::spawn(move || schema.connect().run_pending_migrations(GOOD).map_err(|e| e.to_string()))
        })
        .collect();
    let mut applied = Vec::new();
    for run in runs {
        applied.extend(run.join().unwrap().expect("no run fails"));
    }
    applied.sort();
    assert_eq!(applied, ["2026-11-30-000001_create_users", "2026-11-30-000002_create_posts"]);
}
