//! Subqueries in FROM: a `table!` names the rows of a subquery, which then joins, filters and loads like a
//! table (written as a WITH clause, where SQLite lets the subquery's columns be named).

mod common;

use common::*;
use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sql_types::Integer;

// The rows of a subquery that counts each author's posts.
quarry::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}
quarry::allow_tables_to_appear_in_same_query!(users, posts, post_counts);

/// Its type named in full rather than `impl ..`: an opaque type would have to pick the one backend it runs on,
/// and these tests print its SQLite text and run it on PostgreSQL too.
type Counts = quarry::query::SelectedBy<
    quarry::query::Grouped<posts::table, quarry::expression::GroupBy<posts::user_id>>,
    (posts::user_id, quarry::expression::CountStar),
>;

fn counts() -> Counts {
    posts::table.group_by(posts::user_id).select((posts::user_id, count_star()))
}

quarry::table! {
    comment_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}
quarry::allow_tables_to_appear_in_same_query!(users, post_counts, comment_counts);

quarry::table! {
    staff (id) {
        id -> Integer,
        name -> Text,
        manager_id -> Nullable<Integer>,
    }
}
// The rows of a recursive walk down the org chart.
quarry::table! {
    reports (id) {
        id -> Integer,
        name -> Text,
        depth -> Integer,
    }
}
quarry::allow_tables_to_appear_in_same_query!(staff, reports);

#[test]
fn a_recursive_subquery_walks_a_tree() -> QueryResult<()> {
    let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(
        "CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT NOT NULL, manager_id INTEGER REFERENCES staff);
         INSERT INTO staff VALUES (1, 'Ada', NULL), (2, 'Bea', 1), (3, 'Cal', 1), (4, 'Dov', 2), (5, 'Eli', 4), (6, 'Fay', NULL);",
    )?;
    let base = staff::table.filter(staff::id.eq(2)).select((staff::id, staff::name, 0.into_sql::<Integer>()));
    let step = staff::table.inner_join(reports::table.on(staff::manager_id.eq(reports::id))).select((
        staff::id,
        staff::name,
        reports::depth + 1,
    ));
    let q =
        reports::table.from_recursive_query(base, step).order(reports::depth).select((reports::name, reports::depth));
    assert_eq!(
        debug(&q),
        r#"WITH RECURSIVE "reports"("id", "name", "depth") AS (SELECT "staff"."id", "staff"."name", ? FROM "staff" WHERE "staff"."id" = ? UNION ALL SELECT "staff"."id", "staff"."name", ("reports"."depth" + ?) FROM "staff" INNER JOIN "reports" ON "staff"."manager_id" = "reports"."id") SELECT "reports"."name", "reports"."depth" FROM "reports" ORDER BY "reports"."depth" -- binds: [0, 2, 1]"#
    );
    let chain: Vec<(String, i32)> = q.load(&mut conn)?;
    assert_eq!(chain, [("Bea".to_string(), 0), ("Dov".to_string(), 1), ("Eli".to_string(), 2)]);
    Ok(())
}

quarry::table! {
    tree (id) {
        id -> Integer,
        name -> Text,
        depth -> Integer,
    }
}

quarry::table! {
    #[sql_name = "per author"]
    per_author (author) {
        #[sql_name = "author id"]
        author -> Integer,
        posts -> BigInt,
    }
}
quarry::allow_tables_to_appear_in_same_query!(users, per_author);

