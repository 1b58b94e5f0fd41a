//! Expression methods: each one's SQL and the rows it selects.

mod common;

use common::*;
use quarry::dsl::not;
use quarry::prelude::*;
use quarry::result::QueryResult;

/// The ids of the users matching `predicate`, in id order, and the WHERE clause it rendered.
macro_rules! users_where {
    ($conn:expr, $predicate:expr) => {{
        let q = users::table.select(users::id).filter($predicate).order(users::id);
        let text = sql(&q);
        let clause =
            text.split(" WHERE ").nth(1).and_then(|w| w.split(" ORDER BY ").next()).expect("a WHERE clause").to_owned();
        (clause, q.load::<i32>($conn)?)
    }};
}

#[test]
fn asc_and_desc_render_their_direction() {
    let q = users::table.select(users::id).order((users::name.asc(), users::id.desc()));
    assert_eq!(sql(&q), r#"SELECT "users"."id" FROM "users" ORDER BY "users"."name" ASC, "users"."id" DESC"#);
}

#[test]
fn case_when_with_and_without_else() -> QueryResult<()> {
    use quarry::dsl::case_when;
    use quarry::sql_types::Text;
    let mut conn = seeded_db();
    let label = case_when(users::hair_color.is_null(), "unknown".into_sql::<Text>())
        .when(users::hair_color.eq("red"), "redhead")
        .otherwise(users::name);
    let q = users::table.select(label).order(users::id);
    assert_eq!(
        debug(&q),
        r#"SELECT CASE WHEN "users"."hair_color" IS NULL THEN ? WHEN "users"."hair_color" = ? THEN ? ELSE "users"."name" END FROM "users" ORDER BY "users"."id" -- binds: ["unknown", "red", "redhead"]"#
    );
    assert_eq!(q.load::<String>(&mut conn)?, ["unknown", "redhead", "Cy"]);
    let maybe = users::table.select(case_when(users::id.gt(1), users::name)).order(users::id);
    assert_eq!(maybe.load::<Option<String>>(&mut conn)?, [None, Some("Bo".to_owned()), Some("Cy".to_owned())]);
    let in_where: Vec<i32> = users::table
        .select(users::id)
        .filter(case_when(users::id.eq(2), users::name).otherwise("x").eq("Bo"))
        .load(&mut conn)?;
    assert_eq!(in_where, [2]);
    Ok(())
}

on_every_backend! {
    fn is_distinct_from_treats_null_as_a_value(conn) {
        // Ann has no hair colour: `<> 'red'` leaves her out (NULL), IS DISTINCT FROM keeps her.
        let mut ids: Vec<i32> =
            users::table.filter(users::hair_color.is_distinct_from(Some("red"))).select(users::id).load(conn)?;
        ids.sort();
        assert_eq!(ids, [1, 3]);
        let ne: Vec<i32> = users::table.filter(users::hair_color.ne("red")).select(users::id).load(conn)?;
        assert_eq!(ne, [3]);
        let none: Option<&str> = None;
        let ids: Vec<i32> =
            users::table.filter(users::hair_color.is_not_distinct_from(none)).select(users::id).load(conn)?;
        assert_eq!(ids, [1], "NULL is not distinct from NULL");
        let ids: Vec<i32> =
            users::table.filter(users::hair_color.is_distinct_from(none)).order(users::id).select(users::id).load(conn)?;
        assert_eq!(ids, [2, 3]);
        Ok(())
    }

    fn comparisons(conn) {
        let c = conn;
        assert_eq!(users_where!(c, users::id.eq(2)), (r#""users"."id" = ?"#.into(), vec![2]));
        assert_eq!(users_where!(c, users::id.ne(2)), (r#""users"."id" <> ?"#.into(), vec![1, 3]));
        assert_eq!(users_where!(c, users::id.gt(2)), (r#""users"."id" > ?"#.into(), vec![3]));
        assert_eq!(users_where!(c, users::id.ge(2)), (r#""users"."id" >= ?"#.into(), vec![2, 3]));
        assert_eq!(users_where!(c, users::id.lt(2)), (r#""users"."id" < ?"#.into(), vec![1]));
        assert_eq!(users_where!(c, users::id.le(2)), (r#""users"."id" <= ?"#.into(), vec![1, 2]));
        Ok(())
    }

    fn comparing_two_columns(conn) {
        let q = posts::table.select(posts::id).filter(posts::id.eq(posts::user_id)).order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."id" = "posts"."user_id" ORDER BY "posts"."id""#
        );
        assert_eq!(q.load::<i32>(conn)?, [1]);
        Ok(())
    }

    fn eq_any_and_ne_all_take_vecs_slices_and_arrays(conn) {
        let c = conn;
        assert_eq!(users_where!(c, users::id.eq_any(vec![1, 3])), (r#""users"."id" IN (?, ?)"#.into(), vec![1, 3]));
        let names = ["Bo".to_owned(), "Cy".to_owned()];
        assert_eq!(users_where!(c, users::name.eq_any(&names[..])), (r#""users"."name" IN (?, ?)"#.into(), vec![2, 3]));
        assert_eq!(users_where!(c, users::id.ne_all([1, 2])), (r#""users"."id" NOT IN (?, ?)"#.into(), vec![3]));
        Ok(())
    }

    fn eq_any_of_an_empty_list_matches_nothing_and_ne_all_everything(conn) {
        let c = conn;
        assert_eq!(users_where!(c, users::id.eq_any(Vec::<i32>::new())), ("1 = 0".into(), vec![]));
        assert_eq!(users_where!(c, users::id.ne_all(Vec::<i32>::new())), ("1 = 1".into(), vec![1, 2, 3]));
        Ok(())
    }

    fn null_checks(conn) {
        let c = conn;
        assert_eq!(users_where!(c, users::hair_color.is_null()), (r#""users"."hair_color" IS NULL"#.into(), vec![1]));
        assert_eq!(
            users_where!(c, users::hair_color.is_not_null()),
            (r#""users"."hair_color" IS NOT NULL"#.into(), vec![2, 3])
        );
        Ok(())
    }

    fn between_and_not_between(conn) {
        let c = conn;
        assert_eq!(users_where!(c, users::id.between(2, 3)), (r#""users"."id" BETWEEN ? AND ?"#.into(), vec![2, 3]));
        assert_eq!(users_where!(c, users::id.not_between(2, 3)), (r#""users"."id" NOT BETWEEN ? AND ?"#.into(), vec![1]));
        Ok(())
    }

    fn like_and_not_like(conn) {
        let c = conn;
        assert_eq!(users_where!(c, users::name.like("%y")), (r#""users"."name" LIKE ?"#.into(), vec![3]));
        assert_eq!(users_where!(c, users::name.not_like("A%")), (r#""users"."name" NOT LIKE ?"#.into(), vec![2, 3]));
        assert_eq!(users_where!(c, users::hair_color.like("r%")), (r#""users"."hair_color" LIKE ?"#.into(), vec![2]));
        Ok(())
    }

    fn and_or_not(conn) {
        let c = conn;
        assert_eq!(
            users_where!(c, users::id.gt(1).and(users::hair_color.eq("red"))),
            (r#""users"."id" > ? AND "users"."hair_color" = ?"#.into(), vec![2])
        );
        assert_eq!(
            users_where!(c, users::id.eq(1).or(users::id.eq(3))),
            (r#"("users"."id" = ? OR "users"."id" = ?)"#.into(), vec![1, 3])
        );
        assert_eq!(users_where!(c, not(users::id.eq(1))), (r#"NOT ("users"."id" = ?)"#.into(), vec![2, 3]));
        // AND over an OR keeps the OR grouped.
        assert_eq!(
            users_where!(c, users::id.gt(1).and(users::name.eq("Ann").or(users::name.eq("Cy")))),
            (r#""users"."id" > ? AND ("users"."name" = ? OR "users"."name" = ?)"#.into(), vec![3])
        );
        Ok(())
    }

    fn nullable_lets_a_non_null_column_meet_a_nullable_one(conn) {
        conn.batch_execute("UPDATE users SET hair_color = 'Cy' WHERE id = 3")?;
        let q = users::table.select(users::id).filter(users::hair_color.eq(users::name.nullable()));
        assert_eq!(sql(&q), r#"SELECT "users"."id" FROM "users" WHERE "users"."hair_color" = "users"."name""#);
        assert_eq!(q.load::<i32>(conn)?, [3]);
        let names: Vec<Option<String>> = users::table.select(users::name.nullable()).order(users::id).load(conn)?;
        assert_eq!(names, [Some("Ann".to_owned()), Some("Bo".to_owned()), Some("Cy".to_owned())]);
        Ok(())
    }

    fn binding_an_option_to_a_nullable_column(conn) {
        let wanted: Option<&str> = Some("black");
        let q = users::table.select(users::id).filter(users::hair_color.eq(wanted));
        assert_eq!(debug(&q), r#"SELECT "users"."id" FROM "users" WHERE "users"."hair_color" = ? -- binds: ["black"]"#);
        assert_eq!(q.load::<i32>(conn)?, [3]);
        Ok(())
    }

    fn concat_joins_text(conn) {
        let q = users::table.select(users::name.concat("!")).filter(users::id.eq(1));
        assert_eq!(debug(&q), r#"SELECT ("users"."name" || ?) FROM "users" WHERE "users"."id" = ? -- binds: ["!", 1]"#);
        assert_eq!(q.get_result::<String>(conn)?, "Ann!");
        let q = users::table.select(users::name.concat(users::name)).filter(users::id.eq(2));
        assert_eq!(q.get_result::<String>(conn)?, "BoBo");
        Ok(())
    }

    fn arithmetic_binds_values_and_chains(conn) {
        let q = posts::table.select(posts::id).filter((posts::id + posts::user_id).gt(5)).order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."id" + "posts"."user_id") > ? ORDER BY "posts"."id""#
        );
        assert_eq!(q.load::<i32>(conn)?, [4]);
        Ok(())
    }

    fn text_with_quotes_is_bound_never_spliced(conn) {
        let hostile = "x'; DROP TABLE users; --";
        let q = users::table.select(users::id).filter(users::name.eq(hostile));
        assert_eq!(sql(&q), r#"SELECT "users"."id" FROM "users" WHERE "users"."name" = ?"#);
        assert!(q.load::<i32>(conn)?.is_empty());
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 3);
        Ok(())
    }

    fn assume_not_null_reads_a_nullable_expression_into_a_plain_value(conn) {
        let newest: i32 = quarry::select(users::table.select(quarry::dsl::max(users::id)).single_value().assume_not_null())
            .get_result(conn)?;
        assert_eq!(newest, 3);
        // A NULL after all is an error naming it, not a panic.
        let missing = users::table.find(1).select(users::hair_color.assume_not_null()).first::<String>(conn);
        assert!(matches!(missing, Err(quarry::result::Error::DeserializationError(_))), "{missing:?}");
        Ok(())
    }
}

on_every_backend! {
    /// A value with no column around it (`select(value.into_sql())`) reads back as its type: on
    /// PostgreSQL dates, times and timestamps are bound with their types (a parameter the server could
    /// not place would come back as text).
    fn dates_and_times_with_no_column_around_them_read_back_as_themselves(conn) {
        use quarry::sql_types::{Date, Time, Timestamp, Timestamptz};
        let day = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date");
        let at = day.and_hms_micro_opt(23, 59, 58, 123_456).expect("a time");
        let utc = at.and_utc();
        let back: (chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime, chrono::DateTime<chrono::Utc>) =
            quarry::select((
                day.into_sql::<Date>(),
                at.time().into_sql::<Time>(),
                at.into_sql::<Timestamp>(),
                utc.into_sql::<Timestamptz>(),
            ))
            .get_result(conn)?;
        assert_eq!(back, (day, at.time(), at, utc));
        let t = time::PrimitiveDateTime::new(
            time::Date::from_calendar_date(2024, time::Month::February, 29).expect("a date"),
            time::Time::from_hms_micro(23, 59, 58, 123_456).expect("a time"),
        );
        let back: (time::Date, time::PrimitiveDateTime, time::OffsetDateTime) =
            quarry::select((t.date().into_sql::<Date>(), t.into_sql::<Timestamp>(), t.assume_utc().into_sql::<Timestamptz>()))
                .get_result(conn)?;
        assert_eq!(back, (t.date(), t, t.assume_utc()));
        Ok(())
    }
}

/// An array of a built-in type, bound with no column around it, reads back as an array (PostgreSQL).
#[test]
fn an_array_with_no_column_around_it_reads_back_as_an_array() {
    use quarry::sql_types::{Array, Date, Integer, Nullable};
    let Some(mut conn) = common::backends::pg_seeded_db() else { return };
    let day = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date");
    let back: (Vec<i32>, Vec<chrono::NaiveDate>, Option<Vec<i32>>) = quarry::select((
        vec![1, -2, 3].into_sql::<Array<Integer>>(),
        vec![day].into_sql::<Array<Date>>(),
        None::<Vec<i32>>.into_sql::<Nullable<Array<Integer>>>(),
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(back, (vec![1, -2, 3], vec![day], None));
}
