//! SQL functions declared with `define_sql_function!`: typed arguments, the declared return type, and
//! every clause they can stand in.

mod common;

use common::backends::BackendSql;
use common::*;
use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sql_types::*;

quarry::define_sql_function! {
    /// `upper(text)`.
    fn upper(text: Text) -> Text;
}
quarry::define_sql_function! { fn length(text: Text) -> Integer; }
quarry::define_sql_function! { fn coalesce(value: Nullable<Text>, otherwise: Text) -> Text; }
quarry::define_sql_function! { fn printf(format: Text, number: BigInt) -> Text; }

#[test]
fn the_text_functions_quarry_ships() -> QueryResult<()> {
    use quarry::dsl::{length, lower, trim, upper};
    let mut conn = seeded_db();
    let q = users::table.filter(lower(users::name).eq("bo")).select((
        upper(users::name),
        length(users::name),
        trim(" x ".into_sql::<Text>()),
    ));
    let row: (String, i32, String) = q.first(&mut conn)?;
    assert_eq!(row, ("BO".to_string(), 2, "x".to_string()));
    Ok(())
}

#[test]
fn a_function_of_an_aggregate_with_group_by() -> quarry::result::QueryResult<()> {
    // SQLite only: its SQL is SQLite's.
    let conn = &mut seeded_db();
    let q = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, printf("%d post(s)", count_star())))
        .order(posts::user_id);
    let rows: Vec<(i32, String)> = q.load(conn)?;
    assert_eq!(rows, [(1, "2 post(s)".to_string()), (2, "1 post(s)".to_string()), (3, "1 post(s)".to_string())]);
    Ok(())
}

on_every_backend! {
    fn functions_in_select_filter_and_order(conn) {
        let q = users::table
            .filter(length(users::name).eq(2))
            .order(upper(users::name).desc())
            .select((upper(users::name), coalesce(users::hair_color, "none")));
        assert_eq!(
            debug(&q),
            r#"SELECT upper("users"."name"), coalesce("users"."hair_color", ?) FROM "users" WHERE length("users"."name") = ? ORDER BY upper("users"."name") DESC -- binds: ["none", 2]"#
        );
        let rows: Vec<(String, String)> = q.load(conn)?;
        assert_eq!(rows, [("CY".to_string(), "black".to_string()), ("BO".to_string(), "red".to_string())]);
        Ok(())
    }

    fn a_call_with_the_same_types_is_cached_and_binds_new_values(conn) {
        let find = |conn: &mut _, name: &str| {
            users::table.filter(upper(users::name).eq(upper(name.to_string()))).select(users::id).load::<i32>(conn)
        };
        assert_eq!(find(conn, "ann")?, [1]);
        let before = conn.stats();
        assert_eq!(find(conn, "bo")?, [2]);
        assert_eq!(conn.stats().renders, before.renders);
        Ok(())
    }
}

on_every_backend! {
    fn raw_sql_fragments_typed_inside_the_dsl(conn) {
        use quarry::dsl::sql;
        // Text and bound values, in a WHERE clause and a select list; the binds keep their order with
        // the DSL's own around them, and the parentheses keep the fragment's OR inside it.
        let q = users::table
            .filter(users::id.gt(0))
            .filter(sql::<Bool>("upper(name) = ").bind::<Text, _>("BO").sql(" OR id = ").bind::<Integer, _>(3))
            .select((users::id, sql::<Integer>("length(name) + ").bind::<Integer, _>(10)))
            .order(users::id);
        assert_eq!(
            sql_of(&q),
            r#"SELECT "users"."id", (length(name) + ?) FROM "users" WHERE "users"."id" > ? AND (upper(name) = ? OR id = ?) ORDER BY "users"."id""#
        );
        assert_eq!(q.load::<(i32, i32)>(conn)?, [(2, 12), (3, 12)]);
        let none = users::table
            .filter(users::id.gt(5))
            .filter(sql::<Bool>("upper(name) = 'BO' OR id = 3"))
            .count()
            .get_result::<i64>(conn)?;
        assert_eq!(none, 0);
        // A raw fragment the server rejects is an error naming it, not a panic.
        let bad = users::table.select(sql::<Integer>("no_such_function(id)")).load::<i32>(conn);
        assert!(bad.is_err());
        Ok(())
    }
}

