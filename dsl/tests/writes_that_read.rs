//! UPDATE .. FROM and DELETE of joined rows on every backend: `update(target.inner_join(..))` writes the
//! first table and reads the others; `delete(target.inner_join(..))` deletes the target's rows that have a
//! match (USING on PostgreSQL, a correlated EXISTS on SQLite).
//!
//! The seed: users 1 Ann (no hair colour), 2 Bo (red), 3 Cy (black); posts 1 (user 1, "Hello",
//! published), 2 (user 1, "Again"), 3 (user 2, "Red hair", published), 4 (user 3, "Black", published).

mod common;

use common::backends::BackendSql;
use common::*;
use quarry::dsl::{count_star, with};
use quarry::prelude::*;

// Each post's byline: who wrote it, as text, filled from `users`.
quarry::table! {
    bylines (post_id) {
        post_id -> Integer,
        user_id -> Integer,
        author -> Nullable<Text>,
    }
}
quarry::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}
quarry::allow_tables_to_appear_in_same_query!(bylines, users, posts, post_counts, comments);

#[derive(AsChangeset)]
#[quarry(table_name = bylines)]
struct Byline<'a> {
    author: Option<&'a str>,
}

fn with_bylines(conn: &mut impl Connection) -> quarry::result::QueryResult<()> {
    conn.batch_execute(
        "CREATE TABLE bylines (post_id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, author TEXT);
         INSERT INTO bylines (post_id, user_id) VALUES (1, 1), (2, 1), (3, 2), (4, 3);",
    )
}

