//! `copy_from(table).from_insertable(&rows)` on PostgreSQL: every type COPY's text format carries, hostile
//! text, NULLs, 100,000 rows in flat memory, all-or-nothing on a refused row, and rows that hold SQL.

mod common;

use common::backends::pg_seeded_db;
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error};

quarry::table! {
    items (id) {
        id -> Integer,
        name -> Text,
        note -> Nullable<Text>,
        price -> Double,
        blob -> Binary,
        flag -> Bool,
        tags -> Array<Text>,
    }
}

#[derive(Insertable, Clone)]
#[quarry(table_name = items, treat_none_as_default_value = false)]
struct NewItem {
    id: i32,
    name: String,
    note: Option<String>,
    price: f64,
    blob: Vec<u8>,
    flag: bool,
    tags: Vec<String>,
}

fn item(id: i32, name: &str) -> NewItem {
    NewItem {
        id,
        name: name.to_owned(),
        note: (id % 2 == 0).then(|| format!("n{id}")),
        price: f64::from(id) / 4.0,
        blob: vec![0, 9, 10, 13, 92, 255],
        flag: id % 3 == 0,
        tags: vec!["a\tb".into(), "c\\d".into()],
    }
}

fn table(conn: &mut quarry::pg::PgConnection) {
    conn.batch_execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, price DOUBLE PRECISION NOT NULL,
         blob BYTEA NOT NULL, flag BOOLEAN NOT NULL, tags TEXT[] NOT NULL)",
    )
    .unwrap();
}

#[test]
fn copy_writes_every_value_as_insert_would() {
    let Some(mut conn) = pg_seeded_db() else { return };
    table(&mut conn);
    let hostile =
        ["tab\there", "new\nline", "back\\slash \\N", "\\.", "carriage\rreturn", "ünïcödé ✓", "", "NULL", "\\"];
    let rows: Vec<NewItem> = hostile.iter().enumerate().map(|(i, n)| item(i as i32, n)).collect();
    let n = quarry::copy_from(items::table).from_insertable(&rows).execute(&mut conn).unwrap();
    assert_eq!(n, hostile.len());
    type Row = (i32, String, Option<String>, f64, Vec<u8>, bool, Vec<String>);
    let back: Vec<Row> = items::table.order(items::id).load(&mut conn).unwrap();
    for (row, want) in back.iter().zip(&rows) {
        assert_eq!(
            row,
            &(
                want.id,
                want.name.clone(),
                want.note.clone(),
                want.price,
                want.blob.clone(),
                want.flag,
                want.tags.clone()
            )
        );
    }
    // Tuples of `column.eq(value)` too, and an empty batch writes nothing.
    let tuples = vec![(
        items::id.eq(100),
        items::name.eq("t"),
        items::note.eq(None::<String>),
        items::price.eq(f64::NAN),
        items::blob.eq(vec![1u8]),
        items::flag.eq(true),
        items::tags.eq(Vec::<String>::new()),
    )];
    assert_eq!(quarry::copy_from(items::table).from_insertable(&tuples).execute(&mut conn).unwrap(), 1);
    let nan: f64 = items::table.find(100).select(items::price).get_result(&mut conn).unwrap();
    assert!(nan.is_nan());
    assert_eq!(quarry::copy_from(items::table).from_insertable(Vec::<NewItem>::new()).execute(&mut conn).unwrap(), 0);
}

#[test]
fn a_refused_row_writes_nothing_and_the_connection_goes_on() {
    let Some(mut conn) = pg_seeded_db() else { return };
    table(&mut conn);
    let mut rows: Vec<NewItem> = (0..50_000).map(|i| item(i, "x")).collect();
    rows[40_000].id = 7; // a duplicate key, far past the first block sent
    let err = conn.transaction(|c| quarry::copy_from(items::table).from_insertable(&rows).execute(c)).unwrap_err();
    let Error::DatabaseError(kind, info) = &err else { panic!("{err:?}") };
    assert_eq!(*kind, DatabaseErrorKind::UniqueViolation, "{info:?}");
    let n: i64 = items::table.count().get_result(&mut conn).unwrap();
    assert_eq!(n, 0, "all or nothing");
    // A NUL byte is refused before anything is sent.
    let nul = vec![item(1, "a\0b")];
    let err = quarry::copy_from(items::table).from_insertable(&nul).execute(&mut conn).unwrap_err();
    assert!(err.to_string().contains("NUL"), "{err}");
    // Rows that hold SQL instead of values cannot be copied.
    quarry::define_sql_function!(
        fn upper(x: quarry::sql_types::Text) -> quarry::sql_types::Text;
    );
    let sql_rows = vec![(items::id.eq(1), items::name.eq(upper("a")))];
    let err = quarry::copy_from(items::table).from_insertable(&sql_rows).execute(&mut conn).unwrap_err();
    assert!(err.to_string().contains("COPY writes values"), "{err}");
    assert_eq!(quarry::copy_from(items::table).from_insertable(&rows[..10]).execute(&mut conn).unwrap(), 10);
}

