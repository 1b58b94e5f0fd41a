//! PostgreSQL only: exchanges with the server cut short — a panic in a row's decoding, an iterator dropped
//! after one row, a server error in the middle of a portal, a backend terminated while rows stream — each
//! leaves the connection usable (or reports it gone), never out of step with the server. Run when
//! `PG_DATABASE_URL` is set.

mod common;

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::backends::pg_db;
use quarry::deserialize::{DeserializeResult, FromSql};
use quarry::pg::{Pg, PgConnection, PgValue};
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error, QueryResult};
use quarry::sql_types::{BigInt, Integer, Text};

thread_local! {
    static PANIC_ON: Cell<Option<i32>> = const { Cell::new(None) };
}

/// An integer whose decoding panics on the value in `PANIC_ON`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fragile(i32);

impl FromSql<Integer, Pg> for Fragile {
    fn from_sql(value: PgValue<'_>) -> DeserializeResult<Self> {
        let n = <i32 as FromSql<Integer, Pg>>::from_sql(value)?;
        if PANIC_ON.with(Cell::get) == Some(n) {
            panic!("a row conversion panicked on {n}");
        }
        Ok(Fragile(n))
    }
}

impl quarry::deserialize::SingleField for Fragile {}

#[derive(Debug, QueryableByName)]
struct N {
    #[quarry(sql_type = Integer)]
    n: Fragile,
}

/// `1..=to`, one statement for every `to` (prepared once: a later run does not prepare, which would
/// read past what an earlier exchange left).
macro_rules! series {
    ($to:expr) => {
        quarry::sql_query("SELECT n::int4 AS n FROM generate_series(1, $1) AS n").bind::<Integer, _>($to)
    };
}

fn panicking_on<T>(n: i32, f: impl FnOnce() -> T) {
    PANIC_ON.with(|p| p.set(Some(n)));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    PANIC_ON.with(|p| p.set(None));
    assert!(outcome.is_err(), "the decoding of {n} was expected to panic");
}

fn count(conn: &mut PgConnection, to: i32) -> QueryResult<usize> {
    Ok(series!(to).load::<N>(conn)?.len())
}

#[test]
fn a_panic_while_rows_are_read_leaves_the_connection_in_step() {
    let Some(mut conn) = pg_db() else { return };
    panicking_on(10, || series!(5_000).load::<N>(&mut conn));
    assert_eq!(count(&mut conn, 5_000).unwrap(), 5_000);
    panicking_on(10, || series!(100_000).load_iter::<N>(&mut conn).map(|it| it.count()));
    assert_eq!(count(&mut conn, 3).unwrap(), 3);
    // The test transaction (and its schema) survived both.
    assert!(conn.is_in_transaction());
    conn.batch_execute("SELECT count(*) FROM users").expect("the test's schema is still there");
}

#[test]
fn an_iterator_dropped_early_ends_its_portal() {
    let Some(mut conn) = pg_db() else { return };
    let first: Vec<i32> =
        series!(1_000_000).load_iter::<N>(&mut conn).unwrap().take(3).map(|r| r.unwrap().n.0).collect();
    assert_eq!(first, [1, 2, 3]);
    assert_eq!(count(&mut conn, 10).unwrap(), 10);
    // Two iterators one after the other, each over more rows than a slice.
    for _ in 0..2 {
        let mut rows = series!(5_000).load_iter::<N>(&mut conn).unwrap();
        assert_eq!(rows.nth(4_999).unwrap().unwrap().n.0, 5_000);
        assert!(rows.next().is_none());
    }
    assert!(conn.is_in_transaction());
}

#[test]
fn every_row_of_a_long_portal_arrives_in_order() {
    let Some(mut conn) = pg_db() else { return };
    let mut expected = 1;
    for row in series!(300_000).load_iter::<N>(&mut conn).unwrap() {
        assert_eq!(row.unwrap().n.0, expected);
        expected += 1;
    }
    assert_eq!(expected, 300_001);
}

