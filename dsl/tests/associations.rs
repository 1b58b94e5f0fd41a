//! Relations: `#[derive(Associations)]`, `Child::belonging_to(&parents)` and `grouped_by`.

mod common;

use common::*;
use quarry::associations::BelongsTo;
use quarry::prelude::*;
use quarry::result::QueryResult;

fn titles(posts: &[Post]) -> Vec<&str> {
    posts.iter().map(|p| p.title.as_str()).collect()
}

quarry::table! {
    tasks (id) {
        id -> Integer,
        assignee -> Nullable<Integer>,
        title -> Text,
    }
}

#[derive(Debug, Queryable, Associations)]
#[quarry(table_name = tasks, belongs_to(User, foreign_key = assignee))]
struct Task {
    id: i32,
    assignee: Option<i32>,
    title: String,
}

#[test]
fn with_children_splits_a_long_list_of_parents_and_never_loads_a_child_twice() -> QueryResult<()> {
    let mut conn = empty_db();
    conn.batch_execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000)
         INSERT INTO users (id, name) SELECT i, 'user ' || i FROM n;
         INSERT INTO posts (id, user_id, title, published) VALUES
            (1, 1, 'first', 1), (2, 12000, 'middle', 1), (3, 24999, 'last', 1), (4, 24999, 'last again', 0);",
    )?;
    let mut users: Vec<User> = users::table.order(users::id).load(&mut conn)?;
    users.push(users[0].clone()); // the first user twice
    let before = conn.stats();
    let loaded: Vec<(User, Vec<Post>)> = users.with_children(&mut conn, |posts| posts.order(posts::id))?;
    assert_eq!(
        conn.stats().renders - before.renders,
        25_000_u64.div_ceil(quarry::associations::MAX_PARENTS_PER_QUERY as u64),
        "one query per {} parents",
        quarry::associations::MAX_PARENTS_PER_QUERY
    );
    assert_eq!(loaded.len(), 25_001);
    assert_eq!(titles(&loaded[0].1), ["first"]);
    assert_eq!(titles(&loaded[11_999].1), ["middle"]);
    assert_eq!(titles(&loaded[24_998].1), ["last", "last again"]);
    assert!(loaded[25_000].1.is_empty(), "the repeated parent's children went to its first place");
    let total: usize = loaded.iter().map(|(_, posts)| posts.len()).sum();
    assert_eq!(total, 4);
    Ok(())
}

#[test]
fn with_parents_gives_none_for_a_null_key_or_a_missing_parent() -> quarry::result::QueryResult<()> {
    // SQLite only: its SQL is SQLite's.
    let conn = &mut seeded_db();
    conn.batch_execute(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE tasks (id INTEGER PRIMARY KEY, assignee INTEGER REFERENCES users, title TEXT NOT NULL);
         INSERT INTO tasks VALUES (1, 2, 'review'), (2, NULL, 'nobody'), (3, 99, 'gone');",
    )?;
    let tasks: Vec<Task> = tasks::table.order(tasks::id).load(conn)?;
    let assigned: Vec<(Task, Option<User>)> = tasks.with_parents(conn, users::table)?;
    let names: Vec<Option<&str>> = assigned.iter().map(|(_, u)| u.as_ref().map(|u| u.name.as_str())).collect();
    assert_eq!(names, [Some("Bo"), None, None]);
    Ok(())
}