#[test]
fn a_hundred_thousand_rows_in_one_copy() {
    let Some(mut conn) = pg_seeded_db() else { return };
    table(&mut conn);
    let rows: Vec<NewItem> = (0..100_000).map(|i| item(i, "bulk")).collect();
    assert_eq!(quarry::copy_from(items::table).from_insertable(&rows).execute(&mut conn).unwrap(), 100_000);
    let total: Option<f64> = items::table.select(quarry::dsl::sum(items::price)).get_result(&mut conn).unwrap();
    assert_eq!(total, Some((0..100_000).map(|i| f64::from(i) / 4.0).sum()));
}

/// The backend terminated in the middle of a COPY: the COPY is an error saying the connection closed (so a
/// pool discards it), promptly, and the next statement says so too; nothing hangs.
#[test]
fn a_backend_terminated_mid_copy_is_a_closed_connection_error() {
    let Some(url) = std::env::var("PG_DATABASE_URL").ok() else { return };
    let mut conn = quarry::pg::PgConnection::establish(&url).unwrap();
    let table = format!("quarry_copy_kill_{}", std::process::id());
    conn.batch_execute(&format!("CREATE TEMPORARY TABLE {table} (id INTEGER, body TEXT)")).unwrap();
    #[derive(QueryableByName)]
    struct Pid {
        #[quarry(sql_type = quarry::sql_types::Integer)]
        pid: i32,
    }
    let pid = quarry::sql_query("SELECT pg_backend_pid() AS pid").load::<Pid>(&mut conn).unwrap()[0].pid;
    quarry::table! { quarry_copy_kill (id) { id -> Integer, body -> Text, } }
    // The temporary table under the name `table!` gives it, through the search path's temporary schema.
    conn.batch_execute(&format!("ALTER TABLE {table} RENAME TO quarry_copy_kill")).unwrap();
    let body = "x".repeat(200);
    let rows: Vec<_> =
        (0..1_000_000).map(|i| (quarry_copy_kill::id.eq(i), quarry_copy_kill::body.eq(body.as_str()))).collect();
    let killer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(150));
        let mut admin = quarry::pg::PgConnection::establish(&url).unwrap();
        quarry::sql_query(format!("SELECT pg_terminate_backend({pid}) AS pid")).execute(&mut admin).unwrap();
    });
    let result = quarry::copy_from(quarry_copy_kill::table).from_insertable(&rows).execute(&mut conn);
    killer.join().unwrap();
    let Err(Error::DatabaseError(kind, info)) = result else {
        panic!("the COPY of 200 MB ended before the kill: {result:?}")
    };
    assert_eq!(kind, DatabaseErrorKind::ClosedConnection, "{info:?}");
    let next = conn.batch_execute("SELECT 1").unwrap_err();
    assert!(matches!(next, Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)), "{next:?}");
}

quarry::table! {
    #[sql_name = "odd \"table\", \"name\""]
    odd (id) {
        id -> Integer,
        #[sql_name = "a\", \"b"]
        ab -> Text,
    }
}

/// Quoted names holding quotes and commas: the COPY's column list is written as any statement's.
#[test]
fn copy_into_oddly_named_tables_and_columns() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(r#"CREATE TABLE "odd ""table"", ""name""" (id INTEGER PRIMARY KEY, "a"", ""b" TEXT NOT NULL)"#)
        .unwrap();
    let rows = vec![(odd::id.eq(1), odd::ab.eq("x")), (odd::id.eq(2), odd::ab.eq("y, \"z\""))];
    assert_eq!(quarry::copy_from(odd::table).from_insertable(&rows).execute(&mut conn).unwrap(), 2);
    let back: Vec<(i32, String)> = odd::table.order(odd::id).load(&mut conn).unwrap();
    assert_eq!(back, [(1, "x".to_string()), (2, "y, \"z\"".to_string())]);
}

