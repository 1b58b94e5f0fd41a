//! SQL types: zero-sized markers naming the type of each column and expression.
//!
//! They never hold values; the Rust types that carry values of each SQL type are given by
//! [`AsExpression`](crate::expression::AsExpression) (writing) and
//! [`FromSql`](crate::deserialize::FromSql) (reading).

macro_rules! sql_types {
    ($($(#[$meta:meta])* $name:ident => $sql:literal,)*) => {$(
        $(#[$meta])*
        #[doc = concat!("\n\nSQL: `", $sql, "`.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        impl SqlType for $name {
            type IsNull = NotNull;
        }
        impl SingleValue for $name {}
    )*};
}

sql_types! {
    /// A 16-bit signed integer.
    SmallInt => "SMALLINT",
    /// A 32-bit signed integer.
    Integer => "INTEGER",
    /// A 64-bit signed integer.
    BigInt => "BIGINT",
    /// A 32-bit float.
    Float => "REAL",
    /// A 64-bit float.
    Double => "DOUBLE PRECISION",
    /// Text (valid UTF-8).
    Text => "TEXT",
    /// Bytes.
    Binary => "BLOB",
    /// A boolean (stored as 0/1 by SQLite).
    Bool => "BOOLEAN",
    /// A calendar date (stored as `YYYY-MM-DD` text by SQLite).
    Date => "DATE",
    /// A time of day (stored as `HH:MM:SS` text by SQLite).
    Time => "TIME",
    /// A date and time without time zone (stored as text by SQLite).
    Timestamp => "TIMESTAMP",
}

/// `ST` or NULL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Nullable<ST>(ST);

/// Marks whether a SQL type admits NULL.
pub trait SqlType: 'static {
    /// [`NotNull`] or [`IsNullable`].
    type IsNull;
}

/// The SQL type admits no NULL.
#[derive(Debug)]
pub struct NotNull;
/// The SQL type admits NULL.
#[derive(Debug)]
pub struct IsNullable;

impl<ST: SqlType<IsNull = NotNull>> SqlType for Nullable<ST> {
    type IsNull = IsNullable;
}
impl<ST: SqlType<IsNull = NotNull>> SingleValue for Nullable<ST> {}

/// A SQL type of one column, as opposed to a row (a tuple) of them.
pub trait SingleValue: SqlType {}

/// The SQL types on which `+ - * /` and SUM/AVG are defined.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a numeric SQL type, and `{Self}` is not one",
    label = "this expression is not numeric",
    note = "`+ - * /` work on SmallInt, Integer, BigInt, Float and Double, and their Nullable forms"
)]
pub trait Numeric: SqlType {}
#[diagnostic::do_not_recommend]
impl Numeric for SmallInt {}
#[diagnostic::do_not_recommend]
impl Numeric for Integer {}
#[diagnostic::do_not_recommend]
impl Numeric for BigInt {}
#[diagnostic::do_not_recommend]
impl Numeric for Float {}
#[diagnostic::do_not_recommend]
impl Numeric for Double {}
#[diagnostic::do_not_recommend]
impl<ST: Numeric + SqlType<IsNull = NotNull>> Numeric for Nullable<ST> {}

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

/// The SQL types a WHERE, AND, OR or NOT accepts.
#[diagnostic::on_unimplemented(
    message = "a condition must be a SQL `Bool` expression, and this one is a `{Self}`",
    label = "not a boolean expression",
    note = "compare the column with a value, e.g. `.eq(..)`, `.gt(..)`, `.is_null()`"
)]
pub trait BoolOrNullableBool: SqlType {}
#[diagnostic::do_not_recommend]
impl BoolOrNullableBool for Bool {}
#[diagnostic::do_not_recommend]
impl BoolOrNullableBool for Nullable<Bool> {}

/// Turns a SQL type into its nullable form (`Nullable<T>` stays `Nullable<T>`).
pub trait IntoNullable {
    /// The nullable form.
    type Nullable: SqlType;
}
impl<ST: SqlType<IsNull = NotNull>> IntoNullable for ST {
    type Nullable = Nullable<ST>;
}
impl<ST: SqlType<IsNull = NotNull>> IntoNullable for Nullable<ST> {
    type Nullable = Nullable<ST>;
}
