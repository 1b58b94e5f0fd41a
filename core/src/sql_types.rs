//! SQL types: zero-sized markers naming the type of each column and expression.
//!
//! They never hold values; the Rust types that carry values of each SQL type are given by
//! [`AsExpression`](crate::expression::AsExpression) (writing) and
//! [`FromSql`](crate::deserialize::FromSql) (reading).
//!
//! A type Quarry lacks is declared with `#[derive(SqlType)]` and named in `table!` after a `use` line;
//! a PostgreSQL enum type is read and written by a `#[derive(DbEnum)]` enum of it (print-schema writes the
//! declaration):
//!
//! ```
//! use quarry::prelude::*;
//!
//! pub mod sql_types {
//!     /// `mood` in the database (`CREATE TYPE mood AS ENUM ('sad', 'happy')` on PostgreSQL).
//!     #[derive(quarry::SqlType)]
//!     pub struct Mood;
//! }
//!
//! quarry::table! {
//!     use super::sql_types::Mood;
//!     people (id) {
//!         id -> Integer,
//!         mood -> Mood,
//!     }
//! }
//!
//! #[derive(Debug, PartialEq, DbEnum)]
//! #[quarry(sql_type = sql_types::Mood)]
//! enum Mood {
//!     Sad,
//!     Happy,
//! }
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:")?;
//!     conn.batch_execute("CREATE TABLE people (id INTEGER PRIMARY KEY, mood TEXT NOT NULL)")?;
//!     quarry::insert_into(people::table).values((people::id.eq(1), people::mood.eq(Mood::Happy))).execute(&mut conn)?;
//!     let mood: Mood = people::table.select(people::mood).first(&mut conn)?;
//!     assert_eq!(mood, Mood::Happy);
//!     Ok(())
//! }
//! ```

/// The table of built-in SQL types and each backend's names for them: the same file `quarry-table-syntax`
/// compiles as its `types` module (for `table!` and the CLI), compiled here too rather than depended on,
/// so that this crate has no dependency to wait for and compiles beside SQLite's C code from the start.
#[doc(hidden)]
#[path = "../../table-syntax/src/types.rs"]
pub mod built_in;

/// The SQL type markers: each is `SqlType` (not null) and a single column's type, named in SQL as the
/// table of built-in types (`crate::sql_types::built_in::BUILT_IN`, which `table!` and the CLI read too)
/// says; a marker missing from it does not compile.
macro_rules! sql_types {
    ($($name:ident,)*) => {
        /// The names of the SQL types above, as `table!` and print-schema write them (`Integer`).
        #[cfg(test)]
        const MARKER_NAMES: &[&str] = &[$(stringify!($name)),*];
        $(
        // Evaluated whether or not the name is used: a marker missing from the table stops the compile.
        const _: &str = crate::sql_types::built_in::postgres_name(stringify!($name));
        impl SqlType for $name {
            type IsNull = NotNull;
            const SQL_NAME: Option<&'static str> = Some(crate::sql_types::built_in::postgres_name(stringify!($name)));
        }
        impl SingleValue for $name {}
        impl NeverNull for $name {}
        impl crate::deserialize::RowType for $name {
            type Names = crate::deserialize::Unnamed;
        }
    )*
    };
}

// Declared one by one, outside the macro, so that a compiler note pointing at one of them shows
// one line, not the macro.
/// A 16-bit signed integer (`SMALLINT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SmallInt;
/// A 32-bit signed integer (`INTEGER`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Integer;
/// A 64-bit signed integer (`BIGINT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct BigInt;
/// A 32-bit float (`REAL`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Float;
/// A 64-bit float (`DOUBLE PRECISION`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Double;
/// Text, valid UTF-8 (`TEXT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Text;
/// Bytes (`BLOB`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Binary;
/// A boolean (`BOOLEAN`; SQLite stores 0 or 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Bool;
/// A calendar date (`DATE`; SQLite stores `YYYY-MM-DD` text).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Date;
/// A time of day (`TIME`; SQLite stores `HH:MM:SS` text).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Time;
/// A date and time without time zone (`TIMESTAMP`; SQLite stores text).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Timestamp;
/// JSON text (SQLite keeps it as TEXT and reads it with its `json_*` functions): a `String`, or a
/// `serde_json::Value` with the `serde_json` feature.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Json;
/// A point in time with a zone: `timestamptz` on PostgreSQL, UTC text with its offset on SQLite
/// (`2026-11-30 16:36:00.000000+00:00`, which sorts and compares as the instants do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Timestamptz;
/// A UUID: a 16-byte BLOB on SQLite, `uuid` on PostgreSQL (`uuid::Uuid` with the `uuid` feature).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Uuid;
/// JSON in PostgreSQL's binary form (`JSONB`): compared and indexed by value, queried with `->`, `->>`,
/// `@>`, `?` ([`JsonbExpressionMethods`](crate::expression::JsonbExpressionMethods), PostgreSQL only). The
/// same Rust types as [`Json`] (a `String`, or a `serde_json::Value`); SQLite keeps the text, or reads the
/// JSONB blobs its `jsonb()` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Jsonb;
/// A span of time (`INTERVAL`, PostgreSQL only): months, days and microseconds kept apart, as
/// [`PgInterval`](crate::data_types::PgInterval).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Interval;
/// An exact decimal number (`NUMERIC`): `rust_decimal::Decimal` with the `rust_decimal` feature, or an
/// `f64` (rounded). PostgreSQL keeps every digit; SQLite gets the decimal's text, which a `TEXT` column keeps
/// whole (compared as text) and a `NUMERIC` column turns into a number of 15 significant digits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Numeric;

