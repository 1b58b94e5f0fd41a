//! Decoding: reading a row's values into Rust values, straight from the driver's buffers.

use crate::backend::Backend;
use crate::result::{BoxError, Error, QueryResult};
use crate::sql_types::{Nullable, SingleValue};

mod row_type;
#[doc(hidden)]
pub use row_type::{Answer, Naming, No, Yes};
pub use row_type::{Named, RowNames, RowType, Unnamed};

/// The result of decoding one value.
pub type DeserializeResult<T> = Result<T, BoxError>;

/// Reads a value of SQL type `ST` into `Self`.
#[diagnostic::on_unimplemented(
    message = "a SQL `{ST}` value cannot be read into a Rust `{Self}`",
    label = "cannot hold a `{ST}`",
    note = "a `Nullable<..>` column must be read into an `Option<..>`"
)]
pub trait FromSql<ST, DB: Backend>: Sized {
    /// Decodes a non-NULL value.
    fn from_sql(value: DB::RawValue<'_>) -> DeserializeResult<Self>;

    /// Decodes a value that may be NULL (`None`); only `Option` accepts NULL.
    #[inline]
    fn from_nullable_sql(value: Option<DB::RawValue<'_>>) -> DeserializeResult<Self> {
        match value {
            Some(v) => Self::from_sql(v),
            None => Err(Box::new(crate::result::UnexpectedNull)),
        }
    }
}

impl<T, ST, DB> FromSql<Nullable<ST>, DB> for Option<T>
where
    T: FromSql<ST, DB>,
    DB: Backend,
{
    #[inline]
    fn from_sql(value: DB::RawValue<'_>) -> DeserializeResult<Self> {
        T::from_sql(value).map(Some)
    }
    #[inline]
    fn from_nullable_sql(value: Option<DB::RawValue<'_>>) -> DeserializeResult<Self> {
        value.map(T::from_sql).transpose()
    }
}

/// One non-NULL column value as every backend hands it out: what a [`FromSql`] impl written once for all
/// backends reads (`impl<DB: Backend> FromSql<Text, DB> for MyType`), through `DB::RawValue`. Each method
/// checks the value's type and says what it found instead (`expected text, found an INTEGER value`).
///
/// ```
/// use quarry::backend::Backend;
/// use quarry::deserialize::{DeserializeResult, FromSql, ValueRef};
/// use quarry::sql_types::Text;
///
/// /// A colour kept as `#rrggbb` text, read as a column value (`#[derive(FromSqlRow)]`).
/// #[derive(Debug, PartialEq, quarry::FromSqlRow)]
/// struct Rgb(u8, u8, u8);
///
/// impl<DB: Backend> FromSql<Text, DB> for Rgb {
///     fn from_sql(value: DB::RawValue<'_>) -> DeserializeResult<Self> {
///         let text = value.read_str()?;
///         let hex = text.strip_prefix('#').filter(|h| h.len() == 6).ok_or_else(|| format!("`{text}` is not #rrggbb"))?;
///         let part = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16);
///         Ok(Rgb(part(0)?, part(2)?, part(4)?))
///     }
/// }
///
/// # use quarry::prelude::*;
/// let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:")?;
/// let red: Rgb = quarry::select("#ff0000".into_sql::<Text>()).get_result(&mut conn)?;
/// assert_eq!(red, Rgb(255, 0, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ValueRef<'a>: Copy {
    /// The value as a 64-bit integer.
    fn read_i64(&self) -> DeserializeResult<i64>;
    /// The value as a 64-bit float.
    fn read_f64(&self) -> DeserializeResult<f64>;
    /// The value as text, checked to be UTF-8.
    fn read_str(&self) -> DeserializeResult<&'a str>;
    /// The value as bytes: a BLOB (or a TEXT value's bytes) on SQLite, a `bytea` on PostgreSQL.
    fn read_bytes(&self) -> DeserializeResult<&'a [u8]>;
}

/// One row as the driver gives it.
pub trait Row<DB: Backend> {
    /// The value at `index`, or `None` for NULL.
    fn value(&self, index: usize) -> Option<DB::RawValue<'_>>;
    /// The name of the column at `index`, for error messages.
    fn column_name(&self, index: usize) -> Option<&str>;
    /// How many columns the row has.
    fn column_count(&self) -> usize;
}

#[cold]
fn past_the_end(columns: usize, index: usize) -> Error {
    Error::DeserializationError(format!("the row has {columns} columns, but column {} was read", index + 1).into())
}

#[cold]
fn column_error(name: Option<&str>, index: usize, e: BoxError) -> Error {
    crate::result::column_error(index, name, e)
}

/// Reads a row's columns left to right.
pub struct RowReader<'r, R> {
    row: &'r R,
    next: usize,
}

impl<'r, R> RowReader<'r, R> {
    /// A reader positioned at the row's first column.
    pub fn new(row: &'r R) -> Self {
        RowReader { row, next: 0 }
    }

