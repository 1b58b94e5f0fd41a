//! What an application's data layer does with its structs beyond queries, on every backend:
//! `save_changes`, and eager loading of relations.

mod common;

use common::backends::BackendSql;
use common::*;
use quarry::prelude::*;
use quarry::result::Error;

on_every_backend! {
    fn save_changes_writes_the_record_and_returns_the_row_as_stored(conn) {
        let mut bo: User = users::table.find(2).first(conn)?;
        bo.name = "Bob".into();
        bo.hair_color = None;
        let saved: User = bo.save_changes(conn)?;
        // `None` is skipped by AsChangeset (Diesel's rule): the stored colour stays.
        assert_eq!(saved, User { id: 2, name: "Bob".into(), hair_color: Some("red".into()) });
        let stored: User = users::table.find(2).first(conn)?;
        assert_eq!(stored, saved);
        // Into another type that reads the row: the columns as the database has them.
        let (id, name, _): (i32, String, Option<String>) = saved.save_changes(conn)?;
        assert_eq!((id, name.as_str()), (2, "Bob"));
        // A record whose row is gone: NotFound, and nothing written.
        quarry::delete(posts::table.filter(posts::user_id.eq(3))).execute(conn)?;
        let cy: User = users::table.find(3).first(conn)?;
        quarry::delete(&cy).execute(conn)?;
        let err = cy.save_changes::<User, _>(conn).unwrap_err();
        assert!(matches!(err, Error::NotFound), "{err}");
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 2);
        Ok(())
    }
}

quarry::table! {
    tags (id) {
        id -> Integer,
        label -> Text,
    }
}
quarry::table! {
    post_tags (post_id, tag_id) {
        post_id -> Integer,
        tag_id -> Integer,
    }
}
quarry::table! {
    profiles (id) {
        id -> Integer,
        user_id -> Integer,
        bio -> Text,
    }
}
quarry::joinable!(post_tags -> tags (tag_id));
quarry::joinable!(post_tags -> posts (post_id));
quarry::joinable!(profiles -> users (user_id));
quarry::allow_tables_to_appear_in_same_query!(tags, post_tags, posts, profiles, users);

const RELATIONS: &str = "
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE post_tags (post_id INTEGER NOT NULL REFERENCES posts (id), tag_id INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (post_id, tag_id));
CREATE TABLE profiles (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL UNIQUE REFERENCES users (id), bio TEXT NOT NULL);
INSERT INTO tags VALUES (1, 'rust'), (2, 'sql'), (3, 'hair');
INSERT INTO post_tags VALUES (1, 1), (1, 2), (3, 3), (4, 3), (4, 2);
INSERT INTO profiles VALUES (1, 2, 'Bo here');
INSERT INTO comments (id, post_id, user_id, body) VALUES (1, 1, 2, 'nice'), (2, 1, 3, 'agreed'), (3, 3, 1, 'red!');";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[quarry(table_name = tags)]
struct Tag {
    id: i32,
    label: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Associations)]
#[quarry(table_name = post_tags, belongs_to(Post, foreign_key = post_id), belongs_to(Tag))]
struct PostTag {
    post_id: i32,
    tag_id: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Associations)]
#[quarry(table_name = profiles, belongs_to(User))]
struct Profile {
    id: i32,
    user_id: i32,
    bio: String,
}

/// Counts the statements a connection runs.
fn count_statements<C: Connection>(conn: &mut C) -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    conn.set_instrumentation(move |event: &quarry::connection::instrumentation::Event<'_>| {
        if let quarry::connection::instrumentation::Event::StatementFinished { .. } = event {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    });
    count
}

fn titles_and_bodies(tree: &[(User, Vec<(Post, Vec<Comment>)>)]) -> Vec<(String, Vec<(String, Vec<String>)>)> {
    tree.iter()
        .map(|(u, posts)| {
            let posts =
                posts.iter().map(|(p, cs)| (p.title.clone(), cs.iter().map(|c| c.body.clone()).collect())).collect();
            (u.name.clone(), posts)
        })
        .collect()
}

