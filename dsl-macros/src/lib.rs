//! Quarry's procedural macros: `table!` and the derives. Users reach them through `quarry`.
//!
//! Each macro follows one pipeline: parse the input into a model, check it (collecting every error so
//! one compile shows them all), then expand. Entry points only delegate.

mod alias;
mod auto_type;
mod derive;
mod migrations;
mod rows;
mod table;

use proc_macro::TokenStream;

/// Writes the return type of a function that builds a query, in place of `-> _`, from the function's
/// last expression (Diesel 2.2's `#[dsl::auto_type]`):
///
/// ```rust,ignore
/// #[quarry::auto_type]
/// fn published_by(name: &str) -> _ {
///     posts::table.inner_join(users::table).filter(users::name.eq(name)).select(posts::title)
/// }
/// // is written as
/// fn published_by(name: &str) -> dsl::Select<dsl::Filter<dsl::InnerJoin<posts::table, users::table>,
///     dsl::Eq<users::name, &str>>, posts::title> { .. }
/// ```
///
/// Each DSL method and function has its type in `quarry::dsl`, named after it (`filter` → `Filter`,
/// `eq` → `Eq`, `ge` → `GtEq`, `count(..)` → `count`); paths are their own types (`users::table`,
/// `users::name`), a literal has the type rustc would give it there (`1` beside a `BigInt` column is an
/// `i64`), a variable the type its parameter or `let` names. Anything else (a closure, a `match`, a
/// method without a type name such as `cast`) is one error saying which: bind it with
/// `let x: Type = ..;` first, or write the return type. `#[quarry::auto_type(type_alias)]` also declares
/// the type under the function's name (`type colored_users = ..;`), for struct fields and for other
/// `auto_type` functions that call it without arguments. The tests in `quarry`'s `tests/auto_type.rs`
/// run such helpers on every backend.
#[proc_macro_attribute]
pub fn auto_type(attr: TokenStream, item: TokenStream) -> TokenStream {
    auto_type::expand(attr.into(), item.into()).into()
}

/// Declares a table: see `quarry::table!`'s documentation in the `quarry` crate.
#[proc_macro]
pub fn table(input: TokenStream) -> TokenStream {
    table::expand(input.into()).into()
}

/// A table under another name, for self-joins: `let managers = alias!(users as managers);`.
#[proc_macro]
pub fn alias(input: TokenStream) -> TokenStream {
    alias::expand(input.into()).into()
}

/// Reads rows positionally into the struct's fields: `#[derive(Queryable)]`.
#[proc_macro_derive(Queryable, attributes(quarry, diesel))]
pub fn derive_queryable(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::queryable::generate).into()
}

/// Names the columns to select for the struct (`User::as_select()`): `#[derive(Selectable)]`. A field
/// may be `#[quarry(embed)]` (a `Selectable` struct of its own, an `Option` of one from the nullable side
/// of a LEFT JOIN) or `#[quarry(select_expression = expr)]` (a computed value; its type read from the
/// expression as `auto_type` reads it, or given with `select_expression_type = Type`); each is checked
/// against the query like a column.
#[proc_macro_derive(Selectable, attributes(quarry, diesel))]
pub fn derive_selectable(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::selectable::generate).into()
}

/// Lets the struct be inserted into its table: `#[derive(Insertable)]`.
#[proc_macro_derive(Insertable, attributes(quarry, diesel))]
pub fn derive_insertable(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::insertable::generate).into()
}

/// Lets the struct be the SET clause of an UPDATE: `#[derive(AsChangeset)]`.
#[proc_macro_derive(AsChangeset, attributes(quarry, diesel))]
pub fn derive_as_changeset(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::changeset::generate).into()
}

/// Lets `&struct` name its row by primary key: `#[derive(Identifiable)]`.
#[proc_macro_derive(Identifiable, attributes(quarry, diesel))]
pub fn derive_identifiable(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::identifiable::generate).into()
}

/// Makes the struct a child of each `#[quarry(belongs_to(Parent))]` (foreign key `parent_id`, or
/// `belongs_to(Parent, foreign_key = column)`), for `Child::belonging_to(&parents)` and `grouped_by`.
#[proc_macro_derive(Associations, attributes(quarry, diesel))]
pub fn derive_associations(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::associations::generate).into()
}

/// Reads the rows of a raw `sql_query` by column name: `#[derive(QueryableByName)]`, with
/// `#[quarry(sql_type = Text)]` on each field or `#[quarry(table_name = users)]` on the struct.
#[proc_macro_derive(QueryableByName, attributes(quarry, diesel))]
pub fn derive_queryable_by_name(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::by_name::generate).into()
}

/// Declares a SQL type of the user's own (a PostgreSQL enum type, say) for `table!` columns:
/// `#[derive(SqlType)] pub struct Mood;`, then `mood -> Mood` after a `use` line in `table!`.
#[proc_macro_derive(SqlType, attributes(quarry, diesel))]
pub fn derive_sql_type(input: TokenStream) -> TokenStream {
    derive::value::expand(input.into(), derive::value::sql_type).into()
}

/// Lets a type with a hand-written `quarry::serialize::ToSql<X>` stand as a value of SQL type `X` (and
/// `Nullable<X>`): `#[derive(AsExpression)] #[quarry(sql_type = X)]`, Diesel's spelling.
#[proc_macro_derive(AsExpression, attributes(quarry, diesel))]
pub fn derive_as_expression(input: TokenStream) -> TokenStream {
    derive::value::expand(input.into(), derive::value::as_expression).into()
}

/// Lets a type with hand-written `quarry::deserialize::FromSql` impls be read as a column value (a field
/// of a `Queryable` struct, a row of its own): `#[derive(FromSqlRow)]`.
#[proc_macro_derive(FromSqlRow, attributes(quarry, diesel))]
pub fn derive_from_sql_row(input: TokenStream) -> TokenStream {
    derive::value::expand(input.into(), derive::value::from_sql_row).into()
}

/// A Rust enum of unit variants as column values: text (`#[quarry(sql_type = Text)]`, the default, one
/// string per variant, `snake_case` unless `rename_all`/`rename` say otherwise), an integer (`Integer`,
/// `SmallInt`, `BigInt`: the discriminant) or a custom SQL type (a PostgreSQL enum, as text).
#[proc_macro_derive(DbEnum, attributes(quarry, diesel))]
pub fn derive_db_enum(input: TokenStream) -> TokenStream {
    derive::value::expand(input.into(), derive::value::db_enum).into()
}

/// A one-field tuple struct (`struct UserId(i32)`) written and read wherever its field's type is.
#[proc_macro_derive(DbNewType, attributes(quarry, diesel))]
pub fn derive_db_new_type(input: TokenStream) -> TokenStream {
    derive::value::expand(input.into(), derive::value::new_type).into()
}

/// Compiles a folder of migrations into the program: `embed_migrations!("migrations")`, the path
/// relative to the crate's `Cargo.toml` (`"migrations"` when omitted). Each subfolder, in name order, is
/// one migration with an `up.sql` and optionally a `down.sql`. Gives a
/// `quarry::migration::EmbeddedMigrations` for `MigrationHarness`.
///
/// An edited `up.sql`/`down.sql` recompiles the crate; a new folder is seen at the next compile of the
/// crate. To recompile as soon as one is added, put `println!("cargo::rerun-if-changed=migrations");` in
/// the crate's `build.rs`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    migrations::expand(input.into()).into()
}
