//! Joins: inner and left, implicit ON from `joinable!`, explicit `.on(..)`, chained and nested joins,
//! and what a LEFT JOIN's nullable side loads into.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::SqliteConnection;

#[derive(Debug, PartialEq, Queryable, Selectable)]
#[quarry(table_name = comments)]
struct Comment {
    id: i32,
    post_id: i32,
    user_id: i32,
    body: String,
}

fn with_comments() -> SqliteConnection {
    let mut conn = seeded_db();
    conn.batch_execute(
        "INSERT INTO comments (id, post_id, user_id, body) VALUES (1, 1, 2, 'nice'), (2, 1, 3, 'agreed'), (3, 3, 1, 'so red');",
    )
    .expect("seed comments");
    conn
}

#[test]
fn chained_joins_relate_each_table_to_the_first() -> QueryResult<()> {
    let mut conn = with_comments();
    let q = users::table
        .inner_join(posts::table)
        .inner_join(comments::table)
        .select((users::name, posts::title, comments::body))
        .order(comments::id);
    assert_eq!(
        sql(&q),
        r#"SELECT "users"."name", "posts"."title", "comments"."body" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" INNER JOIN "comments" ON "comments"."user_id" = "users"."id" ORDER BY "comments"."id""#
    );
    // Comments written by a user, next to each post of that user.
    let rows: Vec<(String, String, String)> = q.load(&mut conn)?;
    assert_eq!(rows.len(), 4);
    let flat: Vec<(User, Post, Comment)> =
        users::table.inner_join(posts::table).inner_join(comments::table).load(&mut conn)?;
    assert_eq!(flat.len(), 4);
    Ok(())
}

#[test]
fn nested_joins_relate_the_inner_pair() -> QueryResult<()> {
    let mut conn = with_comments();
    let q = users::table
        .inner_join(posts::table.inner_join(comments::table))
        .select((users::name, posts::title, comments::body))
        .order(comments::id);
    assert_eq!(
        sql(&q),
        r#"SELECT "users"."name", "posts"."title", "comments"."body" FROM "users" INNER JOIN ("posts" INNER JOIN "comments" ON "comments"."post_id" = "posts"."id") ON "posts"."user_id" = "users"."id" ORDER BY "comments"."id""#
    );
    let rows: Vec<(String, String, String)> = q.load(&mut conn)?;
    assert_eq!(
        rows,
        [("Ann", "Hello", "nice"), ("Ann", "Hello", "agreed"), ("Bo", "Red hair", "so red")].map(|(a, b, c)| (
            a.to_owned(),
            b.to_owned(),
            c.to_owned()
        ))
    );
    let nested: Vec<(User, (Post, Comment))> =
        users::table.inner_join(posts::table.inner_join(comments::table)).load(&mut conn)?;
    assert_eq!(nested.len(), 3);
    assert_eq!(nested[2].1.1.body, "so red");
    Ok(())
}

#[test]
fn a_left_join_of_a_nested_join_is_one_optional_group() -> QueryResult<()> {
    let mut conn = with_comments();
    let rows: Vec<(User, Option<(Post, Comment)>)> =
        users::table.left_join(posts::table.inner_join(comments::table)).filter(users::id.eq(3)).load(&mut conn)?;
    assert_eq!(rows, vec![(cy(), None)]);
    Ok(())
}

quarry::table! {
    tasks (id) {
        id -> Integer,
        assignee -> Nullable<Integer>,
        title -> Text,
    }
}
quarry::joinable!(tasks -> users (assignee));
quarry::allow_tables_to_appear_in_same_query!(tasks, users);

#[test]
fn a_nullable_foreign_key_joins_on_the_primary_key() -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = seeded_db();
    conn.batch_execute(
        "CREATE TABLE tasks (id INTEGER PRIMARY KEY, assignee INTEGER REFERENCES users, title TEXT NOT NULL);
         INSERT INTO tasks VALUES (1, 2, 'review'), (2, NULL, 'nobody'), (3, 1, 'write');",
    )?;
    let q = tasks::table.inner_join(users::table).select((tasks::title, users::name)).order(tasks::id);
    assert_eq!(
        sql(&q),
        r#"SELECT "tasks"."title", "users"."name" FROM "tasks" INNER JOIN "users" ON "tasks"."assignee" = "users"."id" ORDER BY "tasks"."id""#
    );
    let rows: Vec<(String, String)> = q.load(&mut conn)?;
    assert_eq!(rows, [("review".to_string(), "Bo".to_string()), ("write".to_string(), "Ann".to_string())]);

    let all: Vec<(String, Option<String>)> = tasks::table
        .left_join(users::table)
        .select((tasks::title, users::name.nullable()))
        .order(tasks::id)
        .load(&mut conn)?;
    assert_eq!(all[1], ("nobody".to_string(), None));

    // The same rule in a filter: a column that may be NULL compared with one that may not.
    let mine: Vec<i32> = tasks::table
        .inner_join(users::table)
        .filter(tasks::assignee.eq(users::id))
        .select(tasks::id)
        .load(&mut conn)?;
    assert_eq!(mine.len(), 2);
    Ok(())
}

