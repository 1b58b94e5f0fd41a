//! Connection pools (feature `r2d2`): connections move between threads, a pool shares a file database,
//! and a connection that cannot be trusted is not handed out again.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::r2d2::{ConnectionManager, CustomizeConnection, ManagerError, Pool};
use quarry::sqlite::SqliteConnection;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn temp_db(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("quarry-pool-{}-{name}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn a_connection_moves_to_another_thread() -> TestResult {
    fn is_send<T: Send>(_: &T) {}
    let mut conn = seeded_db();
    is_send(&conn);
    let names = std::thread::spawn(move || users::table.select(users::name).order(users::id).load::<String>(&mut conn))
        .join()
        .expect("the thread ran")?;
    assert_eq!(names, ["Ann", "Bo", "Cy"]);
    Ok(())
}

#[test]
fn threads_share_a_file_database_through_the_pool() -> TestResult {
    let path = temp_db("share");
    let pool = Pool::builder().max_size(3).build(ConnectionManager::<SqliteConnection>::new(path.to_str().unwrap()))?;
    pool.get()?.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    let workers: Vec<_> = (0..6)
        .map(|i| {
            let pool = pool.clone();
            std::thread::spawn(move || -> quarry::result::QueryResult<usize> {
                let mut conn = pool.get().expect("a pooled connection");
                quarry::insert_into(users::table).values(users::name.eq(format!("user {i}"))).execute(&mut *conn)
            })
        })
        .collect();
    for w in workers {
        assert_eq!(w.join().expect("the thread ran")?, 1);
    }
    let count: i64 = users::table.select(quarry::dsl::count_star()).get_result(&mut *pool.get()?)?;
    assert_eq!(count, 6);
    assert!(pool.state().connections <= 3);
    drop(pool);
    let _ = std::fs::remove_file(&path);
    Ok(())
}

#[test]
fn a_bad_url_is_an_error_naming_it() {
    let manager = ConnectionManager::<SqliteConnection>::new("/no/such/dir/db.sqlite");
    let err = r2d2::ManageConnection::connect(&manager).expect_err("cannot open");
    assert!(matches!(err, ManagerError::Connection(_)));
    assert!(err.to_string().contains("/no/such/dir/db.sqlite"), "{err}");
}

#[derive(Debug)]
struct TestTransaction;

impl CustomizeConnection<SqliteConnection, ManagerError> for TestTransaction {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), ManagerError> {
        conn.begin_test_transaction().map_err(ManagerError::Query)
    }
}

#[test]
fn a_pool_of_test_transactions_keeps_its_connection_and_commits_nothing() -> TestResult {
    let path = temp_db("test-tx");
    {
        let mut setup = SqliteConnection::establish(path.to_str().unwrap())?;
        setup.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))?;
    }
    let pool = Pool::builder()
        .max_size(1)
        .connection_customizer(Box::new(TestTransaction))
        .build(ConnectionManager::<SqliteConnection>::new(path.to_str().unwrap()))?;
    quarry::insert_into(users::table).values(users::name.eq("Ann")).execute(&mut *pool.get()?)?;
    // The same connection comes back (not dropped as broken), still inside its test transaction.
    let seen: i64 = users::table.select(quarry::dsl::count_star()).get_result(&mut *pool.get()?)?;
    assert_eq!(seen, 1);
    drop(pool);
    let mut after = SqliteConnection::establish(path.to_str().unwrap())?;
    let kept: i64 = users::table.select(quarry::dsl::count_star()).get_result(&mut after)?;
    assert_eq!(kept, 0, "nothing was committed");
    let _ = std::fs::remove_file(&path);
    Ok(())
}

#[test]
fn a_connection_returned_inside_a_raw_transaction_is_not_handed_out_again() -> TestResult {
    let path = temp_db("raw-begin");
    let pool = Pool::builder().max_size(1).build(ConnectionManager::<SqliteConnection>::new(path.to_str().unwrap()))?;
    pool.get()?.batch_execute("CREATE TABLE t (x INTEGER); BEGIN; INSERT INTO t VALUES (1);")?;
    let mut next = pool.get()?;
    assert!(!next.is_in_transaction(), "a fresh connection replaced the one left in a transaction");
    let rows: i64 = quarry::sql_query("SELECT count(*) AS n FROM t").load::<Count>(&mut *next)?[0].n;
    assert_eq!(rows, 0, "the abandoned transaction was not committed");
    drop(next);
    drop(pool);
    let _ = std::fs::remove_file(&path);
    Ok(())
}

#[derive(QueryableByName)]
struct Count {
    #[quarry(sql_type = quarry::sql_types::BigInt)]
    n: i64,
}
