//! Connections: opening databases, transactions, the statement cache, and database errors.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::*;
use quarry::prelude::*;
use quarry::result::{ConnectionError, DatabaseErrorKind, Error, QueryResult};
use quarry::sqlite::SqliteConnection;
use quarry::{insert_into, update};

/// A database file in a fresh folder, deleted (with its `-wal`/`-shm` files) when the test ends.
struct TempDb {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl std::ops::Deref for TempDb {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.path
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn temp_db_path(name: &str) -> TempDb {
    let dir = std::env::temp_dir().join(format!("quarry-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a temp dir");
    let path = dir.join("test.db");
    TempDb { dir, path }
}

fn kind_of<T: std::fmt::Debug>(result: QueryResult<T>) -> DatabaseErrorKind {
    match result {
        Err(Error::DatabaseError(kind, _)) => kind,
        other => panic!("expected a database error, got {other:?}"),
    }
}

/// `close()` closes the file now (its cached statements finalized first): the last connection to a WAL
/// database checkpoints and removes the `-wal` file as it closes, so the file is gone when it returns.
#[test]
fn close_closes_the_database_now_and_says_so() -> Result<(), Box<dyn std::error::Error>> {
    let path = temp_db_path("close");
    let url = path.to_str().expect("utf-8 path");
    let mut conn = SqliteConnection::establish(url)?;
    conn.batch_execute("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)")?;
    conn.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    // A statement in the cache, finalized by `close` before the connection closes.
    insert_into(users::table).values(users::name.eq("Ann")).execute(&mut conn)?;
    let wal = path.with_extension("db-wal");
    assert!(wal.exists(), "WAL mode keeps a -wal file while the connection is open");
    conn.close()?;
    assert!(!wal.exists(), "closed: checkpointed and removed");
    Ok(())
}

#[test]
fn a_file_database_keeps_its_rows_across_connections() -> Result<(), Box<dyn std::error::Error>> {
    let path = temp_db_path("file");
    let url = path.to_str().expect("utf-8 path");
    {
        let mut conn = SqliteConnection::establish(url)?;
        conn.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
        insert_into(users::table).values(users::name.eq("Ann")).execute(&mut conn)?;
    }
    let mut again = SqliteConnection::establish(&format!("sqlite://{url}"))?;
    assert_eq!(users::table.select(users::name).load::<String>(&mut again)?, ["Ann"]);
    Ok(())
}

#[test]
fn a_read_only_uri_refuses_writes_with_read_only_kind() -> Result<(), Box<dyn std::error::Error>> {
    let path = temp_db_path("ro");
    let url = path.to_str().expect("utf-8 path");
    SqliteConnection::establish(url)?
        .batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    let mut ro = SqliteConnection::establish(&format!("file:{url}?mode=ro"))?;
    assert_eq!(users::table.count().get_result::<i64>(&mut ro)?, 0);
    let kind = kind_of(insert_into(users::table).values(users::name.eq("Ann")).execute(&mut ro));
    assert_eq!(kind, DatabaseErrorKind::ReadOnly);
    Ok(())
}

#[test]
fn a_bad_path_is_an_error_naming_it() {
    let err = SqliteConnection::establish("/no/such/dir/app.db").expect_err("cannot open");
    assert!(matches!(err, ConnectionError::BadConnection(_)), "{err:?}");
    assert!(err.to_string().contains("/no/such/dir/app.db"), "{err}");
    let empty = SqliteConnection::establish("").expect_err("empty URL");
    assert!(matches!(empty, ConnectionError::InvalidConnectionUrl(_)), "{empty:?}");
}

#[test]
fn foreign_keys_are_enforced() {
    let mut conn = empty_db();
    let result = insert_into(posts::table)
        .values((posts::user_id.eq(42), posts::title.eq("orphan"), posts::published.eq(true)))
        .execute(&mut conn);
    assert_eq!(kind_of(result), DatabaseErrorKind::ForeignKeyViolation);
}

#[test]
fn constraint_violations_say_which_kind_and_carry_sqlite_text() -> QueryResult<()> {
    let mut conn = seeded_db();
    conn.batch_execute(
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE CHECK (length(label) > 1))",
    )?;
    quarry::table! { tags (id) { id -> Integer, label -> Nullable<Text>, } }
    insert_into(tags::table).values(tags::label.eq(Some("rust"))).execute(&mut conn)?;
    let dup = insert_into(tags::table).values(tags::label.eq(Some("rust"))).execute(&mut conn);
    match &dup {
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info)) => {
            assert!(info.message().contains("UNIQUE constraint failed: tags.label"), "{}", info.message());
            assert_eq!(info.sql(), Some(r#"INSERT INTO "tags" ("label") VALUES (?)"#));
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
    assert!(dup.unwrap_err().to_string().starts_with("unique constraint violated: UNIQUE constraint failed"));
    let null = insert_into(tags::table).values(tags::label.eq(None::<&str>)).execute(&mut conn);
    assert_eq!(kind_of(null), DatabaseErrorKind::NotNullViolation);
    let short = insert_into(tags::table).values(tags::label.eq(Some("x"))).execute(&mut conn);
    assert_eq!(kind_of(short), DatabaseErrorKind::CheckViolation);
    let pk = insert_into(users::table).values((users::id.eq(1), users::name.eq("again"))).execute(&mut conn);
    assert_eq!(kind_of(pk), DatabaseErrorKind::UniqueViolation);
    // The connection is still usable after the errors.
    assert_eq!(tags::table.count().get_result::<i64>(&mut conn)?, 1);
    Ok(())
}

#[test]
fn a_locked_database_is_a_busy_error_after_the_timeout() -> Result<(), Box<dyn std::error::Error>> {
    let path = temp_db_path("busy");
    let url = path.to_str().expect("utf-8 path");
    let mut holder = SqliteConnection::establish(url)?;
    holder.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    holder.batch_execute("BEGIN IMMEDIATE")?;
    let mut waiter = SqliteConnection::establish(url)?;
    waiter.set_busy_timeout(20)?;
    let result = insert_into(users::table).values(users::name.eq("Ann")).execute(&mut waiter);
    assert_eq!(kind_of(result), DatabaseErrorKind::Busy);
    holder.batch_execute("COMMIT")?;
    insert_into(users::table).values(users::name.eq("Ann")).execute(&mut waiter)?;
    Ok(())
}

#[test]
fn batch_execute_runs_several_statements_and_reports_bad_sql() {
    let mut conn = empty_db();
    conn.batch_execute("INSERT INTO users (name) VALUES ('a'); INSERT INTO users (name) VALUES ('b');").expect("runs");
    assert_eq!(users::table.count().get_result::<i64>(&mut conn).expect("counts"), 2);
    let err = conn.batch_execute("SELEC nonsense").expect_err("bad SQL");
    assert!(err.to_string().contains("syntax error"), "{err}");
}

#[test]
fn a_transaction_commits_on_ok() -> QueryResult<()> {
    let mut conn = empty_db();
    let id = conn.transaction::<_, Error, _>(|conn| {
        insert_into(users::table).values(users::name.eq("Ann")).returning(users::id).get_result::<i32>(conn)
    })?;
    assert_eq!(id, 1);
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 1);
    Ok(())
}

#[test]
fn a_transaction_rolls_back_on_err() -> QueryResult<()> {
    let mut conn = empty_db();
    let result: QueryResult<()> = conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("Ann")).execute(conn)?;
        Err(Error::RollbackTransaction)
    });
    assert!(matches!(result, Err(Error::RollbackTransaction)));
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 0);
    // A user error type works too, as long as it converts from quarry's Error.
    #[derive(Debug)]
    enum AppError {
        #[allow(dead_code)] // built by the conversion below, never read back
        Db(Error),
        Invalid,
    }
    impl From<Error> for AppError {
        fn from(e: Error) -> Self {
            AppError::Db(e)
        }
    }
    let result: Result<(), AppError> = conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("Bo")).execute(conn)?;
        Err(AppError::Invalid)
    });
    assert!(matches!(result, Err(AppError::Invalid)));
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 0);
    Ok(())
}