    /// Reads the next column as SQL type `ST` into a `T`; a failure names the column.
    #[inline]
    pub fn read<T, ST, DB>(&mut self) -> QueryResult<T>
    where
        R: Row<DB>,
        DB: Backend,
        T: FromSql<ST, DB>,
    {
        let index = self.next;
        self.next += 1;
        if index >= self.row.column_count() {
            return Err(past_the_end(self.row.column_count(), index));
        }
        match T::from_nullable_sql(self.row.value(index)) {
            Ok(v) => Ok(v),
            Err(e) => Err(column_error(self.row.column_name(index), index, e)),
        }
    }

    /// Reads the next column as SQL type `ST` into a `T`, `None` for NULL: one value lookup.
    #[inline]
    pub fn read_optional<T, ST, DB>(&mut self) -> QueryResult<Option<T>>
    where
        R: Row<DB>,
        DB: Backend,
        T: FromSql<ST, DB>,
    {
        // `Option`'s own `FromSql` maps NULL to `None` from the one value `read` looks up.
        self.read::<Option<T>, crate::sql_types::Nullable<ST>, DB>()
    }

    /// Reads the column named `name` as SQL type `ST` into a `T`, wherever it is in the row; for
    /// `#[derive(QueryableByName)]`.
    pub fn read_named<T, ST, DB>(&self, name: &str) -> QueryResult<T>
    where
        R: Row<DB>,
        DB: Backend,
        T: FromSql<ST, DB>,
    {
        let count = self.row.column_count();
        let Some(index) = (0..count).find(|&i| self.row.column_name(i) == Some(name)) else {
            let names: Vec<&str> = (0..count).map(|i| self.row.column_name(i).unwrap_or("?")).collect();
            return Err(Error::DeserializationError(
                format!("the query returned no column named `{name}` (its columns: {})", names.join(", ")).into(),
            ));
        };
        match T::from_nullable_sql(self.row.value(index)) {
            Ok(v) => Ok(v),
            Err(e) => Err(column_error(Some(name), index, e)),
        }
    }

    /// How many columns have been read.
    pub fn position(&self) -> usize {
        self.next
    }

    /// True when the next `count` columns are all NULL (a LEFT JOIN that matched no row).
    pub fn next_are_null<DB: Backend>(&self, count: usize) -> bool
    where
        R: Row<DB>,
    {
        (self.next..self.next + count).all(|i| self.row.value(i).is_none())
    }

    /// Moves past `count` columns without reading them.
    pub fn skip(&mut self, count: usize) {
        self.next += count;
    }
}

/// Builds `Self` from the columns of a row of SQL type `ST`: a single value, a tuple, a
/// `#[derive(Queryable)]` struct, or a `#[derive(Selectable)]` struct for `as_select()`.
#[diagnostic::on_unimplemented(
    message = "a row of SQL type `{ST}` cannot be read into a Rust `{Self}`",
    label = "one field per selected column, in order; a `Nullable` one needs an `Option`"
)]
pub trait FromSqlRow<ST, DB: Backend>: Sized {
    /// How many columns this reads.
    const FIELD_COUNT: usize = 1;
    /// Reads the next columns of `row`.
    fn build_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Self>;

    /// Reads the next columns of `row`, `None` when they are all NULL (then skipped). A single column
    /// reads its value once (a driver's value lookup is not free: PostgreSQL's `Row::try_get`).
    #[inline]
    fn build_optional_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Option<Self>> {
        if row.next_are_null::<DB>(Self::FIELD_COUNT) {
            row.skip(Self::FIELD_COUNT);
            Ok(None)
        } else {
            Self::build_from_row(row).map(Some)
        }
    }
}

/// The row type of a raw [`sql_query`](crate::sql_query): Quarry does not know its columns, so rows are read
/// by name into a [`QueryableByName`] type.
#[derive(Debug, Clone, Copy)]
pub struct Untyped;

