//! Raw SQL: `sql_query` with typed binds, rows read by column name with `#[derive(QueryableByName)]`.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::{BuildErrorKind, Error, QueryResult};
use quarry::sql_query;
use quarry::sql_types::{BigInt, Integer, Nullable, Text};
use quarry::sqlite::Sqlite;

/// SQL types from the `users` table's columns.
#[derive(Debug, PartialEq, QueryableByName)]
#[quarry(table_name = users)]
struct UserByName {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

/// SQL types given per field, and a field read from a column of another name.
#[derive(Debug, PartialEq, QueryableByName)]
struct PostCount {
    #[quarry(sql_type = Text, column_name = name)]
    author: String,
    #[quarry(sql_type = BigInt)]
    posts: i64,
}

#[test]
fn rows_are_read_by_column_name_in_any_order() -> QueryResult<()> {
    let mut conn = seeded_db();
    let rows: Vec<UserByName> =
        sql_query("SELECT hair_color, 'ignored' AS extra, name, id FROM users WHERE id <= ? ORDER BY id")
            .bind::<Integer, _>(2)
            .load(&mut conn)?;
    let expected: Vec<UserByName> = users::table
        .filter(users::id.le(2))
        .order(users::id)
        .load::<User>(&mut conn)?
        .into_iter()
        .map(|u| UserByName { id: u.id, name: u.name, hair_color: u.hair_color })
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(rows.len(), 2);
    Ok(())
}

#[test]
fn sql_types_per_field_and_renamed_columns() -> QueryResult<()> {
    let mut conn = seeded_db();
    let counts: Vec<PostCount> = sql_query(
        "SELECT users.name, COUNT(posts.id) AS posts FROM users LEFT JOIN posts ON posts.user_id = users.id \
         GROUP BY users.id ORDER BY users.id",
    )
    .load(&mut conn)?;
    let by_dsl: Vec<(String, i64)> = users::table
        .left_join(posts::table)
        .group_by(users::id)
        .select((users::name, quarry::dsl::count(posts::id.nullable())))
        .order(users::id)
        .load(&mut conn)?;
    assert_eq!(counts.into_iter().map(|c| (c.author, c.posts)).collect::<Vec<_>>(), by_dsl);
    Ok(())
}

#[test]
fn execute_runs_statements_with_binds_and_counts_rows() -> QueryResult<()> {
    let mut conn = empty_db();
    let n = sql_query("INSERT INTO users (name, hair_color) VALUES (?, ?), (?, ?)")
        .bind::<Text, _>("Ann")
        .bind::<Nullable<Text>, _>(None::<&str>)
        .bind::<Text, _>("Bo")
        .bind::<Nullable<Text>, _>(Some("red"))
        .execute(&mut conn)?;
    assert_eq!(n, 2);
    let one: UserByName =
        sql_query("SELECT * FROM users WHERE name = ?").bind::<Text, _>("Bo").get_result(&mut conn)?;
    assert_eq!(one.hair_color.as_deref(), Some("red"));
    Ok(())
}

#[test]
fn a_missing_column_is_an_error_naming_it() {
    let mut conn = seeded_db();
    let result = sql_query("SELECT id, name FROM users").load::<UserByName>(&mut conn);
    let Err(Error::DeserializationError(e)) = result else { panic!("expected a decoding error, got {result:?}") };
    let text = e.to_string();
    assert!(text.contains("no column named `hair_color`"), "{text}");
    assert!(text.contains("id, name"), "{text}");
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_naming_the_column() {
    let mut conn = seeded_db();
    let result = sql_query("SELECT name AS id, name, hair_color FROM users").load::<UserByName>(&mut conn);
    let Err(err) = result else { panic!("expected a decoding error, got {result:?}") };
    let Error::DeserializationError(e) = &err else { panic!("expected a decoding error, got {err:?}") };
    assert!(e.to_string().contains("column `id`"), "{e}");
    // The column is there for code to read, not only in the message.
    let column = err.column_error().expect("a column's error");
    assert_eq!((column.index(), column.name()), (0, Some("id")));
    assert!(column.reason().to_string().contains("integer"), "{}", column.reason());
}

#[test]
fn binds_that_do_not_match_the_placeholders_are_an_error_before_running() -> QueryResult<()> {
    let mut conn = seeded_db();
    let before = users::table.count().get_result::<i64>(&mut conn)?;
    let result = sql_query("DELETE FROM users WHERE id = ? OR id = ?").bind::<Integer, _>(1).execute(&mut conn);
    let Err(err) = result else { panic!("expected a bind count error, got {result:?}") };
    assert_eq!(err.build_error_kind(), Some(BuildErrorKind::BindCount), "{err}");
    assert!(err.to_string().contains("bound 1 values for 2 parameters"), "{err}");
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, before, "nothing ran");
    Ok(())
}

#[test]
fn bad_sql_is_the_database_error() {
    let mut conn = seeded_db();
    let result = sql_query("SELEC id FROM users").load::<UserByName>(&mut conn);
    assert!(matches!(result, Err(Error::DatabaseError(..))), "{result:?}");
}

#[test]
fn the_same_text_is_prepared_once_and_debug_query_shows_the_binds() -> QueryResult<()> {
    let mut conn = seeded_db();
    let before = conn.stats();
    for id in 1..=3 {
        let rows: Vec<UserByName> =
            sql_query("SELECT * FROM users WHERE id = ?").bind::<Integer, _>(id).load(&mut conn)?;
        assert_eq!(rows.len(), 1);
    }
    assert_eq!(conn.stats().prepares - before.prepares, 1);
    let q = sql_query("SELECT * FROM users WHERE id = ? AND name = ?").bind::<Integer, _>(7).bind::<Text, _>("Ann");
    assert_eq!(
        quarry::debug_query::<Sqlite, _>(&q).to_string(),
        r#"SELECT * FROM users WHERE id = ? AND name = ? -- binds: [7, "Ann"]"#
    );
    Ok(())
}

on_every_backend! {
    /// SQL text of several statements, or of none, is a typed error on both backends (PostgreSQL's server
    /// finds the first, so each try runs in a transaction of its own there: the refusal aborts it).
    fn a_second_statement_is_an_error_not_silently_skipped(conn) {
        let mut kind_of = |sql: &str| {
            let result = conn.transaction(|c| sql_query(sql).execute(c));
            result.map_err(|e: Error| (e.build_error_kind(), e.to_string()))
        };
        let (kind, message) =
            kind_of("UPDATE users SET name = 'x' WHERE id = 1; UPDATE users SET name = 'y' WHERE id = 2").unwrap_err();
        assert_eq!(kind, Some(BuildErrorKind::SeveralStatements), "{message}");
        assert!(message.contains("holds more than one statement"), "{message}");
        // A syntax error is the database's (PostgreSQL's code for it is the same as for several statements).
        assert_eq!(kind_of("SELEC 1").unwrap_err().0, None);
        // A `;` inside a string, a quoted name or a comment ends nothing.
        let one = "SELECT ';' AS \"a;b\" /* ; */";
        assert!(kind_of(one).is_ok(), "{:?}", kind_of(one));
        assert_eq!(kind_of("  -- nothing\n").unwrap_err().0, Some(BuildErrorKind::NoStatement));
        assert_eq!(kind_of(" ; /* nor this */ ").unwrap_err().0, Some(BuildErrorKind::NoStatement));
        assert_eq!(kind_of("SELECT 1\0").unwrap_err().0, Some(BuildErrorKind::NulInSql));
        let names: Vec<String> = users::table.select(users::name).order(users::id).limit(2).load(conn)?;
        assert_eq!(names, ["Ann", "Bo"], "neither ran");
        // A trailing `;` or comment is not a statement.
        assert_eq!(sql_query("UPDATE users SET name = 'z' WHERE id = 3; -- done\n").execute(conn)?, 1);
        Ok(())
    }
}

quarry::table! {
    accounts (id) {
        id -> Integer,
        #[sql_name = "ownerName"]
        owner -> Text,
    }
}

#[derive(Debug, PartialEq, QueryableByName)]
#[quarry(table_name = accounts)]
struct Account {
    id: i32,
    owner: String,
}

#[test]
fn a_table_name_struct_reads_columns_by_their_sql_names() -> QueryResult<()> {
    let mut conn = empty_db();
    conn.batch_execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, \"ownerName\" TEXT NOT NULL); INSERT INTO accounts VALUES (4, 'Di');")?;
    let rows: Vec<Account> = sql_query("SELECT * FROM accounts").load(&mut conn)?;
    assert_eq!(rows, [Account { id: 4, owner: "Di".into() }]);
    Ok(())
}
