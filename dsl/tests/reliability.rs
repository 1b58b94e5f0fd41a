//! Hostile input that once went wrong silently: NUL bytes in SQL text, too many binds, SQL that ends
//! Quarry's transaction from inside it, and error messages quoting huge SQL.

mod common;

use common::*;
use quarry::migration::{EmbeddedMigration, EmbeddedMigrations, MigrationError, MigrationHarness};
use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::sql_query;
use quarry::sql_types::Integer;

fn user_count(conn: &mut quarry::sqlite::SqliteConnection) -> i64 {
    users::table.count().get_result(conn).expect("count users")
}

/// Users 1 to 3 and no post or comment, so any user may be deleted.
fn users_only() -> quarry::sqlite::SqliteConnection {
    let mut conn = empty_db();
    conn.batch_execute("INSERT INTO users (id, name) VALUES (1, 'Ann'), (2, 'Bo'), (3, 'Cy')").expect("seed users");
    conn
}

fn is_query_builder_error_saying(result: QueryResult<impl std::fmt::Debug>, words: &str) {
    match result {
        Err(e @ Error::QueryBuilderError(_)) => {
            assert!(e.to_string().contains(words), "{e} should say {words:?}")
        }
        other => panic!("expected an error saying {words:?}, got {other:?}"),
    }
}

#[test]
fn a_nul_byte_in_sql_text_is_an_error_on_every_entry_point() {
    let mut conn = seeded_db();
    // SQLite would read `DELETE FROM users` and stop at the NUL: every row gone, `Ok(3)`.
    is_query_builder_error_saying(
        sql_query("DELETE FROM users\0 WHERE id = 2").execute(&mut conn),
        "NUL byte (shown as \\0) at byte 17",
    );
    is_query_builder_error_saying(
        conn.batch_execute("DELETE FROM users\0 WHERE id = 2"),
        r"`DELETE FROM users\0 WHERE id = 2`",
    );
    is_query_builder_error_saying(
        sql_query("SELECT id FROM users\0 WHERE id = ?").bind::<Integer, _>(1).execute(&mut conn),
        "NUL byte",
    );
    is_query_builder_error_saying(conn.transaction(|c| c.batch_execute("DELETE FROM users;\0")), "NUL byte");
    assert_eq!(user_count(&mut conn), 3, "nothing was deleted");
}

#[test]
fn a_nul_byte_inside_a_bound_value_is_stored_whole() -> QueryResult<()> {
    let mut conn = seeded_db();
    let name = "before\0after";
    quarry::update(users::table.find(1)).set(users::name.eq(name)).execute(&mut conn)?;
    let stored: String = users::table.find(1).select(users::name).get_result(&mut conn)?;
    assert_eq!(stored, name);
    let found: i64 = users::table.filter(users::name.eq(name)).count().get_result(&mut conn)?;
    assert_eq!(found, 1);
    Ok(())
}

#[test]
fn too_many_binds_for_sql_query_names_both_counts() {
    let mut conn = seeded_db();
    let err = sql_query("SELECT id FROM users WHERE id = ?")
        .bind::<Integer, _>(1)
        .bind::<Integer, _>(2)
        .bind::<Integer, _>(3)
        .execute(&mut conn)
        .unwrap_err();
    assert!(err.to_string().contains("bound 3 values for 1 parameters"), "{err}");
    let err =
        sql_query("SELECT id FROM users WHERE id = ? OR id = ?").bind::<Integer, _>(1).execute(&mut conn).unwrap_err();
    assert!(err.to_string().contains("bound 1 values for 2 parameters"), "{err}");
    // The connection is fine afterwards.
    assert_eq!(user_count(&mut conn), 3);
}

