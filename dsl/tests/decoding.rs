//! Reading values: every supported Rust type, and a clear error naming the column for each value
//! that does not fit, never a panic.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::sqlite::SqliteConnection;

quarry::table! {
    /// Declared stricter than the SQL table below, to read values that do not fit.
    loose (id) {
        id -> Integer,
        small -> SmallInt,
        label -> Text,
        flag -> Bool,
    }
}

quarry::table! {
    /// One column of each SQL type.
    kinds (id) {
        id -> BigInt,
        small -> SmallInt,
        int -> Integer,
        real -> Float,
        double -> Double,
        text -> Text,
        bytes -> Binary,
        flag -> Bool,
        day -> Date,
        at -> Time,
        stamp -> Timestamp,
        maybe -> Nullable<Integer>,
    }
}

fn loose_db(values: &str) -> SqliteConnection {
    let mut conn = empty_db();
    conn.batch_execute(&format!(
        "CREATE TABLE loose (id INTEGER PRIMARY KEY, small INTEGER, label TEXT, flag INTEGER);
         INSERT INTO loose VALUES {values};"
    ))
    .expect("create loose");
    conn
}

fn deserialization_message<T: std::fmt::Debug>(result: QueryResult<T>) -> String {
    match result {
        Err(Error::DeserializationError(e)) => e.to_string(),
        other => panic!("expected a deserialization error, got {other:?}"),
    }
}

#[test]
fn every_sql_type_round_trips_through_its_rust_type() -> QueryResult<()> {
    let mut conn = empty_db();
    conn.batch_execute(
        "CREATE TABLE kinds (id INTEGER PRIMARY KEY, small INTEGER, int INTEGER, real REAL, double REAL,
                             text TEXT, bytes BLOB, flag BOOLEAN, day TEXT, at TEXT, stamp TEXT, maybe INTEGER)",
    )?;
    let row = (
        kinds::id.eq(9_000_000_000_i64),
        kinds::small.eq(-7_i16),
        kinds::int.eq(i32::MIN),
        kinds::real.eq(1.5_f32),
        kinds::double.eq(-2.25_f64),
        kinds::text.eq("naïve ✓"),
        kinds::bytes.eq(vec![0_u8, 255, 10]),
        kinds::flag.eq(true),
        kinds::day.eq("2026-11-25"),
        kinds::at.eq("13:08:00"),
        kinds::stamp.eq("2026-11-25 13:08:00"),
        kinds::maybe.eq(None::<i32>),
    );
    quarry::insert_into(kinds::table).values(row).execute(&mut conn)?;
    type Row = (i64, i16, i32, f32, f64, String, Vec<u8>, bool, String, String, String, Option<i32>);
    let back: Row = kinds::table.first(&mut conn)?;
    assert_eq!(
        back,
        (
            9_000_000_000,
            -7,
            i32::MIN,
            1.5,
            -2.25,
            "naïve ✓".to_owned(),
            vec![0, 255, 10],
            true,
            "2026-11-25".to_owned(),
            "13:08:00".to_owned(),
            "2026-11-25 13:08:00".to_owned(),
            None
        )
    );
    // Borrowed forms bind too.
    let text = String::from("borrowed");
    let bytes: &[u8] = b"raw";
    let n = quarry::update(kinds::table)
        .set((kinds::text.eq(&text), kinds::bytes.eq(bytes), kinds::maybe.eq(Some(3))))
        .execute(&mut conn)?;
    assert_eq!(n, 1);
    let (t, b, m): (String, Vec<u8>, Option<i32>) =
        kinds::table.select((kinds::text, kinds::bytes, kinds::maybe)).first(&mut conn)?;
    assert_eq!((t.as_str(), b.as_slice(), m), ("borrowed", &b"raw"[..], Some(3)));
    Ok(())
}

#[test]
fn an_integer_out_of_range_is_an_error_naming_the_column() {
    let mut conn = loose_db("(1, 70000, 'a', 0)");
    let message = deserialization_message(loose::table.select(loose::small).load::<i16>(&mut conn));
    assert!(message.contains("column `small`"), "{message}");
    assert!(message.contains("70000 does not fit in i16"), "{message}");
}

#[test]
fn null_in_a_column_declared_not_null_is_an_error_naming_the_column() {
    let mut conn = loose_db("(1, 1, NULL, 0)");
    let message =
        deserialization_message(loose::table.select((loose::id, loose::label)).load::<(i32, String)>(&mut conn));
    assert!(message.contains("column `label`"), "{message}");
    assert!(message.contains("unexpected NULL"), "{message}");
}

#[test]
fn invalid_utf8_is_an_error_naming_the_column() {
    let mut conn = loose_db("(1, 1, CAST(X'FFFE' AS TEXT), 0)");
    let message = deserialization_message(loose::table.select(loose::label).load::<String>(&mut conn));
    assert!(message.contains("column `label`"), "{message}");
    assert!(message.contains("not valid UTF-8"), "{message}");
}

#[test]
fn a_value_of_the_wrong_storage_class_is_an_error() {
    let mut conn = loose_db("(1, 'seven', 'a', 2)");
    let message = deserialization_message(loose::table.select(loose::small).load::<i16>(&mut conn));
    assert!(message.contains("expected an integer, found a TEXT value"), "{message}");
    let message = deserialization_message(loose::table.select(loose::flag).load::<bool>(&mut conn));
    assert!(message.contains("2 is not a boolean"), "{message}");
}

#[test]
fn a_bad_row_stops_the_load_and_the_connection_stays_usable() -> QueryResult<()> {
    let mut conn = loose_db("(1, 1, 'a', 0), (2, 99999, 'b', 0)");
    assert!(loose::table.select(loose::small).order(loose::id).load::<i16>(&mut conn).is_err());
    let small: Vec<i16> = loose::table.select(loose::small).filter(loose::id.eq(1)).load(&mut conn)?;
    assert_eq!(small, [1]);
    Ok(())
}