on_every_backend! {
    fn a_derived_table_joins_filters_and_loads(conn) {
        let q = users::table
            .inner_join(post_counts::table.from_query(counts()).on(post_counts::user_id.eq(users::id)))
            .filter(post_counts::n.ge(1))
            .order(users::id)
            .select((users::name, post_counts::n));
        let rows: Vec<(String, i64)> = q.load(conn)?;
        assert_eq!(rows, [("Ann".to_string(), 2), ("Bo".to_string(), 1), ("Cy".to_string(), 1)]);
        Ok(())
    }

    fn a_query_can_start_from_a_derived_table(conn) {
        let q = post_counts::table.from_query(counts()).filter(post_counts::n.gt(1)).order(post_counts::user_id);
        assert_eq!(
            sql(&q),
            r#"WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id") SELECT "post_counts"."user_id", "post_counts"."n" FROM "post_counts" WHERE "post_counts"."n" > ? ORDER BY "post_counts"."user_id""#
        );
        let busy: Vec<(i32, i64)> = q.load(conn)?;
        assert_eq!(busy, [(1, 2)]);
        Ok(())
    }

    fn binds_inside_and_outside_the_subquery_keep_their_order(conn) {
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
        let rows: Vec<(String, Option<i64>)> = q.load(conn)?;
        assert_eq!(rows, [("Ann".to_string(), Some(1)), ("Bo".to_string(), Some(1))]);

        // The same query type again: found in the statement cache, not rendered again.
        let before = conn.stats();
        let again: Vec<(String, Option<i64>)> = q.load(conn)?;
        assert_eq!(again, rows);
        assert_eq!(conn.stats().renders, before.renders);
        Ok(())
    }

    fn two_derived_tables_and_a_boxed_query(conn) {
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
        let mut rows: Vec<(String, i64, i64)> = q.load(conn)?;
        rows.sort();
        assert_eq!(rows, [("Ann".to_string(), 2, 1), ("Bo".to_string(), 1, 2)]);

        // Boxed, with a filter chosen at run time.
        let mut boxed = post_counts::table.from_query(counts()).into_boxed();
        if rows.len() == 2 {
            boxed = boxed.filter(post_counts::n.eq(2));
        }
        let busy: Vec<(i32, i64)> = boxed.load(conn)?;
        assert_eq!(busy, [(1, 2)]);
        Ok(())
    }

    fn a_derived_table_inside_a_subquery(conn) {
        let prolific = post_counts::table.from_query(counts()).filter(post_counts::n.ge(2)).select(post_counts::user_id);
        let names: Vec<String> = users::table.filter(users::id.eq_any(prolific)).select(users::name).load(conn)?;
        assert_eq!(names, ["Ann"]);
        Ok(())
    }

    fn a_derived_table_whose_query_owns_its_values_joins_too(conn) {
        let excluded_title = String::from("Again"); // an owned bind: the subquery is not `Copy`
        let counts = posts::table
            .filter(posts::title.ne(excluded_title))
            .group_by(posts::user_id)
            .select((posts::user_id, count_star()));
        let rows: Vec<(String, i64)> = users::table
            .inner_join(post_counts::table.from_query(counts).on(post_counts::user_id.eq(users::id)))
            .order(users::id)
            .select((users::name, post_counts::n))
            .load(conn)?;
        assert_eq!(rows, [("Ann".to_string(), 1), ("Bo".to_string(), 1), ("Cy".to_string(), 1)]);
        Ok(())
    }

    fn a_derived_table_on_either_side_of_a_union(conn) {
        let busy = || post_counts::table.from_query(counts()).filter(post_counts::n.ge(2)).select(post_counts::user_id);
        let right = users::table.filter(users::id.eq(3)).select(users::id).union(busy());
        assert_eq!(
            sql(&right),
            r#"SELECT "users"."id" FROM "users" WHERE "users"."id" = ? UNION SELECT * FROM (WITH "post_counts"("user_id", "n") AS (SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY "posts"."user_id") SELECT "post_counts"."user_id" FROM "post_counts" WHERE "post_counts"."n" >= ?) AS "quarry_set_operand""#
        );
        let mut ids: Vec<i32> = right.load(conn)?;
        ids.sort();
        assert_eq!(ids, [1, 3]);
        let mut left: Vec<i32> = busy().union(users::table.filter(users::id.eq(3)).select(users::id)).load(conn)?;
        left.sort();
        assert_eq!(left, [1, 3]);
        Ok(())
    }

    fn a_recursive_step_reading_another_derived_table_is_an_error_saying_so(conn) {
        let base = users::table.filter(users::id.eq(1)).select((users::id, users::name, 0.into_sql::<Integer>()));
        let step = users::table
            .inner_join(post_counts::table.from_query(counts()).on(post_counts::user_id.eq(users::id)))
            .select((users::id, users::name, 1.into_sql::<Integer>()));
        let q = tree::table.from_recursive_query(base, step).select(tree::name);
        match q.load::<String>(conn) {
            Err(quarry::result::Error::QueryBuilderError(e)) => {
                assert!(e.to_string().contains("cannot themselves read a subquery in FROM"), "{e}")
            }
            other => panic!("expected a query builder error, got {other:?}"),
        }
        Ok(())
    }

    fn a_shape_with_sql_names_quotes_them_in_the_with_clause(conn) {
        let counts = posts::table.group_by(posts::user_id).select((posts::user_id, count_star()));
        let q = users::table
            .inner_join(per_author::table.from_query(counts).on(per_author::author.eq(users::id)))
            .order(users::id)
            .select((users::name, per_author::posts));
        assert!(sql(&q).starts_with(r#"WITH "per author"("author id", "posts") AS ("#), "{}", sql(&q));
        let rows: Vec<(String, i64)> = q.load(conn)?;
        assert_eq!(rows[0], ("Ann".to_string(), 2));
        Ok(())
    }
}
