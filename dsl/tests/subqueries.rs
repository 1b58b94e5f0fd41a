//! Subqueries (`eq_any` over a query, `exists`, `single_value`) and set operations.

mod common;

use common::*;
use quarry::dsl::{count_star, exists, max, not};
use quarry::prelude::*;
use quarry::sql_types::{Integer, Text};

on_every_backend! {
    fn eq_any_over_a_subquery(conn) {
        let authors_of_published = posts::table.select(posts::user_id).filter(posts::published.eq(true));
        let q = users::table.select(users::name).filter(users::id.eq_any(authors_of_published)).order(users::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."published" = ?) ORDER BY "users"."id""#
        );
        assert_eq!(q.load::<String>(conn)?, ["Ann", "Bo", "Cy"]);
        let never_unpublished = users::table
            .select(users::name)
            .filter(users::id.ne_all(posts::table.select(posts::user_id).filter(posts::published.eq(false))))
            .order(users::id);
        assert_eq!(never_unpublished.load::<String>(conn)?, ["Bo", "Cy"]);
        Ok(())
    }

    fn exists_and_not_exists(conn) {
        let q = users::table.select(users::id).filter(exists(posts::table.filter(posts::published.eq(false))));
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."id" FROM "users" WHERE EXISTS (SELECT "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "posts" WHERE "posts"."published" = ?)"#
        );
        assert_eq!(q.count().get_result::<i64>(conn)?, 3);
        let none = users::table.filter(not(exists(posts::table))).count();
        assert_eq!(
            sql(&none),
            r#"SELECT COUNT(*) FROM "users" WHERE NOT (EXISTS (SELECT "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "posts"))"#
        );
        assert_eq!(none.get_result::<i64>(conn)?, 0);
        Ok(())
    }

    fn a_scalar_subquery_in_select_and_where(conn) {
        let post_count = posts::table.select(count_star()).single_value();
        let q = users::table.select((users::name, post_count)).filter(users::id.eq(1));
        assert_eq!(sql(&q), r#"SELECT "users"."name", (SELECT COUNT(*) FROM "posts") FROM "users" WHERE "users"."id" = ?"#);
        assert_eq!(q.get_result::<(String, Option<i64>)>(conn)?, ("Ann".to_owned(), Some(4)));
        let newest_post = posts::table.select(max(posts::id)).single_value();
        let titles: Vec<String> =
            posts::table.select(posts::title).filter(posts::id.nullable().eq(newest_post)).load(conn)?;
        assert_eq!(titles, ["Black"]);
        Ok(())
    }

    fn set_operations(conn) {
        let authors = posts::table.select(posts::user_id);
        let red = users::table.select(users::id).filter(users::hair_color.eq("red"));
        let q = authors.union(red);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."user_id" FROM "posts" UNION SELECT "users"."id" FROM "users" WHERE "users"."hair_color" = ?"#
        );
        let mut ids = q.load::<i32>(conn)?;
        ids.sort();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(authors.union_all(red).load::<i32>(conn)?.len(), 5);
        assert_eq!(authors.intersect(red).load::<i32>(conn)?, [2]);
        let mut rest = authors.except(red).load::<i32>(conn)?;
        rest.sort();
        assert_eq!(rest, [1, 3]);
        Ok(())
    }

    fn a_correlated_exists_names_the_outer_table(conn) {
        // Users having a post titled "Red hair".
        let q = users::table
            .select(users::name)
            .filter(exists(posts::table.filter(posts::user_id.eq(users::id)).filter(posts::title.eq("Red hair"))));
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name" FROM "users" WHERE EXISTS (SELECT "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "posts" WHERE "posts"."user_id" = "users"."id" AND "posts"."title" = ?)"#
        );
        assert_eq!(q.load::<String>(conn)?, ["Bo"]);
        // Users with no unpublished post.
        let all_published: Vec<String> = users::table
            .select(users::name)
            .filter(not(exists(posts::table.filter(posts::user_id.eq(users::id).and(posts::published.eq(false))))))
            .order(users::id)
            .load(conn)?;
        assert_eq!(all_published, ["Bo", "Cy"]);
        Ok(())
    }

    fn correlated_scalar_subquery_and_eq_any(conn) {
        let posts_per_user = posts::table.select(count_star()).filter(posts::user_id.eq(users::id)).single_value();
        let q = users::table.select((users::name, posts_per_user)).order(users::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name", (SELECT COUNT(*) FROM "posts" WHERE "posts"."user_id" = "users"."id") FROM "users" ORDER BY "users"."id""#
        );
        let rows: Vec<(String, Option<i64>)> = q.load(conn)?;
        assert_eq!(rows, [("Ann".to_owned(), Some(2)), ("Bo".to_owned(), Some(1)), ("Cy".to_owned(), Some(1))]);
        // A correlated IN: posts whose author's name equals the post's title (none in the data).
        let q = posts::table
            .select(posts::id)
            .filter(posts::user_id.eq_any(users::table.select(users::id).filter(users::name.eq(posts::title))));
        assert!(q.load::<i32>(conn)?.is_empty());
        Ok(())
    }

    fn select_without_from_asks_the_database_a_question(conn) {
        let q = quarry::select(exists(users::table.filter(users::name.eq("Ann"))));
        assert_eq!(
            sql(&q),
            r#"SELECT EXISTS (SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" WHERE "users"."name" = ?)"#
        );
        assert!(q.get_result::<bool>(conn)?);
        let nobody: bool = quarry::select(exists(users::table.filter(users::name.eq("Zed")))).get_result(conn)?;
        assert!(!nobody);
        Ok(())
    }

    fn select_without_from_computes_values_and_scalar_subqueries(conn) {
        let q = quarry::select((42.into_sql::<Integer>(), "answer".into_sql::<Text>()));
        assert_eq!(debug(&q), r#"SELECT ?, ? -- binds: [42, "answer"]"#);
        assert_eq!(q.get_result::<(i32, String)>(conn)?, (42, "answer".to_string()));

        let both = quarry::select((
            users::table.select(quarry::dsl::count_star()).single_value(),
            posts::table.select(quarry::dsl::max(posts::id)).single_value(),
        ));
        let (users, last_post): (Option<i64>, Option<i32>) = both.get_result(conn)?;
        assert_eq!((users, last_post), (Some(3), Some(4)));
        Ok(())
    }
}
