//! Dates and times with the `time` feature: the same text as with `chrono`, read back from what SQLite
//! writes, and errors that name a value that is not a date.

use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::sqlite::SqliteConnection;
use time::{Date, Month, PrimitiveDateTime, Time};

quarry::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        starts -> Time,
        at -> Timestamp,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[quarry(table_name = events)]
struct Event {
    id: i32,
    day: Date,
    starts: Time,
    at: PrimitiveDateTime,
}

fn db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, day DATE NOT NULL, starts TIME NOT NULL, at TIMESTAMP NOT NULL)",
    )
    .expect("schema");
    conn
}

fn date(y: i32, m: Month, d: u8) -> Date {
    Date::from_calendar_date(y, m, d).expect("a valid date")
}

#[test]
fn values_round_trip_as_iso_text() -> QueryResult<()> {
    let mut conn = db();
    let starts = Time::from_hms_milli(14, 30, 0, 250).expect("a valid time");
    let event = Event {
        id: 1,
        day: date(2026, Month::November, 25),
        starts,
        at: PrimitiveDateTime::new(date(2026, Month::November, 25), starts),
    };
    let q = quarry::insert_into(events::table).values(&event);
    assert_eq!(
        quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
        r#"INSERT INTO "events" ("id", "day", "starts", "at") VALUES (?, ?, ?, ?) -- binds: [1, "2026-11-25", "14:30:00.250", "2026-11-25 14:30:00.250"]"#
    );
    q.execute(&mut conn)?;
    let stored: Event = events::table.first(&mut conn)?;
    assert_eq!(stored, event);
    let later: i64 = events::table
        .filter(events::at.gt(PrimitiveDateTime::new(date(2026, Month::November, 25), Time::MIDNIGHT)))
        .select(quarry::dsl::count_star())
        .get_result(&mut conn)?;
    assert_eq!(later, 1);
    Ok(())
}

#[test]
fn what_sqlite_writes_is_read() -> QueryResult<()> {
    let mut conn = db();
    conn.batch_execute(
        "INSERT INTO events VALUES (1, date('2026-11-25'), time('08:00:05'), datetime('2026-11-25 08:00'));
         INSERT INTO events VALUES (2, '2026-11-25', '08:00', 1764057600);
         INSERT INTO events VALUES (3, '2026-11-25', '08:00', julianday('2023-02-24 06:00'));",
    )?;
    let rows: Vec<Event> = events::table.order(events::id).load(&mut conn)?;
    let eight = Time::from_hms(8, 0, 0).expect("valid");
    assert_eq!(rows[0].at, PrimitiveDateTime::new(date(2026, Month::November, 25), eight));
    assert_eq!(rows[0].starts, Time::from_hms(8, 0, 5).expect("valid"));
    assert_eq!(rows[1].at, PrimitiveDateTime::new(date(2025, Month::November, 25), eight), "unix seconds");
    assert_eq!(
        rows[2].at,
        PrimitiveDateTime::new(date(2023, Month::February, 24), Time::from_hms(6, 0, 0).expect("valid"))
    );
    Ok(())
}

#[test]
fn a_value_that_is_not_a_date_is_an_error_naming_it() -> QueryResult<()> {
    let mut conn = db();
    conn.batch_execute("INSERT INTO events VALUES (1, '2026-02-30', '08:00', '2026-11-25 08:00')")?;
    match events::table.load::<Event>(&mut conn) {
        Err(Error::DeserializationError(e)) => assert!(e.to_string().contains(r#""2026-02-30" is not a DATE"#), "{e}"),
        other => panic!("expected a deserialization error, got {other:?}"),
    }
    Ok(())
}

#[test]
fn an_infinite_or_huge_julian_day_is_an_error_not_a_wrong_date() -> QueryResult<()> {
    let mut conn = db();
    conn.batch_execute(
        "INSERT INTO events VALUES (1, '2026-11-25', '08:00', 9e999), (2, '2026-11-25', '08:00', 1e27)",
    )?;
    for id in [1, 2] {
        match events::table.find(id).first::<Event>(&mut conn) {
            Err(Error::DeserializationError(e)) => assert!(e.to_string().contains("out of the TIMESTAMP range"), "{e}"),
            other => panic!("expected a deserialization error, got {other:?}"),
        }
    }
    Ok(())
}