on_every_backend! {
    fn update_from_a_joined_table(conn) {
        with_bylines(conn)?;
        let q = quarry::update(bylines::table.inner_join(users::table.on(users::id.eq(bylines::user_id))))
            .set(bylines::author.eq(users::name.nullable()));
        assert_eq!(
            sql(&q),
            r#"UPDATE "bylines" SET "author" = "users"."name" FROM "users" WHERE "users"."id" = "bylines"."user_id""#
        );
        assert_eq!(q.execute(conn)?, 4);
        let rows: Vec<(i32, Option<String>)> = bylines::table.select((bylines::post_id, bylines::author)).order(bylines::post_id).load(conn)?;
        assert_eq!(rows, [(1, Some("Ann".into())), (2, Some("Ann".into())), (3, Some("Bo".into())), (4, Some("Cy".into()))]);

        // Filters on the joined table, OR only among the statement's own filters, RETURNING the target's rows.
        let q = quarry::update(
            bylines::table
                .inner_join(users::table.on(users::id.eq(bylines::user_id)))
                .filter(users::hair_color.eq("red"))
                .or_filter(users::hair_color.eq("black")),
        )
        .set(bylines::author.eq(users::hair_color))
        .returning(bylines::post_id);
        assert!(sql(&q).ends_with(r#" FROM "users" WHERE "users"."id" = "bylines"."user_id" AND ("users"."hair_color" = ? OR "users"."hair_color" = ?) RETURNING "bylines"."post_id""#), "{}", sql(&q));
        let mut changed = q.get_results::<i32>(conn)?;
        changed.sort();
        assert_eq!(changed, [3, 4]);
        let authors: Vec<Option<String>> = bylines::table.select(bylines::author).order(bylines::post_id).load(conn)?;
        assert_eq!(authors, [Some("Ann".into()), Some("Ann".into()), Some("red".into()), Some("black".into())]);
        Ok(())
    }

    fn update_through_several_joins_and_a_struct_changeset(conn) {
        with_bylines(conn)?;
        // bylines -> posts -> users: the users' names of published posts.
        let q = quarry::update(
            bylines::table
                .inner_join(posts::table.on(posts::id.eq(bylines::post_id)))
                .inner_join(users::table.on(users::id.eq(posts::user_id)))
                .filter(posts::published.eq(true)),
        )
        .set(bylines::author.eq(users::name.nullable()));
        assert!(sql(&q).contains(r#" FROM "posts", "users" WHERE "posts"."id" = "bylines"."post_id" AND "users"."id" = "posts"."user_id" AND "posts"."published" = ?"#), "{}", sql(&q));
        assert_eq!(q.execute(conn)?, 3);
        let missing: i64 = bylines::table.filter(bylines::author.is_null()).count().get_result(conn)?;
        assert_eq!(missing, 1);

        // A derived changeset on a joined target: Rust values only, filtered through the join.
        let n = quarry::update(bylines::table.inner_join(users::table.on(users::id.eq(bylines::user_id))).filter(users::name.eq("Ann")))
            .set(&Byline { author: Some("A.") })
            .execute(conn)?;
        assert_eq!(n, 2);
        let ann: Vec<Option<String>> = bylines::table.filter(bylines::user_id.eq(1)).select(bylines::author).load(conn)?;
        assert_eq!(ann, [Some("A.".into()), Some("A.".into())]);
        Ok(())
    }

    fn update_from_a_subquery_in_from(conn) {
        with_bylines(conn)?;
        // Each byline gets its author's number of posts: the join reads a subquery in FROM, whose WITH
        // clause goes before UPDATE.
        let counts = posts::table.group_by(posts::user_id).select((posts::user_id, count_star()));
        let q = quarry::update(bylines::table.inner_join(post_counts::table.from_query(counts).on(post_counts::user_id.eq(bylines::user_id))))
            .set(bylines::author.eq(post_counts::n.cast::<quarry::sql_types::Text>().nullable()));
        assert!(sql(&q).starts_with(r#"WITH "post_counts"("user_id", "n") AS (SELECT "#), "{}", sql(&q));
        assert_eq!(q.execute(conn)?, 4);
        let authors: Vec<Option<String>> = bylines::table.select(bylines::author).order(bylines::post_id).load(conn)?;
        assert_eq!(authors, [Some("2".into()), Some("2".into()), Some("1".into()), Some("1".into())]);

        // And after a statement-level WITH.
        let q = with(post_counts::table.as_cte(posts::table.filter(posts::published.eq(true)).group_by(posts::user_id).select((posts::user_id, count_star()))))
            .query(quarry::update(bylines::table.inner_join(post_counts::table.on(post_counts::user_id.eq(bylines::user_id)))).set(bylines::author.eq(Some("published"))));
        assert_eq!(q.execute(conn)?, 4);
        Ok(())
    }

    fn update_from_the_same_table_through_an_alias(conn) {
        // Each post takes the title of the post after it: a self-join, the second copy aliased.
        let next = quarry::alias!(posts as next);
        let q = quarry::update(posts::table.inner_join(next.on(next.field(posts::id).eq(posts::id + 1))))
            .set(posts::title.eq(next.field(posts::title)));
        assert_eq!(
            sql(&q),
            r#"UPDATE "posts" SET "title" = "next"."title" FROM "posts" AS "next" WHERE "next"."id" = ("posts"."id" + ?)"#
        );
        assert_eq!(q.execute(conn)?, 3);
        let titles: Vec<String> = posts::table.select(posts::title).order(posts::id).load(conn)?;
        assert_eq!(titles, ["Again", "Red hair", "Black", "Black"]);
        Ok(())
    }

    fn delete_the_rows_with_a_match(conn) {
        let q = quarry::delete(posts::table.inner_join(users::table).filter(users::name.eq("Ann")));
        let expected = if conn.is_postgres() {
            r#"DELETE FROM "posts" USING "users" WHERE "posts"."user_id" = "users"."id" AND "users"."name" = $1"#
        } else {
            r#"DELETE FROM "posts" WHERE EXISTS (SELECT 1 FROM "users" WHERE "posts"."user_id" = "users"."id" AND "users"."name" = ?)"#
        };
        assert_eq!(conn.sql_of(&q), expected);
        assert_eq!(q.execute(conn)?, 2);
        let left: Vec<i32> = posts::table.select(posts::id).order(posts::id).load(conn)?;
        assert_eq!(left, [3, 4]);

        // RETURNING the deleted rows; a filter that also reads the target.
        let q = quarry::delete(posts::table.inner_join(users::table).filter(users::hair_color.eq("black").and(posts::published.eq(true))))
            .returning(posts::title);
        assert_eq!(q.get_results::<String>(conn)?, ["Black"]);
        // No match: nothing deleted.
        let n = quarry::delete(posts::table.inner_join(users::table).filter(users::name.eq("nobody"))).execute(conn)?;
        assert_eq!(n, 0);
        assert_eq!(posts::table.count().get_result::<i64>(conn)?, 1);
        Ok(())
    }
}
