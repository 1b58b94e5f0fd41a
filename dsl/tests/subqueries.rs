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

    fn a_subquery_over_the_outer_querys_own_table(conn) {
        // Posts by the authors of unpublished posts: the subquery reads `posts` too, and inside it
        // `posts` is its own table (SQL resolves names from the innermost query out).
        let q = posts::table
            .select(posts::id)
            .filter(posts::user_id.eq_any(posts::table.filter(posts::published.eq(false)).select(posts::user_id)))
            .order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."user_id" IN (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."published" = ?) ORDER BY "posts"."id""#
        );
        assert_eq!(q.load::<i32>(conn)?, [1, 2]);
        // The same table in EXISTS and in a scalar subquery: the newest post, and users with any post.
        let newest = posts::table
            .select(posts::title)
            .filter(posts::id.nullable().eq(posts::table.select(max(posts::id)).single_value()))
            .get_result::<String>(conn)?;
        assert_eq!(newest, "Black");
        let with_posts = users::table
            .select(users::id)
            .filter(users::id.eq_any(users::table.inner_join(posts::table).select(users::id)))
            .order(users::id)
            .load::<i32>(conn)?;
        assert_eq!(with_posts, [1, 2, 3]);
        // UPDATE and DELETE whose subquery reads the statement's own table.
        let first_of_each = posts::table.filter(posts::id.nullable().eq_any(posts::table.select(max(posts::id)).group_by(posts::user_id)));
        assert_eq!(first_of_each.count().get_result::<i64>(conn)?, 3);
        let newest_published = posts::table.select(max(posts::id)).filter(posts::published.eq(true));
        let n = quarry::update(posts::table.filter(posts::id.nullable().ne_all(newest_published)))
            .set(posts::body.eq("not the newest published"))
            .execute(conn)?;
        assert_eq!(n, 3);
        // Only the newest published post (4) kept its NULL body.
        let n = quarry::delete(posts::table.filter(posts::id.eq_any(posts::table.filter(posts::body.is_null()).select(posts::id))))
            .execute(conn)?;
        assert_eq!(n, 1);
        assert_eq!(posts::table.select(max(posts::id)).get_result::<Option<i32>>(conn)?, Some(3));
        Ok(())
    }

    fn an_aliased_subquery_names_the_outer_row_of_the_same_table(conn) {
        // To compare with the outer `posts` from a subquery on `posts`, the subquery reads an alias:
        // posts whose author wrote another post.
        let others = quarry::alias!(posts as others);
        let q = posts::table
            .select(posts::id)
            .filter(exists(
                others
                    .filter(others.field(posts::user_id).eq(posts::user_id))
                    .filter(others.field(posts::id).ne(posts::id)),
            ))
            .order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id" FROM "posts" WHERE EXISTS (SELECT "others"."id", "others"."user_id", "others"."title", "others"."body", "others"."published" FROM "posts" AS "others" WHERE "others"."user_id" = "posts"."user_id" AND "others"."id" <> "posts"."id") ORDER BY "posts"."id""#
        );
        assert_eq!(q.load::<i32>(conn)?, [1, 2]);
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
