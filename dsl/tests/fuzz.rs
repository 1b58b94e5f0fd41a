//! Property tests run as fuzzers with a bounded number of cases (`PROPTEST_CASES` raises it for a
//! longer run): row decoding of every SQL type from every storage class, `sql_query` text and binds, and
//! migration folders. Whatever the input: no panic, an `Err` where the input is bad, the right value
//! where it is good, and a connection that still works afterwards.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use quarry::migration::{FileMigrations, MigrationHarness};
use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::sql_query;
use quarry::sql_types::{BigInt, Binary, Double, Integer, Nullable, Text};
use quarry::sqlite::SqliteConnection;

/// `default` cases, or `PROPTEST_CASES` for a longer fuzzing run.
fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default);
    Config { cases, failure_persistence: None, ..Config::default() }
}

/// One value as SQLite stores it.
#[derive(Debug, Clone)]
enum Stored {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

fn stored() -> impl Strategy<Value = Stored> {
    let texts = prop_oneof![
        any::<String>(),
        // Text that looks like what the readers parse: numbers, dates, times, JSON, with noise.
        "[-+ ]?[0-9]{1,20}(\\.[0-9]{0,20})?(e[-+]?[0-9]{1,4})?",
        "[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,12})?)?Z?)?",
        "[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?(\\.[0-9]{0,12})?",
        "(\\{|\\[|\"|null|true|false|[0-9]|,|:|\\}|\\]| |\\\\|\u{0})*",
    ];
    prop_oneof![
        Just(Stored::Null),
        any::<i64>().prop_map(Stored::Int),
        prop_oneof![-1e6..1e6, any::<f64>(), Just(f64::INFINITY), Just(f64::MIN_POSITIVE)].prop_map(Stored::Real),
        texts.prop_map(Stored::Text),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Stored::Blob),
        // JSONB-looking blobs: a header byte of every element type, then anything.
        (any::<u8>(), prop::collection::vec(any::<u8>(), 0..16)).prop_map(|(h, mut rest)| {
            rest.insert(0, h);
            Stored::Blob(rest)
        }),
    ]
}

quarry::table! {
    #[sql_name = "cells"]
    as_int (id) { id -> Integer, v -> Nullable<Integer>, }
}
quarry::table! {
    #[sql_name = "cells"]
    as_any (id) {
        id -> Integer,
        #[sql_name = "v"] small -> Nullable<SmallInt>,
        #[sql_name = "v"] big -> Nullable<BigInt>,
        #[sql_name = "v"] flag -> Nullable<Bool>,
        #[sql_name = "v"] single -> Nullable<Float>,
        #[sql_name = "v"] double -> Nullable<Double>,
        #[sql_name = "v"] text -> Nullable<Text>,
        #[sql_name = "v"] bytes -> Nullable<Binary>,
        #[sql_name = "v"] json -> Nullable<Json>,
        #[sql_name = "v"] date -> Nullable<Date>,
        #[sql_name = "v"] time -> Nullable<Time>,
        #[sql_name = "v"] stamp -> Nullable<Timestamp>,
    }
}

fn cells_db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    // No declared type: SQLite keeps each value in the storage class it was bound with.
    conn.batch_execute("CREATE TABLE cells (id INTEGER PRIMARY KEY, v)").expect("schema");
    conn
}

fn store(conn: &mut SqliteConnection, value: &Stored) -> QueryResult<()> {
    conn.batch_execute("DELETE FROM cells")?;
    let insert = "INSERT INTO cells (id, v) VALUES (1, ?)";
    match value {
        Stored::Null => sql_query(insert).bind::<Nullable<Integer>, _>(None::<i32>).execute(conn),
        Stored::Int(v) => sql_query(insert).bind::<BigInt, _>(*v).execute(conn),
        Stored::Real(v) => sql_query(insert).bind::<Double, _>(*v).execute(conn),
        Stored::Text(v) => sql_query(insert).bind::<Text, _>(v.as_str()).execute(conn),
        Stored::Blob(v) => sql_query(insert).bind::<Binary, _>(v.as_slice()).execute(conn),
    }
    .map(drop)
}