on_every_backend! {
    fn inner_join_on_a_declared_relation(conn) {
        let q = users::table.inner_join(posts::table).select((users::name, posts::title)).order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" ORDER BY "posts"."id""#
        );
        let rows: Vec<(String, String)> = q.load(conn)?;
        assert_eq!(
            rows,
            [("Ann", "Hello"), ("Ann", "Again"), ("Bo", "Red hair"), ("Cy", "Black")]
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        Ok(())
    }

    fn the_relation_works_from_either_side(conn) {
        let q = posts::table.inner_join(users::table).select((posts::id, users::name)).filter(users::id.eq(2));
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id", "users"."name" FROM "posts" INNER JOIN "users" ON "posts"."user_id" = "users"."id" WHERE "users"."id" = ?"#
        );
        assert_eq!(q.load::<(i32, String)>(conn)?, [(3, "Bo".to_owned())]);
        Ok(())
    }

    fn a_join_without_select_loads_one_struct_per_table(conn) {
        let q = users::table.inner_join(posts::table).filter(posts::published.eq(false));
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."published" = ?"#
        );
        let rows: Vec<(User, Post)> = q.load(conn)?;
        assert_eq!(rows, vec![(ann(), Post { id: 2, user_id: 1, title: "Again".into(), body: None, published: false })]);
        let selected: Vec<(User, Post)> = users::table
            .inner_join(posts::table)
            .select((User::as_select(), Post::as_select()))
            .order(posts::id)
            .load(conn)?;
        assert_eq!(selected.len(), 4);
        assert_eq!(selected[2].0, bo());
        Ok(())
    }

    fn left_join_reads_the_right_side_as_option(conn) {
        conn.batch_execute("INSERT INTO users (id, name) VALUES (4, 'Di')")?;
        let q = users::table.left_join(posts::table).filter(users::id.ge(3)).order(users::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "users"."id" >= ? ORDER BY "users"."id""#
        );
        let rows: Vec<(User, Option<Post>)> = q.load(conn)?;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1.as_ref().map(|p| p.title.as_str()), Some("Black"));
        assert_eq!(rows[1], (User { id: 4, name: "Di".into(), hair_color: None }, None));

        let titles: Vec<(String, Option<String>)> = users::table
            .left_join(posts::table)
            .select((users::name, posts::title.nullable()))
            .filter(users::id.eq(4))
            .load(conn)?;
        assert_eq!(titles, [("Di".to_owned(), None)]);

        let structs: Vec<(User, Option<Post>)> = users::table
            .left_outer_join(posts::table)
            .select((User::as_select(), Option::<Post>::as_select()))
            .filter(users::id.eq(4))
            .load(conn)?;
        assert_eq!(structs, vec![(User { id: 4, name: "Di".into(), hair_color: None }, None)]);
        Ok(())
    }

    fn left_join_columns_can_be_filtered_without_nullable(conn) {
        conn.batch_execute("INSERT INTO users (id, name) VALUES (4, 'Di')")?;
        // Users without any post: the right side's key IS NULL.
        let q = users::table.left_join(posts::table).select(users::name).filter(posts::id.is_null());
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."id" IS NULL"#
        );
        assert_eq!(q.load::<String>(conn)?, ["Di"]);
        Ok(())
    }

    fn explicit_on_clause(conn) {
        // Pair every user with the posts of *other* users that are published.
        let q = users::table
            .inner_join(posts::table.on(posts::user_id.ne(users::id).and(posts::published.eq(true))))
            .select((users::id, posts::id))
            .filter(users::id.eq(1))
            .order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."id", "posts"."id" FROM "users" INNER JOIN "posts" ON "posts"."user_id" <> "users"."id" AND "posts"."published" = ? WHERE "users"."id" = ? ORDER BY "posts"."id""#
        );
        assert_eq!(q.load::<(i32, i32)>(conn)?, [(1, 3), (1, 4)]);
        Ok(())
    }

    fn joined_queries_are_cached_by_type(conn) {
        let before = conn.stats();
        for id in 1..=3 {
            users::table.inner_join(posts::table).filter(users::id.eq(id)).load::<(User, Post)>(conn)?;
        }
        assert_eq!(conn.stats().prepares - before.prepares, 1);
        Ok(())
    }

    fn all_columns_of_a_left_join_right_side_read_as_option(conn) {
        conn.batch_execute("INSERT INTO users (id, name) VALUES (4, 'Di')")?;
        let q = users::table
            .left_join(posts::table)
            .select((users::all_columns, posts::all_columns.nullable()))
            .filter(users::id.ge(3))
            .order(users::id);
        let rows: Vec<(User, Option<Post>)> = q.load(conn)?;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1.as_ref().map(|p| p.id), Some(4));
        assert_eq!(rows[1].1, None);
        Ok(())
    }
}