quarry::table! {
    kinds (id) {
        id -> Integer,
        small -> SmallInt,
        big -> Nullable<BigInt>,
        single -> Float,
        double -> Double,
        flag -> Bool,
        label -> Text,
        short -> Nullable<Text>,
        blob -> Binary,
        key -> Uuid,
        wait -> Interval,
        doc -> Json,
        docb -> Jsonb,
        mood -> Text,
        code -> Text,
    }
}

#[derive(Queryable, Debug, PartialEq, Clone)]
struct Kind {
    id: i32,
    small: i16,
    big: Option<i64>,
    single: f32,
    double: f64,
    flag: bool,
    label: String,
    short: Option<String>,
    blob: Vec<u8>,
    key: uuid::Uuid,
    wait: quarry::pg::data_types::PgInterval,
    doc: serde_json::Value,
    docb: serde_json::Value,
    mood: String,
    code: String,
}

/// Every column type whose binary form Quarry writes: COPY goes in binary format, and reads back as the
/// same rows written by INSERT.
#[test]
fn binary_copy_writes_every_value_as_insert_would() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let ddl = "CREATE TYPE mood AS ENUM ('happy', 'tab\tbed');
        CREATE DOMAIN code AS TEXT CHECK (VALUE <> 'forbidden');
        CREATE TABLE kinds (id INTEGER PRIMARY KEY, small SMALLINT NOT NULL, big BIGINT, single REAL NOT NULL,
            double DOUBLE PRECISION NOT NULL, flag BOOLEAN NOT NULL, label TEXT NOT NULL, short VARCHAR(20),
            blob BYTEA NOT NULL, key UUID NOT NULL, wait INTERVAL NOT NULL, doc JSON NOT NULL,
            docb JSONB NOT NULL, mood mood NOT NULL, code code NOT NULL);";
    conn.batch_execute(ddl).unwrap();
    let row = |i: i32, label: &str| -> Kind {
        Kind {
            id: i,
            small: -(i as i16),
            big: (i % 2 == 0).then_some(i64::MAX - i64::from(i)),
            single: f32::from(i as u8) / 3.0,
            double: f64::from(i) * 1e300,
            flag: i % 3 == 0,
            label: label.to_owned(),
            short: (i % 2 == 1).then(|| format!("short {i}")),
            blob: vec![0, 9, 10, 13, 92, 255, i as u8],
            key: uuid::Uuid::from_u128(u128::from(i as u32) << 64 | 0xabc),
            wait: quarry::pg::data_types::PgInterval::new(i64::from(i) * 1_000_001, -i, 14),
            doc: serde_json::json!({"n": i, "text": label}),
            docb: serde_json::json!({"list": [i, null, "x\ty"], "nested": {"ok": true}}),
            mood: if i % 2 == 0 { "happy" } else { "tab\tbed" }.to_owned(),
            code: format!("code {i}"),
        }
    };
    let labels = ["tab\there", "new\nline", "back\\slash \\N", "\\.", "ünïcödé ✓", "", "NULL"];
    let rows: Vec<Kind> = labels.iter().enumerate().map(|(i, l)| row(i as i32, l)).collect();
    let values = |r: &Kind, id: i32| {
        (
            kinds::id.eq(id),
            kinds::small.eq(r.small),
            kinds::big.eq(r.big),
            kinds::single.eq(r.single),
            kinds::double.eq(r.double),
            kinds::flag.eq(r.flag),
            kinds::label.eq(r.label.clone()),
            kinds::short.eq(r.short.clone()),
            kinds::blob.eq(r.blob.clone()),
            kinds::key.eq(r.key),
            kinds::wait.eq(r.wait),
            kinds::doc.eq(r.doc.clone()),
            kinds::docb.eq(r.docb.clone()),
            kinds::mood.eq(r.mood.clone()),
            kinds::code.eq(r.code.clone()),
        )
    };
    let copied: Vec<_> = rows.iter().map(|r| values(r, r.id)).collect();
    assert_eq!(quarry::copy_from(kinds::table).from_insertable(&copied).execute(&mut conn).unwrap(), rows.len());
    // The same rows through INSERT, 1,000 ids further.
    let inserted: Vec<_> = rows.iter().map(|r| values(r, r.id + 1000)).collect();
    assert_eq!(quarry::insert_into(kinds::table).values(&inserted).execute(&mut conn).unwrap(), rows.len());
    let back: Vec<Kind> = kinds::table.order(kinds::id).load(&mut conn).unwrap();
    let (by_copy, by_insert) = back.split_at(rows.len());
    assert_eq!(by_copy, rows.as_slice());
    for (c, i) in by_copy.iter().zip(by_insert) {
        assert_eq!(&Kind { id: c.id + 1000, ..c.clone() }, i);
    }
    // A value the column cannot hold is an error naming the column (the domain's check; a NUL in text,
    // which binary COPY would carry and PostgreSQL's text cannot hold), and nothing is written.
    for (column, bad) in [("code", row(50, "x")), ("label", row(51, "a\0b"))] {
        let mut bad = bad;
        bad.code = if column == "code" { "forbidden".to_owned() } else { bad.code };
        let err = conn
            .transaction(|c| quarry::copy_from(kinds::table).from_insertable(&[values(&bad, bad.id)]).execute(c))
            .unwrap_err();
        assert!(err.to_string().contains(column) || err.to_string().contains("0x00"), "{column}: {err}");
    }
    assert_eq!(kinds::table.count().get_result::<i64>(&mut conn).unwrap(), 2 * rows.len() as i64);
}

