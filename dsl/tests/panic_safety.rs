//! A panic while rows are decoded (caught by a web framework, a thread pool or `catch_unwind`) leaves the
//! connection as good as new: every statement path resets its statement however it is left, so the next
//! run of the same query returns every row, sees other connections' commits and holds no lock.

mod common;

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::*;
use quarry::deserialize::{DeserializeResult, FromSql};
use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sql_types::Integer;
use quarry::sqlite::{Sqlite, SqliteConnection};

thread_local! {
    /// The id whose decoding panics; `None` decodes every id.
    static PANIC_ON: Cell<Option<i32>> = const { Cell::new(None) };
}

/// An id whose decoding panics on the id in `PANIC_ON`, like a user's conversion with a bug in it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fragile(i32);

impl FromSql<Integer, Sqlite> for Fragile {
    fn from_sql(value: quarry::sqlite::SqliteValue<'_>) -> DeserializeResult<Self> {
        let id = <i32 as FromSql<Integer, Sqlite>>::from_sql(value)?;
        if PANIC_ON.with(Cell::get) == Some(id) {
            panic!("a row conversion panicked on id {id}");
        }
        Ok(Fragile(id))
    }
}

// Marks `Fragile` as one column's value, so it reads wherever an `i32` would.
impl quarry::deserialize::SingleField for Fragile {}

#[derive(Debug, PartialEq, Queryable, QueryableByName)]
struct UserId {
    #[quarry(sql_type = Integer)]
    id: Fragile,
}

/// Runs `f` with decoding panicking on `id`, and checks that it did panic.
fn panicking_on<T>(id: i32, f: impl FnOnce() -> T) {
    PANIC_ON.with(|p| p.set(Some(id)));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    PANIC_ON.with(|p| p.set(None));
    assert!(outcome.is_err(), "the decoding of id {id} was expected to panic");
}

/// A file database with five users, and a second connection to it.
struct TwoConnections {
    conn: SqliteConnection,
    other: SqliteConnection,
    path: std::path::PathBuf,
}

