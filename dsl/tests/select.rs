//! SELECT: every query-building method, asserting the SQL it renders and the rows it returns.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::{Error, QueryResult};

#[test]
fn dsl_module_brings_bare_column_names() -> QueryResult<()> {
    use common::users::dsl::*;
    let mut conn = seeded_db();
    let q = users.select(name).filter(id.ge(2)).order(name);
    assert_eq!(sql(&q), r#"SELECT "users"."name" FROM "users" WHERE "users"."id" >= ? ORDER BY "users"."name""#);
    assert_eq!(q.load::<String>(&mut conn)?, ["Bo", "Cy"]);
    Ok(())
}

on_every_backend! {
    fn a_table_loads_all_columns_into_a_queryable_struct(conn) {
        let q = users::table.order(users::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" ORDER BY "users"."id""#
        );
        assert_eq!(q.load::<User>(conn)?, vec![ann(), bo(), cy()]);
        Ok(())
    }

    fn select_one_column_loads_values(conn) {
        let q = users::table.select(users::name).order(users::name.desc());
        assert_eq!(sql(&q), r#"SELECT "users"."name" FROM "users" ORDER BY "users"."name" DESC"#);
        assert_eq!(q.load::<String>(conn)?, ["Cy", "Bo", "Ann"]);
        Ok(())
    }

    fn select_a_tuple_loads_tuples(conn) {
        let q = users::table.select((users::id, users::hair_color)).order(users::id);
        assert_eq!(sql(&q), r#"SELECT "users"."id", "users"."hair_color" FROM "users" ORDER BY "users"."id""#);
        assert_eq!(
            q.load::<(i32, Option<String>)>(conn)?,
            vec![(1, None), (2, Some("red".to_owned())), (3, Some("black".to_owned()))]
        );
        Ok(())
    }

    fn as_select_reads_a_selectable_struct(conn) {
        let q = posts::table.select(Post::as_select()).filter(posts::published.eq(false));
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "posts" WHERE "posts"."published" = ?"#
        );
        let rows = q.load::<Post>(conn)?;
        assert_eq!(rows, vec![Post { id: 2, user_id: 1, title: "Again".into(), body: None, published: false }]);
        Ok(())
    }

    fn select_arithmetic_computes_in_sql(conn) {
        let q = users::table.select((users::id * 10 + 1, users::id - 1, users::id / 2)).order(users::id);
        assert_eq!(
            debug(&q),
            r#"SELECT (("users"."id" * ?) + ?), ("users"."id" - ?), ("users"."id" / ?) FROM "users" ORDER BY "users"."id" -- binds: [10, 1, 1, 2]"#
        );
        assert_eq!(q.load::<(i32, i32, i32)>(conn)?, vec![(11, 0, 0), (21, 1, 1), (31, 2, 1)]);
        Ok(())
    }

    fn repeated_filters_are_joined_with_and(conn) {
        let q = posts::table.select(posts::id).filter(posts::user_id.eq(1)).filter(posts::published.eq(true));
        assert_eq!(
            debug(&q),
            r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."published" = ? -- binds: [1, true]"#
        );
        assert_eq!(q.load::<i32>(conn)?, [1]);
        Ok(())
    }

    fn or_filter_joins_with_or(conn) {
        let q = users::table
            .select(users::name)
            .filter(users::id.eq(1))
            .or_filter(users::hair_color.eq("black"))
            .order(users::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name" FROM "users" WHERE ("users"."id" = ? OR "users"."hair_color" = ?) ORDER BY "users"."id""#
        );
        assert_eq!(q.load::<String>(conn)?, ["Ann", "Cy"]);
        Ok(())
    }

    fn or_filter_after_and_keeps_sql_precedence(conn) {
        // (published AND user 1) OR user 3: the OR must not swallow the AND's left side.
        let q = posts::table
            .select(posts::id)
            .filter(posts::published.eq(true))
            .filter(posts::user_id.eq(1))
            .or_filter(posts::user_id.eq(3))
            .order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."published" = ? AND "posts"."user_id" = ? OR "posts"."user_id" = ?) ORDER BY "posts"."id""#
        );
        assert_eq!(q.load::<i32>(conn)?, [1, 4]);
        Ok(())
    }

    fn find_looks_up_the_primary_key(conn) {
        let q = users::table.find(2);
        assert_eq!(
            debug(&q),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" WHERE "users"."id" = ? -- binds: [2]"#
        );
        assert_eq!(q.get_result::<User>(conn)?, bo());
        Ok(())
    }

    fn first_adds_a_literal_limit_one(conn) {
        let q = users::table.order(users::name.desc());
        assert_eq!(
            sql(&q.limit_one()),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" ORDER BY "users"."name" DESC LIMIT 1"#
        );
        assert_eq!(q.first::<User>(conn)?, cy());
        Ok(())
    }

    fn first_of_nothing_is_not_found_and_optional_turns_it_into_none(conn) {
        let missing = users::table.find(99).first::<User>(conn);
        assert!(matches!(missing, Err(Error::NotFound)), "{missing:?}");
        assert_eq!(users::table.find(99).first::<User>(conn).optional()?, None);
        assert_eq!(users::table.find(1).first::<User>(conn).optional()?, Some(ann()));
        Ok(())
    }

    fn order_by_several_keys_and_then_order_by(conn) {
        let q = posts::table
            .select(posts::id)
            .order_by((posts::published.desc(), posts::user_id.asc()))
            .then_order_by(posts::id.desc());
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."published" DESC, "posts"."user_id" ASC, "posts"."id" DESC"#
        );
        assert_eq!(q.load::<i32>(conn)?, [1, 3, 4, 2]);
        Ok(())
    }

    fn then_order_by_without_order_starts_one(conn) {
        let q = users::table.select(users::id).then_order_by(users::id.desc());
        assert_eq!(sql(&q), r#"SELECT "users"."id" FROM "users" ORDER BY "users"."id" DESC"#);
        assert_eq!(q.load::<i32>(conn)?, [3, 2, 1]);
        Ok(())
    }

    fn limit_and_offset_page_through_rows(conn) {
        let q = posts::table.select(posts::id).order(posts::id).limit(2).offset(1);
        assert_eq!(sql(&q), r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" LIMIT 2 OFFSET 1"#);
        assert_eq!(q.load::<i32>(conn)?, [2, 3]);
        Ok(())
    }

    fn offset_without_limit_gets_an_unbounded_limit(conn) {
        let q = posts::table.select(posts::id).order(posts::id).offset(3);
        assert_eq!(sql(&q), r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" LIMIT -1 OFFSET 3"#);
        assert_eq!(q.load::<i32>(conn)?, [4]);
        Ok(())
    }

    fn distinct_removes_duplicate_rows(conn) {
        let q = posts::table.select(posts::user_id).distinct().order(posts::user_id);
        assert_eq!(sql(&q), r#"SELECT DISTINCT "posts"."user_id" FROM "posts" ORDER BY "posts"."user_id""#);
        assert_eq!(q.load::<i32>(conn)?, [1, 2, 3]);
        Ok(())
    }

    fn count_counts_the_filtered_rows(conn) {
        let q = posts::table.filter(posts::published.eq(true)).count();
        assert_eq!(sql(&q), r#"SELECT COUNT(*) FROM "posts" WHERE "posts"."published" = ?"#);
        assert_eq!(q.get_result::<i64>(conn)?, 3);
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 3);
        Ok(())
    }

    fn get_results_is_load(conn) {
        let rows: Vec<i32> = users::table.select(users::id).order(users::id).get_results(conn)?;
        assert_eq!(rows, [1, 2, 3]);
        Ok(())
    }

    fn star_selects_every_column(conn) {
        let q = users::table.select(users::star).filter(users::id.eq(1));
        assert_eq!(sql(&q), r#"SELECT "users".* FROM "users" WHERE "users"."id" = ?"#);
        assert_eq!(q.load::<User>(conn)?, vec![ann()]);
        let all = users::table.select(users::all_columns).order(users::id).load::<User>(conn)?;
        assert_eq!(all, vec![ann(), bo(), cy()]);
        Ok(())
    }

    fn a_query_value_is_copy_and_can_be_run_again(conn) {
        let q = users::table.select(users::id).filter(users::name.like("%y")).order(users::id);
        let once = q.load::<i32>(conn)?;
        let twice = q.load::<i32>(conn)?;
        assert_eq!(once, [3]);
        assert_eq!(once, twice);
        Ok(())
    }

    fn load_iter_reads_rows_one_at_a_time_and_frees_the_statement(conn) {
        let mut names = Vec::new();
        for user in users::table.order(users::id).load_iter::<User>(conn)? {
            names.push(user?.name);
        }
        assert_eq!(names, ["Ann", "Bo", "Cy"]);
        // Stopping early resets the statement: the same query runs again from the start.
        let first: Vec<i32> =
            users::table.select(users::id).order(users::id).load_iter(conn)?.take(1).collect::<QueryResult<_>>()?;
        assert_eq!(first, [1]);
        let again: Vec<i32> =
            users::table.select(users::id).order(users::id).load_iter(conn)?.collect::<QueryResult<_>>()?;
        assert_eq!(again, [1, 2, 3]);
        Ok(())
    }

    fn loaded_rows_are_a_plain_vec_whose_slice_methods_are_reachable(conn) {
        let rows: Vec<User> = users::table.order(users::id).load(conn)?;
        // `first` and `last` here are the slice's, not `RunQueryDsl`'s (which is only on statements).
        assert_eq!(rows.first().map(|u| u.id), Some(1));
        assert_eq!(rows.last().map(|u| u.name.as_str()), Some("Cy"));
        Ok(())
    }
}