#[test]
fn an_error_quotes_at_most_a_thousand_bytes_of_sql() {
    let mut conn = seeded_db();
    let long = format!("SELECT {} FROM no_such_table", vec!["1"; 100_000].join(", "));
    let err = conn.batch_execute(&long).unwrap_err();
    let text = err.to_string();
    assert!(text.len() < 1_200, "the message is {} bytes long", text.len());
    assert!(text.contains("more bytes)"), "{text}");
    assert!(text.contains("no such table"), "SQLite's own message is kept: {text}");
    match err {
        Error::DatabaseError(_, info) => assert_eq!(info.sql(), Some(long.as_str()), "the whole SQL stays available"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn commit_inside_a_transaction_call_is_refused_before_it_runs() {
    let mut conn = users_only();
    for sql in ["COMMIT", "  /* sneaky */ commit transaction", "END", "ROLLBACK", "BEGIN", "begin immediate"] {
        let result: QueryResult<()> = conn.transaction(|c| {
            c.batch_execute("DELETE FROM users WHERE id = 3")?;
            c.batch_execute(sql)?;
            c.batch_execute("DELETE FROM users")
        });
        is_query_builder_error_saying(result, "inside a `transaction` call");
        assert_eq!(user_count(&mut conn), 3, "{sql}: the first DELETE was rolled back too");
        let result: QueryResult<()> = conn.transaction(|c| sql_query(sql).execute(c).map(drop));
        is_query_builder_error_saying(result, "inside a `transaction` call");
    }
    // Savepoints of the user's own are fine inside, and a COMMIT outside any transaction call is the user's.
    conn.transaction(|c| c.batch_execute("SAVEPOINT mine; DELETE FROM users WHERE id = 3; RELEASE mine")).unwrap();
    conn.batch_execute("BEGIN; DELETE FROM users WHERE id = 2; COMMIT").unwrap();
    assert_eq!(user_count(&mut conn), 1);
}

#[test]
fn a_swallowed_or_rollback_error_stops_the_rest_of_the_transaction() {
    let mut conn = users_only();
    let result: QueryResult<()> = conn.transaction(|c| {
        c.batch_execute("DELETE FROM users WHERE id = 3")?;
        // SQLite rolls the whole transaction back; the closure ignores the error and goes on.
        let swallowed = c.batch_execute("INSERT OR ROLLBACK INTO users (id, name) VALUES (1, 'dup')");
        assert!(swallowed.is_err());
        let later = c.batch_execute("DELETE FROM users");
        assert!(later.is_err(), "a statement after the rollback must not run in autocommit");
        let later = users::table.count().get_result::<i64>(c);
        assert!(later.is_err(), "nor a query");
        Ok(())
    });
    assert!(matches!(result, Err(Error::BrokenTransactionManager(_))), "{result:?}");
    assert_eq!(user_count(&mut conn), 3, "nothing ran outside the transaction");
    // The next transaction works again.
    conn.transaction(|c| c.batch_execute("DELETE FROM users WHERE id = 3")).unwrap();
    assert_eq!(user_count(&mut conn), 2);
}

const FIRST: EmbeddedMigration =
    EmbeddedMigration { name: "2026-01-01-000000_ok", up: "CREATE TABLE a (x INTEGER);", down: Some("DROP TABLE a;") };

const COMMITS_HALFWAY: EmbeddedMigrations = EmbeddedMigrations::new(&[
    FIRST,
    EmbeddedMigration {
        name: "2026-01-02-000000_commits",
        up: "CREATE TABLE b (x INTEGER); COMMIT; CREATE TABLE c (x INTEGER);",
        down: None,
    },
]);

const ROLLS_BACK_HALFWAY: EmbeddedMigrations = EmbeddedMigrations::new(&[
    FIRST,
    EmbeddedMigration {
        name: "2026-01-03-000000_rolls_back",
        up: "CREATE TABLE d (x INTEGER);\nROLLBACK;\nCREATE TABLE e (x INTEGER);",
        down: None,
    },
]);

const RAISES_ROLLBACK: EmbeddedMigrations = EmbeddedMigrations::new(&[
    FIRST,
    EmbeddedMigration {
        name: "2026-01-04-000000_or_rollback",
        up: "CREATE TABLE f (x INTEGER PRIMARY KEY); INSERT INTO f VALUES (1); INSERT OR ROLLBACK INTO f VALUES (1); CREATE TABLE g (x INTEGER);",
        down: None,
    },
]);

fn tables(conn: &mut quarry::sqlite::SqliteConnection) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[quarry(sql_type = quarry::sql_types::Text)]
        name: String,
    }
    let names: Vec<Name> = sql_query(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
    )
    .load(conn)
    .expect("list tables");
    names.into_iter().map(|n| n.name).collect()
}

#[test]
fn a_migration_that_ends_its_transaction_fails_and_leaves_nothing_behind() {
    let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:").unwrap();
    let err = conn.run_pending_migrations(COMMITS_HALFWAY).unwrap_err();
    assert!(matches!(&err, MigrationError::Failed { name, .. } if name == "2026-01-02-000000_commits"), "{err}");
    assert!(err.to_string().contains("COMMIT"), "{err}");
    assert_eq!(tables(&mut conn), ["a"], "the first migration stays; nothing of the second");
    assert_eq!(conn.applied_migrations().unwrap(), ["2026-01-01-000000_ok"]);

    let err = conn.run_pending_migrations(ROLLS_BACK_HALFWAY).unwrap_err();
    assert!(err.to_string().contains("ROLLBACK"), "{err}");
    assert_eq!(tables(&mut conn), ["a"]);

    // SQLite rolling the transaction back on its own: the migration fails, and no later statement runs.
    let err = conn.run_pending_migrations(RAISES_ROLLBACK).unwrap_err();
    assert!(matches!(err, MigrationError::Failed { .. }), "{err}");
    assert_eq!(tables(&mut conn), ["a"]);
    assert_eq!(conn.applied_migrations().unwrap(), ["2026-01-01-000000_ok"]);
}