sql_types! {
    SmallInt, Integer, BigInt, Float, Double, Text, Binary, Bool, Date, Time, Timestamp, Json, Uuid, Timestamptz,
    Numeric, Jsonb, Interval,
}

/// A one-dimensional array of `ST` values (`ST[]`, PostgreSQL only): a `Vec<T>` (a NULL element is an error
/// when read), compared with [`ArrayExpressionMethods`](crate::expression::ArrayExpressionMethods).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Array<ST>(ST);
impl<ST: SqlType> SqlType for Array<ST> {
    type IsNull = NotNull;
}
impl<ST: SqlType> SingleValue for Array<ST> {}
impl<ST: SqlType> NeverNull for Array<ST> {}
impl<ST> crate::deserialize::RowType for Array<ST> {
    type Names = crate::deserialize::Unnamed;
}

/// The SQL types the array operators apply to: `Array<ST>` and `Nullable<Array<ST>>`.
pub trait ArrayLike: SqlType {
    /// The array's type without NULL.
    type Array;
}
impl<ST: SqlType> ArrayLike for Array<ST> {
    type Array = Array<ST>;
}
impl<ST: SqlType> ArrayLike for Nullable<Array<ST>> {
    type Array = Array<ST>;
}

/// An expression of SQL type `Self` may stand where an `ST` is expected: the same type, or a type that
/// admits no NULL where its `Nullable` form is expected (`nullable_fk.eq(users::id)`, a foreign key that
/// may be NULL compared with a primary key, as a `joinable!` ON clause does).
pub trait SameSqlType<ST> {}
impl<T> SameSqlType<T> for T {}
impl<T: SqlType<IsNull = NotNull>> SameSqlType<Nullable<T>> for T {}

/// `ST` or NULL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Nullable<ST>(ST);

/// Marks whether a SQL type admits NULL.
pub trait SqlType: 'static {
    /// [`NotNull`] or [`IsNullable`].
    type IsNull;
    /// The type's name in PostgreSQL's SQL (`INTEGER`, `BYTEA`), for a backend that binds a list of its
    /// values as one array; `None` for a type it does not know (a custom one), whose lists are written out
    /// value by value.
    const SQL_NAME: Option<&'static str> = None;
}

/// The SQL type admits no NULL.
#[derive(Debug)]
pub struct NotNull;

/// A single-column SQL type that admits no NULL, implemented for each such type (never for
/// `Nullable<..>`, so the compiler can tell the two apart): an `Option` reads a value of it too, `Some`
/// unless the database sends NULL all the same (a nullable-side column written without `.nullable()` is
/// refused where it is selected, and this keeps that mistake at one error).
#[doc(hidden)]
pub trait NeverNull: SqlType<IsNull = NotNull> + SingleValue {}
/// The SQL type admits NULL.
#[derive(Debug)]
pub struct IsNullable;

impl<ST: SqlType<IsNull = NotNull>> SqlType for Nullable<ST> {
    type IsNull = IsNullable;
    const SQL_NAME: Option<&'static str> = ST::SQL_NAME;
}
impl<ST: SqlType<IsNull = NotNull>> SingleValue for Nullable<ST> {}

/// A SQL type of one column, as opposed to a row (a tuple) of them.
pub trait SingleValue: SqlType {}

/// The SQL types on which `+ - * /` and SUM/AVG are defined.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a numeric SQL type, and `{Self}` is not one",
    label = "this expression is not numeric",
    note = "`+ - * /` work on SmallInt, Integer, BigInt, Float, Double and Numeric, and their Nullable forms"
)]
pub trait NumericLike: SqlType {}