#[test]
fn decoding_every_sql_type_from_every_storage_class_never_panics_and_is_exact() {
    // The runner takes a `Fn`: the connection is borrowed anew in each case.
    let cell = std::cell::RefCell::new(cells_db());
    let mut runner = TestRunner::new(cases(1_000));
    runner
        .run(&stored(), |value| {
            let mut guard = cell.borrow_mut();
            let conn = &mut *guard;
            store(conn, &value).map_err(|e| TestCaseError::fail(format!("storing {value:?}: {e}")))?;
            // Integers: exact when the stored integer fits, an Err otherwise (never a wrapped value).
            let int: QueryResult<Option<i32>> = as_int::table.select(as_int::v).first(conn);
            let small: QueryResult<Option<i16>> = as_any::table.select(as_any::small).first(conn);
            let big: QueryResult<Option<i64>> = as_any::table.select(as_any::big).first(conn);
            if let Stored::Int(v) = value {
                prop_assert_eq!(int.as_ref().ok().copied().flatten(), i32::try_from(v).ok());
                prop_assert_eq!(small.as_ref().ok().copied().flatten(), i16::try_from(v).ok());
                prop_assert_eq!(big.as_ref().ok().copied().flatten(), Some(v));
            }
            let double: QueryResult<Option<f64>> = as_any::table.select(as_any::double).first(conn);
            if let Stored::Real(v) = value {
                // SQLite stores NaN as NULL.
                let expected = if v.is_nan() { None } else { Some(v.to_bits()) };
                prop_assert_eq!(double.as_ref().ok().copied().flatten().map(f64::to_bits), expected);
            }
            let text: QueryResult<Option<String>> = as_any::table.select(as_any::text).first(conn);
            if let Stored::Text(v) = &value {
                prop_assert_eq!(text.as_ref().ok().and_then(Option::as_ref), Some(v));
            }
            let bytes: QueryResult<Option<Vec<u8>>> = as_any::table.select(as_any::bytes).first(conn);
            if let Stored::Blob(v) = &value {
                prop_assert_eq!(bytes.as_ref().ok().and_then(Option::as_ref), Some(v));
            }
            // The rest must only be an `Ok` or an `Err` (a panic fails the run); each `Err` names the column.
            let results: Vec<Result<(), Error>> = vec![
                as_any::table.select(as_any::flag).first::<Option<bool>>(conn).map(drop),
                as_any::table.select(as_any::single).first::<Option<f32>>(conn).map(drop),
                as_any::table.select(as_any::json).first::<Option<String>>(conn).map(drop),
                as_any::table.select(as_any::json).first::<Option<serde_json::Value>>(conn).map(drop),
                as_any::table.select(as_any::date).first::<Option<chrono::NaiveDate>>(conn).map(drop),
                as_any::table.select(as_any::time).first::<Option<chrono::NaiveTime>>(conn).map(drop),
                as_any::table.select(as_any::stamp).first::<Option<chrono::NaiveDateTime>>(conn).map(drop),
                as_any::table.select(as_any::date).first::<Option<time::Date>>(conn).map(drop),
                as_any::table.select(as_any::time).first::<Option<time::Time>>(conn).map(drop),
                as_any::table.select(as_any::stamp).first::<Option<time::PrimitiveDateTime>>(conn).map(drop),
                int.map(drop),
                small.map(drop),
                big.map(drop),
                double.map(drop),
                text.map(drop),
                bytes.map(drop),
            ];
            for result in results {
                if let Err(e) = result {
                    prop_assert!(matches!(e, Error::DeserializationError(_)), "{value:?}: {e}");
                    prop_assert!(e.to_string().contains("`v`"), "the error names the column: {e}");
                }
            }
            // A NULL reads as `None` everywhere.
            if let Stored::Null = value {
                prop_assert_eq!(
                    as_any::table.select(as_any::stamp).first::<Option<chrono::NaiveDateTime>>(conn).ok(),
                    Some(None)
                );
            }
            Ok(())
        })
        .unwrap();
}