#[test]
fn a_server_error_inside_a_portal_is_returned_after_the_rows_before_it() {
    let Some(mut conn) = pg_db() else { return };
    conn.batch_execute("SAVEPOINT before_error").unwrap();
    let rows: Vec<QueryResult<N>> =
        quarry::sql_query("SELECT (10000 / (5000 - n))::int4 AS n FROM generate_series(1, 6000) AS n")
            .load_iter::<N>(&mut conn)
            .unwrap()
            .collect();
    assert_eq!(rows.len(), 5_000, "4,999 rows, then the error, then nothing");
    assert!(rows[..4_999].iter().all(Result::is_ok));
    let err = rows[4_999].as_ref().unwrap_err();
    assert!(err.to_string().contains("division by zero"), "{err}");
    // The block failed (the server says so); rolled back to the savepoint, it goes on.
    conn.batch_execute("ROLLBACK TO SAVEPOINT before_error").unwrap();
    assert_eq!(count(&mut conn, 7).unwrap(), 7);
}

#[test]
fn values_larger_than_the_receive_buffer_read_whole() {
    let Some(mut conn) = pg_db() else { return };
    #[derive(QueryableByName)]
    struct Big {
        #[quarry(sql_type = Text)]
        text: String,
        #[quarry(sql_type = BigInt)]
        len: i64,
    }
    let big: Vec<Big> =
        quarry::sql_query("SELECT repeat('ab', 5000000) AS text, 10000000::int8 AS len").load(&mut conn).unwrap();
    assert_eq!(big[0].text.len() as i64, big[0].len);
    assert!(big[0].text.bytes().enumerate().all(|(i, b)| b == if i % 2 == 0 { b'a' } else { b'b' }));
    assert_eq!(count(&mut conn, 100).unwrap(), 100);
}

#[test]
fn a_backend_terminated_while_rows_stream_is_a_closed_connection() {
    let Some(mut conn) = pg_db() else { return };
    let url = std::env::var("PG_DATABASE_URL").unwrap();
    let mut killer = PgConnection::establish(&url).unwrap();
    #[derive(QueryableByName)]
    struct Pid {
        #[quarry(sql_type = Integer)]
        pid: i32,
    }
    let pid = quarry::sql_query("SELECT pg_backend_pid() AS pid").load::<Pid>(&mut conn).unwrap()[0].pid;
    let mut rows = series!(10_000_000).load_iter::<N>(&mut conn).unwrap();
    assert_eq!(rows.next().unwrap().unwrap().n.0, 1);
    killer.batch_execute(&format!("SELECT pg_terminate_backend({pid})")).unwrap();
    let failure = rows.find_map(Result::err).expect("the rows stop with an error");
    assert!(matches!(failure, Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)), "{failure:?}");
    drop(rows);
    let next = count(&mut conn, 1).unwrap_err();
    assert!(matches!(next, Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)), "{next:?}");
}

#[test]
fn a_unix_socket_connects_when_the_server_has_one() {
    let Some(mut tcp) = pg_db() else { return };
    let dir = "/var/run/postgresql";
    if !std::path::Path::new(dir).join(".s.PGSQL.5432").exists() {
        return;
    }
    let url = std::env::var("PG_DATABASE_URL").unwrap();
    let db = url.rsplit('/').next().unwrap_or("test").split('?').next().unwrap_or("test").to_owned();
    let mut conn = PgConnection::establish(&format!("host={dir} user=postgres dbname={db}")).unwrap();
    assert_eq!(count(&mut conn, 4).unwrap(), 4);
    assert_eq!(count(&mut tcp, 4).unwrap(), 4);
}

/// `COPY .. FROM STDIN` run as plain SQL (not through `copy_from`): the server would wait for rows while
/// the client waits for its reply. Each way of running it is an error, and the connection goes on.
#[test]
fn copy_from_stdin_as_plain_sql_is_refused_without_hanging() {
    let Some(mut conn) = pg_db() else { return };
    conn.batch_execute("SAVEPOINT before").unwrap();
    let refused = |e: &Error| e.to_string().contains("copy_from");
    let err = conn.batch_execute("COPY users (name) FROM STDIN").unwrap_err();
    assert!(refused(&err), "{err}");
    conn.batch_execute("ROLLBACK TO SAVEPOINT before").unwrap();
    let err = quarry::sql_query("COPY users (name) FROM STDIN").execute(&mut conn).unwrap_err();
    assert!(refused(&err), "{err}");
    conn.batch_execute("ROLLBACK TO SAVEPOINT before").unwrap();
    let mut rows = quarry::sql_query("COPY users (name) FROM STDIN").load_iter::<N>(&mut conn).unwrap();
    let err = rows.next().expect("an error, not the end").unwrap_err();
    assert!(refused(&err), "{err}");
    drop(rows);
    conn.batch_execute("ROLLBACK TO SAVEPOINT before").unwrap();
    assert_eq!(count(&mut conn, 5).unwrap(), 5);
}
