//! Batches of any size: an INSERT of more values than SQLite binds in one statement (32,766) runs in
//! parts inside one transaction, all or nothing; `eq_any`/`ne_all` lists of any length bind as one value.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error, QueryResult};
use quarry::sqlite::SqliteConnection;

fn new_users(count: usize) -> Vec<(String, Option<String>)> {
    (0..count).map(|i| (format!("user {i}"), (i % 3 == 0).then(|| format!("color {i}")))).collect()
}

fn count(conn: &mut SqliteConnection) -> i64 {
    users::table.count().get_result(conn).expect("count")
}

#[test]
fn a_hundred_thousand_derived_rows_insert_in_parts_and_reuse_the_statements() -> QueryResult<()> {
    let mut conn = empty_db();
    let data = new_users(100_000);
    let rows: Vec<NewUser<'_>> =
        data.iter().map(|(name, color)| NewUser { name, hair_color: color.as_deref() }).collect();
    let before = conn.stats();
    assert_eq!(quarry::insert_into(users::table).values(&rows).execute(&mut conn)?, 100_000);
    assert_eq!(count(&mut conn), 100_000);
    let prepares = conn.stats().prepares - before.prepares;
    // Parts of 16,383 rows (2 values each): the full part's statement and the last one's, plus the
    // savepoint or transaction statements around them.
    assert!(prepares <= 8, "{prepares} prepares for seven parts");
    // In order, every value where it belongs.
    let last: User = users::table.order(users::id.desc()).first(&mut conn)?;
    assert_eq!((last.name.as_str(), last.hair_color.as_deref()), ("user 99999", Some("color 99999")));
    let colored: i64 = users::table.filter(users::hair_color.is_not_null()).count().get_result(&mut conn)?;
    assert_eq!(colored, 33_334);
    // A second batch of the same size finds its statements in the cache.
    let before = conn.stats();
    quarry::insert_into(users::table).values(&rows).execute(&mut conn)?;
    assert_eq!(conn.stats().renders - before.renders, 0, "the parts were cached by row type and count");
    assert_eq!(count(&mut conn), 200_000);
    Ok(())
}

#[test]
fn tuple_rows_past_the_limit_insert_too() -> QueryResult<()> {
    let mut conn = empty_db();
    let rows: Vec<_> = (1..=40_000).map(|i| (users::id.eq(i), users::name.eq(format!("n{i}")))).collect();
    assert_eq!(quarry::insert_into(users::table).values(rows).execute(&mut conn)?, 40_000);
    let sum: Option<i64> = users::table.select(quarry::dsl::sum(users::id)).get_result(&mut conn)?;
    assert_eq!(sum, Some(40_000 * 40_001 / 2));
    Ok(())
}

#[test]
fn a_failing_row_in_a_late_part_inserts_nothing() {
    let mut conn = empty_db();
    // Row 30,000 repeats id 1: it sits in the second part, after the first part has run.
    let rows: Vec<_> =
        (1..=40_000).map(|i| (users::id.eq(if i == 30_000 { 1 } else { i }), users::name.eq("x"))).collect();
    let err = quarry::insert_into(users::table).values(&rows).execute(&mut conn).unwrap_err();
    assert!(matches!(err, Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)), "{err}");
    assert_eq!(count(&mut conn), 0, "the first part was rolled back with the failing one");

    // Inside a transaction of the caller's, only the batch is undone (a savepoint), and the caller goes on.
    conn.transaction(|conn| {
        quarry::insert_into(users::table).values((users::id.eq(-1), users::name.eq("kept"))).execute(conn)?;
        assert!(quarry::insert_into(users::table).values(&rows).execute(conn).is_err());
        assert_eq!(count(conn), 1);
        QueryResult::Ok(())
    })
    .unwrap();
    assert_eq!(count(&mut conn), 1);
}

#[test]
fn returning_reads_every_part_s_rows_in_order() -> QueryResult<()> {
    let mut conn = empty_db();
    let data = new_users(50_000);
    let rows: Vec<NewUser<'_>> =
        data.iter().map(|(name, color)| NewUser { name, hair_color: color.as_deref() }).collect();
    let ids: Vec<i32> = quarry::insert_into(users::table).values(&rows).returning(users::id).get_results(&mut conn)?;
    assert_eq!(ids, (1..=50_000).collect::<Vec<_>>());
    // `get_result` reads one row but the whole batch is inserted.
    let first: i32 = quarry::insert_into(users::table).values(&rows).returning(users::id).get_result(&mut conn)?;
    assert_eq!(first, 50_001);
    assert_eq!(count(&mut conn), 100_000);
    // And `load_iter` gives them all.
    let streamed: Vec<i32> = quarry::insert_into(users::table)
        .values(&rows)
        .returning(users::id)
        .load_iter(&mut conn)?
        .collect::<QueryResult<_>>()?;
    assert_eq!(streamed.len(), 50_000);
    assert_eq!(streamed.last(), Some(&150_000));
    Ok(())
}