/// SQL-ish text: keywords, names, literals, punctuation, NUL bytes and garbage.
fn sql_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("SELECT".to_owned()),
        Just("INSERT INTO t VALUES (?)".to_owned()),
        Just("DELETE FROM t".to_owned()),
        Just("UPDATE t SET x = x + 1".to_owned()),
        Just("WHERE".to_owned()),
        Just("x".to_owned()),
        Just("t".to_owned()),
        Just("?".to_owned()),
        Just("?1".to_owned()),
        Just(":name".to_owned()),
        Just(";".to_owned()),
        Just(",".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("'it''s'".to_owned()),
        Just("\"t\"".to_owned()),
        Just("--".to_owned()),
        Just("/*".to_owned()),
        Just("*/".to_owned()),
        Just("\0".to_owned()),
        Just("COMMIT".to_owned()),
        Just("BEGIN".to_owned()),
        Just("ROLLBACK".to_owned()),
        Just("DROP TABLE t".to_owned()),
        any::<String>(),
        "[0-9]{1,20}",
    ];
    prop::collection::vec(token, 0..12).prop_map(|tokens| tokens.join(" "))
}

#[test]
fn sql_query_text_and_binds_never_panic_and_leave_the_connection_usable() {
    let cell = std::cell::RefCell::new(SqliteConnection::establish(":memory:").expect("open"));
    let schema = "CREATE TABLE IF NOT EXISTS t (x INTEGER)";
    let mut runner = TestRunner::new(cases(2_000));
    runner
        .run(&(sql_text(), 0usize..4, any::<bool>()), |(text, binds, in_transaction)| {
            let mut guard = cell.borrow_mut();
            let conn = &mut *guard;
            conn.batch_execute(schema).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let run = |conn: &mut SqliteConnection| -> QueryResult<usize> {
                match binds {
                    0 => sql_query(text.as_str()).execute(conn),
                    1 => sql_query(text.as_str()).bind::<Integer, _>(1).execute(conn),
                    2 => sql_query(text.as_str()).bind::<Integer, _>(1).bind::<Text, _>("two").execute(conn),
                    _ => sql_query(text.as_str())
                        .bind::<Integer, _>(1)
                        .bind::<Text, _>("two")
                        .bind::<Double, _>(3.0)
                        .execute(conn),
                }
            };
            let result = if in_transaction {
                let r = conn.transaction(|c| run(c));
                prop_assert!(
                    !conn.is_in_transaction() || text.contains("BEGIN"),
                    "the transaction call ended its transaction"
                );
                r
            } else {
                run(conn)
            };
            let batch = conn.batch_execute(&text);
            if text.contains('\0') {
                prop_assert!(result.is_err() && batch.is_err(), "NUL in {text:?} ran");
            }
            if let Err(e) = &result {
                prop_assert!(!e.to_string().contains("column index out of range"), "{e}");
            }
            // The raw BEGINs the text may have run: the user's to end. Then the connection works.
            if conn.is_in_transaction() {
                conn.batch_execute("ROLLBACK").map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            let one: QueryResult<i32> = quarry::select(1.into_sql::<Integer>()).get_result(conn);
            prop_assert_eq!(one.ok(), Some(1));
            Ok(())
        })
        .unwrap();
}

/// One statement of a migration: good DDL and DML, SQL that fails, and SQL that tries to end the
/// migration's transaction.
fn migration_statement() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u8..6).prop_map(|n| format!("CREATE TABLE m{n} (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")),
        (0u8..6, 0u8..3).prop_map(|(n, v)| format!("INSERT INTO m{n} (v) VALUES ('{v}')")),
        (0u8..6).prop_map(|n| format!("INSERT OR ROLLBACK INTO m{n} (v) VALUES ('0')")),
        (0u8..6).prop_map(|n| format!("DROP TABLE m{n}")),
        (0u8..6).prop_map(|n| format!("CREATE INDEX i{n} ON m{n} (v)")),
        Just("COMMIT".to_owned()),
        Just("ROLLBACK".to_owned()),
        Just("BEGIN".to_owned()),
        Just("END TRANSACTION".to_owned()),
        Just("SAVEPOINT s".to_owned()),
        Just("RELEASE s".to_owned()),
        Just("SELECT 1".to_owned()),
        Just("-- only a comment".to_owned()),
        Just("this is not SQL".to_owned()),
        Just("CREATE TABLE bad (\0)".to_owned()),
    ]
}

#[derive(QueryableByName, Debug, PartialEq)]
struct SchemaRow {
    #[quarry(sql_type = Text)]
    sql: String,
}

fn schema_of(conn: &mut SqliteConnection) -> Vec<SchemaRow> {
    sql_query("SELECT coalesce(sql, name) AS sql FROM sqlite_schema ORDER BY name").load(conn).expect("read the schema")
}