/// A schema that says another type than the server has: when the first row's values cannot go in as they
/// are, COPY goes in text format and the server converts them as INSERT would (text `12` into a
/// `smallint`, refusing `70000`); a later row whose value cannot go in is refused, naming the row and the
/// column, before anything of it is sent.
#[test]
fn copy_with_a_value_of_another_type_than_the_column_goes_as_insert_would() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute("CREATE TABLE wrongly (id INTEGER PRIMARY KEY, amount SMALLINT NOT NULL)").unwrap();
    quarry::table! {
        wrongly (id) {
            id -> Integer,
            amount -> Text,
        }
    }
    let copied = quarry::copy_from(wrongly::table)
        .from_insertable(&[(wrongly::id.eq(1), wrongly::amount.eq("12"))])
        .execute(&mut conn)
        .unwrap();
    assert_eq!(copied, 1);
    let err = conn
        .transaction(|c| {
            quarry::copy_from(wrongly::table)
                .from_insertable(&[(wrongly::id.eq(2), wrongly::amount.eq("x"))])
                .execute(c)
        })
        .unwrap_err();
    assert!(err.to_string().contains("smallint"), "the server's own refusal: {err}");
    // A column NULL in the first rows proves nothing: the rows are tried until it has a value (text for a
    // date column here, which binary COPY cannot carry: the text format then, converted by the server).
    conn.batch_execute("CREATE TABLE days (id INTEGER PRIMARY KEY, day DATE)").unwrap();
    quarry::table! {
        days (id) {
            id -> Integer,
            day -> Nullable<Date>,
        }
    }
    let rows: Vec<_> =
        (1..=3).map(|i| (days::id.eq(i), days::day.eq((i == 3).then(|| "2024-02-29".to_owned())))).collect();
    assert_eq!(quarry::copy_from(days::table).from_insertable(&rows).execute(&mut conn).unwrap(), 3);
    let day: Option<chrono::NaiveDate> = days::table.find(3).select(days::day).get_result(&mut conn).unwrap();
    assert_eq!(day, chrono::NaiveDate::from_ymd_opt(2024, 2, 29));
    // A value out of the column's range, in a row after the first.
    quarry::table! {
        narrow (id) {
            id -> Integer,
            amount -> BigInt,
        }
    }
    conn.batch_execute("DELETE FROM wrongly; ALTER TABLE wrongly RENAME TO narrow").unwrap();
    let err = quarry::copy_from(narrow::table)
        .from_insertable(&[
            (narrow::id.eq(1), narrow::amount.eq(7_i64)),
            (narrow::id.eq(2), narrow::amount.eq(70_000_i64)),
        ])
        .execute(&mut conn)
        .unwrap_err();
    assert!(err.to_string().contains("row 2 of `copy_from`: the integer 70000 cannot go in column `amount`"), "{err}");
    assert_eq!(narrow::table.count().get_result::<i64>(&mut conn).unwrap(), 0, "nothing of it written");
    assert_eq!(
        quarry::copy_from(narrow::table)
            .from_insertable(&[(narrow::id.eq(1), narrow::amount.eq(7_i64))])
            .execute(&mut conn)
            .unwrap(),
        1
    );
}