impl Drop for TwoConnections {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

fn two_connections(name: &str) -> TwoConnections {
    let path = std::env::temp_dir().join(format!("quarry-panic-{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let url = path.to_str().expect("a UTF-8 temp path");
    let mut conn = SqliteConnection::establish(url).expect("open the file");
    conn.batch_execute("PRAGMA journal_mode = WAL").expect("WAL");
    conn.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql")).expect("schema");
    conn.batch_execute("INSERT INTO users (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')")
        .expect("seed");
    let mut other = SqliteConnection::establish(url).expect("open the file again");
    other.set_busy_timeout(0).expect("no waiting: a held lock must show at once");
    TwoConnections { conn, other, path }
}

/// After the panic, the same query on the same connection reads every row, a row another connection
/// committed since is seen (no old read snapshot kept), and the other connection can write (no lock kept).
fn check_connection_is_clean(db: &mut TwoConnections, ids: impl Fn(&mut SqliteConnection) -> QueryResult<Vec<i32>>) {
    let before = ids(&mut db.conn).expect("the query runs again after the panic");
    db.other.batch_execute("INSERT INTO users (id, name) VALUES (6, 'f')").expect("no lock is left behind");
    let after = ids(&mut db.conn).expect("the query runs a third time");
    assert_eq!(
        after.len(),
        before.len() + 1,
        "a row committed by another connection is seen: {before:?} then {after:?}"
    );
    assert!(after.contains(&6));
}

#[test]
fn load_after_a_panicking_row_returns_every_row() {
    let mut db = two_connections("load");
    let query = || users::table.select((users::id,)).order(users::id);
    panicking_on(3, || query().load::<UserId>(&mut db.conn));
    let ids =
        |conn: &mut SqliteConnection| Ok(query().load::<UserId>(conn)?.into_iter().map(|f| f.id.0).collect::<Vec<_>>());
    assert_eq!(ids(&mut db.conn).unwrap(), [1, 2, 3, 4, 5]);
    check_connection_is_clean(&mut db, ids);
}

#[test]
fn load_with_binds_after_a_panicking_row_runs_again() {
    let mut db = two_connections("binds");
    let query = || users::table.select((users::id,)).filter(users::id.gt(0)).order(users::id);
    panicking_on(2, || query().load::<UserId>(&mut db.conn));
    let ids = |conn: &mut SqliteConnection| Ok(query().load::<UserId>(conn)?.into_iter().map(|f| f.id.0).collect());
    check_connection_is_clean(&mut db, ids);
}

#[test]
fn get_result_first_and_get_results_after_a_panic() {
    let mut db = two_connections("get");
    panicking_on(1, || users::table.select((users::id,)).order(users::id).first::<UserId>(&mut db.conn));
    panicking_on(1, || users::table.select((users::id,)).filter(users::id.eq(1)).get_result::<UserId>(&mut db.conn));
    panicking_on(4, || users::table.select((users::id,)).order(users::id).get_results::<UserId>(&mut db.conn));
    assert_eq!(
        users::table.select((users::id,)).order(users::id).first::<UserId>(&mut db.conn).unwrap().id,
        Fragile(1)
    );
    assert_eq!(
        users::table.select((users::id,)).filter(users::id.eq(1)).get_result::<UserId>(&mut db.conn).unwrap().id,
        Fragile(1)
    );
    let ids = |conn: &mut SqliteConnection| {
        Ok(users::table
            .select((users::id,))
            .order(users::id)
            .get_results::<UserId>(conn)?
            .into_iter()
            .map(|f| f.id.0)
            .collect())
    };
    check_connection_is_clean(&mut db, ids);
}

#[test]
fn returning_after_a_panic_keeps_no_write_lock() {
    let mut db = two_connections("returning");
    panicking_on(2, || {
        quarry::update(users::table)
            .set(users::name.eq("x"))
            .returning((users::id,))
            .get_results::<UserId>(&mut db.conn)
    });
    // The UPDATE's write lock is gone: another connection writes at once (busy timeout 0).
    db.other.batch_execute("UPDATE users SET name = 'y' WHERE id = 5").expect("the write lock was released");
    let names: Vec<String> = users::table.select(users::name).order(users::id).load(&mut db.conn).unwrap();
    assert_eq!(names[4], "y");
    let ids = |conn: &mut SqliteConnection| {
        Ok(quarry::update(users::table)
            .set(users::name.eq("z"))
            .returning((users::id,))
            .get_results::<UserId>(conn)?
            .into_iter()
            .map(|f| f.id.0)
            .collect())
    };
    check_connection_is_clean(&mut db, ids);
}

#[test]
fn sql_query_after_a_panic_reads_every_row() {
    let mut db = two_connections("sql_query");
    let query = || quarry::sql_query("SELECT id FROM users WHERE id > ? ORDER BY id").bind::<Integer, _>(0);
    panicking_on(3, || query().load::<UserId>(&mut db.conn));
    let ids = |conn: &mut SqliteConnection| Ok(query().load::<UserId>(conn)?.into_iter().map(|u| u.id.0).collect());
    assert_eq!(ids(&mut db.conn).unwrap(), [1, 2, 3, 4, 5]);
    check_connection_is_clean(&mut db, ids);
}

#[test]
fn load_iter_after_a_panic_reads_every_row() {
    let mut db = two_connections("load_iter");
    let query = || users::table.select((users::id,)).order(users::id);
    panicking_on(2, || {
        for row in query().load_iter::<UserId>(&mut db.conn).unwrap() {
            row.unwrap();
        }
    });
    let ids = |conn: &mut SqliteConnection| {
        query().load_iter::<UserId>(conn)?.map(|r| r.map(|f| f.id.0)).collect::<QueryResult<Vec<_>>>()
    };
    assert_eq!(ids(&mut db.conn).unwrap(), [1, 2, 3, 4, 5]);
    check_connection_is_clean(&mut db, ids);
}

#[derive(Debug, Clone, Queryable, Identifiable)]
#[quarry(table_name = users)]
struct Author {
    id: i32,
    #[allow(dead_code)] // read to fill the row, as an application would
    name: String,
    #[allow(dead_code)]
    hair_color: Option<String>,
}

#[derive(Debug, Queryable, Selectable, Associations)]
#[allow(dead_code)] // the fields are read to fill the row, as an application would
#[quarry(table_name = posts, belongs_to(Author, foreign_key = user_id))]
struct FragilePost {
    #[quarry(sql_type = Integer)]
    id: Fragile,
    user_id: i32,
    title: String,
    body: Option<String>,
    published: bool,
}

#[test]
fn eager_loading_after_a_panic_loads_every_child() {
    let mut db = two_connections("eager");
    db.conn
        .batch_execute(
            "INSERT INTO posts (id, user_id, title, published) VALUES (1, 1, 'a', 1), (2, 1, 'b', 1), (3, 2, 'c', 1)",
        )
        .unwrap();
    let authors: Vec<Author> = users::table.order(users::id).load(&mut db.conn).unwrap();
    panicking_on(2, || -> QueryResult<Vec<(Author, Vec<FragilePost>)>> {
        authors.clone().with_children(&mut db.conn, |q| q.order(posts::id))
    });
    let loaded: Vec<(Author, Vec<FragilePost>)> = authors.with_children(&mut db.conn, |q| q.order(posts::id)).unwrap();
    let counts: Vec<usize> = loaded.iter().map(|(_, posts)| posts.len()).collect();
    assert_eq!(counts, [2, 1, 0, 0, 0]);
}
