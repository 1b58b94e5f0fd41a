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
#![doc = "\n\n# Getting started\n\n"]
#![doc = include_str!("docs/getting-started.md")]
#![doc = "\n\n# Reading compile errors\n\n"]
#![doc = include_str!("docs/reading-errors.md")]

// The derives write `::quarry::..` paths; this lets the crate use them on itself.
extern crate self as quarry;

#[cfg(feature = "postgres")]
pub mod pg;
#[cfg(feature = "r2d2")]
pub mod r2d2;
#[cfg(feature = "sqlite")]
pub mod sqlite;

// The DSL lives in `quarry-core` (compiled beside SQLite's C code); its modules are Quarry's, at the
// same paths.
pub use quarry_core::debug_query;
pub use quarry_core::{
    allow_tables_to_appear_in_same_query, associations, backend, connection, copy_from, data_types,
    define_sql_function, delete, dsl, expression, insert_into, introspection, joinable, migration, query, render,
    result, schema, select, serialize, sql_query, sql_types, update, upsert,
};

pub use quarry_macros::{
    AsChangeset, AsExpression, Associations, DbEnum, DbNewType, FromSqlRow, Identifiable, Insertable, Queryable,
    QueryableByName, Selectable, SqlType, alias, auto_type, embed_migrations, table,
};

/// Reading rows into Rust values: `FromSql`, `FromSqlRow`, `Queryable`, `QueryableByName`.
pub mod deserialize {
    pub use quarry_core::deserialize::*;

    use crate::expression::Expression;
    #[cfg(not(feature = "sqlite"))]
    use crate::pg::Pg as Checked;
    #[cfg(feature = "sqlite")]
    use crate::sqlite::Sqlite as Checked;

    /// A Rust type a field of `#[derive(Selectable)]` may have for a column of SQL type `ST`, on the first
    /// backend built in (SQLite, else PostgreSQL): what the derive checks when no `check_for_backend` is
    /// given.
    #[cfg_attr(
        feature = "sqlite",
        diagnostic::on_unimplemented(
            message = "a Rust `{Self}` field cannot hold a SQL `{ST}` column on SQLite, which `#[derive(Selectable)]` checks",
            label = "not a Rust type of this column on SQLite",
            note = "a struct read on PostgreSQL only says so: `#[quarry(check_for_backend(quarry::pg::Pg))]`"
        )
    )]
    #[cfg_attr(
        not(feature = "sqlite"),
        diagnostic::on_unimplemented(
            message = "a Rust `{Self}` field cannot hold a SQL `{ST}` column on PostgreSQL, which `#[derive(Selectable)]` checks",
            label = "not a Rust type of this column"
        )
    )]
    #[doc(hidden)]
    pub trait FieldType<ST> {}
    #[diagnostic::do_not_recommend]
    impl<ST, T: FromSqlRow<ST, Checked>> FieldType<ST> for T {}

    /// Compiles only when a field of Rust type `T` can hold column `C` on the first backend built in
    /// (SQLite, else PostgreSQL); `#[derive(Selectable)]` calls it for each field, so a mismatch is
    /// reported at the field.
    #[doc(hidden)]
    pub fn field_can_hold<C: Expression, T: FieldType<C::SqlType>>() {}
}

/// Everything needed to declare a schema, build queries and run them.
pub mod prelude {
    pub use quarry_core::prelude::*;
    pub use quarry_macros::{
        AsChangeset, AsExpression, Associations, DbEnum, DbNewType, FromSqlRow, Identifiable, Insertable, Queryable,
        QueryableByName, Selectable, SqlType, alias, table,
    };
}

/// Items the macros' generated code refers to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use quarry_core::__private::*;
}

/// The README's examples, compiled and run as doctests so they cannot go stale.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