#[test]
fn an_upsert_batch_past_the_limit_applies_to_every_row() -> QueryResult<()> {
    let mut conn = empty_db();
    let rows: Vec<_> = (1..=20_000).map(|i| (users::id.eq(i), users::name.eq("old"))).collect();
    quarry::insert_into(users::table).values(&rows).execute(&mut conn)?;
    let again: Vec<_> = (1..=40_000).map(|i| (users::id.eq(i), users::name.eq("new"))).collect();
    quarry::insert_into(users::table)
        .values(&again)
        .on_conflict(users::id)
        .do_update()
        .set(users::name.eq(quarry::upsert::excluded(users::name)))
        .execute(&mut conn)?;
    let old: i64 = users::table.filter(users::name.eq("old")).count().get_result(&mut conn)?;
    assert_eq!((old, count(&mut conn)), (0, 40_000));
    Ok(())
}

#[test]
fn eq_any_with_a_hundred_thousand_values_binds_one() -> QueryResult<()> {
    let mut conn = empty_db();
    let rows: Vec<_> = (1..=1_000).map(|i| (users::id.eq(i), users::name.eq(format!("n{i}")))).collect();
    quarry::insert_into(users::table).values(&rows).execute(&mut conn)?;
    let ids: Vec<i32> = (-50_000..50_000).collect();
    let q = users::table.filter(users::id.eq_any(&ids)).count();
    assert_eq!(sql(&q), r#"SELECT COUNT(*) FROM "users" WHERE "users"."id" IN (SELECT value FROM json_each(?))"#);
    assert_eq!(q.get_result::<i64>(&mut conn)?, 1_000);
    let outside: i64 = users::table.filter(users::id.ne_all(&ids[..50_500])).count().get_result(&mut conn)?;
    assert_eq!(outside, 501, "ids 1 to 499 are in the list");
    Ok(())
}

/// The same lists, short (one placeholder per value) and long (one JSON value): the same rows match.
#[test]
fn long_lists_match_exactly_what_short_lists_match() -> QueryResult<()> {
    let mut conn = empty_db();
    let names = [
        "plain",
        "quote \" inside",
        "back\\slash",
        "tab\tnew\nline",
        "nul\0byte",
        "ünïcödé ✓",
        "",
        "  padded  ",
        "'single'",
        "[1,2]",
        "null",
        "5",
        "{\"a\":1}",
        "\u{1}\u{1f}",
    ];
    for (i, name) in names.iter().enumerate() {
        quarry::insert_into(users::table)
            .values((users::id.eq(i as i32 + 1), users::name.eq(*name), users::hair_color.eq(Some(*name))))
            .execute(&mut conn)?;
    }
    // Pad each list past the inline limit with values that match nothing.
    let mut long: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    long.extend((0..300).map(|i| format!("absent {i}")));
    let by_long: Vec<i32> =
        users::table.filter(users::name.eq_any(&long)).select(users::id).order(users::id).load(&mut conn)?;
    assert_eq!(by_long, (1..=names.len() as i32).collect::<Vec<_>>());
    for name in names {
        let short: i64 = users::table.filter(users::name.eq_any([name])).count().get_result(&mut conn)?;
        assert_eq!(short, 1, "{name:?}");
    }
    // Nullable values: a NULL in the list matches nothing, as in SQL.
    let mut colors: Vec<Option<&str>> = vec![None, Some("plain")];
    colors.extend(std::iter::repeat_n(None, 300));
    let matched: i64 = users::table.filter(users::hair_color.eq_any(&colors)).count().get_result(&mut conn)?;
    assert_eq!(matched, 1);
    Ok(())
}

#[test]
fn long_lists_of_bools_floats_and_blobs_match_like_short_ones() -> QueryResult<()> {
    quarry::table! { samples (id) { id -> Integer, flag -> Bool, ratio -> Double, data -> Binary, } }
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.batch_execute(
        "CREATE TABLE samples (id INTEGER PRIMARY KEY, flag BOOLEAN NOT NULL, ratio REAL NOT NULL, data BLOB NOT NULL)",
    )?;
    let ratios = [0.1, -2.5e-300, 1e300, 3.0, f64::INFINITY, f64::NEG_INFINITY, 123_456_789.123_456_79];
    for (i, r) in ratios.iter().enumerate() {
        let data = vec![i as u8, 0, 255, b'"'];
        quarry::insert_into(samples::table)
            .values((
                samples::id.eq(i as i32),
                samples::flag.eq(i % 2 == 0),
                samples::ratio.eq(*r),
                samples::data.eq(data),
            ))
            .execute(&mut conn)?;
    }
    let mut floats = ratios.to_vec();
    floats.extend((0..300).map(|i| f64::from(i) + 0.5));
    let n: i64 = samples::table.filter(samples::ratio.eq_any(&floats)).count().get_result(&mut conn)?;
    assert_eq!(n, ratios.len() as i64, "every float matched exactly");
    let flags = vec![true; 300];
    let n: i64 = samples::table.filter(samples::flag.eq_any(&flags)).count().get_result(&mut conn)?;
    assert_eq!(n, 4);
    let mut blobs: Vec<Vec<u8>> = (0..ratios.len()).map(|i| vec![i as u8, 0, 255, b'"']).collect();
    blobs.extend((0..300).map(|i: u32| i.to_le_bytes().to_vec()));
    let n: i64 = samples::table.filter(samples::data.eq_any(&blobs)).count().get_result(&mut conn)?;
    assert_eq!(n, ratios.len() as i64, "every blob matched byte for byte");
    Ok(())
}

#[test]
fn a_long_list_of_expressions_stays_written_out() -> QueryResult<()> {
    let mut conn = seeded_db();
    // Columns are not values: the list cannot be one JSON value, and must not lose its items.
    let columns = vec![users::id; 300];
    let q = users::table.filter(users::id.eq_any(columns)).count();
    assert!(sql(&q).contains(r#"IN ("users"."id", "users"."id""#), "{}", sql(&q));
    assert_eq!(q.get_result::<i64>(&mut conn)?, 3);
    Ok(())
}

#[test]
fn any_float_in_a_long_list_matches_itself_exactly() {
    use proptest::prelude::*;
    quarry::table! { reals (id) { id -> Integer, v -> Double, } }
    let cell = std::cell::RefCell::new(SqliteConnection::establish(":memory:").unwrap());
    cell.borrow_mut().batch_execute("CREATE TABLE reals (id INTEGER PRIMARY KEY, v REAL NOT NULL)").unwrap();
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
    let config = proptest::test_runner::Config { cases, failure_persistence: None, ..Default::default() };
    let finite = any::<f64>().prop_filter("finite", |v| v.is_finite());
    proptest::test_runner::TestRunner::new(config)
        .run(&prop::collection::vec(finite, 300..400), |values| {
            let mut guard = cell.borrow_mut();
            let conn = &mut *guard;
            conn.batch_execute("DELETE FROM reals").unwrap();
            let rows: Vec<_> =
                values.iter().enumerate().map(|(i, v)| (reals::id.eq(i as i32), reals::v.eq(*v))).collect();
            quarry::insert_into(reals::table).values(&rows).execute(conn).unwrap();
            let matched: i64 = reals::table.filter(reals::v.eq_any(&values)).count().get_result(conn).unwrap();
            prop_assert_eq!(matched, values.len() as i64);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_batch_in_parts_inside_a_transaction_begun_with_raw_sql_uses_a_savepoint() -> QueryResult<()> {
    let mut conn = empty_db();
    conn.batch_execute("BEGIN")?;
    let rows: Vec<_> = (1..=40_000).map(|i| (users::id.eq(i), users::name.eq("x"))).collect();
    assert_eq!(quarry::insert_into(users::table).values(&rows).execute(&mut conn)?, 40_000);
    // A failing batch undoes only itself, and the user's transaction goes on.
    let clashing: Vec<_> = (39_999..=80_000).map(|i| (users::id.eq(i), users::name.eq("y"))).collect();
    assert!(quarry::insert_into(users::table).values(&clashing).execute(&mut conn).is_err());
    assert!(conn.is_in_transaction());
    conn.batch_execute("COMMIT")?;
    assert_eq!(count(&mut conn), 40_000);
    Ok(())
}
