//! Aggregates, GROUP BY and HAVING: their SQL and the rows they compute.

mod common;

use common::*;
use quarry::dsl::{avg, count, count_distinct, count_star, max, min, sum};
use quarry::prelude::*;
use quarry::result::QueryResult;

#[test]
fn aggregates_over_no_row_are_null() -> QueryResult<()> {
    let mut conn = empty_db();
    let row: (i64, Option<i64>, Option<f64>, Option<i32>) =
        posts::table.select((count_star(), sum(posts::id), avg(posts::id), max(posts::id))).get_result(&mut conn)?;
    assert_eq!(row, (0, None, None, None));
    Ok(())
}

on_every_backend! {
    fn aggregates_over_a_whole_table(conn) {
        let q = posts::table.select((
            count_star(),
            count(posts::body),
            count_distinct(posts::user_id),
            sum(posts::id),
            avg(posts::id),
        ));
        assert_eq!(
            sql(&q),
            r#"SELECT COUNT(*), COUNT("posts"."body"), COUNT(DISTINCT "posts"."user_id"), SUM("posts"."id"), AVG("posts"."id") FROM "posts""#
        );
        let row: (i64, i64, i64, Option<i64>, Option<f64>) = q.get_result(conn)?;
        assert_eq!(row, (4, 2, 3, Some(10), Some(2.5)));
        let (lo, hi): (Option<String>, Option<String>) =
            users::table.select((min(users::name), max(users::name))).get_result(conn)?;
        assert_eq!((lo.as_deref(), hi.as_deref()), (Some("Ann"), Some("Cy")));
        Ok(())
    }

    fn group_by_a_column_with_aggregates(conn) {
        let q = posts::table.group_by(posts::user_id).select((posts::user_id, count_star())).order(posts::user_id);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id" ORDER BY "posts"."user_id""#
        );
        assert_eq!(q.load::<(i32, i64)>(conn)?, [(1, 2), (2, 1), (3, 1)]);
        Ok(())
    }

    fn having_filters_groups(conn) {
        let q = posts::table.group_by(posts::user_id).having(count_star().gt(1)).select((posts::user_id, count_star()));
        assert_eq!(
            quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
            r#"SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id" HAVING COUNT(*) > ? -- binds: [1]"#
        );
        assert_eq!(q.load::<(i32, i64)>(conn)?, [(1, 2)]);
        let two = posts::table
            .group_by(posts::user_id)
            .having(count_star().ge(1))
            .having(posts::user_id.ne(2))
            .select(posts::user_id)
            .order(posts::user_id);
        assert_eq!(
            sql(&two),
            r#"SELECT "posts"."user_id" FROM "posts" GROUP BY "posts"."user_id" HAVING COUNT(*) >= ? AND "posts"."user_id" <> ? ORDER BY "posts"."user_id""#
        );
        assert_eq!(two.load::<i32>(conn)?, [1, 3]);
        Ok(())
    }

    fn columns_of_a_table_grouped_by_its_primary_key_count_as_grouped(conn) {
        // Group users by id: their name is functionally dependent on it, so it may be selected.
        let q = users::table
            .inner_join(posts::table)
            .group_by(users::id)
            .select((users::name, count(posts::id)))
            .order(users::name);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name", COUNT("posts"."id") FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" GROUP BY "users"."id" ORDER BY "users"."name""#
        );
        assert_eq!(
            q.load::<(String, i64)>(conn)?,
            [("Ann".to_owned(), 2), ("Bo".to_owned(), 1), ("Cy".to_owned(), 1)]
        );
        // Grouping by the primary key keeps the whole row selectable.
        let all: Vec<User> = users::table.group_by(users::id).order(users::id).load(conn)?;
        assert_eq!(all, vec![ann(), bo(), cy()]);
        Ok(())
    }

    fn group_by_a_tuple_and_a_left_join_count(conn) {
        conn.batch_execute("INSERT INTO users (id, name) VALUES (4, 'Di')")?;
        let q = users::table
            .left_join(posts::table)
            .group_by((users::id, users::name))
            .select((users::name, count(posts::id)))
            .order(users::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name", COUNT("posts"."id") FROM "users" LEFT OUTER JOIN "posts" ON "posts"."user_id" = "users"."id" GROUP BY "users"."id", "users"."name" ORDER BY "users"."id""#
        );
        let rows: Vec<(String, i64)> = q.load(conn)?;
        assert_eq!(rows.last(), Some(&("Di".to_owned(), 0)));
        Ok(())
    }

    fn arithmetic_on_aggregates_and_grouped_columns(conn) {
        let q = posts::table.group_by(posts::user_id).select((posts::user_id * 100, max(posts::id))).order(posts::user_id);
        let rows: Vec<(i32, Option<i32>)> = q.load(conn)?;
        assert_eq!(rows, [(100, Some(2)), (200, Some(3)), (300, Some(4))]);
        Ok(())
    }
}