#[test]
fn migration_folders_apply_whole_or_leave_the_database_as_it_was() {
    let dir = std::env::temp_dir().join(format!("quarry-fuzz-migrations-{}", std::process::id()));
    let mut runner = TestRunner::new(cases(300));
    let folders = prop::collection::vec(prop::collection::vec(migration_statement(), 1..6), 1..4);
    runner
        .run(&folders, |folders| {
            let _ = std::fs::remove_dir_all(&dir);
            for (i, statements) in folders.iter().enumerate() {
                let folder = dir.join(format!("2026-01-0{}-000000_m{i}", i + 1));
                std::fs::create_dir_all(&folder).expect("create the folder");
                std::fs::write(folder.join("up.sql"), statements.join(";\n") + ";\n").expect("write up.sql");
            }
            let mut conn = SqliteConnection::establish(":memory:").expect("open");
            conn.applied_migrations().map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Apply one at a time, to see each one's effect.
            for (i, statements) in folders.iter().enumerate() {
                let before = schema_of(&mut conn);
                let applied_before = conn.applied_migrations().map_err(|e| TestCaseError::fail(e.to_string()))?;
                let only = FileMigrations::new(&dir);
                let source = quarry::migration::MigrationSource::migrations(&only)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let listed: Vec<_> = source.into_iter().take(i + 1).collect();
                let result = conn.run_pending_migrations(Listed(listed));
                let applied = conn.applied_migrations().map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(!conn.is_in_transaction(), "a migration left a transaction open");
                match result {
                    Ok(names) => {
                        prop_assert_eq!(names.len(), 1);
                        prop_assert_eq!(applied.len(), applied_before.len() + 1);
                        let ends = statements.iter().any(|s| {
                            let s = s.to_ascii_uppercase();
                            s == "COMMIT" || s == "ROLLBACK" || s == "BEGIN" || s.starts_with("END")
                        });
                        prop_assert!(!ends, "a migration ending its transaction was applied: {statements:?}");
                    }
                    Err(e) => {
                        prop_assert_eq!(&applied, &applied_before, "a failed migration was recorded: {}", e);
                        prop_assert_eq!(
                            schema_of(&mut conn),
                            before,
                            "a failed migration left something behind: {}",
                            e
                        );
                        break;
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fixed list of migrations as a source.
struct Listed(Vec<quarry::migration::Migration>);

impl quarry::migration::MigrationSource for Listed {
    fn migrations(&self) -> Result<Vec<quarry::migration::Migration>, quarry::migration::MigrationError> {
        Ok(self.0.clone())
    }
}

/// A random JSON value.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<i32>().prop_map(|n| serde_json::Value::from(f64::from(n) / 1024.0)),
        (-1e300f64..1e300).prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn jsonb_blobs_sqlite_writes_read_back_as_the_same_json() {
    let cell = std::cell::RefCell::new(cells_db());
    TestRunner::new(cases(500))
        .run(&json_value(), |value| {
            let mut guard = cell.borrow_mut();
            let conn = &mut *guard;
            conn.batch_execute("DELETE FROM cells").map_err(|e| TestCaseError::fail(e.to_string()))?;
            sql_query("INSERT INTO cells (id, v) VALUES (1, jsonb(?))")
                .bind::<Text, _>(value.to_string())
                .execute(conn)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let read: Option<serde_json::Value> =
                as_any::table.select(as_any::json).first(conn).map_err(|e| TestCaseError::fail(e.to_string()))?;
            // What SQLite's own `json()` makes of the blob: the same, number for number. (SQLite's
            // `jsonb()` keeps a real as text it rewrote through a double, so that text, not the
            // original, is the reference.)
            let by_sqlite: Vec<SchemaRow> = sql_query("SELECT json(v) AS sql FROM cells")
                .load(conn)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected: serde_json::Value = serde_json::from_str(&by_sqlite[0].sql).expect("SQLite writes JSON");
            prop_assert_eq!(read.as_ref(), Some(&expected));
            // Everything but reals is exactly what was written.
            if !value.to_string().contains('.') && !value.to_string().contains('e') {
                prop_assert_eq!(read, Some(value));
            }
            Ok(())
        })
        .unwrap();
}