/// Builds `Self` from a row by column names, whatever their order: the row type of
/// [`sql_query`](crate::sql_query). Derived with `#[derive(QueryableByName)]`.
#[diagnostic::on_unimplemented(
    message = "the rows of a raw `sql_query` cannot be read into `{Self}`",
    label = "rows of `sql_query` are read by column name",
    note = "add `#[derive(QueryableByName)]` to the struct, with `#[quarry(sql_type = ..)]` on each field or a `table_name`"
)]
pub trait QueryableByName<DB: Backend>: Sized {
    /// Reads each field from the column of its name.
    fn build_by_name<R: Row<DB>>(row: &RowReader<'_, R>) -> QueryResult<Self>;
}

#[diagnostic::do_not_recommend]
impl<U: QueryableByName<DB>, DB: Backend> FromSqlRow<Untyped, DB> for U {
    fn build_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Self> {
        U::build_by_name(row)
    }
}

/// Marks Rust types read from a single column through [`FromSql`]; they then read as a one-column
/// row. A custom type with a `FromSql` impl implements it too (`impl SingleField for MyType {}`).
///
/// A marker rather than a blanket over `FromSql`, so that a derived struct's own `FromSqlRow` impl
/// (generic over the backend) can never overlap this one.
pub trait SingleField {}

macro_rules! single_fields {
    ($($ty:ty),*) => {$(
        impl SingleField for $ty {}
    )*};
}
single_fields!(i16, i32, i64, f32, f64, bool, String);
// Bytes (`Binary`), and arrays of any element (`Array<ST>`).
impl<T> SingleField for Vec<T> {}
single_fields!(crate::data_types::PgInterval);
#[cfg(feature = "chrono")]
single_fields!(chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime, chrono::DateTime<chrono::Utc>);
#[cfg(feature = "serde_json")]
single_fields!(serde_json::Value);
#[cfg(feature = "time")]
single_fields!(time::Date, time::Time, time::PrimitiveDateTime, time::OffsetDateTime);
#[cfg(feature = "uuid")]
single_fields!(uuid::Uuid);
#[cfg(feature = "rust_decimal")]
single_fields!(rust_decimal::Decimal);

/// A value or group of columns that may be NULL: a nullable column, or the columns of a table on the
/// right of a LEFT JOIN. `None` when every column of the group is NULL.
#[diagnostic::do_not_recommend]
impl<T, ST, DB> FromSqlRow<Nullable<ST>, DB> for Option<T>
where
    T: FromSqlRow<ST, DB>,
    DB: Backend,
{
    const FIELD_COUNT: usize = T::FIELD_COUNT;

    #[inline]
    fn build_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Self> {
        T::build_optional_from_row(row)
    }
}

/// A column of a type that admits no NULL read into an `Option` of a single-value Rust type: `Some`, as
/// SQLx allows (Diesel refuses it); `None` only where the database sends NULL all the same (a raw
/// fragment typed NOT NULL, a schema that drifted), where the plain type would be an error.
#[diagnostic::do_not_recommend]
impl<T, ST, DB> FromSqlRow<ST, DB> for Option<T>
where
    T: SingleField + FromSql<ST, DB>,
    ST: crate::sql_types::NeverNull,
    DB: Backend,
{
    #[inline]
    fn build_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Self> {
        row.read_optional::<T, ST, DB>()
    }
}

/// The same read by column name (`#[derive(QueryableByName)]`): an `Option` field for a column that
/// admits no NULL.
impl<T, ST, DB> FromSql<ST, DB> for Option<T>
where
    T: SingleField + FromSql<ST, DB>,
    ST: crate::sql_types::NeverNull,
    DB: Backend,
{
    #[inline]
    fn from_sql(value: DB::RawValue<'_>) -> DeserializeResult<Self> {
        T::from_sql(value).map(Some)
    }
    #[inline]
    fn from_nullable_sql(value: Option<DB::RawValue<'_>>) -> DeserializeResult<Self> {
        value.map(T::from_sql).transpose()
    }
}

/// `Option::<T>::as_select()`: a struct read from the nullable side of a LEFT JOIN.
#[diagnostic::do_not_recommend]
impl<T, DB> FromSqlRow<crate::expression::AsSelect<Option<T>>, DB> for Option<T>
where
    T: crate::expression::Selectable + FromSqlRow<crate::expression::AsSelect<T>, DB>,
    DB: Backend,
{
    const FIELD_COUNT: usize = T::FIELD_COUNT;

    fn build_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Self> {
        T::build_optional_from_row(row)
    }
}

#[diagnostic::do_not_recommend]
impl<T, ST, DB> FromSqlRow<ST, DB> for T
where
    T: SingleField + FromSql<ST, DB>,
    ST: SingleValue,
    DB: Backend,
{
    #[inline]
    fn build_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Self> {
        row.read::<T, ST, DB>()
    }

    #[inline]
    fn build_optional_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Option<Self>> {
        row.read_optional::<T, ST, DB>()
    }
}

macro_rules! tuple_rows {
    ($(($($T:ident $S:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<DB: Backend, $($T: FromSqlRow<$S, DB>, $S),+> FromSqlRow<($($S,)+), DB> for ($($T,)+) {
            const FIELD_COUNT: usize = 0 $(+ $T::FIELD_COUNT)+;
            #[inline]
            fn build_from_row<R: Row<DB>>(row: &mut RowReader<'_, R>) -> QueryResult<Self> {
                Ok(($($T::build_from_row(row)?,)+))
            }
        }
    )*};
}
crate::tuples::for_each_tuple_pair!(tuple_rows);

/// A struct that reads itself from a row positionally: `#[derive(Queryable)]` implements
/// [`FromSqlRow`] for it, so this trait only names the concept for users coming from Diesel.
pub trait Queryable<ST, DB: Backend>: FromSqlRow<ST, DB> {}
impl<T: FromSqlRow<ST, DB>, ST, DB: Backend> Queryable<ST, DB> for T {}

/// Compiles only when a field of Rust type `T` can hold column `C` on backend `DB`: what
/// `#[derive(Selectable)]` with `#[quarry(check_for_backend(DB))]` writes for each field.
#[doc(hidden)]
pub fn field_can_hold_on<
    C: crate::expression::Expression,
    T: FromSqlRow<C::SqlType, DB>,
    DB: crate::backend::Backend,
>() {
}
