//! Statement-level common table expressions on every backend: `with(shape::table.as_cte(query))` before a
//! SELECT, INSERT, UPDATE and DELETE; several CTEs where a later one reads an earlier one; one CTE read
//! twice; recursive ones; MATERIALIZED hints; and a statement whose own subquery in FROM joins the list.
//!
//! The seed's posts: 1 (user 1, "Hello", published), 2 (user 1, "Again"), 3 (user 2, "Red hair",
//! published), 4 (user 3, "Black", published).

mod common;

use common::*;
use quarry::connection::FirstDsl;
use quarry::dsl::{count_star, max, with};
use quarry::prelude::*;

// How many posts each user wrote.
quarry::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}
// The users who wrote the most.
quarry::table! {
    top_authors (user_id) {
        user_id -> Integer,
    }
}
// Ids of posts (drafts, numbers of a series).
quarry::table! {
    ids (id) {
        id -> Integer,
    }
}
quarry::table! {
    archive (id) {
        id -> Integer,
        title -> Text,
    }
}
quarry::allow_tables_to_appear_in_same_query!(users, posts, post_counts, top_authors, ids, archive);

macro_rules! counts {
    () => {
        posts::table.group_by(posts::user_id).select((posts::user_id, count_star()))
    };
}

on_every_backend! {
    fn one_cte_read_twice(conn) {
        let busiest = post_counts::table.select(max(post_counts::n)).single_value();
        let q = with(post_counts::table.as_cte(counts!())).query(
            users::table
                .inner_join(post_counts::table.on(post_counts::user_id.eq(users::id)))
                .filter(post_counts::n.nullable().eq(busiest))
                .select((users::name, post_counts::n)),
        );
        assert_eq!(
            sql(&q),
            r#"WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id") SELECT "users"."name", "post_counts"."n" FROM "users" INNER JOIN "post_counts" ON "post_counts"."user_id" = "users"."id" WHERE "post_counts"."n" = (SELECT MAX("post_counts"."n") FROM "post_counts")"#
        );
        assert_eq!(q.load::<(String, i64)>(conn)?, [("Ann".to_string(), 2)]);
        Ok(())
    }

    fn a_later_cte_reads_an_earlier_one(conn) {
        let busiest = post_counts::table.select(max(post_counts::n)).single_value();
        let q = with(post_counts::table.as_cte(counts!()))
            .with(top_authors::table.as_cte(
                post_counts::table.filter(post_counts::n.nullable().eq(busiest)).select(post_counts::user_id),
            ))
            .query(users::table.filter(users::id.eq_any(top_authors::table.select(top_authors::user_id))).select(users::name));
        assert!(sql(&q).starts_with(
            r#"WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id"), "top_authors"("user_id") AS (SELECT "post_counts"."user_id" FROM "post_counts" WHERE"#
        ));
        assert_eq!(q.load::<String>(conn)?, ["Ann"]);
        // The whole CTE read as a table, and `first`.
        let q = with(post_counts::table.as_cte(counts!())).query(post_counts::table.order(post_counts::user_id));
        assert_eq!(q.load::<(i32, i64)>(conn)?, [(1, 2), (2, 1), (3, 1)]);
        let q = with(post_counts::table.as_cte(counts!())).query(post_counts::table.order(post_counts::n.desc()).limit(1));
        assert_eq!(q.get_result::<(i32, i64)>(conn)?, (1, 2));
        // `first` limits the statement after WITH.
        let q = with(post_counts::table.as_cte(counts!())).query(post_counts::table.order(post_counts::n.desc()));
        assert!(sql(&q.limit_one_row()).ends_with(r#"ORDER BY "post_counts"."n" DESC LIMIT 1"#));
        let q = with(post_counts::table.as_cte(counts!())).query(post_counts::table.order(post_counts::n.desc()));
        assert_eq!(q.first::<(i32, i64)>(conn)?, (1, 2));
        Ok(())
    }

    fn before_insert_update_and_delete(conn) {
        conn.batch_execute("CREATE TABLE archive (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")?;
        let drafts = || ids::table.as_cte(posts::table.filter(posts::published.eq(false)).select(posts::id));

        // INSERT .. SELECT from the CTE, with RETURNING.
        let q = with(drafts()).query(
            quarry::insert_into(archive::table)
                .values(posts::table.filter(posts::id.eq_any(ids::table.select(ids::id))).select((posts::id, posts::title)))
                .into_columns((archive::id, archive::title)),
        );
        assert!(sql(&q).starts_with(r#"WITH "ids"("id") AS (SELECT "posts"."id" FROM "posts" WHERE "posts"."published" = "#));
        assert!(sql(&q).contains(r#") INSERT INTO "archive" ("id", "title") SELECT "posts"."id", "posts"."title" FROM "posts" WHERE "posts"."id" IN (SELECT "ids"."id" FROM "ids")"#));
        assert_eq!(q.execute(conn)?, 1);
        let archived: Vec<(i32, String)> = archive::table.load(conn)?;
        assert_eq!(archived, [(2, "Again".to_string())]);

        // UPDATE whose WHERE reads the CTE, RETURNING the changed rows.
        let q = with(drafts()).query(
            quarry::update(posts::table.filter(posts::id.eq_any(ids::table.select(ids::id))))
                .set(posts::title.eq("Draft"))
                .returning(posts::id),
        );
        assert_eq!(q.get_results::<i32>(conn)?, [2]);
        let title: String = posts::table.find(2).select(posts::title).first(conn)?;
        assert_eq!(title, "Draft");

        // DELETE whose WHERE reads the CTE.
        let q = with(drafts()).query(quarry::delete(posts::table.filter(posts::id.eq_any(ids::table.select(ids::id)))));
        assert_eq!(sql(&q), r#"WITH "ids"("id") AS (SELECT "posts"."id" FROM "posts" WHERE "posts"."published" = ?) DELETE FROM "posts" WHERE "posts"."id" IN (SELECT "ids"."id" FROM "ids")"#);
        assert_eq!(q.execute(conn)?, 1);
        assert_eq!(posts::table.count().get_result::<i64>(conn)?, 3);

        // An INSERT of no rows after CTEs that only read does nothing, as without WITH.
        let none: Vec<(quarry::expression::Eq<archive::id, quarry::expression::Operand<quarry::sql_types::Integer, i32>>,)> = Vec::new();
        assert_eq!(with(drafts()).query(quarry::insert_into(archive::table).values(&none)).execute(conn)?, 0);
        // Too many rows for one statement's binds: an `Err` naming the limit's cause, never a panic.
        let many: Vec<_> = (100..70_000).map(|i| (archive::id.eq(i), archive::title.eq("x"))).collect();
        let err = with(drafts()).query(quarry::insert_into(archive::table).values(&many)).execute(conn);
        assert!(err.is_err());
        Ok(())
    }

    fn a_subquery_in_from_joins_the_statements_with_clause(conn) {
        let q = with(top_authors::table.as_cte(users::table.filter(users::id.lt(3)).select(users::id))).query(
            post_counts::table
                .from_query(counts!())
                .filter(post_counts::user_id.eq_any(top_authors::table.select(top_authors::user_id)))
                .order(post_counts::user_id),
        );
        let text = sql(&q);
        assert!(text.starts_with(r#"WITH "top_authors"("user_id") AS (SELECT "users"."id" FROM "users" WHERE "users"."id" < "#), "{text}");
        assert!(text.contains(r#"), "post_counts"("user_id", "n") AS (SELECT"#), "{text}");
        assert_eq!(text.matches("WITH").count(), 1, "{text}");
        assert_eq!(q.load::<(i32, i64)>(conn)?, [(1, 2), (2, 1)]);

        // A subquery in FROM under the shape of a statement-level CTE: two CTEs of one name, an `Err`
        // before anything runs (was the database's error).
        let clash = with(post_counts::table.as_cte(counts!()))
            .query(post_counts::table.from_query(counts!()).select(post_counts::user_id));
        let err = clash.load::<i32>(conn).unwrap_err();
        assert!(err.to_string().contains("two common table expressions named `post_counts`"), "{err}");

        // A boxed query and a set operation as the statement.
        let boxed = post_counts::table.from_query(counts!()).filter(post_counts::n.gt(1)).select(post_counts::user_id).into_boxed();
        let q = with(top_authors::table.as_cte(users::table.filter(users::id.eq(3)).select(users::id)))
            .query(boxed.union(top_authors::table.select(top_authors::user_id)));
        let mut rows = q.load::<i32>(conn)?;
        rows.sort();
        assert_eq!(rows, [1, 3]);
        Ok(())
    }

    fn recursive_ctes_and_hints(conn) {
        // 1..=5 from a recursive CTE, read by a statement beside a plain CTE.
        let series = ids::table.as_recursive_cte(
            quarry::select(1.into_sql::<quarry::sql_types::Integer>()),
            ids::table.filter(ids::id.lt(5)).select(ids::id + 1),
        );
        let q = with(post_counts::table.as_cte(counts!()))
            .with(series)
            .query(ids::table.filter(ids::id.eq_any(post_counts::table.select(post_counts::user_id))).select(ids::id).order(ids::id));
        let text = sql(&q);
        assert!(text.starts_with(r#"WITH RECURSIVE "post_counts"("user_id", "n") AS ("#), "{text}");
        assert!(text.contains(r#"), "ids"("id") AS (SELECT "#), "{text}");
        assert_eq!(q.load::<i32>(conn)?, [1, 2, 3]);

        // MATERIALIZED and NOT MATERIALIZED: the same rows.
        let q = with(post_counts::table.as_cte(counts!()).materialized()).query(post_counts::table.select(post_counts::n));
        assert!(sql(&q).starts_with(r#"WITH "post_counts"("user_id", "n") AS MATERIALIZED (SELECT "#));
        assert_eq!(q.load::<i64>(conn)?.iter().sum::<i64>(), 4);
        let q = with(post_counts::table.as_cte(counts!()).not_materialized()).query(post_counts::table.select(post_counts::n));
        assert!(sql(&q).starts_with(r#"WITH "post_counts"("user_id", "n") AS NOT MATERIALIZED (SELECT "#));
        assert_eq!(q.load::<i64>(conn)?.iter().sum::<i64>(), 4);
        Ok(())
    }

    fn binds_in_the_ctes_and_the_statement_keep_their_order(conn) {
        // Binds in two CTEs and in the statement: each lands on its own placeholder.
        let query = |title: &'static str, name: &'static str, not_title: &'static str| {
            with(ids::table.as_cte(posts::table.filter(posts::title.eq(title)).select(posts::id)))
                .with(top_authors::table.as_cte(users::table.filter(users::name.eq(name)).select(users::id)))
                .query(
                    posts::table
                        .filter(posts::id.eq_any(ids::table.select(ids::id)).or(posts::user_id.eq_any(top_authors::table.select(top_authors::user_id))))
                        .filter(posts::title.ne(not_title))
                        .select(posts::id)
                        .order(posts::id),
                )
        };
        assert_eq!(query("Hello", "Bo", "nothing").load::<i32>(conn)?, [1, 3]);
        // The same statement again, other values: the cached statement binds the new ones.
        let q = query("Black", "Ann", "Again");
        assert_eq!(q.load::<i32>(conn)?, [1, 4]);
        Ok(())
    }

    fn a_with_statement_stands_where_a_query_does(conn) {
        let authors = || top_authors::table.as_cte(posts::table.filter(posts::published.eq(true)).select(posts::user_id));
        let published_authors = || with(authors()).query(top_authors::table.select(top_authors::user_id));
        // In a subquery, on both sides of a set operation, in FROM, and as an INSERT's rows.
        let q = users::table.filter(users::id.eq_any(published_authors())).select(users::name).order(users::id);
        assert_eq!(q.load::<String>(conn)?, ["Ann", "Bo", "Cy"]);
        let q = users::table
            .filter(quarry::dsl::exists(with(authors()).query(top_authors::table.filter(top_authors::user_id.eq(2)).select(top_authors::user_id))))
            .count();
        assert_eq!(q.get_result::<i64>(conn)?, 3);
        let q = published_authors().union(with(ids::table.as_cte(users::table.filter(users::id.eq(9)).select(users::id))).query(ids::table.select(ids::id)));
        assert!(sql(&q).contains(r#" UNION SELECT * FROM (WITH "ids"("id") AS ("#), "{}", sql(&q));
        let mut rows = q.load::<i32>(conn)?;
        rows.sort();
        assert_eq!(rows, [1, 2, 3]);
        let q = ids::table.from_query(published_authors()).filter(ids::id.gt(1)).select(ids::id).order(ids::id);
        assert_eq!(q.load::<i32>(conn)?, [2, 3]);
        conn.batch_execute("CREATE TABLE archive (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")?;
        let rows = with(authors()).query(users::table.filter(users::id.eq_any(top_authors::table.select(top_authors::user_id))).select((users::id, users::name)));
        assert_eq!(quarry::insert_into(archive::table).values(rows).execute(conn)?, 3);
        // A WITH statement after WITH: one clause, the outer CTEs first.
        let q = with(ids::table.as_cte(users::table.filter(users::id.ne(1)).select(users::id)))
            .query(with(authors()).query(top_authors::table.filter(top_authors::user_id.eq_any(ids::table.select(ids::id))).select(top_authors::user_id).order(top_authors::user_id)));
        assert_eq!(sql(&q).matches("WITH").count(), 1, "{}", sql(&q));
        assert_eq!(q.load::<i32>(conn)?, [2, 3]);
        // And a set operation whose left side is a WITH statement, after WITH.
        let q = with(ids::table.as_cte(users::table.filter(users::id.eq(1)).select(users::id)))
            .query(published_authors().union(ids::table.select(ids::id)));
        assert_eq!(sql(&q).matches("WITH").count(), 1, "{}", sql(&q));
        let mut rows = q.load::<i32>(conn)?;
        rows.sort();
        assert_eq!(rows, [1, 2, 3]);
        Ok(())
    }
}