fn sql_of<Q: quarry::render::QueryFragment + quarry::backend::RunsOn<quarry::sqlite::Sqlite>>(q: &Q) -> String {
    quarry::debug_query::<quarry::sqlite::Sqlite, _>(q).sql().expect("renders")
}

quarry::define_sql_function! {
    /// `sqlite_version()`: a function of no argument.
    fn sqlite_version() -> Text;
}

#[test]
fn a_function_of_no_argument() -> QueryResult<()> {
    let mut conn = seeded_db();
    let version: String = quarry::select(sqlite_version()).get_result(&mut conn)?;
    assert!(version.starts_with("3."), "{version}");
    let q = users::table.select((users::id, sqlite_version())).filter(users::id.eq(1));
    assert_eq!(
        quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().expect("renders"),
        r#"SELECT "users"."id", sqlite_version() FROM "users" WHERE "users"."id" = ?"#
    );
    Ok(())
}

on_every_backend! {
    fn the_functions_people_reach_for(conn) {
        use quarry::dsl::{abs, coalesce, nullif, replace, round, substr};
        let rows: Vec<(String, Option<String>, i32, f64, String, String)> = users::table
            .select((
                coalesce(users::hair_color, "none"),
                nullif(users::name, "Bo"),
                abs(users::id - 3),
                round(users::id.cast::<Double>() / 3.0),
                substr(users::name, 1, 2),
                replace(users::name, "n", "N"),
            ))
            .order(users::id)
            .load(conn)?;
        assert_eq!(rows[0], ("none".into(), Some("Ann".into()), 2, 0.0, "An".into(), "ANN".into()));
        assert_eq!(rows[1].1, None);
        assert_eq!(rows[1].0, "red");
        assert_eq!((rows[1].3, rows[2].2, rows[2].3), (1.0, 0, 1.0));
        // Casts keep nullability: a nullable column casts to a nullable type.
        let casts: Vec<(String, i64, Option<String>)> = users::table
            .select((users::id.cast::<Text>(), users::id.cast::<BigInt>() * 10, users::hair_color.cast::<Text>()))
            .order(users::id)
            .load(conn)?;
        assert_eq!(casts[0], ("1".into(), 10, None));
        assert_eq!(casts[1].2.as_deref(), Some("red"));
        Ok(())
    }
}

on_every_backend! {
    fn the_clock_now_and_today(conn) {
        use quarry::dsl::{date, now, today};
        let (at, day, day_of_now): (chrono::NaiveDateTime, chrono::NaiveDate, chrono::NaiveDate) =
            quarry::select((now, today, date(now))).get_result(conn)?;
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let clock = chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0).expect("a time").naive_utc();
        let drift = (clock - at).num_seconds().abs();
        assert!(drift < 120, "CURRENT_TIMESTAMP is {at}, {drift} s from this machine's clock");
        assert_eq!(day, day_of_now);
        // In a comparison, as Diesel users write it.
        let none_in_the_future: i64 = users::table.filter(now.lt(now)).count().get_result(conn)?;
        assert_eq!(none_in_the_future, 0);
        Ok(())
    }
}

quarry::table! {
    docs (id) {
        id -> Integer,
        data -> Json,
        extra -> Nullable<Jsonb>,
    }
}