on_every_backend! {
    fn the_children_of_one_parent(conn) {
        let ann = ann();
        let q = Post::belonging_to(&ann);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "posts" WHERE "posts"."user_id" = ?"#
        );
        let posts: Vec<Post> = q.order(posts::id).load(conn)?;
        assert_eq!(titles(&posts), ["Hello", "Again"]);
        Ok(())
    }

    fn the_children_of_several_parents_take_more_clauses(conn) {
        let users: Vec<User> = users::table.filter(users::id.ne(3)).order(users::id).load(conn)?;
        let q = Post::belonging_to(&users).filter(posts::published.eq(true)).order(posts::id.desc());
        assert!(
            sql(&q)
                .ends_with(r#"WHERE "posts"."user_id" IN (?, ?) AND "posts"."published" = ? ORDER BY "posts"."id" DESC"#)
        );
        let posts: Vec<Post> = q.load(conn)?;
        assert_eq!(titles(&posts), ["Red hair", "Hello"]);

        // A slice works the same, and no parent at all means no child.
        let from_slice: Vec<Post> = Post::belonging_to(&users[..1]).load(conn)?;
        assert_eq!(from_slice.len(), 2);
        let none: Vec<Post> = Post::belonging_to(&users[..0]).load(conn)?;
        assert!(none.is_empty());
        Ok(())
    }

    fn grouped_by_puts_each_child_under_its_parent_in_the_parents_order(conn) {
        conn.batch_execute("INSERT INTO users (id, name) VALUES (4, 'Di')")?; // a user with no post
        let users: Vec<User> = users::table.order(users::id.desc()).load(conn)?;
        let posts: Vec<Post> = Post::belonging_to(&users).order(posts::id).load(conn)?;
        let grouped = posts.grouped_by(&users);
        let by_name: Vec<(&str, Vec<&str>)> =
            users.iter().zip(&grouped).map(|(u, posts)| (u.name.as_str(), titles(posts))).collect();
        assert_eq!(
            by_name,
            [("Di", vec![]), ("Cy", vec!["Black"]), ("Bo", vec!["Red hair"]), ("Ann", vec!["Hello", "Again"])]
        );
        Ok(())
    }

    fn a_child_whose_parent_is_not_in_the_list_is_left_out(conn) {
        let all_posts: Vec<Post> = posts::table.order(posts::id).load(conn)?;
        let only_bo: Vec<User> = users::table.find(2).load(conn)?;
        let grouped = all_posts.grouped_by(&only_bo);
        assert_eq!(grouped.len(), 1);
        assert_eq!(titles(&grouped[0]), ["Red hair"]);
        Ok(())
    }

    fn a_child_may_belong_to_two_parents_with_a_named_foreign_key(conn) {
        conn.batch_execute(
            "INSERT INTO comments (id, post_id, user_id, body) VALUES
                (1, 1, 2, 'nice'), (2, 1, 3, 'agreed'), (3, 3, 1, 'red!'), (4, 4, 1, 'black!')",
        )?;
        assert_eq!(<Comment as BelongsTo<Post>>::foreign_key_column(), comments::post_id);

        let hello: Post = posts::table.find(1).first(conn)?;
        let on_hello: Vec<Comment> = Comment::belonging_to(&hello).order(comments::id).load(conn)?;
        assert_eq!(on_hello.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["nice", "agreed"]);

        let users: Vec<User> = users::table.order(users::id).load(conn)?;
        let by_author = Comment::belonging_to(&users).order(comments::id).load::<Comment>(conn)?.grouped_by(&users);
        let counts: Vec<usize> = by_author.iter().map(Vec::len).collect();
        assert_eq!(counts, [2, 1, 1], "Ann wrote two comments, Bo one, Cy one");
        Ok(())
    }

    fn a_nullable_foreign_key_finds_children_and_leaves_unassigned_ones_out(conn) {
        conn.batch_execute(
            "CREATE TABLE tasks (id INTEGER PRIMARY KEY, assignee INTEGER REFERENCES users, title TEXT NOT NULL);
             INSERT INTO tasks VALUES (1, 1, 'write'), (2, NULL, 'nobody'), (3, 2, 'review'), (4, 1, 'ship');",
        )?;
        let users: Vec<User> = users::table.order(users::id).load(conn)?;
        let ann_tasks: Vec<Task> = Task::belonging_to(&users[0]).order(tasks::id).load(conn)?;
        assert_eq!(ann_tasks.iter().map(|t| t.id).collect::<Vec<_>>(), [1, 4]);

        let every_task: Vec<Task> = tasks::table.order(tasks::id).load(conn)?;
        let grouped = every_task.grouped_by(&users);
        let titles: Vec<Vec<&str>> = grouped.iter().map(|ts| ts.iter().map(|t| t.title.as_str()).collect()).collect();
        assert_eq!(titles, [vec!["write", "ship"], vec!["review"], vec![]]);
        Ok(())
    }

    fn with_children_loads_every_parent_s_children_in_one_query(conn) {
        conn.batch_execute("INSERT INTO users (id, name) VALUES (4, 'Di')")?;
        let users: Vec<User> = users::table.order(users::id).load(conn)?;
        let before = conn.stats();
        let with_posts: Vec<(User, Vec<Post>)> =
            users.with_children(conn, |posts| posts.order(posts::id.desc()))?;
        assert_eq!(conn.stats().renders - before.renders, 1, "one query for all the children");
        let summary: Vec<(&str, Vec<&str>)> =
            with_posts.iter().map(|(u, posts)| (u.name.as_str(), titles(posts))).collect();
        assert_eq!(
            summary,
            [("Ann", vec!["Again", "Hello"]), ("Bo", vec!["Red hair"]), ("Cy", vec!["Black"]), ("Di", vec![])]
        );

        // Refined: only published posts; a parent left without children keeps an empty Vec.
        let users: Vec<User> = with_posts.into_iter().map(|(u, _)| u).collect();
        let published: Vec<(User, Vec<Post>)> =
            users.with_children(conn, |posts| posts.filter(posts::published.eq(true)).order(posts::id))?;
        let counts: Vec<usize> = published.iter().map(|(_, posts)| posts.len()).collect();
        assert_eq!(counts, [1, 1, 1, 0]);

        let nobody: Vec<(User, Vec<Post>)> = Vec::<User>::new().with_children(conn, |posts| posts)?;
        assert!(nobody.is_empty());
        Ok(())
    }

    fn with_parents_loads_each_child_s_parent_in_one_query(conn) {
        let posts: Vec<Post> = posts::table.order(posts::id).load(conn)?;
        let before = conn.stats();
        let with_authors: Vec<(Post, Option<User>)> = posts.with_parents(conn, users::table)?;
        assert_eq!(conn.stats().renders - before.renders, 1, "one query for all the authors");
        let pairs: Vec<(&str, &str)> =
            with_authors.iter().map(|(p, u)| (p.title.as_str(), u.as_ref().map_or("-", |u| u.name.as_str()))).collect();
        assert_eq!(pairs, [("Hello", "Ann"), ("Again", "Ann"), ("Red hair", "Bo"), ("Black", "Cy")]);
        Ok(())
    }

}
