//! Quarry: a Rust ORM whose SQL query DSL is checked by the compiler.
//!
//! Declare the schema once with [`table!`], build queries with the DSL, run them on SQLite (bundled,
//! nothing to install). A query that could not be valid SQL for the schema does not compile.
//!
//! ```
//! use quarry::prelude::*;
//! use quarry::sqlite::SqliteConnection;
//!
//! quarry::table! {
//!     users (id) {
//!         id -> Integer,
//!         name -> Text,
//!     }
//! }
//!
//! let mut conn = SqliteConnection::establish(":memory:")?;
//! conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")?;
//! quarry::insert_into(users::table).values(users::name.eq("Ann")).execute(&mut conn)?;
//! let names: Vec<String> = users::table.select(users::name).load(&mut conn)?;
//! assert_eq!(names, ["Ann"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![doc = "\n\n# Reading compile errors\n\n"]
#![doc = include_str!("docs/reading-errors.md")]

pub mod backend;
pub mod connection;
pub mod deserialize;
pub mod expression;
pub mod query;
pub mod render;
pub mod result;
pub mod schema;
pub mod sql_types;
pub mod sqlite;
mod tuples;

pub use quarry_macros::{AsChangeset, Identifiable, Insertable, Queryable, Selectable, table};

pub use query::{delete, insert_into, update};
pub use render::debug_query;

/// The SQL functions and operators that are written as free functions.
pub mod dsl {
    pub use crate::expression::not;
}

/// Everything needed to declare a schema, build queries and run them.
pub mod prelude {
    pub use crate::connection::{Connection, RunQueryDsl};
    pub use crate::expression::{
        BoolExpressionMethods, ExpressionMethods, NullableExpressionMethods, SelectableHelper, TextExpressionMethods,
    };
    pub use crate::query::QueryDsl;
    pub use crate::result::OptionalExtension;
    pub use crate::schema::Table;
    pub use quarry_macros::{AsChangeset, Identifiable, Insertable, Queryable, Selectable, table};
}

/// Items the macros' generated code refers to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::expression::{AppearsOn, AsExpression, Expression, InFilter, InSelect};
    pub use crate::query::AsQuery;
    pub use std::ops::{Add, Div, Mul, Sub};
}

/// The README's examples, compiled and run as doctests so they cannot go stale.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
