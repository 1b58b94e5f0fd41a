//! The instrumentation hook on every backend: each statement started and finished with its SQL, binds,
//! rows, duration and error, whether it was prepared or found in the cache, transactions begun and ended,
//! `load_iter` reported when its rows end, and the hook kept through a panic in a row's conversion.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::backends::BackendSql;
use common::*;
use quarry::connection::instrumentation::{Event, slow_statements};
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error, QueryResult};

/// What a hook saw, one line per event.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn hook(&self) -> impl FnMut(&Event<'_>) + Send + 'static {
        let log = self.0.clone();
        move |event: &Event<'_>| {
            let line = match event {
                Event::StatementStarted { sql, binds, prepared } => {
                    format!("start {sql} [{binds}] {}", if *prepared { "prepared" } else { "cached" })
                }
                Event::StatementFinished { sql, rows, error, .. } => match error {
                    Some(e) => format!("fail {sql}: {e}"),
                    None => format!("done {sql} -> {rows}"),
                },
                Event::TransactionBegun { depth } => format!("begin {depth}"),
                Event::TransactionCommitted { depth } => format!("commit {depth}"),
                Event::TransactionRolledBack { depth } => format!("rollback {depth}"),
                other => format!("{other:?}"),
            };
            log.lock().unwrap().push(line);
        }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

on_every_backend! {
    fn each_statement_is_seen_with_its_sql_binds_rows_and_whether_it_was_prepared(conn) {
        let seen = Seen::default();
        conn.set_instrumentation(seen.hook());
        let q = || users::table.filter(users::id.gt(1)).select(users::name);
        let names: Vec<String> = q().load(conn)?;
        assert_eq!(names.len(), 2);
        let _: Vec<String> = q().load(conn)?;
        let sql = conn.sql_of(&q());
        assert_eq!(
            seen.take(),
            [
                format!("start {sql} [1] prepared"),
                format!("done {sql} -> 2"),
                format!("start {sql} [1] cached"),
                format!("done {sql} -> 2"),
            ]
        );
        let changed = quarry::update(users::table.filter(users::id.le(2))).set(users::name.eq("x")).execute(conn)?;
        assert_eq!(changed, 2);
        let lines = seen.take();
        assert!(lines.len() == 2 && lines[1].starts_with("done UPDATE") && lines[1].ends_with("-> 2"), "{lines:?}");
        // A failure: the error, the SQL it came from.
        // (In a savepoint: on PostgreSQL a failure ends the test's transaction otherwise.)
        let err = conn
            .transaction(|c| quarry::insert_into(users::table).values((users::id.eq(1), users::name.eq("dup"))).execute(c))
            .unwrap_err();
        assert!(matches!(err, Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)), "{err}");
        let lines = seen.take();
        assert!(lines.iter().any(|l| l.starts_with("fail INSERT INTO") && l.contains("users")), "{lines:?}");
        // The hook can be taken back: nothing more is seen.
        assert!(conn.take_instrumentation().is_some());
        let _: i64 = users::table.count().get_result(conn)?;
        assert!(seen.take().is_empty());
        Ok(())
    }

    fn transactions_are_seen_begun_and_ended_at_their_depth(conn) {
        let seen = Seen::default();
        conn.set_instrumentation(seen.hook());
        conn.transaction(|conn| {
            quarry::delete(comments::table).execute(conn)?;
            let inner: QueryResult<()> = conn.transaction(|_| Err(Error::RollbackTransaction));
            assert!(inner.is_err());
            Ok::<_, Error>(())
        })?;
        let events: Vec<String> = seen.take().into_iter().filter(|l| !l.starts_with("start") && !l.starts_with("done")).collect();
        // Inside the test transaction on PostgreSQL, so a level deeper there.
        let base = u32::from(conn.is_postgres());
        assert_eq!(
            events,
            [
                format!("begin {}", base + 1),
                format!("begin {}", base + 2),
                format!("rollback {}", base + 2),
                format!("commit {}", base + 1),
            ]
        );
        Ok(())
    }

    fn load_iter_is_seen_finished_when_its_rows_end_or_it_is_dropped(conn) {
        let seen = Seen::default();
        conn.set_instrumentation(seen.hook());
        let all: Vec<String> = users::table.select(users::name).load_iter(conn)?.collect::<QueryResult<_>>()?;
        assert_eq!(all.len(), 3);
        let lines = seen.take();
        assert!(lines.len() == 2 && lines[1].ends_with("-> 3"), "{lines:?}");
        // Dropped after one row: finished then, one row read.
        {
            let mut rows = users::table.select(users::name).load_iter::<String>(conn)?;
            assert!(rows.next().is_some());
        }
        let lines = seen.take();
        assert!(lines.len() == 2 && lines[1].ends_with("-> 1"), "{lines:?}");
        // The hook is back on the connection.
        let _: i64 = users::table.count().get_result(conn)?;
        assert_eq!(seen.take().len(), 2);
        Ok(())
    }

    fn a_panic_in_a_row_s_conversion_keeps_the_hook(conn) {
        let seen = Seen::default();
        conn.set_instrumentation(seen.hook());
        #[derive(Debug)]
        struct Boom;
        impl quarry::deserialize::FromSqlRow<quarry::sql_types::Text, quarry::sqlite::Sqlite> for Boom {
            fn build_from_row<R: quarry::deserialize::Row<quarry::sqlite::Sqlite>>(_: &mut quarry::deserialize::RowReader<'_, R>) -> QueryResult<Self> {
                panic!("boom")
            }
        }
        impl quarry::deserialize::FromSqlRow<quarry::sql_types::Text, quarry::pg::Pg> for Boom {
            fn build_from_row<R: quarry::deserialize::Row<quarry::pg::Pg>>(_: &mut quarry::deserialize::RowReader<'_, R>) -> QueryResult<Self> {
                panic!("boom")
            }
        }
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = users::table.select(users::name).load::<Boom>(conn);
        }));
        assert!(panicked.is_err());
        seen.take();
        let _: i64 = users::table.count().get_result(conn)?;
        assert_eq!(seen.take().len(), 2, "the hook still reports");
        Ok(())
    }

    fn slow_statements_reports_those_over_the_threshold_and_the_failed(conn) {
        let slow = Arc::new(Mutex::new(Vec::new()));
        let log = slow.clone();
        conn.set_instrumentation(slow_statements(Duration::from_secs(3600), move |sql, _, error| {
            log.lock().unwrap().push((sql.to_owned(), error.is_some()));
        }));
        let _: i64 = users::table.count().get_result(conn)?;
        assert!(slow.lock().unwrap().is_empty(), "nothing takes an hour");
        let _ = quarry::sql_query("SELECT * FROM no_such_table").execute(conn);
        assert_eq!(*slow.lock().unwrap(), [("SELECT * FROM no_such_table".to_owned(), true)]);
        Ok(())
    }
}

