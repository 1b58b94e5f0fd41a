//! INSERT, UPDATE and DELETE: their SQL, what they change, and RETURNING.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::{delete, insert_into, update};

fn all_users(conn: &mut quarry::sqlite::SqliteConnection) -> QueryResult<Vec<User>> {
    users::table.order(users::id).load(conn)
}

#[test]
fn insert_a_tuple_of_column_values() -> QueryResult<()> {
    let mut conn = empty_db();
    let q = insert_into(users::table).values((users::name.eq("Ann"), users::hair_color.eq(Some("red"))));
    assert_eq!(debug(&q), r#"INSERT INTO "users" ("name", "hair_color") VALUES (?, ?) -- binds: ["Ann", "red"]"#);
    assert_eq!(q.execute(&mut conn)?, 1);
    assert_eq!(all_users(&mut conn)?, vec![User { id: 1, name: "Ann".into(), hair_color: Some("red".into()) }]);
    Ok(())
}

#[test]
fn insert_a_single_column() -> QueryResult<()> {
    let mut conn = empty_db();
    let q = insert_into(users::table).values(users::name.eq("Ann"));
    assert_eq!(sql(&q), r#"INSERT INTO "users" ("name") VALUES (?)"#);
    q.execute(&mut conn)?;
    assert_eq!(all_users(&mut conn)?, vec![ann()]);
    Ok(())
}

#[test]
fn insert_an_insertable_struct_by_reference_or_value() -> QueryResult<()> {
    let mut conn = empty_db();
    let new = NewUser { name: "Ann", hair_color: None };
    let q = insert_into(users::table).values(&new);
    assert_eq!(debug(&q), r#"INSERT INTO "users" ("name", "hair_color") VALUES (?, ?) -- binds: ["Ann", NULL]"#);
    q.execute(&mut conn)?;
    insert_into(users::table).values(NewUser { name: "Bo", hair_color: Some("red") }).execute(&mut conn)?;
    assert_eq!(all_users(&mut conn)?, vec![ann(), bo()]);
    Ok(())
}

#[test]
fn insert_a_vec_is_one_multi_row_statement() -> QueryResult<()> {
    let mut conn = empty_db();
    let rows = vec![
        NewUser { name: "Ann", hair_color: None },
        NewUser { name: "Bo", hair_color: Some("red") },
        NewUser { name: "Cy", hair_color: Some("black") },
    ];
    let q = insert_into(users::table).values(&rows);
    assert_eq!(
        debug(&q),
        r#"INSERT INTO "users" ("name", "hair_color") VALUES (?, ?), (?, ?), (?, ?) -- binds: ["Ann", NULL, "Bo", "red", "Cy", "black"]"#
    );
    assert_eq!(q.execute(&mut conn)?, 3);
    assert_eq!(all_users(&mut conn)?, vec![ann(), bo(), cy()]);
    // A slice and a Vec of tuples work too.
    insert_into(users::table).values(&rows[..1]).execute(&mut conn)?;
    let n = insert_into(users::table)
        .values(vec![
            (users::name.eq("Di"), users::hair_color.eq(None::<&str>)),
            (users::name.eq("Ed"), users::hair_color.eq(Some("grey"))),
        ])
        .execute(&mut conn)?;
    assert_eq!(n, 2);
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 6);
    Ok(())
}

#[test]
fn insert_of_an_empty_vec_does_nothing() -> QueryResult<()> {
    let mut conn = empty_db();
    let none: Vec<NewUser<'_>> = Vec::new();
    assert_eq!(insert_into(users::table).values(&none).execute(&mut conn)?, 0);
    let ids: Vec<i32> = insert_into(users::table).values(&none).returning(users::id).get_results(&mut conn)?;
    assert!(ids.is_empty());
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 0);
    Ok(())
}

#[derive(AsChangeset)]
#[quarry(table_name = users)]
struct UserPatch {
    name: Option<String>,
    hair_color: Option<Option<String>>,
}

#[test]
fn changeset_with_no_change_is_an_error_not_a_panic() {
    let mut conn = seeded_db();
    let patch = UserPatch { name: None, hair_color: None };
    let result = update(users::table.find(2)).set(&patch).execute(&mut conn);
    match result {
        Err(Error::QueryBuilderError(e)) => assert!(e.to_string().contains("no columns to update"), "{e}"),
        other => panic!("expected a QueryBuilderError, got {other:?}"),
    }
}

#[derive(AsChangeset)]
#[quarry(table_name = users, treat_none_as_null = true)]
struct HairReset {
    hair_color: Option<String>,
}

#[test]
fn insert_default_values_fills_every_column_with_its_default() -> QueryResult<()> {
    let mut conn = empty_db();
    conn.batch_execute("CREATE TABLE visits (id INTEGER PRIMARY KEY, at TEXT NOT NULL DEFAULT 'now')")?;
    quarry::table! { visits (id) { id -> Integer, at -> Text, } }
    for _ in 0..2 {
        insert_into(visits::table).default_values().execute(&mut conn)?;
    }
    let id: i32 = insert_into(visits::table).default_values().returning(visits::id).get_result(&mut conn)?;
    assert_eq!(id, 3);
    let rows: Vec<(i32, String)> = visits::table.order(visits::id).load(&mut conn)?;
    assert_eq!(rows, [(1, "now".into()), (2, "now".into()), (3, "now".into())]);
    Ok(())
}

#[test]
fn update_a_whole_table_with_an_expression() -> quarry::result::QueryResult<()> {
    // SQLite only: its SQL is SQLite's.
    let conn = &mut seeded_db();
    let q = update(posts::table).set(posts::user_id.eq(posts::user_id + 10));
    assert_eq!(sql(&q), r#"UPDATE "posts" SET "user_id" = ("posts"."user_id" + ?)"#);
    conn.batch_execute("PRAGMA foreign_keys = OFF")?;
    assert_eq!(q.execute(conn)?, 4);
    let ids: Vec<i32> = posts::table.select(posts::user_id).order(posts::id).load(conn)?;
    assert_eq!(ids, [11, 11, 12, 13]);
    Ok(())
}

on_every_backend! {
    fn insert_returning_reads_what_was_written(conn) {
        let q = insert_into(users::table).values(&NewUser { name: "Di", hair_color: None }).returning(users::id);
        assert_eq!(sql(&q), r#"INSERT INTO "users" ("name", "hair_color") VALUES (?, ?) RETURNING "users"."id""#);
        assert_eq!(q.get_result::<i32>(conn)?, 4);
        let rows = vec![NewUser { name: "Ed", hair_color: None }, NewUser { name: "Flo", hair_color: Some("red") }];
        let back: Vec<User> =
            insert_into(users::table).values(&rows).returning(User::as_select()).get_results(conn)?;
        assert_eq!(
            back,
            vec![
                User { id: 5, name: "Ed".into(), hair_color: None },
                User { id: 6, name: "Flo".into(), hair_color: Some("red".into()) }
            ]
        );
        Ok(())
    }

    fn update_with_a_tuple_of_changes(conn) {
        let q =
            update(users::table.filter(users::id.eq(1))).set((users::name.eq("Anna"), users::hair_color.eq(Some("grey"))));
        assert_eq!(
            debug(&q),
            r#"UPDATE "users" SET "name" = ?, "hair_color" = ? WHERE "users"."id" = ? -- binds: ["Anna", "grey", 1]"#
        );
        assert_eq!(q.execute(conn)?, 1);
        assert_eq!(users::table.order(users::id).load::<User>(conn)?[0], User { id: 1, name: "Anna".into(), hair_color: Some("grey".into()) });
        Ok(())
    }

    fn update_a_found_row(conn) {
        let n = update(users::table.find(2)).set(users::hair_color.eq(None::<String>)).execute(conn)?;
        assert_eq!(n, 1);
        assert_eq!(users::table.find(2).first::<User>(conn)?.hair_color, None);
        Ok(())
    }

    fn update_an_identifiable_struct_with_its_own_changeset(conn) {
        let mut bo = users::table.find(2).first::<User>(conn)?;
        bo.name = "Bob".into();
        let q = update(&bo).set(&bo);
        // The primary key is never part of the SET clause.
        assert_eq!(
            debug(&q),
            r#"UPDATE "users" SET "name" = ?, "hair_color" = ? WHERE "users"."id" = ? -- binds: ["Bob", "red", 2]"#
        );
        q.execute(conn)?;
        assert_eq!(users::table.find(2).first::<User>(conn)?, bo);
        Ok(())
    }

    fn changeset_skips_none_fields(conn) {
        let patch = UserPatch { name: None, hair_color: Some(None) };
        let q = update(users::table.find(2)).set(&patch);
        assert_eq!(debug(&q), r#"UPDATE "users" SET "hair_color" = ? WHERE "users"."id" = ? -- binds: [NULL, 2]"#);
        q.execute(conn)?;
        assert_eq!(users::table.find(2).first::<User>(conn)?, User { id: 2, name: "Bo".into(), hair_color: None });
        Ok(())
    }

    fn treat_none_as_null_writes_null(conn) {
        let q = update(users::table).set(&HairReset { hair_color: None });
        assert_eq!(debug(&q), r#"UPDATE "users" SET "hair_color" = ? -- binds: [NULL]"#);
        assert_eq!(q.execute(conn)?, 3);
        assert_eq!(users::table.filter(users::hair_color.is_null()).count().get_result::<i64>(conn)?, 3);
        Ok(())
    }

    fn update_returning(conn) {
        let q = update(users::table.filter(users::hair_color.is_not_null())).set(users::name.eq("X")).returning(users::id);
        assert_eq!(
            sql(&q),
            r#"UPDATE "users" SET "name" = ? WHERE "users"."hair_color" IS NOT NULL RETURNING "users"."id""#
        );
        let mut ids = q.get_results::<i32>(conn)?;
        ids.sort();
        assert_eq!(ids, [2, 3]);
        Ok(())
    }

    fn delete_filtered_rows(conn) {
        let q = delete(posts::table.filter(posts::published.eq(false)));
        assert_eq!(debug(&q), r#"DELETE FROM "posts" WHERE "posts"."published" = ? -- binds: [false]"#);
        assert_eq!(q.execute(conn)?, 1);
        assert_eq!(posts::table.count().get_result::<i64>(conn)?, 3);
        Ok(())
    }

    fn delete_an_identifiable_row_and_returning(conn) {
        conn.batch_execute("DELETE FROM posts")?;
        let cy = cy();
        assert_eq!(sql(&delete(&cy)), r#"DELETE FROM "users" WHERE "users"."id" = ?"#);
        assert_eq!(delete(&cy).execute(conn)?, 1);
        let names: Vec<String> = delete(users::table).returning(users::name).get_results(conn)?;
        assert_eq!(names.len(), 2);
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 0);
        Ok(())
    }

    fn a_set_value_may_read_the_row_it_changes_and_a_correlated_subquery(conn) {
        // The row's own columns.
        update(users::table.find(1)).set(users::hair_color.eq(users::name)).execute(conn)?;
        // Another table's, through a subquery correlated with the row.
        let q = update(users::table).set(users::hair_color.eq(
            posts::table.select(posts::title).filter(posts::user_id.eq(users::id)).order(posts::id).limit(1).single_value(),
        ));
        assert_eq!(
            sql(&q),
            r#"UPDATE "users" SET "hair_color" = (SELECT "posts"."title" FROM "posts" WHERE "posts"."user_id" = "users"."id" ORDER BY "posts"."id" LIMIT 1)"#
        );
        q.execute(conn)?;
        let colors: Vec<Option<String>> = users::table.select(users::hair_color).order(users::id).load(conn)?;
        assert_eq!(colors, [Some("Hello".into()), Some("Red hair".into()), Some("Black".into())]);
        Ok(())
    }

    fn an_insert_value_may_be_a_subquery(conn) {
        let q = insert_into(posts::table).values((
            posts::user_id.eq(3),
            posts::title.eq("names"),
            posts::body.eq(users::table.select(quarry::dsl::max(users::name)).single_value()),
            posts::published.eq(false),
        ));
        q.execute(conn)?;
        let body: Option<String> = posts::table.filter(posts::title.eq("names")).select(posts::body).first(conn)?;
        assert_eq!(body.as_deref(), Some("Cy"), "the greatest name");
        Ok(())
    }
}

on_every_backend! {
    fn update_and_delete_filtered_after_the_fact(conn) {
        // Diesel's spelling: the statement on the whole table, then `filter`.
        let q = quarry::update(users::table).filter(users::id.eq(2)).set(users::name.eq("Bea"));
        assert_eq!(
            quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().expect("renders"),
            r#"UPDATE "users" SET "name" = ? WHERE "users"."id" = ?"#
        );
        assert_eq!(q.execute(conn)?, 1);
        // A filtered target and more filters join with AND; `or_filter` with OR.
        let n = quarry::update(users::table.filter(users::id.gt(1)))
            .filter(users::hair_color.is_not_null())
            .or_filter(users::id.eq(1))
            .set(users::hair_color.eq("grey"))
            .execute(conn)?;
        assert_eq!(n, 3);
        let gone: Vec<i32> = quarry::delete(posts::table)
            .filter(posts::published.eq(true))
            .filter(posts::user_id.ne(1))
            .returning(posts::id)
            .get_results(conn)?;
        assert_eq!(gone.len(), 2);
        let left: Vec<i32> = posts::table.select(posts::id).order(posts::id).load(conn)?;
        assert_eq!(left, [1, 2]);
        Ok(())
    }
}

on_every_backend! {
    fn boxed_update_and_delete_take_filters_in_a_loop(conn) {
        // A bulk edit form: the filters chosen at run time, the statement of one type throughout.
        let ids = [1, 3];
        let mut update = quarry::update(users::table).set(users::hair_color.eq("teal")).into_boxed();
        for id in ids {
            update = update.or_filter(users::id.eq(id));
        }
        update = update.filter(users::name.ne("Nobody"));
        let changed: Vec<i32> = update.returning(users::id).get_results(conn)?;
        assert_eq!(changed.len(), 2);
        let teal: Vec<i32> =
            users::table.filter(users::hair_color.eq("teal")).select(users::id).order(users::id).load(conn)?;
        assert_eq!(teal, [1, 3]);

        // A filtered target stays filtered when boxed; with no filter at all, the box has no WHERE.
        let mut delete = quarry::delete(posts::table.filter(posts::published.eq(true))).into_boxed();
        for author in [2, 3] {
            delete = if author == 2 { delete.filter(posts::user_id.ge(author)) } else { delete.or_filter(posts::id.eq(2)) };
        }
        assert_eq!(delete.execute(conn)?, 3);
        let left: Vec<i32> = posts::table.select(posts::id).order(posts::id).load(conn)?;
        assert_eq!(left, [1]);
        let everything = quarry::delete(posts::table).into_boxed();
        assert_eq!(everything.execute(conn)?, 1);
        Ok(())
    }
}

quarry::table! {
    archive (id) {
        id -> Integer,
        title -> Text,
        body -> Nullable<Text>,
    }
}
quarry::allow_tables_to_appear_in_same_query!(posts, archive);

on_every_backend! {
    fn insert_from_a_select(conn) {
        conn.batch_execute("CREATE TABLE archive (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT)")?;
        // The columns named, RETURNING what was written.
        let q = quarry::insert_into(archive::table)
            .values(posts::table.filter(posts::published.eq(false)).select((posts::id, posts::title)))
            .into_columns((archive::id, archive::title));
        let ids: Vec<i32> = q.returning(archive::id).get_results(conn)?;
        assert_eq!(ids, [2]);
        // Every column, in declaration order, from a SELECT whose rows have the table's shape.
        let n = quarry::insert_into(archive::table)
            .values(posts::table.filter(posts::user_id.eq(3)).select((posts::id, posts::title, posts::body)))
            .execute(conn)?;
        assert_eq!(n, 1);
        // ON CONFLICT after a SELECT: the rows already archived are skipped.
        let all = posts::table.select((posts::id, posts::title, posts::body));
        let n = quarry::insert_into(archive::table).values(all).on_conflict_do_nothing().execute(conn)?;
        assert_eq!(n, 2);
        let archived: Vec<(i32, String)> =
            archive::table.select((archive::id, archive::title)).order(archive::id).load(conn)?;
        assert_eq!(archived.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
        // A set operation and a boxed query as sources.
        conn.batch_execute("DELETE FROM archive")?;
        let both = posts::table
            .filter(posts::id.eq(1))
            .select((posts::id, posts::title))
            .union(posts::table.filter(posts::id.eq(4)).select((posts::id, posts::title)));
        assert_eq!(quarry::insert_into(archive::table).values(both).into_columns((archive::id, archive::title)).execute(conn)?, 2);
        let boxed = posts::table.select((posts::id, posts::title, posts::body)).into_boxed().filter(posts::id.eq(2));
        assert_eq!(quarry::insert_into(archive::table).values(boxed).execute(conn)?, 1);
        assert_eq!(archive::table.count().get_result::<i64>(conn)?, 3);
        Ok(())
    }
}
