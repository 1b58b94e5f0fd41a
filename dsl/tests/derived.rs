//! Subqueries in FROM: a `table!` names the rows of a subquery, which then joins, filters and loads like a
//! table (written as a WITH clause, where SQLite lets the subquery's columns be named).

mod common;

use common::*;
use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry::result::QueryResult;

// The rows of a subquery that counts each author's posts.
quarry::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}
quarry::allow_tables_to_appear_in_same_query!(users, posts, post_counts);

fn counts() -> impl Copy
+ quarry::render::QueryFragment
+ quarry::render::QueryId
+ quarry::query::RunnableQuery
+ quarry::query::RowsOf<post_counts::table> {
    posts::table.group_by(posts::user_id).select((posts::user_id, count_star()))
}

#[test]
fn a_derived_table_joins_filters_and_loads() -> QueryResult<()> {
    let mut conn = seeded_db();
    let q = users::table
        .inner_join(post_counts::table.from_query(counts()).on(post_counts::user_id.eq(users::id)))
        .filter(post_counts::n.ge(1))
        .order(users::id)
        .select((users::name, post_counts::n));
    let rows: Vec<(String, i64)> = q.load(&mut conn)?;
    assert_eq!(rows, [("Ann".to_string(), 2), ("Bo".to_string(), 1), ("Cy".to_string(), 1)]);
    Ok(())
}

#[test]
fn a_query_can_start_from_a_derived_table() -> QueryResult<()> {
    let mut conn = seeded_db();
    let q = post_counts::table.from_query(counts()).filter(post_counts::n.gt(1)).order(post_counts::user_id);
    assert_eq!(
        sql(&q),
        r#"WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id") SELECT "post_counts"."user_id", "post_counts"."n" FROM "post_counts" WHERE "post_counts"."n" > ? ORDER BY "post_counts"."user_id""#
    );
    let busy: Vec<(i32, i64)> = q.load(&mut conn)?;
    assert_eq!(busy, [(1, 2)]);
    Ok(())
}

#[test]
fn binds_inside_and_outside_the_subquery_keep_their_order() -> QueryResult<()> {
    let mut conn = seeded_db();
    let published =
        posts::table.filter(posts::published.eq(true)).group_by(posts::user_id).select((posts::user_id, count_star()));
    let q = users::table
        .left_join(post_counts::table.from_query(published).on(post_counts::user_id.eq(users::id)))
        .filter(users::name.ne("Cy"))
        .order(users::id)
        .select((users::name, post_counts::n.nullable()));
    assert_eq!(
        debug(&q),
        r#"WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" WHERE "posts"."published" = ? GROUP BY "posts"."user_id") SELECT "users"."name", "post_counts"."n" FROM "users" LEFT OUTER JOIN "post_counts" ON "post_counts"."user_id" = "users"."id" WHERE "users"."name" <> ? ORDER BY "users"."id" -- binds: [true, "Cy"]"#
    );
    let rows: Vec<(String, Option<i64>)> = q.load(&mut conn)?;
    assert_eq!(rows, [("Ann".to_string(), Some(1)), ("Bo".to_string(), Some(1))]);

    // The same query type again: found in the statement cache, not rendered again.
    let before = conn.stats();
    let again: Vec<(String, Option<i64>)> = q.load(&mut conn)?;
    assert_eq!(again, rows);
    assert_eq!(conn.stats().renders, before.renders);
    Ok(())
}

quarry::table! {
    comment_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}
quarry::allow_tables_to_appear_in_same_query!(users, post_counts, comment_counts);

#[test]
fn two_derived_tables_and_a_boxed_query() -> QueryResult<()> {
    let mut conn = seeded_db();
    conn.batch_execute(
        "INSERT INTO comments (id, post_id, user_id, body) VALUES (1, 1, 2, 'a'), (2, 3, 2, 'b'), (3, 3, 1, 'c')",
    )?;
    let comments = comments::table.group_by(comments::user_id).select((comments::user_id, count_star()));
    let q = users::table
        .inner_join(post_counts::table.from_query(counts()).on(post_counts::user_id.eq(users::id)))
        .inner_join(comment_counts::table.from_query(comments).on(comment_counts::user_id.eq(users::id)))
        .select((users::name, post_counts::n, comment_counts::n));
    assert!(sql(&q).starts_with(r#"WITH "post_counts"("user_id", "n") AS (SELECT"#), "{}", sql(&q));
    assert!(sql(&q).contains(r#"), "comment_counts"("user_id", "n") AS (SELECT"#), "{}", sql(&q));
    let mut rows: Vec<(String, i64, i64)> = q.load(&mut conn)?;
    rows.sort();
    assert_eq!(rows, [("Ann".to_string(), 2, 1), ("Bo".to_string(), 1, 2)]);

    // Boxed, with a filter chosen at run time.
    let mut boxed = post_counts::table.from_query(counts()).into_boxed();
    if rows.len() == 2 {
        boxed = boxed.filter(post_counts::n.eq(2));
    }
    let busy: Vec<(i32, i64)> = boxed.load(&mut conn)?;
    assert_eq!(busy, [(1, 2)]);
    Ok(())
}

#[test]
fn a_derived_table_inside_a_subquery() -> QueryResult<()> {
    let mut conn = seeded_db();
    let prolific = post_counts::table.from_query(counts()).filter(post_counts::n.ge(2)).select(post_counts::user_id);
    let names: Vec<String> = users::table.filter(users::id.eq_any(prolific)).select(users::name).load(&mut conn)?;
    assert_eq!(names, ["Ann"]);
    Ok(())
}