#[test]
fn batch_execute_reports_each_statement_of_the_text_on_sqlite() {
    let seen = Seen::default();
    let mut conn = empty_db();
    conn.set_instrumentation(seen.hook());
    conn.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2); SELECT x FROM t").unwrap();
    assert_eq!(
        seen.take(),
        [
            "start CREATE TABLE t (x INTEGER); [0] prepared",
            "done CREATE TABLE t (x INTEGER); -> 0",
            "start INSERT INTO t VALUES (1), (2); [0] prepared",
            "done INSERT INTO t VALUES (1), (2); -> 2",
            "start SELECT x FROM t [0] prepared",
            "done SELECT x FROM t -> 2",
        ]
    );
    let err = conn.batch_execute("SELEC 1").unwrap_err();
    assert_eq!(seen.take(), [format!("fail SELEC 1: {err}")]);
}

#[test]
fn a_panic_in_a_row_s_conversion_reports_the_statement_failed() {
    let seen = Seen::default();
    let mut conn = seeded_db();
    conn.set_instrumentation(seen.hook());
    struct Boom;
    impl quarry::deserialize::FromSqlRow<quarry::sql_types::Text, quarry::sqlite::Sqlite> for Boom {
        fn build_from_row<R: quarry::deserialize::Row<quarry::sqlite::Sqlite>>(
            _: &mut quarry::deserialize::RowReader<'_, R>,
        ) -> QueryResult<Self> {
            panic!("boom")
        }
    }
    for iter in [false, true] {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if iter {
                let _ = users::table.select(users::name).load_iter::<Boom>(&mut conn).unwrap().next();
            } else {
                let _ = users::table.select(users::name).load::<Boom>(&mut conn);
            }
        }));
        let lines = seen.take();
        assert!(lines.len() == 2 && lines[1].starts_with("fail SELECT") && lines[1].contains("panic"), "{lines:?}");
    }
}