on_every_backend! {
    fn nested_eager_loading_runs_one_query_per_level(conn) {
        conn.batch_execute(RELATIONS)?;
        let statements = count_statements(conn);
        let users: Vec<User> = users::table.order(users::id).load(conn)?;
        let tree: Vec<(User, Vec<(Post, Vec<Comment>)>)> = users.with_children_nested(
            conn,
            |posts| posts.order(posts::id),
            |posts, conn| posts.with_children(conn, |comments| comments.order(comments::id)),
        )?;
        assert_eq!(statements.load(std::sync::atomic::Ordering::Relaxed), 3, "users, posts, comments: one query each");
        let s = |x: &str| x.to_owned();
        assert_eq!(
            titles_and_bodies(&tree),
            [
                (s("Ann"), vec![(s("Hello"), vec![s("nice"), s("agreed")]), (s("Again"), vec![])]),
                (s("Bo"), vec![(s("Red hair"), vec![s("red!")])]),
                (s("Cy"), vec![(s("Black"), vec![])]),
            ]
        );
        // A loader that gives the wrong number of values back is an error, not a misplaced row.
        let users: Vec<User> = users::table.order(users::id).load(conn)?;
        let err = users
            .with_children_nested(conn, |posts| posts, |posts: Vec<Post>, _| Ok(posts.into_iter().skip(1).collect::<Vec<_>>()))
            .unwrap_err();
        assert!(err.to_string().contains("one per child"), "{err}");
        Ok(())
    }

    fn many_to_many_loads_links_and_targets_together_both_ways(conn) {
        conn.batch_execute(RELATIONS)?;
        let statements = count_statements(conn);
        let posts: Vec<Post> = posts::table.order(posts::id).load(conn)?;
        let tagged = posts.clone().with_related(conn, |ids| {
            post_tags::table
                .inner_join(tags::table)
                .filter(post_tags::post_id.eq_any(ids))
                .order(tags::label)
                .select((PostTag::as_select(), Tag::as_select()))
        })?;
        assert_eq!(statements.load(std::sync::atomic::Ordering::Relaxed), 2, "the posts, then links and tags in one");
        let labels: Vec<(i32, Vec<&str>)> =
            tagged.iter().map(|(p, tags)| (p.id, tags.iter().map(|t| t.label.as_str()).collect())).collect();
        assert_eq!(labels, [(1, vec!["rust", "sql"]), (2, vec![]), (3, vec!["hair"]), (4, vec!["hair", "sql"])]);
        // The other way: each tag's posts.
        let tags: Vec<Tag> = tags::table.order(tags::id).load(conn)?;
        let posted = tags.with_related(conn, |ids| {
            post_tags::table
                .inner_join(posts::table)
                .filter(post_tags::tag_id.eq_any(ids))
                .order(posts::id)
                .select((PostTag::as_select(), Post::as_select()))
        })?;
        let ids: Vec<(String, Vec<i32>)> =
            posted.into_iter().map(|(t, posts)| (t.label, posts.into_iter().map(|p| p.id).collect())).collect();
        assert_eq!(ids, [("rust".into(), vec![1]), ("sql".into(), vec![1, 4]), ("hair".into(), vec![3, 4])]);
        // Diesel's spelling, joined rows grouped by their link's parent.
        let pairs: Vec<(PostTag, Tag)> = PostTag::belonging_to(&posts)
            .inner_join(tags::table)
            .order(tags::id)
            .select((PostTag::as_select(), Tag::as_select()))
            .load(conn)?;
        let grouped: Vec<Vec<(PostTag, Tag)>> = pairs.grouped_by(&posts);
        let counts: Vec<usize> = grouped.iter().map(Vec::len).collect();
        assert_eq!(counts, [2, 0, 1, 2]);
        Ok(())
    }

    fn a_has_one_and_several_child_kinds_load_side_by_side(conn) {
        conn.batch_execute(RELATIONS)?;
        let statements = count_statements(conn);
        let users: Vec<User> = users::table.order(users::id).load(conn)?;
        let loaded: Vec<(User, Vec<Post>, Vec<Profile>)> = users
            .with_children(conn, |posts| posts.order(posts::id))?
            .and_children(conn, |profiles| profiles)?;
        assert_eq!(statements.load(std::sync::atomic::Ordering::Relaxed), 3);
        let summary: Vec<(&str, usize, Option<&str>)> = loaded
            .iter()
            .map(|(u, posts, profiles)| (u.name.as_str(), posts.len(), profiles.first().map(|p| p.bio.as_str())))
            .collect();
        assert_eq!(summary, [("Ann", 2, None), ("Bo", 1, Some("Bo here")), ("Cy", 1, None)]);
        Ok(())
    }
}

on_every_backend! {
    fn explain_shows_the_database_s_plan_and_runs_nothing(conn) {
        let plan = users::table.filter(users::id.eq(2)).select(users::name).explain(conn)?;
        assert!(!plan.is_empty());
        if conn.is_postgres() {
            // One line per node: a scan of users (an index or a sequential one on so small a table).
            assert!(plan.iter().any(|l| l.contains("users")), "{plan:?}");
        } else {
            assert_eq!(plan, ["SEARCH users USING INTEGER PRIMARY KEY (rowid=?)"]);
        }
        // A join with a subquery: SQLite's plan tree is indented by level.
        let joined = users::table
            .inner_join(posts::table)
            .filter(posts::id.eq_any(comments::table.select(comments::post_id)))
            .select((users::name, posts::title))
            .explain(conn)?;
        assert!(joined.len() >= 2, "{joined:?}");
        if !conn.is_postgres() {
            assert!(joined.iter().any(|l| l.starts_with("  ")), "a nested step: {joined:?}");
        }
        // An explained DELETE shows its plan and deletes nothing.
        let plan = quarry::delete(comments::table).explain(conn)?;
        assert!(!plan.is_empty());
        quarry::insert_into(comments::table)
            .values((comments::post_id.eq(1), comments::user_id.eq(1), comments::body.eq("x")))
            .execute(conn)?;
        let _ = quarry::delete(comments::table).explain(conn)?;
        assert_eq!(comments::table.count().get_result::<i64>(conn)?, 1);
        Ok(())
    }
}

