//! The demo schema, row structs and a seeded `:memory:` database shared by the integration tests.
#![allow(dead_code, missing_docs)] // each test binary uses a different part of the fixtures

use quarry::prelude::*;
use quarry::sqlite::{Sqlite, SqliteConnection};

pub mod backends;

include!("../../../schema.rs");

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, AsChangeset)]
#[quarry(table_name = users)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[quarry(table_name = users)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub hair_color: Option<&'a str>,
}

/// A post, also as a child of its user (`Associations`) for the relation tests.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[quarry(table_name = posts, belongs_to(User))]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
    pub published: bool,
}

/// A comment, child of its post and of its user.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[quarry(table_name = comments, belongs_to(Post, foreign_key = post_id), belongs_to(User))]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub user_id: i32,
    pub body: String,
}

/// A fresh in-memory database with the demo schema and no rows.
pub fn empty_db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open :memory:");
    conn.batch_execute(include_str!("../../../migrations/2026-11-25-000000_create_demo_tables/up.sql"))
        .expect("create the demo schema");
    conn
}

/// The demo schema with three users (Ann, Bo, Cy) and four posts.
pub fn seeded_db() -> SqliteConnection {
    let mut conn = empty_db();
    conn.batch_execute(backends::SEED).expect("seed the demo data");
    conn
}

/// The SQL text `query` renders on SQLite; not checked against SQLite's SQL, so that a shared test can show
/// the text of a query built for the backend it runs on (a boxed one).
pub fn sql<Q: quarry::render::QueryFragment>(query: &Q) -> String {
    quarry::render::render_sql(query, &Sqlite).expect("renders")
}

/// SQL text and binds, as `debug_query` shows them.
pub fn debug<Q: quarry::render::QueryFragment + quarry::backend::RunsOn<Sqlite>>(query: &Q) -> String {
    quarry::debug_query::<Sqlite, _>(query).to_string()
}

pub fn ann() -> User {
    User { id: 1, name: "Ann".into(), hair_color: None }
}
pub fn bo() -> User {
    User { id: 2, name: "Bo".into(), hair_color: Some("red".into()) }
}
pub fn cy() -> User {
    User { id: 3, name: "Cy".into(), hair_color: Some("black".into()) }
}
