//! The demo schema and structs shared by the compile-fail and compile-pass cases in `tests/ui/`.

#![allow(missing_docs)] // generated schema items and fixtures, documented by the schema file itself

include!("../../schema.rs");

use quarry::prelude::*;

/// A whole row of `users`.
#[derive(Debug, Queryable, Selectable, Identifiable)]
#[quarry(table_name = users)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

/// A row to insert into `users`.
#[derive(Debug, Insertable)]
#[quarry(table_name = users)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub hair_color: Option<&'a str>,
}

/// A whole row of `posts`.
#[derive(Debug, Queryable, Selectable)]
#[quarry(table_name = posts)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
    pub published: bool,
}