quarry::table! {
    items (id) {
        id -> Integer,
        name -> Text,
        qty -> Integer,
        note -> Nullable<Text>,
    }
}

/// Diesel's rule for `Option` fields of NOT NULL columns: `None` leaves the column to its default.
#[derive(Debug, Clone, Default, Insertable)]
#[quarry(table_name = items)]
struct NewItem {
    id: Option<i32>,
    name: Option<String>,
    qty: Option<i32>,
    note: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[quarry(table_name = items)]
struct Defaults {
    name: Option<String>,
    qty: Option<i32>,
}

fn items_ddl(conn: &impl BackendSql) -> &'static str {
    if conn.is_postgres() {
        "CREATE TABLE items (id SERIAL PRIMARY KEY, name TEXT NOT NULL DEFAULT 'unnamed', qty INTEGER NOT NULL DEFAULT 1, note TEXT)"
    } else {
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'unnamed', qty INTEGER NOT NULL DEFAULT 1, note TEXT)"
    }
}

on_every_backend! {
    fn none_in_a_not_null_column_leaves_it_to_its_default(conn) {
        conn.batch_execute(items_ddl(conn))?;
        // Every field None: the id, name and qty take their defaults, the nullable note is NULL.
        quarry::insert_into(items::table).values(&NewItem::default()).execute(conn)?;
        let row: (i32, String, i32, Option<String>) = items::table.first(conn)?;
        assert_eq!(row, (1, "unnamed".to_owned(), 1, None));
        // Rows that write no column at all: each its own `DEFAULT VALUES` on SQLite, one statement on PostgreSQL.
        let ids: Vec<i32> = quarry::insert_into(items::table)
            .values(&vec![Defaults { name: None, qty: None }, Defaults { name: None, qty: Some(3) }, Defaults { name: None, qty: None }])
            .returning(items::id)
            .get_results(conn)?;
        assert_eq!(ids.len(), 3);
        quarry::delete(items::table.filter(items::id.eq_any(ids))).execute(conn)?;
        // A mixed batch, its rows read back in order.
        let statements = count_statements(conn);
        let rows = vec![
            NewItem { name: Some("bolt".into()), ..NewItem::default() },
            NewItem { qty: Some(7), note: Some("n".into()), ..NewItem::default() },
            NewItem { qty: Some(8), ..NewItem::default() },
            NewItem { id: Some(50), name: Some("nut".into()), qty: Some(2), note: None },
            NewItem::default(),
        ];
        let inserted: Vec<(i32, String, i32, Option<String>)> =
            quarry::insert_into(items::table).values(&rows).returning(items::all_columns).get_results(conn)?;
        let s = |x: &str| x.to_owned();
        let values: Vec<(String, i32, Option<String>)> = inserted.iter().map(|r| (r.1.clone(), r.2, r.3.clone())).collect();
        assert_eq!(
            values,
            [(s("bolt"), 1, None), (s("unnamed"), 7, Some(s("n"))), (s("unnamed"), 8, None), (s("nut"), 2, None), (s("unnamed"), 1, None)]
        );
        let ids: Vec<i32> = inserted.iter().map(|r| r.0).collect();
        assert!(ids[0] < ids[1] && ids[1] < ids[2] && ids[3] == 50, "in the rows' order: {ids:?}");
        // PostgreSQL writes DEFAULT: one statement. SQLite leaves the columns out: one statement per run of
        // rows leaving the same ones out (four here), in a savepoint with its begin and end.
        let ran = statements.load(std::sync::atomic::Ordering::Relaxed);
        if conn.is_postgres() {
            assert_eq!(ran, 1);
            let sql = conn.sql_of(&quarry::insert_into(items::table).values(&rows[..2]));
            assert_eq!(sql, r#"INSERT INTO "items" ("id", "name", "qty", "note") VALUES (DEFAULT, $1, DEFAULT, $2), (DEFAULT, DEFAULT, $3, $4)"#);
        } else {
            assert_eq!(ran, 4 + 2, "four runs, in a savepoint");
            let one = conn.sql_of(&quarry::insert_into(items::table).values(&rows[1]));
            assert_eq!(one, r#"INSERT INTO "items" ("qty", "note") VALUES (?, ?)"#);
            let nulls = conn.sql_of(&quarry::insert_into(items::table).values(&rows[4]));
            assert_eq!(nulls, r#"INSERT INTO "items" ("note") VALUES (?)"#, "a nullable column takes NULL");
            let none = conn.sql_of(&quarry::insert_into(items::table).values(&Defaults { name: None, qty: None }));
            assert_eq!(none, r#"INSERT INTO "items" DEFAULT VALUES"#);
            // Rendered as one statement, the mixed rows are an error (running them splits them).
            let mixed = quarry::render::render_sql(&quarry::insert_into(items::table).values(&rows), &quarry::sqlite::Sqlite);
            assert!(mixed.unwrap_err().to_string().contains("different columns to their defaults"));
        }
        Ok(())
    }
}

/// A post with its author embedded and a computed byline (Diesel's `embed` and `select_expression`).
#[derive(Debug, PartialEq, Selectable)]
#[quarry(table_name = posts)]
struct PostWithAuthor {
    id: i32,
    title: String,
    #[quarry(embed)]
    author: User,
    #[quarry(select_expression = posts::title.concat(" by ").concat(users::name))]
    byline: String,
    #[quarry(select_expression = posts::id * 10, select_expression_type = <posts::id as std::ops::Mul<i32>>::Output)]
    score: i32,
}

/// An embedded struct from the nullable side of a LEFT JOIN, read as an `Option`.
#[derive(Debug, PartialEq, Selectable)]
#[quarry(table_name = users)]
struct UserWithProfile {
    id: i32,
    name: String,
    #[quarry(embed)]
    profile: Option<Profile>,
}

on_every_backend! {
    fn selectable_embeds_structs_and_computes_fields(conn) {
        let rows: Vec<PostWithAuthor> = posts::table
            .inner_join(users::table)
            .filter(posts::id.le(2))
            .order(posts::id)
            .select(PostWithAuthor::as_select())
            .load(conn)?;
        let ann = User { id: 1, name: "Ann".into(), hair_color: None };
        assert_eq!(
            rows,
            [
                PostWithAuthor { id: 1, title: "Hello".into(), author: ann.clone(), byline: "Hello by Ann".into(), score: 10 },
                PostWithAuthor { id: 2, title: "Again".into(), author: ann, byline: "Again by Ann".into(), score: 20 },
            ]
        );
        conn.batch_execute(RELATIONS)?;
        let people: Vec<UserWithProfile> =
            users::table.left_join(profiles::table).order(users::id).select(UserWithProfile::as_select()).load(conn)?;
        let profiles: Vec<Option<&str>> = people.iter().map(|u| u.profile.as_ref().map(|p| p.bio.as_str())).collect();
        assert_eq!(profiles, [None, Some("Bo here"), None]);
        Ok(())
    }
}

#[test]
fn sqlite_refuses_an_upsert_of_a_row_that_writes_no_column_and_explains_an_empty_insert() {
    let mut conn = seeded_db();
    conn.batch_execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'unnamed', qty INTEGER NOT NULL DEFAULT 1, note TEXT)")
        .unwrap();
    let err = quarry::insert_into(items::table)
        .values(&Defaults { name: None, qty: None })
        .on_conflict_do_nothing()
        .execute(&mut conn)
        .unwrap_err();
    assert!(err.to_string().contains("takes no ON CONFLICT"), "{err}");
    // With a value, the upsert runs.
    quarry::insert_into(items::table)
        .values(&Defaults { name: None, qty: Some(2) })
        .on_conflict_do_nothing()
        .execute(&mut conn)
        .unwrap();
    let none: Vec<NewItem> = Vec::new();
    assert!(quarry::insert_into(items::table).values(&none).explain(&mut conn).unwrap().is_empty());
}

on_every_backend! {
    fn a_parent_with_several_kinds_of_children_names_the_kind_once(conn) {
        conn.batch_execute(RELATIONS)?;
        // `User` has posts, comments and a profile as children: the kind is named once, nothing else is
        // annotated.
        let users: Vec<User> = users::table.order(users::id).load(conn)?;
        let loaded = users.with_children::<Comment>(conn, |comments| comments.order(comments::id))?;
        let bodies: Vec<(&str, Vec<&str>)> =
            loaded.iter().map(|(u, cs)| (u.name.as_str(), cs.iter().map(|c| c.body.as_str()).collect())).collect();
        assert_eq!(bodies, [("Ann", vec!["red!"]), ("Bo", vec!["nice"]), ("Cy", vec!["agreed"])]);
        let with_profiles = loaded.and_children::<Profile>(conn, |profiles| profiles)?;
        assert_eq!(with_profiles.iter().map(|(_, _, p)| p.len()).sum::<usize>(), 1);
        Ok(())
    }
}