#[test]
fn a_panic_rolls_back_and_leaves_the_connection_usable() -> QueryResult<()> {
    let mut conn = empty_db();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let _: QueryResult<()> = conn.transaction(|conn| {
            insert_into(users::table).values(users::name.eq("Ann")).execute(conn)?;
            panic!("boom");
        });
    }));
    assert!(outcome.is_err());
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 0);
    conn.transaction::<_, Error, _>(|conn| insert_into(users::table).values(users::name.eq("Bo")).execute(conn))?;
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 1);
    Ok(())
}

#[test]
fn nested_transactions_use_savepoints() -> QueryResult<()> {
    let mut conn = empty_db();
    conn.transaction::<_, Error, _>(|conn| {
        insert_into(users::table).values(users::name.eq("outer")).execute(conn)?;
        let inner: QueryResult<()> = conn.transaction(|conn| {
            insert_into(users::table).values(users::name.eq("inner, rolled back")).execute(conn)?;
            Err(Error::RollbackTransaction)
        });
        assert!(inner.is_err());
        conn.transaction::<_, Error, _>(|conn| {
            insert_into(users::table).values(users::name.eq("inner, kept")).execute(conn)
        })?;
        Ok(())
    })?;
    let names: Vec<String> = users::table.select(users::name).order(users::id).load(&mut conn)?;
    assert_eq!(names, ["outer", "inner, kept"]);
    Ok(())
}

