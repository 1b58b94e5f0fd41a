//! Dates and times with the `chrono` feature: written as ISO 8601 text, read back from the forms SQLite
//! writes, compared and sorted in SQL, and errors that name a value that is not a date.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::sqlite::SqliteConnection;

quarry::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        starts -> Time,
        at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[quarry(table_name = events)]
struct Event {
    id: i32,
    day: NaiveDate,
    starts: NaiveTime,
    at: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
}

fn db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, day DATE NOT NULL, starts TIME NOT NULL,
                              at TIMESTAMP NOT NULL, ends_at TIMESTAMP)",
    )
    .expect("schema");
    conn
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn event(id: i32, day: NaiveDate, h: u32, milli: u32) -> Event {
    let starts = NaiveTime::from_hms_milli_opt(h, 30, 0, milli).expect("a valid time");
    Event { id, day, starts, at: day.and_time(starts), ends_at: None }
}

#[test]
fn dates_times_and_timestamps_round_trip() -> QueryResult<()> {
    let mut conn = db();
    let mut first = event(1, date(2026, 11, 25), 14, 250);
    first.ends_at = Some(date(2026, 11, 26).and_hms_opt(0, 0, 0).expect("midnight"));
    let second = event(2, date(1999, 12, 31), 23, 0);
    let rows = vec![first.clone(), second.clone()];
    let q = quarry::insert_into(events::table).values(&rows);
    assert!(
        quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string().contains(
            r#"binds: [1, "2026-11-25", "14:30:00.250", "2026-11-25 14:30:00.250", "2026-11-26 00:00:00", 2,"#
        ),
        "{}",
        quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q)
    );
    q.execute(&mut conn)?;
    let stored: Vec<Event> = events::table.order(events::id).load(&mut conn)?;
    assert_eq!(stored, [first, second]);

    // The text is what SQLite's own date functions read.
    let weekday: String = quarry::sql_query("SELECT strftime('%w', day) AS w FROM events WHERE id = 1")
        .load::<Weekday>(&mut conn)?
        .remove(0)
        .w;
    assert_eq!(weekday, "3", "2026-11-25 is a Wednesday");
    Ok(())
}

#[derive(QueryableByName)]
struct Weekday {
    #[quarry(sql_type = quarry::sql_types::Text)]
    w: String,
}

#[test]
fn comparisons_and_order_follow_time() -> QueryResult<()> {
    let mut conn = db();
    let rows: Vec<Event> = (1..=5).map(|i| event(i, date(2026, 1, 1 + (5 - i) as u32 * 3), 9, 0)).collect();
    quarry::insert_into(events::table).values(&rows).execute(&mut conn)?;
    let since = date(2026, 1, 6).and_hms_opt(0, 0, 0).expect("a valid time");
    let later: Vec<i32> =
        events::table.filter(events::at.ge(since)).order(events::at.asc()).select(events::id).load(&mut conn)?;
    assert_eq!(later, [3, 2, 1], "Jan 7, 10 and 13, in time order");
    let on_day: i64 = events::table
        .filter(events::day.eq(date(2026, 1, 10)))
        .select(quarry::dsl::count_star())
        .get_result(&mut conn)?;
    assert_eq!(on_day, 1);
    Ok(())
}

#[test]
fn timestamps_written_by_sqlite_are_read() -> QueryResult<()> {
    let mut conn = db();
    conn.batch_execute(
        "INSERT INTO events VALUES (1, '2026-11-25', '08:00', '2026-11-25T08:00:00Z', 1764057600);
         INSERT INTO events VALUES (2, date('2026-11-25'), time('08:00:05'), datetime('2026-11-25 08:00'), NULL);",
    )?;
    let rows: Vec<Event> = events::table.order(events::id).load(&mut conn)?;
    let eight = date(2026, 11, 25).and_hms_opt(8, 0, 0).expect("valid");
    assert_eq!(rows[0].at, eight);
    assert_eq!(rows[0].starts, NaiveTime::from_hms_opt(8, 0, 0).expect("valid"));
    assert_eq!(rows[0].ends_at, Some(date(2025, 11, 25).and_hms_opt(8, 0, 0).expect("valid")), "unix seconds");
    assert_eq!(rows[1].at, eight);
    assert_eq!(rows[1].starts, NaiveTime::from_hms_opt(8, 0, 5).expect("valid"));
    Ok(())
}

#[test]
fn a_value_that_is_not_a_date_is_an_error_naming_it() -> QueryResult<()> {
    let mut conn = db();
    conn.batch_execute("INSERT INTO events VALUES (1, '25/11/2026', '08:00', '2026-11-25 08:00', NULL)")?;
    match events::table.load::<Event>(&mut conn) {
        Err(Error::DeserializationError(e)) => {
            let text = e.to_string();
            assert!(text.contains(r#""25/11/2026" is not a DATE"#), "{text}");
            assert!(text.contains("day"), "names the column: {text}");
        }
        other => panic!("expected a deserialization error, got {other:?}"),
    }
    Ok(())
}

#[test]
fn a_julian_day_is_read_as_the_time_it_names() -> QueryResult<()> {
    let mut conn = db();
    // A REAL stays a REAL; a whole one (`julianday('2023-02-24 12:00')` is 2460000.0) would be stored as
    // the INTEGER 2460000 by the column's numeric affinity, and an INTEGER counts seconds since 1970.
    conn.batch_execute(
        "INSERT INTO events VALUES (1, '2023-02-24', '12:00', julianday('2023-02-24 06:00'), julianday('2023-02-24 12:00:00.250'))",
    )?;
    let e: Event = events::table.first(&mut conn)?;
    assert_eq!(e.at, date(2023, 2, 24).and_hms_opt(6, 0, 0).expect("valid"));
    assert_eq!(e.ends_at, Some(date(2023, 2, 24).and_hms_milli_opt(12, 0, 0, 250).expect("valid")));
    Ok(())
}

#[test]
fn a_year_past_9999_is_refused_rather_than_stored_out_of_order() -> QueryResult<()> {
    let mut conn = db();
    let far = event(1, date(10_000, 1, 1), 9, 0);
    match quarry::insert_into(events::table).values(&far).execute(&mut conn) {
        Err(Error::SerializationError(e)) => assert!(e.to_string().contains("outside the years 0000-9999"), "{e}"),
        other => panic!("expected a serialization error, got {other:?}"),
    }
    let stored: i64 = events::table.select(quarry::dsl::count_star()).get_result(&mut conn)?;
    assert_eq!(stored, 0);
    Ok(())
}