quarry::table! {
    moments (id) {
        id -> Integer,
        day -> Date,
        at -> Time,
        local -> Timestamp,
        utc -> Nullable<Timestamptz>,
        amount -> Numeric,
        ratio -> Nullable<Numeric>,
        marks -> Array<Integer>,
        stamps -> Nullable<Array<Timestamp>>,
        words -> Array<Text>,
    }
}

/// Dates, times, timestamps, decimals and arrays go in COPY's binary format too (the statement says so), and
/// read back as the same rows written by INSERT: leap days, the years 0001 and 9999, fractions of a second
/// down to the nanosecond (rounded as the server rounds them), decimals of every scale, NaN, empty arrays
/// and hostile text in arrays.
#[test]
fn binary_copy_of_dates_times_and_decimals_writes_what_insert_writes() {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        "CREATE TABLE moments (id INTEGER PRIMARY KEY, day DATE NOT NULL, at TIME NOT NULL, local TIMESTAMP NOT NULL,
         utc TIMESTAMPTZ, amount NUMERIC NOT NULL, ratio NUMERIC(12, 4), marks INTEGER[] NOT NULL, stamps TIMESTAMP[],
         words TEXT[] NOT NULL)",
    )
    .unwrap();
    let days = ["2000-01-01", "1999-12-31", "2024-02-29", "1970-01-01", "9999-12-31", "0001-01-01", "2026-12-01"];
    let times = [
        "00:00:00",
        "23:59:59.999999",
        "12:34:56.789",
        "00:00:00.0000015",
        "00:00:00.0000025",
        "01:02:03",
        "23:59:59.9999994",
    ];
    let amounts =
        ["0", "-0.25", "12.50", "1234567890123456.789012345678", "0.0000000001", "-99999999999999999999", "7"];
    let rows: Vec<_> = (0..days.len())
        .map(|i| {
            let day = NaiveDate::from_str(days[i]).unwrap();
            let at = NaiveTime::parse_from_str(times[i], "%H:%M:%S%.f").unwrap();
            let local = NaiveDateTime::new(day, at);
            (
                moments::id.eq(i as i32),
                moments::day.eq(day),
                moments::at.eq(at),
                moments::local.eq(local),
                moments::utc.eq((i % 2 == 0).then(|| local.and_utc())),
                moments::amount.eq(Decimal::from_str(amounts[i]).unwrap()),
                moments::ratio.eq((i % 3 != 0).then(|| Decimal::new(i as i64 * 12345, 4))),
                moments::marks.eq((0..i as i32).map(|k| k - 2).collect::<Vec<i32>>()),
                moments::stamps.eq((i % 2 == 1).then(|| vec![local, local])),
                moments::words.eq(vec![
                    "a\tb".to_owned(),
                    "c\\d \"e\"".to_owned(),
                    "NULL".to_owned(),
                    format!("{{{i}}}"),
                ]),
            )
        })
        .collect();
    let statements = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = statements.clone();
    conn.set_instrumentation(move |event: &quarry::connection::instrumentation::Event<'_>| {
        if let quarry::connection::instrumentation::Event::StatementStarted { sql, .. } = event {
            seen.lock().unwrap().push(sql.to_string());
        }
    });
    assert_eq!(quarry::copy_from(moments::table).from_insertable(&rows).execute(&mut conn).unwrap(), rows.len());
    assert!(statements.lock().unwrap().iter().any(|s| s.ends_with("FROM STDIN (FORMAT binary)")), "{statements:?}");
    type Moment = (
        i32,
        NaiveDate,
        NaiveTime,
        NaiveDateTime,
        Option<chrono::DateTime<chrono::Utc>>,
        Decimal,
        Option<Decimal>,
        Vec<i32>,
        Option<Vec<NaiveDateTime>>,
        Vec<String>,
    );
    conn.transaction(|c| {
        let copied: Vec<Moment> = moments::table.order(moments::id).load(c)?;
        quarry::delete(moments::table).execute(c)?;
        quarry::insert_into(moments::table).values(&rows).execute(c)?;
        let inserted: Vec<Moment> = moments::table.order(moments::id).load(c)?;
        assert_eq!(copied, inserted);
        // The scale too (Decimal's `==` ignores it): each decimal's digits after the point, as stored.
        let scales = |rows: &[Moment]| rows.iter().map(|r| (r.5.scale(), r.6.map(|d| d.scale()))).collect::<Vec<_>>();
        assert_eq!(scales(&copied), scales(&inserted));
        Ok::<_, Error>(())
    })
    .unwrap();
    // f64s into a numeric column (NaN included), through binary COPY too.
    conn.batch_execute("CREATE TABLE floats (id INTEGER PRIMARY KEY, amount NUMERIC)").unwrap();
    quarry::table! {
        floats (id) {
            id -> Integer,
            amount -> Nullable<Double>,
        }
    }
    let values = [0.1, -1e-7, 1.5e20, f64::NAN, 123.456];
    let rows: Vec<_> =
        values.iter().enumerate().map(|(i, v)| (floats::id.eq(i as i32), floats::amount.eq(Some(*v)))).collect();
    quarry::copy_from(floats::table).from_insertable(&rows).execute(&mut conn).unwrap();
    let back: Vec<Option<f64>> = floats::table.order(floats::id).select(floats::amount).load(&mut conn).unwrap();
    assert_eq!(back[..3], [Some(0.1), Some(-1e-7), Some(1.5e20)]);
    assert!(back[3].unwrap().is_nan());
    assert_eq!(back[4], Some(123.456));
}