#[test]
fn a_test_transaction_is_never_committed() -> Result<(), Box<dyn std::error::Error>> {
    let path = temp_db_path("test-tx");
    let url = path.to_str().expect("utf-8 path");
    SqliteConnection::establish(url)?
        .batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    {
        let mut conn = SqliteConnection::establish(url)?;
        conn.begin_test_transaction()?;
        insert_into(users::table).values(users::name.eq("Ann")).execute(&mut conn)?;
        conn.transaction::<_, Error, _>(|conn| insert_into(users::table).values(users::name.eq("Bo")).execute(conn))?;
        assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 2);
    }
    let mut fresh = SqliteConnection::establish(url)?;
    assert_eq!(users::table.count().get_result::<i64>(&mut fresh)?, 0);
    Ok(())
}

#[test]
fn a_query_whose_sql_depends_only_on_its_type_is_rendered_and_prepared_once() -> QueryResult<()> {
    let mut conn = seeded_db();
    let before = conn.stats();
    for id in 1..=3 {
        let user = users::table.filter(users::id.eq(id)).first::<User>(&mut conn)?;
        assert_eq!(user.id, id);
    }
    let after = conn.stats();
    assert_eq!(after.renders - before.renders, 1, "rendered once, then found by type");
    assert_eq!(after.prepares - before.prepares, 1, "prepared once");
    Ok(())
}

#[test]
fn other_queries_are_cached_by_their_sql_text() -> QueryResult<()> {
    let mut conn = seeded_db();
    let before = conn.stats();
    for _ in 0..3 {
        users::table.select(users::id).filter(users::id.eq_any(vec![1, 2])).load::<i32>(&mut conn)?;
    }
    users::table.select(users::id).filter(users::id.eq_any(vec![1, 2, 3])).load::<i32>(&mut conn)?;
    let after = conn.stats();
    assert_eq!(after.renders - before.renders, 4, "a list's SQL depends on its length: rendered each time");
    assert_eq!(after.prepares - before.prepares, 2, "but prepared once per distinct SQL text");
    Ok(())
}

#[derive(AsChangeset)]
#[quarry(table_name = users)]
struct Rename<'a> {
    name: &'a str,
}

#[derive(AsChangeset)]
#[quarry(table_name = users)]
struct MaybeRename<'a> {
    name: Option<&'a str>,
    hair_color: Option<Option<&'a str>>,
}