/// `+ - * /` on an expression of this SQL type, with `Rhs` as the other operand.
///
/// The check sits on the SQL type, so one bound says both "this is numeric" and "the operand fits".
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a numeric SQL type, and `{Self}` is not one",
    label = "this expression is not numeric",
    note = "`+ - * /` work on SmallInt, Integer, BigInt, Float, Double and Numeric, and their Nullable forms"
)]
pub trait Arithmetic<Rhs>: SqlType {
    /// Writes the operand `value`.
    fn walk_operand(value: &Rhs, out: &mut crate::render::AstPass<'_>) -> crate::result::QueryResult<()>;
}

#[diagnostic::do_not_recommend]
impl<ST: NumericLike, Rhs: crate::expression::AsExpression<ST>> Arithmetic<Rhs> for ST {
    fn walk_operand(value: &Rhs, out: &mut crate::render::AstPass<'_>) -> crate::result::QueryResult<()> {
        value.walk_operand(out)
    }
}
#[diagnostic::do_not_recommend]
impl NumericLike for SmallInt {}
#[diagnostic::do_not_recommend]
impl NumericLike for Integer {}
#[diagnostic::do_not_recommend]
impl NumericLike for BigInt {}
#[diagnostic::do_not_recommend]
impl NumericLike for Float {}
#[diagnostic::do_not_recommend]
impl NumericLike for Double {}
#[diagnostic::do_not_recommend]
impl NumericLike for Numeric {}
#[diagnostic::do_not_recommend]
impl<ST: NumericLike + SqlType<IsNull = NotNull>> NumericLike for Nullable<ST> {}

/// The SQL types on which LIKE and `||` are defined, with `T` as the other operand.
///
/// The check sits on the SQL type, so one bound says both "this is text" and "the operand fits".
#[diagnostic::on_unimplemented(
    message = "LIKE and `concat` need a SQL `Text` expression, not a `{Self}`",
    label = "this is applied to a `{Self}` expression"
)]
pub trait TextLike<T>: SqlType {
    /// Writes the operand `value`.
    fn walk_operand(value: &T, out: &mut crate::render::AstPass<'_>) -> crate::result::QueryResult<()>;
}
#[diagnostic::do_not_recommend]
impl<T: crate::expression::AsExpression<Text>> TextLike<T> for Text {
    fn walk_operand(value: &T, out: &mut crate::render::AstPass<'_>) -> crate::result::QueryResult<()> {
        value.walk_operand(out)
    }
}
#[diagnostic::do_not_recommend]
impl<T: crate::expression::AsExpression<Nullable<Text>>> TextLike<T> for Nullable<Text> {
    fn walk_operand(value: &T, out: &mut crate::render::AstPass<'_>) -> crate::result::QueryResult<()> {
        value.walk_operand(out)
    }
}

/// The SQL types the `jsonb` operators apply to: `Jsonb` and `Nullable<Jsonb>`.
pub trait JsonbLike: SqlType {}
impl JsonbLike for Jsonb {}
impl JsonbLike for Nullable<Jsonb> {}

/// The SQL types a WHERE, AND, OR or NOT accepts.
#[diagnostic::on_unimplemented(
    message = "a condition must be a SQL `Bool` expression, and this one is a `{Self}`",
    label = "not a boolean expression",
    note = "compare the column with a value, e.g. `.eq(..)`, `.gt(..)`, `.is_null()`"
)]
pub trait BoolLike: SqlType {}
#[diagnostic::do_not_recommend]
impl BoolLike for Bool {}
#[diagnostic::do_not_recommend]
impl BoolLike for Nullable<Bool> {}

/// A `Nullable<T>` SQL type, and the `T` it is the nullable form of.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a nullable SQL type",
    label = "`assume_not_null()` is for expressions of a `Nullable<..>` SQL type"
)]
pub trait NullableOf {
    /// The SQL type without NULL.
    type NotNull;
}
impl<ST: SqlType<IsNull = NotNull>> NullableOf for Nullable<ST> {
    type NotNull = ST;
}

/// Turns a SQL type into its form without NULL (`T` stays `T`): the SQL type of `assume_not_null()`.
/// Total over SQL types, so that a misuse is reported once, by [`NullableOf`].
pub trait DropNullable {
    /// The form without NULL.
    type NotNull;
}
impl<ST: SqlType<IsNull = NotNull>> DropNullable for ST {
    type NotNull = ST;
}
impl<ST: SqlType<IsNull = NotNull>> DropNullable for Nullable<ST> {
    type NotNull = ST;
}

/// Turns a SQL type into its nullable form (`Nullable<T>` stays `Nullable<T>`).
pub trait IntoNullable {
    /// The nullable form.
    type Nullable;
}
impl<ST: SqlType<IsNull = NotNull>> IntoNullable for ST {
    type Nullable = Nullable<ST>;
}
impl<ST: SqlType<IsNull = NotNull>> IntoNullable for Nullable<ST> {
    type Nullable = Nullable<ST>;
}

/// A row of SQL types (the columns of a table on the right of a LEFT JOIN) becomes one nullable group,
/// read as `None` when all its columns are NULL.
macro_rules! nullable_rows {
    ($($T:ident $idx:tt),+) => {
        impl<$($T),+> IntoNullable for ($($T,)+) {
            type Nullable = Nullable<($($T,)+)>;
        }
    };
}
crate::tuples::for_each_tuple!(nullable_rows);

#[cfg(test)]
mod tests {
    #[test]
    fn every_built_in_type_of_the_shared_table_has_its_marker() {
        let table: Vec<&str> = crate::sql_types::built_in::BUILT_IN.iter().map(|t| t.name).collect();
        assert_eq!(super::MARKER_NAMES, table);
    }
}