on_every_backend! {
    fn random_is_a_double_in_zero_to_one(conn) {
        use quarry::dsl::random;
        let draws: Vec<f64> = posts::table.select(random()).load(conn)?;
        assert_eq!(draws.len(), 4);
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)), "{draws:?}");
        // A new value per row and per run: 200 draws are not all equal.
        let many: Vec<f64> = quarry::select(random()).load(conn)?.into_iter()
            .chain((0..199).map(|_| quarry::select(random()).get_result::<f64>(conn)).collect::<QueryResult<Vec<_>>>()?)
            .collect();
        assert!(many.iter().all(|d| (0.0..1.0).contains(d)));
        assert!(many.iter().any(|d| *d != many[0]));
        // Shuffling: every row, in some order.
        let mut shuffled: Vec<i32> = posts::table.select(posts::id).order(random()).load(conn)?;
        shuffled.sort();
        assert_eq!(shuffled, [1, 2, 3, 4]);
        Ok(())
    }

    fn json_fields_read_alike_on_every_backend(conn) {
        conn.batch_execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, data JSON NOT NULL, extra JSONB)")?;
        let rows = [
            (1, r#"{"name": "Ann", "age": 31, "score": 2.5, "admin": true, "$odd.key": "dollar", "nested": {"a": 1}}"#, Some(r#"{"tier": "gold"}"#)),
            (2, r#"{"name": "Bo", "age": 25, "score": 1, "admin": false, "nickname": null}"#, None),
            (3, r#"{"name": "Cy \u00e9"}"#, Some("{}")),
        ];
        for (id, data, extra) in rows {
            quarry::insert_into(docs::table)
                .values((docs::id.eq(id), docs::data.eq(data), docs::extra.eq(extra)))
                .execute(conn)?;
        }
        let q = docs::table
            .select((
                docs::data.json_get::<Text>("name"),
                docs::data.json_get::<Integer>("age"),
                docs::data.json_get::<Double>("score"),
                docs::data.json_get::<Bool>("admin"),
                docs::data.json_get::<Text>("$odd.key"),
                docs::data.json_get::<Text>("nickname"),
                docs::extra.json_get::<Text>("tier"),
            ))
            .order(docs::id);
        type Row = (Option<String>, Option<i32>, Option<f64>, Option<bool>, Option<String>, Option<String>, Option<String>);
        let got: Vec<Row> = q.load(conn)?;
        assert_eq!(got[0], (Some("Ann".into()), Some(31), Some(2.5), Some(true), Some("dollar".into()), None, Some("gold".into())));
        assert_eq!(got[1], (Some("Bo".into()), Some(25), Some(1.0), Some(false), None, None, None));
        assert_eq!(got[2], (Some("Cy é".into()), None, None, None, None, None, None));
        // In WHERE and ORDER BY, with a BigInt comparison.
        let older: Vec<i32> = docs::table
            .filter(docs::data.json_get::<BigInt>("age").gt(30_i64))
            .select(docs::id)
            .load(conn)?;
        assert_eq!(older, [1]);
        let by_age: Vec<i32> = docs::table.select(docs::id).order(docs::data.json_get::<Integer>("age").desc()).filter(docs::id.lt(3)).load(conn)?;
        assert_eq!(by_age, [1, 2]);
        // A NUL escaped in the JSON: SQLite reads it, PostgreSQL's text cannot hold it (an `Err`).
        quarry::insert_into(docs::table).values((docs::id.eq(4), docs::data.eq(r#"{"name": "a\u0000b"}"#))).execute(conn)?;
        let nul = docs::table.find(4).select(docs::data.json_get::<Text>("name")).first::<Option<String>>(conn);
        if conn.is_postgres() {
            assert!(nul.is_err(), "{nul:?}");
            return Ok(());
        }
        assert_eq!(nul?, Some("a\0b".to_string()));
        // A text field read as a number is an `Err` from the database on PostgreSQL; never a panic.
        let wrong = docs::table.select(docs::data.json_get::<Integer>("name")).load::<Option<i32>>(conn);
        assert!(wrong.is_ok(), "SQLite's CAST makes a number of any text: {wrong:?}");
        Ok(())
    }
}