#[test]
fn an_update_whose_set_clause_is_fixed_by_its_type_is_rendered_once() -> QueryResult<()> {
    let mut conn = seeded_db();
    let names = |conn: &mut SqliteConnection| users::table.select(users::name).order(users::id).load::<String>(conn);

    let before = conn.stats();
    for (id, name) in [(1, "A"), (2, "B"), (3, "C")] {
        update(users::table.find(id))
            .set((users::name.eq(name), users::hair_color.eq(None::<&str>)))
            .execute(&mut conn)?;
    }
    let after = conn.stats();
    assert_eq!((after.renders - before.renders, after.prepares - before.prepares), (1, 1), "column.eq tuples");
    assert_eq!(names(&mut conn)?, ["A", "B", "C"]);

    let before = conn.stats();
    for (id, name) in [(1, "D"), (3, "E")] {
        update(users::table.find(id)).set(&Rename { name }).execute(&mut conn)?;
    }
    let after = conn.stats();
    assert_eq!((after.renders - before.renders, after.prepares - before.prepares), (1, 1), "a struct of plain fields");
    assert_eq!(names(&mut conn)?, ["D", "B", "E"]);

    // `None` fields are left out, so these are rendered every time and cached by text: two shapes, two prepares.
    let before = conn.stats();
    update(users::table.find(1)).set(&MaybeRename { name: Some("F"), hair_color: None }).execute(&mut conn)?;
    update(users::table.find(2)).set(&MaybeRename { name: None, hair_color: Some(Some("red")) }).execute(&mut conn)?;
    update(users::table.find(3)).set(&MaybeRename { name: Some("G"), hair_color: None }).execute(&mut conn)?;
    let after = conn.stats();
    assert_eq!((after.renders - before.renders, after.prepares - before.prepares), (3, 2), "Option fields");
    assert_eq!(names(&mut conn)?, ["F", "B", "G"]);
    let hair: Option<String> = users::table.find(2).select(users::hair_color).get_result(&mut conn)?;
    assert_eq!(hair.as_deref(), Some("red"));
    Ok(())
}

#[test]
fn an_insert_is_rendered_once_per_row_type_and_row_count() -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = SqliteConnection::establish(":memory:")?;
    conn.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    let work = |conn: &SqliteConnection, before: quarry::sqlite::ConnectionStats| {
        let after = conn.stats();
        (after.renders - before.renders, after.prepares - before.prepares)
    };

    // Derived rows, `None` and `Some` mixed: the same type and count find the statement without rendering.
    let before = conn.stats();
    for batch in [["a", "b", "c"], ["d", "e", "f"]] {
        let rows: Vec<NewUser> =
            batch.iter().enumerate().map(|(i, &name)| NewUser { name, hair_color: (i == 1).then_some(name) }).collect();
        insert_into(users::table).values(&rows).execute(&mut conn)?;
    }
    assert_eq!(work(&conn, before), (1, 1), "two batches of three derived rows");
    let before = conn.stats();
    insert_into(users::table).values(vec![NewUser { name: "g", hair_color: None }; 2]).execute(&mut conn)?;
    assert_eq!(work(&conn, before), (1, 1), "another row count is another statement");

    // Tuples of `column.eq(value)`, one row and many.
    let before = conn.stats();
    for name in ["h", "i"] {
        insert_into(users::table).values((users::name.eq(name), users::hair_color.eq("grey"))).execute(&mut conn)?;
    }
    insert_into(users::table).values(vec![users::name.eq("j"), users::name.eq("k")]).execute(&mut conn)?;
    insert_into(users::table).values(vec![users::name.eq("l"), users::name.eq("m")]).execute(&mut conn)?;
    assert_eq!(work(&conn, before), (2, 2), "a tuple row twice, then a batch of two twice");

    // RETURNING is another statement; its rows come back right.
    let before = conn.stats();
    for name in ["n", "o"] {
        let id: i32 =
            insert_into(users::table).values(users::name.eq(name)).returning(users::id).get_result(&mut conn)?;
        let stored: String = users::table.find(id).select(users::name).get_result(&mut conn)?;
        assert_eq!(stored, name);
    }
    let after = conn.stats();
    assert_eq!(after.renders - before.renders, 2, "one INSERT ... RETURNING and one SELECT, each rendered once");

    // Every value went in, from every batch, with its own NULLs.
    let rows: Vec<(String, Option<String>)> =
        users::table.select((users::name, users::hair_color)).order(users::id).load(&mut conn)?;
    let expected = [
        ("a", None),
        ("b", Some("b")),
        ("c", None),
        ("d", None),
        ("e", Some("e")),
        ("f", None),
        ("g", None),
        ("g", None),
        ("h", Some("grey")),
        ("i", Some("grey")),
        ("j", None),
        ("k", None),
        ("l", None),
        ("m", None),
        ("n", None),
        ("o", None),
    ];
    let expected: Vec<(String, Option<String>)> =
        expected.iter().map(|(n, h)| (n.to_string(), h.map(str::to_string))).collect();
    assert_eq!(rows, expected);
    Ok(())
}

