//! `Numeric` with `rust_decimal::Decimal`: exact on PostgreSQL, text on SQLite (every digit in a TEXT
//! column, 15 significant digits in a NUMERIC one), arithmetic and aggregates on both.

mod common;

use std::str::FromStr;

use common::backends::pg_seeded_db;
use common::*;
use quarry::dsl::{avg, max, sum};
use quarry::prelude::*;
use quarry::result::Error;
use rust_decimal::Decimal;

quarry::table! {
    prices (id) {
        id -> Integer,
        amount -> Numeric,
        note -> Nullable<Numeric>,
    }
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

on_every_backend! {
    fn decimals_round_trip_compare_and_add_up(conn) {
        conn.batch_execute("CREATE TABLE prices (id INTEGER PRIMARY KEY, amount NUMERIC NOT NULL, note NUMERIC)")?;
        quarry::insert_into(prices::table)
            .values(&vec![
                (prices::id.eq(1), prices::amount.eq(d("12.50")), prices::note.eq(None::<Decimal>)),
                (prices::id.eq(2), prices::amount.eq(d("-0.25")), prices::note.eq(Some(d("1.125")))),
                (prices::id.eq(3), prices::amount.eq(d("1234567.89")), prices::note.eq(Some(d("0")))),
            ])
            .execute(conn)?;
        let rows: Vec<(i32, Decimal, Option<Decimal>)> = prices::table.order(prices::id).load(conn)?;
        assert_eq!(rows, [(1, d("12.5"), None), (2, d("-0.25"), Some(d("1.125"))), (3, d("1234567.89"), Some(d("0")))]);
        // Compared as numbers, not as text ("12.5" > "1234567.89" as text).
        let big: Vec<i32> = prices::table.filter(prices::amount.gt(d("100"))).select(prices::id).load(conn)?;
        assert_eq!(big, [3]);
        let top: Option<Decimal> = prices::table.select(max(prices::amount)).get_result(conn)?;
        assert_eq!(top, Some(d("1234567.89")));
        let total: Option<Decimal> = prices::table.filter(prices::id.lt(3)).select(sum(prices::amount)).get_result(conn)?;
        assert_eq!(total, Some(d("12.25")));
        // The average of a decimal is a decimal (exact on PostgreSQL; SQLite averages as floats), and
        // still reads into an f64.
        let mean: Option<Decimal> = prices::table.filter(prices::id.lt(3)).select(avg(prices::amount)).get_result(conn)?;
        assert_eq!(mean.map(|m| m.round_dp(6)), Some(d("6.125")));
        let mean: Option<f64> = prices::table.filter(prices::id.lt(3)).select(avg(prices::amount)).get_result(conn)?;
        assert_eq!(mean, Some(6.125));
        let none: Option<Decimal> = prices::table.filter(prices::id.gt(9)).select(avg(prices::amount)).get_result(conn)?;
        assert_eq!(none, None);
        let doubled: Decimal = prices::table.find(2).select(prices::amount * d("2")).get_result(conn)?;
        assert_eq!(doubled, d("-0.5"));
        // Integers and floats bind to a numeric column too; the float read back as an f64.
        quarry::update(prices::table.find(1)).set(prices::amount.eq(7_i64)).execute(conn)?;
        let seven: f64 = prices::table.find(1).select(prices::amount).get_result(conn)?;
        assert_eq!(seven, 7.0);
        Ok(())
    }
}

#[test]
fn sqlite_keeps_every_digit_in_a_text_column_and_refuses_what_a_decimal_cannot_hold() {
    let mut conn = empty_db();
    conn.batch_execute("CREATE TABLE prices (id INTEGER PRIMARY KEY, amount TEXT NOT NULL, note TEXT)").unwrap();
    let exact = d("1234567890123456.789012345678");
    quarry::insert_into(prices::table).values((prices::id.eq(1), prices::amount.eq(exact))).execute(&mut conn).unwrap();
    let back: Decimal = prices::table.find(1).select(prices::amount).get_result(&mut conn).unwrap();
    assert_eq!(back, exact);
    assert_eq!(back.to_string(), "1234567890123456.789012345678", "the scale is kept too");
    conn.batch_execute(
        "INSERT INTO prices VALUES (2, '1e3', NULL), (3, 'abc', NULL), (4, '123456789012345678901234567890', NULL)",
    )
    .unwrap();
    let sci: Decimal = prices::table.find(2).select(prices::amount).get_result(&mut conn).unwrap();
    assert_eq!(sci, d("1000"));
    for id in [3, 4] {
        let err = prices::table.find(id).select(prices::amount).get_result::<Decimal>(&mut conn).unwrap_err();
        assert!(matches!(err, Error::DeserializationError(_)), "{err}");
        assert!(err.to_string().contains("amount"), "the column is named: {err}");
    }
}

#[test]
fn postgres_keeps_every_digit_and_refuses_nan_and_overflow() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute("CREATE TABLE prices (id INTEGER PRIMARY KEY, amount NUMERIC NOT NULL, note NUMERIC)").unwrap();
    let exact = d("1234567890123456.789012345678");
    let tiny = d("-0.0000000000000000000000000001");
    quarry::insert_into(prices::table)
        .values(&vec![
            (prices::id.eq(1), prices::amount.eq(exact), prices::note.eq(Some(tiny))),
            (prices::id.eq(2), prices::amount.eq(d("100.000")), prices::note.eq(None)),
        ])
        .execute(&mut conn)
        .unwrap();
    let rows: Vec<(Decimal, Option<Decimal>)> =
        prices::table.order(prices::id).select((prices::amount, prices::note)).load(&mut conn).unwrap();
    assert_eq!(rows, [(exact, Some(tiny)), (d("100"), None)]);
    assert_eq!(rows[1].0.to_string(), "100.000", "the scale the server keeps");
    conn.batch_execute("INSERT INTO prices VALUES (3, 'NaN', NULL), (4, 1e40, NULL)").unwrap();
    for id in [3, 4] {
        let err = prices::table.find(id).select(prices::amount).get_result::<Decimal>(&mut conn).unwrap_err();
        assert!(matches!(err, Error::DeserializationError(_)), "{err}");
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn decimals() -> impl Strategy<Value = Decimal> {
        // Every mantissa of up to 96 bits and every scale a Decimal holds.
        (any::<i64>(), any::<u32>(), 0u32..=28).prop_map(|(hi, lo, scale)| {
            let mantissa = (i128::from(hi) << 32) | i128::from(lo);
            Decimal::from_i128_with_scale(mantissa, scale)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_decimal_reads_back_as_itself_on_both_backends(values in proptest::collection::vec(decimals(), 1..20)) {
            let mut sqlite = empty_db();
            sqlite.batch_execute("CREATE TABLE prices (id INTEGER PRIMARY KEY, amount TEXT NOT NULL, note TEXT)").unwrap();
            let rows: Vec<_> = values.iter().enumerate().map(|(i, v)| (prices::id.eq(i as i32), prices::amount.eq(*v))).collect();
            quarry::insert_into(prices::table).values(&rows).execute(&mut sqlite).unwrap();
            let back: Vec<Decimal> = prices::table.order(prices::id).select(prices::amount).load(&mut sqlite).unwrap();
            prop_assert_eq!(&back, &values);
            for (b, v) in back.iter().zip(&values) {
                prop_assert_eq!(b.scale(), v.scale(), "the scale survives");
            }
            if let Some(mut pg) = pg_seeded_db() {
                let back: Vec<Decimal> = values
                    .iter()
                    .map(|v| quarry::select(v.into_sql::<quarry::sql_types::Numeric>()).get_result(&mut pg).unwrap())
                    .collect();
                prop_assert_eq!(&back, &values);
                for (b, v) in back.iter().zip(&values) {
                    prop_assert_eq!(b.scale(), v.scale(), "the scale survives");
                }
            }
        }
    }
}
