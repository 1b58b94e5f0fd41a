//! Migrations: `embed_migrations!` and `MigrationHarness` on SQLite.

use quarry::migration::{EmbeddedMigrations, MIGRATIONS_TABLE, MigrationError, MigrationHarness};
use quarry::prelude::*;
use quarry::sql_types::Text;
use quarry::sqlite::SqliteConnection;

const MIGRATIONS: EmbeddedMigrations = quarry::embed_migrations!("tests/fixtures/migrations");
const BROKEN: EmbeddedMigrations = quarry::embed_migrations!("tests/fixtures/broken_migrations");

#[derive(QueryableByName)]
struct Named {
    #[quarry(sql_type = Text)]
    name: String,
}

/// The user tables and indexes in the database, sorted.
fn objects(conn: &mut SqliteConnection) -> Vec<String> {
    let rows: Vec<Named> = quarry::sql_query(
        "SELECT type || ' ' || name AS name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .load(conn)
    .expect("read sqlite_schema");
    rows.into_iter().map(|r| r.name).collect()
}

fn columns(conn: &mut SqliteConnection, table: &str) -> Vec<String> {
    let rows: Vec<Named> = quarry::sql_query("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        .bind::<Text, _>(table)
        .load(conn)
        .expect("read table_info");
    rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn the_folder_is_embedded_in_name_order_with_its_sql() {
    let names: Vec<&str> = MIGRATIONS.all().iter().map(|m| m.name).collect();
    assert_eq!(names, ["2026-01-01-000000_create_notes", "2026-01-02-000000_add_note_author"]);
    assert!(MIGRATIONS.all()[0].up.starts_with("CREATE TABLE notes"));
    assert_eq!(MIGRATIONS.all()[1].down, Some("DROP INDEX notes_author;\nALTER TABLE notes DROP COLUMN author;\n"));
    assert_eq!(BROKEN.all()[1].down, None, "a folder without down.sql");
}

#[test]
fn pending_migrations_run_once_in_order_and_revert_one_at_a_time() -> Result<(), MigrationError> {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    assert!(conn.has_pending_migration(MIGRATIONS)?);
    let ran = conn.run_pending_migrations(MIGRATIONS)?;
    assert_eq!(ran, ["2026-01-01-000000_create_notes", "2026-01-02-000000_add_note_author"]);
    assert_eq!(conn.applied_migrations()?, ran);
    assert!(!conn.has_pending_migration(MIGRATIONS)?);
    assert!(conn.run_pending_migrations(MIGRATIONS)?.is_empty(), "nothing runs twice");
    assert_eq!(columns(&mut conn, "notes"), ["id", "body", "author"]);

    assert_eq!(conn.revert_last_migration(MIGRATIONS)?, "2026-01-02-000000_add_note_author");
    assert_eq!(columns(&mut conn, "notes"), ["id", "body"]);
    assert_eq!(objects(&mut conn), [format!("table {MIGRATIONS_TABLE}"), "table notes".to_owned()]);
    assert_eq!(conn.run_pending_migrations(MIGRATIONS)?, ["2026-01-02-000000_add_note_author"], "redo");

    conn.revert_last_migration(MIGRATIONS)?;
    conn.revert_last_migration(MIGRATIONS)?;
    assert_eq!(objects(&mut conn), [format!("table {MIGRATIONS_TABLE}")]);
    assert!(matches!(conn.revert_last_migration(MIGRATIONS), Err(MigrationError::NothingToRevert)));
    Ok(())
}

#[test]
fn a_failing_migration_leaves_the_database_at_the_version_before_it() -> Result<(), MigrationError> {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    let err = conn.run_pending_migrations(BROKEN).expect_err("the second migration fails");
    let text = err.to_string();
    assert!(text.starts_with("migration `2026-01-02-000000_half_broken` failed in up.sql"), "{text}");
    assert!(text.contains("no_such_table"), "{text}");
    assert_eq!(conn.applied_migrations()?, ["2026-01-01-000000_create_notes"]);
    // Its first statement (CREATE TABLE tags) was rolled back with it.
    assert_eq!(objects(&mut conn), [format!("table {MIGRATIONS_TABLE}"), "table notes".to_owned()]);
    Ok(())
}

#[test]
fn reverting_without_down_sql_or_with_unknown_history_is_an_error() -> Result<(), MigrationError> {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY);
         CREATE TABLE __quarry_migrations (version VARCHAR(255) PRIMARY KEY NOT NULL, run_on TIMESTAMP);
         INSERT INTO __quarry_migrations (version) VALUES ('2026-01-02-000000_half_broken');",
    )?;
    let err = conn.revert_last_migration(BROKEN).expect_err("no down.sql");
    assert!(matches!(&err, MigrationError::NoDown(name) if name == "2026-01-02-000000_half_broken"), "{err}");
    assert_eq!(err.to_string(), "migration `2026-01-02-000000_half_broken` has no down.sql, so it cannot be reverted");

    let err = conn.run_pending_migrations(MIGRATIONS).expect_err("history from another folder");
    assert!(err.to_string().contains("records migration `2026-01-02-000000_half_broken`"), "{err}");
    Ok(())
}

#[test]
fn a_folder_read_at_run_time_gives_the_same_migrations_as_the_embedded_one() -> Result<(), MigrationError> {
    use quarry::migration::{FileMigrations, MigrationSource};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/migrations");
    assert_eq!(FileMigrations::new(dir).migrations()?, MIGRATIONS.migrations()?);
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    assert_eq!(conn.run_pending_migrations(FileMigrations::new(dir))?.len(), 2);
    assert!(conn.run_pending_migrations(MIGRATIONS)?.is_empty(), "both sources agree on what is applied");

    let missing = FileMigrations::new("no/such/folder").migrations().expect_err("missing folder");
    assert!(missing.to_string().starts_with("cannot read the migrations folder `no/such/folder`"), "{missing}");
    let bad = std::env::temp_dir().join(format!("quarry-no-up-{}", std::process::id()));
    std::fs::create_dir_all(bad.join("2026_x")).expect("mkdir");
    let err = FileMigrations::new(&bad).migrations().expect_err("no up.sql");
    let _ = std::fs::remove_dir_all(&bad);
    assert!(err.to_string().ends_with("2026_x` is not a migration: it has no up.sql"), "{err}");
    Ok(())
}

#[test]
fn foreign_keys_off_rebuilds_a_referenced_table_and_checks_references_before_commit() -> Result<(), MigrationError> {
    use quarry::migration::{EmbeddedMigration, FOREIGN_KEYS_OFF};
    const REBUILD: &str = "-- quarry: foreign-keys-off
        CREATE TABLE new_parents (id INTEGER PRIMARY KEY, name TEXT);
        INSERT INTO new_parents (id, name) SELECT id, name FROM parents;
        DROP TABLE parents;
        ALTER TABLE new_parents RENAME TO parents;";
    const BREAK: &str = "-- quarry: foreign-keys-off
        DELETE FROM parents;";
    static STEPS: [EmbeddedMigration; 3] = [
        EmbeddedMigration {
            name: "1_start",
            up: "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
                 CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL
                     REFERENCES parents (id) ON DELETE CASCADE);
                 INSERT INTO parents VALUES (1, 'p'); INSERT INTO children VALUES (1, 1), (2, 1);",
            down: None,
        },
        EmbeddedMigration { name: "2_rebuild", up: REBUILD, down: None },
        EmbeddedMigration { name: "3_break", up: BREAK, down: None },
    ];
    assert!(REBUILD.starts_with(FOREIGN_KEYS_OFF));
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    let err = conn.run_pending_migrations(EmbeddedMigrations::new(&STEPS)).expect_err("3_break fails");
    let text = err.to_string();
    assert!(text.starts_with("migration `3_break` failed in up.sql"), "{text}");
    assert!(text.contains("2 row(s) of `children` pointing at rows of `parents` that do not exist"), "{text}");
    assert_eq!(conn.applied_migrations()?, ["1_start", "2_rebuild"]);

    #[derive(QueryableByName)]
    struct Count {
        #[quarry(sql_type = quarry::sql_types::BigInt)]
        n: i64,
    }
    let count = |conn: &mut SqliteConnection, sql: &str| -> i64 {
        quarry::sql_query(sql).load::<Count>(conn).expect("count").iter().map(|c| c.n).sum()
    };
    // The rebuild's DROP TABLE did not cascade to the children, and 3_break was rolled back.
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM children"), 2);
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM parents"), 1);
    // Enforcement is back on afterwards.
    assert_eq!(count(&mut conn, "SELECT foreign_keys AS n FROM pragma_foreign_keys"), 1);
    Ok(())
}