#[test]
fn batch_inserts_of_ever_new_sizes_do_not_grow_the_cache_without_bound() -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = SqliteConnection::establish(":memory:")?;
    conn.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    for size in 1..=200 {
        let rows: Vec<_> = (0..size).map(|_| users::name.eq("x")).collect();
        insert_into(users::table).values(rows).execute(&mut conn)?;
    }
    let cached = format!("{conn:?}");
    let count: usize = cached
        .split("cached_statements: ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .expect("Debug shows cached_statements");
    assert!(count <= 64, "{count} statements cached after 200 batch sizes");
    let total: i64 = users::table.select(quarry::dsl::count_star()).get_result(&mut conn)?;
    assert_eq!(total, 200 * 201 / 2);
    Ok(())
}

#[test]
fn a_literal_limit_never_makes_sqlite_reprepare() -> QueryResult<()> {
    let mut conn = seeded_db();
    for _ in 0..50 {
        users::table.order(users::id).first::<User>(&mut conn)?;
        users::table.select(users::id).limit(2).load::<i32>(&mut conn)?;
    }
    assert_eq!(conn.reprepare_count(), 0);
    Ok(())
}

#[test]
fn a_failed_statement_leaves_the_cached_statement_reusable() -> QueryResult<()> {
    let mut conn = seeded_db();
    let insert = |conn: &mut SqliteConnection, id: i32| {
        insert_into(users::table).values((users::id.eq(id), users::name.eq("x"))).execute(conn)
    };
    assert!(insert(&mut conn, 1).is_err());
    assert_eq!(insert(&mut conn, 10)?, 1);
    assert_eq!(update(users::table.find(10)).set(users::name.eq("y")).execute(&mut conn)?, 1);
    Ok(())
}

#[test]
fn a_transaction_sqlite_rolled_back_on_its_own_leaves_the_connection_usable() -> QueryResult<()> {
    let mut conn = db_rolling_back_on_zed()?;
    let result: QueryResult<()> = conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("Di")).execute(conn)?;
        insert_into(users::table).values(users::name.eq("Zed")).execute(conn)?;
        Ok(())
    });
    assert!(format!("{result:?}").contains("no Zed here"), "{result:?}");
    assert!(!conn.is_in_transaction());
    // Not marked broken: the next transaction runs, and Di's row went with the rollback.
    conn.transaction::<_, Error, _>(|conn| {
        insert_into(users::table).values(users::name.eq("Eve")).execute(conn)?;
        Ok(())
    })?;
    let names: Vec<String> = users::table.select(users::name).order(users::id).load(&mut conn)?;
    assert_eq!(names, ["Ann", "Bo", "Cy", "Eve"]);
    Ok(())
}

#[test]
fn is_in_transaction_sees_transactions_begun_in_raw_sql() -> QueryResult<()> {
    let mut conn = seeded_db();
    assert!(!conn.is_in_transaction());
    conn.batch_execute("BEGIN")?;
    assert!(conn.is_in_transaction());
    conn.batch_execute("COMMIT")?;
    conn.transaction::<_, Error, _>(|conn| {
        assert!(conn.is_in_transaction());
        Ok(())
    })?;
    assert!(!conn.is_in_transaction());
    Ok(())
}