/// A trigger that raises a notice for every row: the server writes notices while COPY's rows stream in.
/// Were the client to write without reading, both sides would wait on full sockets (here 20 MB of
/// notices); it must finish, within a minute.
#[test]
fn a_copy_whose_trigger_sends_a_notice_per_row_does_not_deadlock() {
    let Some(mut conn) = pg_seeded_db() else { return };
    table(&mut conn);
    conn.batch_execute(
        "CREATE FUNCTION noisy() RETURNS trigger AS $$ BEGIN
             RAISE NOTICE 'row % arrived, and this notice is long enough to fill a socket quickly: %', NEW.id,
                 repeat('x', 120);
             RETURN NEW;
         END $$ LANGUAGE plpgsql;
         CREATE TRIGGER noisy BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION noisy();",
    )
    .unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rows: Vec<NewItem> = (0..100_000).map(|i| item(i, "noisy")).collect();
        let n = quarry::copy_from(items::table).from_insertable(&rows).execute(&mut conn);
        let _ = done.send(n.map_err(|e| e.to_string()));
    });
    let n = finished.recv_timeout(std::time::Duration::from_secs(60)).expect("the COPY finished within a minute");
    assert_eq!(n, Ok(100_000));
}

#[test]
fn a_row_leaving_a_not_null_column_to_its_default_is_refused_with_its_number() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute("CREATE TABLE defaults (id SERIAL PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x')").unwrap();
    quarry::table! { defaults (id) { id -> Integer, name -> Text, } }
    #[derive(Insertable)]
    #[quarry(table_name = defaults)]
    struct Row {
        id: i32,
        name: Option<String>,
    }
    let rows = vec![Row { id: 1, name: Some("a".into()) }, Row { id: 2, name: None }];
    let err = quarry::copy_from(defaults::table).from_insertable(&rows).execute(&mut conn).unwrap_err();
    assert!(err.to_string().contains("row 2 of `copy_from` leaves a NOT NULL column to its default"), "{err}");
    quarry::insert_into(defaults::table).values(&rows).execute(&mut conn).unwrap();
    let names: Vec<String> = defaults::table.order(defaults::id).select(defaults::name).load(&mut conn).unwrap();
    assert_eq!(names, ["a", "x"]);
}
