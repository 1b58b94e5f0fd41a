//! Aliases: self-joins, and one table joined twice through two foreign keys.

use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::{Sqlite, SqliteConnection};

quarry::table! {
    /// Employees and who manages them.
    staff (id) {
        id -> Integer,
        name -> Text,
        manager_id -> Nullable<Integer>,
    }
}

quarry::table! {
    /// Articles with an author and an editor, both staff.
    articles (id) {
        id -> Integer,
        title -> Text,
        author_id -> Integer,
        editor_id -> Integer,
    }
}

fn db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(
        "CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT NOT NULL, manager_id INTEGER REFERENCES staff (id));
         CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT NOT NULL,
                                author_id INTEGER NOT NULL REFERENCES staff (id),
                                editor_id INTEGER NOT NULL REFERENCES staff (id));
         INSERT INTO staff VALUES (1, 'Ada', NULL), (2, 'Ben', 1), (3, 'Cal', 1), (4, 'Dee', 2);
         INSERT INTO articles VALUES (1, 'On joins', 2, 1), (2, 'On aliases', 4, 3);",
    )
    .expect("seed");
    conn
}

fn sql<Q: quarry::render::QueryFragment + quarry::backend::RunsOn<Sqlite>>(q: &Q) -> String {
    quarry::debug_query::<Sqlite, _>(q).sql().expect("renders")
}

#[test]
fn a_self_join_through_an_alias() -> QueryResult<()> {
    let mut conn = db();
    let managers = quarry::alias!(staff as managers);
    let q = staff::table
        .inner_join(managers.on(staff::manager_id.eq(managers.field(staff::id).nullable())))
        .select((staff::name, managers.field(staff::name)))
        .order(staff::id);
    assert_eq!(
        sql(&q),
        r#"SELECT "staff"."name", "managers"."name" FROM "staff" INNER JOIN "staff" AS "managers" ON "staff"."manager_id" = "managers"."id" ORDER BY "staff"."id""#
    );
    let rows: Vec<(String, String)> = q.load(&mut conn)?;
    assert_eq!(rows, [("Ben", "Ada"), ("Cal", "Ada"), ("Dee", "Ben")].map(|(a, b)| (a.to_owned(), b.to_owned())));
    Ok(())
}

#[test]
fn a_left_self_join_reads_the_alias_as_option() -> QueryResult<()> {
    let mut conn = db();
    let managers = quarry::alias!(staff as managers);
    let rows: Vec<(String, Option<String>)> = staff::table
        .left_join(managers.on(staff::manager_id.eq(managers.field(staff::id).nullable())))
        .select((staff::name, managers.field(staff::name).nullable()))
        .order(staff::id)
        .load(&mut conn)?;
    assert_eq!(rows[0], ("Ada".to_owned(), None));
    assert_eq!(rows[3], ("Dee".to_owned(), Some("Ben".to_owned())));
    Ok(())
}

/// The documented pattern for two foreign keys to one table: alias the table once per key, join each
/// alias with an explicit ON.
#[test]
fn two_foreign_keys_to_the_same_table() -> QueryResult<()> {
    let mut conn = db();
    let (authors, editors) = quarry::alias!(staff as authors, staff as editors);
    let q = articles::table
        .inner_join(authors.on(articles::author_id.eq(authors.field(staff::id))))
        .inner_join(editors.on(articles::editor_id.eq(editors.field(staff::id))))
        .select((articles::title, authors.field(staff::name), editors.field(staff::name)))
        .filter(editors.field(staff::name).ne("nobody"))
        .order(articles::id);
    assert_eq!(
        sql(&q),
        r#"SELECT "articles"."title", "authors"."name", "editors"."name" FROM "articles" INNER JOIN "staff" AS "authors" ON "articles"."author_id" = "authors"."id" INNER JOIN "staff" AS "editors" ON "articles"."editor_id" = "editors"."id" WHERE "editors"."name" <> ? ORDER BY "articles"."id""#
    );
    let rows: Vec<(String, String, String)> = q.load(&mut conn)?;
    assert_eq!(
        rows,
        [("On joins", "Ben", "Ada"), ("On aliases", "Dee", "Cal")].map(|(a, b, c)| (
            a.to_owned(),
            b.to_owned(),
            c.to_owned()
        ))
    );
    Ok(())
}

#[test]
fn a_query_can_start_from_an_alias() -> QueryResult<()> {
    let mut conn = db();
    let bosses = quarry::alias!(staff as bosses);
    let q = bosses.filter(bosses.field(staff::manager_id).is_null()).select(bosses.field(staff::name));
    assert_eq!(sql(&q), r#"SELECT "bosses"."name" FROM "staff" AS "bosses" WHERE "bosses"."manager_id" IS NULL"#);
    assert_eq!(q.load::<String>(&mut conn)?, ["Ada"]);
    let all: Vec<(i32, String, Option<i32>)> = bosses.order(bosses.field(staff::id)).load(&mut conn)?;
    assert_eq!(all.len(), 4);
    Ok(())
}