#[test]
fn when_the_database_rolls_back_under_a_nested_transaction_the_enclosing_one_fails_too() -> QueryResult<()> {
    let mut conn = db_rolling_back_on_zed()?;
    let outer: QueryResult<()> = conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("Di")).execute(conn)?;
        let inner: QueryResult<usize> =
            conn.transaction(|conn| insert_into(users::table).values(users::name.eq("Zed")).execute(conn));
        assert!(inner.is_err());
        // The outer transaction is gone with it: a further nested transaction refuses to run.
        let again: QueryResult<()> = conn.transaction(|_| Ok(()));
        assert!(matches!(again, Err(Error::BrokenTransactionManager(_))), "{again:?}");
        Ok(()) // ignoring the inner error does not make the outer one commit
    });
    assert!(
        matches!(&outer, Err(Error::BrokenTransactionManager(m)) if m.contains("rolled back the whole transaction")),
        "{outer:?}"
    );
    // Nothing of it stayed, and the connection is usable again.
    conn.transaction::<_, Error, _>(|conn| {
        insert_into(users::table).values(users::name.eq("Eve")).execute(conn).map(|_| ())
    })?;
    let names: Vec<String> = users::table.select(users::name).order(users::id).load(&mut conn)?;
    assert_eq!(names, ["Ann", "Bo", "Cy", "Eve"]);
    Ok(())
}

#[test]
fn a_test_transaction_the_database_rolled_back_is_reported_not_left_committing() -> QueryResult<()> {
    let mut conn = db_rolling_back_on_zed()?;
    conn.begin_test_transaction()?;
    let inner: QueryResult<usize> =
        conn.transaction(|conn| insert_into(users::table).values(users::name.eq("Zed")).execute(conn));
    assert!(inner.is_err());
    assert!(conn.transaction_manager().is_aborted());
    let next: QueryResult<()> = conn.transaction(|_| Ok(()));
    assert!(matches!(next, Err(Error::BrokenTransactionManager(_))), "{next:?}");
    Ok(())
}

/// The seeded database with a trigger that makes SQLite itself roll the whole transaction back when a
/// user named Zed is inserted.
fn db_rolling_back_on_zed() -> QueryResult<SqliteConnection> {
    let mut conn = seeded_db();
    conn.batch_execute(
        "CREATE TRIGGER no_zed BEFORE INSERT ON users WHEN NEW.name = 'Zed'
         BEGIN SELECT RAISE(ROLLBACK, 'no Zed here'); END;",
    )?;
    Ok(conn)
}

#[test]
fn an_immediate_transaction_takes_the_write_lock_at_its_start() -> Result<(), Box<dyn std::error::Error>> {
    let path = temp_db_path("immediate");
    let url = path.to_str().expect("utf-8 path");
    let mut first = SqliteConnection::establish(url)?;
    first.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    let mut second = SqliteConnection::establish(url)?;
    second.set_busy_timeout(20)?;
    first.immediate_transaction::<_, Error, _>(|first| {
        // A deferred transaction can still begin and read; an immediate one cannot even begin.
        let deferred: QueryResult<i64> = second.transaction(|c| users::table.count().get_result(c));
        assert_eq!(deferred?, 0);
        let immediate: QueryResult<()> = second.immediate_transaction(|_| Ok(()));
        assert_eq!(kind_of(immediate), DatabaseErrorKind::Busy);
        let nested: QueryResult<usize> =
            first.transaction(|c| insert_into(users::table).values(users::name.eq("Ann")).execute(c));
        assert_eq!(nested?, 1, "nested calls use savepoints inside it");
        Ok(())
    })?;
    second.exclusive_transaction::<_, Error, _>(|c| {
        assert_eq!(users::table.count().get_result::<i64>(c)?, 1);
        Ok(())
    })?;
    Ok(())
}
