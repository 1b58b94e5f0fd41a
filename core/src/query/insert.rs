//! INSERT: `insert_into(table).values(..)`, one row or many in one statement, with optional RETURNING.

use crate::backend::Portable;
use std::any::TypeId;
use std::ops::Range;

use super::Query;
use super::no_from::NoFromClause;
use super::returning::{NoReturning, Returning};
use super::upsert::NoConflict;
use crate::expression::{AppearsOn, AsExpression, Eq, Expression, Operand, OperandAppearsOn, OperandNonAggregate};
use crate::render::{AstPass, CacheKey, QueryFragment, QueryId, RowBatch};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::{Column, ColumnOf, Table};

/// Starts an INSERT into `table`; finish it with [`values`](IncompleteInsert::values).
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
/// let q = quarry::insert_into(users::table)
///     .values((users::name.eq("Ann"), users::hair_color.eq(None::<String>)))
///     .returning(users::id);
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
///     r#"INSERT INTO "users" ("name", "hair_color") VALUES (?, ?) RETURNING "users"."id" -- binds: ["Ann", NULL]"#
/// );
/// ```
pub fn insert_into<T: Table>(table: T) -> IncompleteInsert<T> {
    IncompleteInsert { table }
}

/// An INSERT that has no values yet.
#[derive(Debug, Clone, Copy)]
pub struct IncompleteInsert<T> {
    table: T,
}

/// One row for an INSERT into `T`: a tuple of `column.eq(value)`, or an `#[derive(Insertable)]` struct.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row that can be inserted into `{T}`",
    label = "not a row of `{T}`",
    note = "insert a tuple of `column.eq(value)` for columns of the table, or a struct with `#[derive(Insertable)]` and `#[quarry(table_name = ...)]`"
)]
#[doc(hidden)]
pub trait InsertRow<T> {
    /// A `'static` type standing for the row's SQL (its columns and placeholders): with `FIXED_SHAPE`,
    /// part of the statement cache's key.
    type Shape: 'static;
    /// True when every value of the type writes the same columns and placeholders, so a batch of them is
    /// cached by (type, row count) and never rendered again.
    const FIXED_SHAPE: bool;

    /// True when a value of the type may leave a column to its default (an `Option` field of a NOT NULL
    /// column holding `None`): then the SQL depends on the value.
    const MAY_DEFAULT: bool = false;
    /// How many fields a row has (0 when it does not say): a row whose every field is left to its default
    /// writes `DEFAULT VALUES` where VALUES takes no `DEFAULT`.
    const FIELD_COUNT: u32 = 0;

    /// Writes the column list's content: `"a", "b"`.
    fn walk_columns(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Writes the values' content: `?, ?`.
    fn walk_values(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Which fields leave their column to its default, one bit each (see [`Self::MAY_DEFAULT`]).
    fn default_mask(&self) -> u64 {
        0
    }
}

/// Which of `row`'s fields leave their column to its default, and whether that is every field (then it
/// writes no column at all where VALUES takes no `DEFAULT`).
#[doc(hidden)]
pub fn row_default<T, R: InsertRow<T> + ?Sized>(row: &R) -> (u64, bool) {
    if !R::MAY_DEFAULT {
        return (0, false);
    }
    let mask = row.default_mask();
    (mask, R::FIELD_COUNT > 0 && mask.count_ones() == R::FIELD_COUNT)
}

/// What `values(..)` accepts for `T`: one row, or a `Vec`/slice of rows (one multi-row INSERT).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be inserted into `{T}`",
    label = "not insertable into `{T}`",
    note = "insert a tuple of `column.eq(value)` (each column once), an `#[derive(Insertable)]` struct, or a Vec or slice of either"
)]
pub trait Insertable<T> {
    /// Where the rows come from: [`ValuesRows`] for rows written in VALUES, [`SelectRows`] for
    /// `INSERT .. SELECT`, whose fit with the columns is checked when the statement runs.
    type Source;
    /// Writes `("a", "b") VALUES (?, ?), (?, ?)`.
    fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// How many rows it holds.
    fn row_count(&self) -> usize {
        1
    }
    /// Writes only the rows in `rows` (a batch too big for one statement is run in parts); one row
    /// writes itself whatever the range.
    fn walk_insert_rows(&self, rows: Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()> {
        let _ = rows;
        self.walk_insert(out)
    }
    /// The rows' type and count when they fix the SQL ([`InsertRow::FIXED_SHAPE`]); `None` otherwise.
    fn rows_key(&self) -> Option<(TypeId, usize)> {
        None
    }
    /// Row `row`'s default mask ([`RowBatch::default_mask`](crate::render::RowBatch::default_mask)).
    fn default_mask(&self, row: usize) -> (u64, bool) {
        let _ = row;
        (0, false)
    }
    /// Whether any row may leave a column to its default.
    fn may_default(&self) -> bool {
        false
    }
    /// Writes the rows before an ON CONFLICT clause: the same as [`walk_insert_rows`](Self::walk_insert_rows)
    /// except for `INSERT .. SELECT`, whose SELECT must then end with a WHERE clause on SQLite (else its
    /// parser reads ON as a join's).
    fn walk_insert_rows_before_conflict(&self, rows: Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_insert_rows(rows, out)
    }
}

/// [`Insertable::Source`] of rows written in VALUES.
#[derive(Debug)]
pub struct ValuesRows;

/// [`Insertable::Source`] of `INSERT .. SELECT`: the query `Q` filling the columns `Cols`.
#[derive(Debug)]
pub struct SelectRows<Q, Cols>(std::marker::PhantomData<fn() -> (Q, Cols)>);

/// The source's SQL runs on `DB`: always for VALUES (checked by `values`); for a SELECT where its SQL
/// does, when it runs on its own, and when its row type fits the columns'.
pub trait SourceRunsOn<DB> {}
impl<DB> SourceRunsOn<DB> for ValuesRows {}
impl<DB, Q, Cols> SourceRunsOn<DB> for SelectRows<Q, Cols>
where
    Q: Query + crate::backend::RunsOn<DB> + super::RunnableQuery,
    Cols: Expression,
    Q::SqlType: RowFits<Cols::SqlType>,
{
}

/// A SELECT's rows of SQL type `Self` can fill columns of SQL type `Cols`: the same types, column by column,
/// a value that is never NULL going into a nullable column.
#[diagnostic::on_unimplemented(
    message = "the SELECT's rows of SQL type `{Self}` do not fit the columns inserted into, of SQL type `{Cols}`",
    label = "one selected column per inserted column, in order, of the same SQL type",
    note = "name the columns the SELECT fills with `.into_columns((table::a, table::b))`"
)]
pub trait RowFits<Cols> {}
#[diagnostic::do_not_recommend]
impl<A: crate::sql_types::SingleValue + crate::sql_types::SameSqlType<B>, B> RowFits<B> for A {}
macro_rules! tuple_row_fits {
    ($(($($A:ident $B:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($A: RowFits<$B>, $B),+> RowFits<($($B,)+)> for ($($A,)+) {}
    )*};
}
crate::tuples::for_each_tuple_pair!(tuple_row_fits);

/// The key of one row of type `R` whose shape is fixed, as [`Insertable::rows_key`] gives it.
#[doc(hidden)]
pub fn single_row_key<T, R: InsertRow<T> + ?Sized>() -> Option<(TypeId, usize)> {
    R::FIXED_SHAPE.then(|| (TypeId::of::<R::Shape>(), 1))
}

/// Writes one row's `(columns) VALUES (values)` (`DEFAULT VALUES` when it leaves every column to its
/// default where VALUES takes no `DEFAULT`).
pub fn walk_single_row<T, R: InsertRow<T> + ?Sized>(row: &R, out: &mut AstPass<'_>) -> QueryResult<()> {
    if row_default::<T, R>(row).1 && !out.default_in_values() {
        out.push_sql("DEFAULT VALUES");
        return Ok(());
    }
    out.push_sql("(");
    row.walk_columns(out)?;
    out.push_sql(") VALUES (");
    row.walk_values(out)?;
    out.push_sql(")");
    Ok(())
}

fn walk_rows<T, R: InsertRow<T>>(rows: &[R], out: &mut AstPass<'_>) -> QueryResult<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    if R::MAY_DEFAULT && !out.default_in_values() {
        // One statement holds only rows leaving the same columns to their defaults (a connection runs a
        // mixed batch as several); shown as one here, it would be wrong SQL.
        let (mask, none) = row_default::<T, R>(first);
        if rows.len() == 1 {
            return walk_single_row::<T, R>(first, out);
        }
        if none || rows.iter().any(|r| row_default::<T, R>(r).0 != mask) {
            return Err(build_error(
                BuildErrorKind::Unsupported,
                "these rows leave different columns to their defaults, which this database writes as \
                 separate statements: run the insert (it splits them), or render one row at a time",
            ));
        }
    }
    out.push_sql("(");
    first.walk_columns(out)?;
    out.push_sql(") VALUES ");
    for (i, row) in rows.iter().enumerate() {
        out.push_sql(if i == 0 { "(" } else { ", (" });
        row.walk_values(out)?;
        out.push_sql(")");
    }
    Ok(())
}

macro_rules! batch_insertable {
    ($([$($g:tt)*] $ty:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<T, R: InsertRow<T>, $($g)*> Insertable<T> for $ty {
            type Source = ValuesRows;
            fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                walk_rows(&self[..], out)
            }
            fn row_count(&self) -> usize {
                self[..].len()
            }
            fn walk_insert_rows(&self, rows: Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()> {
                walk_rows(self[..].get(rows).unwrap_or_default(), out)
            }
            fn rows_key(&self) -> Option<(TypeId, usize)> {
                R::FIXED_SHAPE.then(|| (TypeId::of::<R::Shape>(), self[..].len()))
            }
            fn default_mask(&self, row: usize) -> (u64, bool) {
                self[..].get(row).map_or((0, false), row_default::<T, R>)
            }
            fn may_default(&self) -> bool {
                R::MAY_DEFAULT
            }
        }
    )*};
}
batch_insertable! {
    [] Vec<R>;
    [] &Vec<R>;
    [] &[R];
    [const N: usize] [R; N];
    [const N: usize] &[R; N];
}

/// What a VALUES list may hold: Rust values, and expressions that name no column (VALUES has no FROM
/// clause), such as a scalar subquery. One trait, so a column there is one error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a value to insert: it names a column, and VALUES reads no table",
    label = "a column where a value is expected"
)]
pub trait ValuesOperand: QueryId {}
#[diagnostic::do_not_recommend]
impl<V: QueryId + OperandAppearsOn<NoFromClause>> ValuesOperand for V {}

/// One `column = value` of a tuple row: the column must belong to the table it is inserted into.
#[doc(hidden)]
pub trait InsertField<T> {
    /// The column written.
    type Column;
    /// A `'static` type standing for this field's SQL, as [`InsertRow::Shape`].
    type Shape: 'static;
    /// As [`InsertRow::FIXED_SHAPE`].
    const FIXED_SHAPE: bool;
    /// Writes the column's unqualified name.
    fn walk_column(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Writes the value.
    fn walk_value(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

impl<T, C: Column + ColumnOf<T> + QueryId, ST, V: ValuesOperand + OperandNonAggregate + Portable> InsertField<T>
    for Eq<C, Operand<ST, V>>
{
    type Column = C;
    type Shape = <Self as QueryId>::QueryId;
    const FIXED_SHAPE: bool = <Self as QueryId>::HAS_STATIC_QUERY_ID;
    fn walk_column(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_identifier(C::NAME);
        Ok(())
    }
    fn walk_value(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.1.walk(out)
    }
}

#[diagnostic::do_not_recommend]
impl<T, C: Column + ColumnOf<T> + QueryId, ST, V: ValuesOperand + OperandNonAggregate + Portable> InsertRow<T>
    for Eq<C, Operand<ST, V>>
{
    type Shape = <Self as QueryId>::QueryId;
    const FIXED_SHAPE: bool = <Self as QueryId>::HAS_STATIC_QUERY_ID;
    fn walk_columns(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_column(out)
    }
    fn walk_values(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_value(out)
    }
}
// One line, so that an error listing it quotes one line.
#[rustfmt::skip]
impl<T, C: Column + ColumnOf<T> + QueryId, ST, V: ValuesOperand + OperandNonAggregate + Portable> Insertable<T> for Eq<C, Operand<ST, V>> {
    type Source = ValuesRows;
    fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        walk_single_row::<T, _>(self, out)
    }
    fn rows_key(&self) -> Option<(TypeId, usize)> {
        single_row_key::<T, Self>()
    }
}

macro_rules! tuple_rows {
    ($($T:ident $idx:tt),+) => {
        // Each column once (a row naming one twice is refused by the database).
        #[diagnostic::do_not_recommend]
        impl<Tab, $($T: InsertField<Tab>),+> InsertRow<Tab> for ($($T,)+) where ($($T::Column,)+): DistinctColumns {
            type Shape = ($($T::Shape,)+);
            const FIXED_SHAPE: bool = true $(&& $T::FIXED_SHAPE)+;
            fn walk_columns(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                $(
                    if $idx > 0 {
                        out.push_sql(", ");
                    }
                    self.$idx.walk_column(out)?;
                )+
                Ok(())
            }
            fn walk_values(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                $(
                    if $idx > 0 {
                        out.push_sql(", ");
                    }
                    self.$idx.walk_value(out)?;
                )+
                Ok(())
            }
        }
        #[diagnostic::do_not_recommend]
        impl<Tab, $($T: InsertField<Tab>),+> Insertable<Tab> for ($($T,)+) where ($($T::Column,)+): DistinctColumns {
            type Source = ValuesRows;
            fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                walk_single_row::<Tab, _>(self, out)
            }
            fn rows_key(&self) -> Option<(TypeId, usize)> {
                single_row_key::<Tab, Self>()
            }
        }
    };
}
crate::tuples::for_each_tuple!(tuple_rows);

impl<T: Table> IncompleteInsert<T> {
    /// The row(s) to insert.
    pub fn values<V: Insertable<T>>(self, values: V) -> InsertStatement<T, V, NoReturning, NoConflict, V::Source> {
        let rows = values.row_count();
        InsertStatement {
            table: self.table,
            values,
            walk: V::walk_insert_rows,
            walk_before_conflict: V::walk_insert_rows_before_conflict,
            rows_key: V::rows_key,
            default_mask: V::default_mask,
            may_default: V::may_default,
            rows,
            returning: NoReturning,
            on_conflict: NoConflict,
            source: std::marker::PhantomData,
        }
    }

    /// `INSERT INTO table DEFAULT VALUES`: one row, every column at its default (or NULL, or the next
    /// rowid for an INTEGER PRIMARY KEY).
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { visits (id) { id -> Integer, at -> Text, } }
    /// let q = quarry::insert_into(visits::table).default_values();
    /// assert_eq!(quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(), r#"INSERT INTO "visits" DEFAULT VALUES"#);
    /// ```
    pub fn default_values(self) -> InsertStatement<T, DefaultValues> {
        self.values(DefaultValues)
    }
}

/// The row [`default_values`](IncompleteInsert::default_values) inserts: every column at its default.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultValues;

#[diagnostic::do_not_recommend]
impl<T> Insertable<T> for DefaultValues {
    type Source = ValuesRows;
    fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("DEFAULT VALUES");
        Ok(())
    }
    fn rows_key(&self) -> Option<(TypeId, usize)> {
        Some((TypeId::of::<DefaultValues>(), 1))
    }
}

/// `INSERT INTO table (columns) VALUES (...) [ON CONFLICT ...] [RETURNING ...]`, or `INSERT INTO table
/// (columns) SELECT ..`.
pub struct InsertStatement<T, V, R = NoReturning, C = NoConflict, S = ValuesRows> {
    table: T,
    values: V,
    walk: fn(&V, Range<usize>, &mut AstPass<'_>) -> QueryResult<()>,
    walk_before_conflict: fn(&V, Range<usize>, &mut AstPass<'_>) -> QueryResult<()>,
    // Kept as a function, like `walk`, so running the statement puts no bound on `V` (one error per
    // mistake: a wrong `V` is reported at `values`).
    rows_key: fn(&V) -> Option<(TypeId, usize)>,
    default_mask: fn(&V, usize) -> (u64, bool),
    may_default: fn(&V) -> bool,
    rows: usize,
    returning: R,
    on_conflict: C,
    source: std::marker::PhantomData<fn() -> S>,
}

impl<T: Copy, V: Clone, R: Clone, C: Clone, S> Clone for InsertStatement<T, V, R, C, S> {
    fn clone(&self) -> Self {
        InsertStatement {
            table: self.table,
            values: self.values.clone(),
            walk: self.walk,
            walk_before_conflict: self.walk_before_conflict,
            rows_key: self.rows_key,
            default_mask: self.default_mask,
            may_default: self.may_default,
            rows: self.rows,
            returning: self.returning.clone(),
            on_conflict: self.on_conflict.clone(),
            source: std::marker::PhantomData,
        }
    }
}

impl<T, V, R, C, S> InsertStatement<T, V, R, C, S> {
    /// The same statement with its RETURNING and ON CONFLICT clauses replaced by `f`'s.
    fn with_clauses<R2, C2>(self, f: impl FnOnce(R, C) -> (R2, C2)) -> InsertStatement<T, V, R2, C2, S> {
        let (returning, on_conflict) = f(self.returning, self.on_conflict);
        InsertStatement {
            table: self.table,
            values: self.values,
            walk: self.walk,
            walk_before_conflict: self.walk_before_conflict,
            rows_key: self.rows_key,
            default_mask: self.default_mask,
            may_default: self.may_default,
            rows: self.rows,
            returning,
            on_conflict,
            source: std::marker::PhantomData,
        }
    }
}

impl<T, V, R, S> InsertStatement<T, V, R, NoConflict, S> {
    /// The same statement with an ON CONFLICT clause (see `on_conflict`).
    pub(crate) fn with_conflict<C>(self, on_conflict: C) -> InsertStatement<T, V, R, C, S> {
        let mut statement = self.with_clauses(|returning, NoConflict| (returning, on_conflict));
        statement.walk = statement.walk_before_conflict;
        statement
    }
}

impl<T: Table, V, C, S> InsertStatement<T, V, NoReturning, C, S> {
    /// Adds `RETURNING expr`: run with `get_result`/`get_results` to read what was inserted.
    pub fn returning<E: AppearsOn<T> + crate::expression::NonAggregate>(
        self,
        expr: E,
    ) -> InsertStatement<T, V, Returning<E>, C, S> {
        self.with_clauses(|NoReturning, on_conflict| (Returning(expr), on_conflict))
    }
}

impl<T: Table, V, R: QueryFragment, C: QueryFragment, S> QueryFragment for InsertStatement<T, V, R, C, S> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_rows(0..self.rows, out)
    }
    fn is_noop(&self) -> bool {
        self.rows == 0
    }
    fn row_batch(&self) -> Option<&dyn RowBatch> {
        (self.rows > 1).then_some(self)
    }
}

impl<T: Table, V, R: QueryFragment, C: QueryFragment, S> RowBatch for InsertStatement<T, V, R, C, S> {
    fn row_count(&self) -> usize {
        self.rows
    }
    fn default_mask(&self, row: usize) -> (u64, bool) {
        (self.default_mask)(&self.values, row)
    }
    fn may_default(&self) -> bool {
        (self.may_default)(&self.values)
    }
    fn walk_rows(&self, rows: Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()> {
        // SQLite's `DEFAULT VALUES` takes no ON CONFLICT clause.
        if !out.default_in_values()
            && !self.on_conflict.is_noop()
            && (self.may_default)(&self.values)
            && rows.clone().any(|row| (self.default_mask)(&self.values, row).1)
        {
            return Err(build_error(
                BuildErrorKind::Unsupported,
                "a row leaves every column to its default (`DEFAULT VALUES` on SQLite), which takes no ON CONFLICT \
                 clause: give one of its fields a value",
            ));
        }
        out.push_sql("INSERT INTO ");
        self.table.walk_from(out)?;
        out.push_sql(" ");
        (self.walk)(&self.values, rows, out)?;
        self.on_conflict.walk(out)?;
        self.returning.walk(out)
    }
}

impl<T: QueryId, V, R: QueryId, C: QueryId, S> QueryId for InsertStatement<T, V, R, C, S> {
    type QueryId = ();
    // The SQL depends on the number of rows, which the type does not fix: see `cache_key`.
    const HAS_STATIC_QUERY_ID: bool = false;

    fn cache_key(&self) -> Option<CacheKey> {
        if !(T::HAS_STATIC_QUERY_ID && R::HAS_STATIC_QUERY_ID && C::HAS_STATIC_QUERY_ID) {
            return None;
        }
        let (row, count) = (self.rows_key)(&self.values)?;
        Some(CacheKey::Rows { statement: TypeId::of::<(T::QueryId, R::QueryId, C::QueryId)>(), row, count })
    }
}

impl<T, V, E: Expression, C, S> Query for InsertStatement<T, V, Returning<E>, C, S> {
    type SqlType = E::SqlType;
}

/// Checks `value` against `C`'s SQL type and renders it as a VALUES item: `#[derive(Insertable)]`
/// writes each field with it (a field's type may be generic, so it is checked like `column.eq(value)`).
pub fn walk_field_value<C: Expression, V: AsExpression<C::SqlType> + ValuesOperand + Portable>(
    value: &V,
    out: &mut AstPass<'_>,
) -> QueryResult<()> {
    value.walk_operand(out)
}

/// How an `Option<T>` field is written into a column of SQL type `ST`: in a nullable column `None` is
/// NULL; in a NOT NULL column (which must then have a default) `None` leaves the column to its default,
/// Diesel's rule: `DEFAULT` where VALUES takes it (PostgreSQL), the column left out of the statement
/// elsewhere (SQLite).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be inserted into a column of SQL type `{ST}`",
    label = "expected an `Option` of a Rust type of `{ST}`",
    note = "an `Option` field writes NULL into a nullable column, and leaves a NOT NULL column to its default"
)]
pub trait OptionalField<ST> {
    /// Writes the value (or NULL, or `DEFAULT`).
    fn walk_optional(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Whether this value leaves the column to its default.
    fn takes_default(&self) -> bool;
}

#[diagnostic::do_not_recommend]
impl<T, ST: crate::sql_types::SqlType> OptionalField<ST> for Option<T>
where
    ST::IsNull: OptionalByNullness<ST, T>,
{
    fn walk_optional(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        <ST::IsNull as OptionalByNullness<ST, T>>::walk(self, out)
    }
    fn takes_default(&self) -> bool {
        <ST::IsNull as Nullness>::NOT_NULL && self.is_none()
    }
}

/// [`OptionalField`] by the column's nullness: one impl for NOT NULL columns, one for nullable ones.
#[doc(hidden)]
pub trait OptionalByNullness<ST, T>: Nullness {
    /// Writes `value`.
    fn walk(value: &Option<T>, out: &mut AstPass<'_>) -> QueryResult<()>;
}

#[diagnostic::do_not_recommend]
impl<ST, T: AsExpression<ST> + ValuesOperand + Portable> OptionalByNullness<ST, T> for crate::sql_types::NotNull {
    fn walk(value: &Option<T>, out: &mut AstPass<'_>) -> QueryResult<()> {
        match value {
            Some(v) => v.walk_operand(out),
            None => out.push_default_value(),
        }
    }
}

#[diagnostic::do_not_recommend]
impl<ST, T> OptionalByNullness<ST, T> for crate::sql_types::IsNullable
where
    Option<T>: AsExpression<ST> + ValuesOperand + Portable,
{
    fn walk(value: &Option<T>, out: &mut AstPass<'_>) -> QueryResult<()> {
        value.walk_operand(out)
    }
}

/// Whether a SQL type's nullness makes `None` mean "the default" ([`NotNull`](crate::sql_types::NotNull)).
#[doc(hidden)]
pub trait Nullness {
    /// True for `NotNull`.
    const NOT_NULL: bool;
}
impl Nullness for crate::sql_types::NotNull {
    const NOT_NULL: bool = true;
}
impl Nullness for crate::sql_types::IsNullable {
    const NOT_NULL: bool = false;
}

/// Whether an `Option` field for column `C` may leave the column to its default (its column is NOT
/// NULL), for the derive's `MAY_DEFAULT`: asked of the column alone, so a field of the wrong type is
/// reported once, by [`optional_field`].
#[doc(hidden)]
pub const fn column_may_default<C: Expression<SqlType: crate::sql_types::SqlType<IsNull: Nullness>>>() -> bool {
    <<C::SqlType as crate::sql_types::SqlType>::IsNull as Nullness>::NOT_NULL
}

/// An `Option` field for column `C`, checked against the column's SQL type once (every use of it in the
/// derive goes through here, so a mistake is one error).
pub fn optional_field<C: Expression, V: OptionalField<C::SqlType>>(value: &V) -> &dyn OptionalField<C::SqlType> {
    value
}

/// Whether `field` leaves its column out of the statement: `None` for a NOT NULL column where VALUES takes
/// no `DEFAULT`.
#[doc(hidden)]
pub fn field_left_out<ST>(field: &dyn OptionalField<ST>, out: &AstPass<'_>) -> bool {
    field.takes_default() && !out.default_in_values()
}

/// Checks `value` against `C`'s SQL type and renders it as a SET value: `#[derive(AsChangeset)]`
/// writes each field with it.
pub fn walk_set_value<C: Column, V: AsExpression<C::SqlType> + super::update::SetValue<C::Table> + Portable>(
    value: &V,
    out: &mut AstPass<'_>,
) -> QueryResult<()> {
    value.walk_operand(out)
}

// VALUES rows were checked against every backend's SQL when `values` took them (see `Portable`); a SELECT
// runs where its SQL does.
impl<DB, T: crate::backend::RunsOn<DB>, V, R: crate::backend::RunsOn<DB>, C: crate::backend::RunsOn<DB>, S>
    crate::backend::RunsOn<DB> for InsertStatement<T, V, R, C, S>
where
    S: SourceRunsOn<DB>,
{
}

/// The columns an `INSERT .. SELECT` fills, named with [`into_columns`](InsertStatement::into_columns): a
/// column of `T`, or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{T}` to insert into",
    label = "not a column of `{T}`",
    note = "`into_columns` names columns of the table inserted into, as a tuple for several"
)]
#[doc(hidden)]
pub trait InsertColumns<T>: Expression {
    /// Writes the column names, comma-separated, unqualified.
    fn walk_names(out: &mut AstPass<'_>) -> QueryResult<()>;
}

#[diagnostic::do_not_recommend]
impl<T, C: Column + ColumnOf<T>> InsertColumns<T> for C {
    fn walk_names(out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_identifier(C::NAME);
        Ok(())
    }
}

/// The columns an `INSERT .. SELECT` names are each named once.
#[diagnostic::on_unimplemented(
    message = "`{Self}` names a column twice: an INSERT fills each column once",
    label = "a column named twice",
    note = "list each column once, in the order of the SELECT's columns"
)]
pub trait DistinctColumns {}
#[diagnostic::do_not_recommend]
impl<C: Column> DistinctColumns for C {}
macro_rules! distinct_columns {
    ($H:ident $hi:tt) => {
        #[diagnostic::do_not_recommend]
        impl<$H: Column> DistinctColumns for ($H,) {}
    };
    ($H:ident $hi:tt, $($T:ident $idx:tt),+) => {
        // The first column is in none of the others, and the others are distinct.
        #[diagnostic::do_not_recommend]
        impl<$H, $($T),+> DistinctColumns for ($H, $($T,)+)
        where
            ($($T,)+): DistinctColumns + crate::expression::grouping::ContainsColumn<$H, Output = crate::schema::Different>,
        {
        }
    };
}
crate::tuples::for_each_tuple!(distinct_columns);

macro_rules! tuple_insert_columns {
    ($($T:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<Tab, $($T: InsertColumns<Tab>),+> InsertColumns<Tab> for ($($T,)+) where ($($T,)+): Expression {
            fn walk_names(out: &mut AstPass<'_>) -> QueryResult<()> {
                $(
                    if $idx > 0 {
                        out.push_sql(", ");
                    }
                    $T::walk_names(out)?;
                )+
                Ok(())
            }
        }
    };
}
crate::tuples::for_each_tuple!(tuple_insert_columns);

/// Writes `("a", "b") SELECT ..`, or around an ON CONFLICT clause `("a", "b") SELECT * FROM (SELECT ..)
/// AS "quarry_rows" WHERE true`: SQLite's parser needs the WHERE there, PostgreSQL the alias.
fn walk_select_rows(
    names: &dyn Fn(&mut AstPass<'_>) -> QueryResult<()>,
    query: &dyn QueryFragment,
    before_conflict: bool,
    out: &mut AstPass<'_>,
) -> QueryResult<()> {
    out.push_sql("(");
    names(out)?;
    out.push_sql(") ");
    if before_conflict {
        out.push_sql("SELECT * FROM (");
        query.walk(out)?;
        out.push_sql(") AS ");
        out.push_identifier("quarry_rows");
        out.push_sql(" WHERE true");
        Ok(())
    } else {
        query.walk(out)
    }
}

/// The names of all of `T`'s columns, for `values(select)` without `into_columns`.
fn walk_all_names<T: Table>(out: &mut AstPass<'_>) -> QueryResult<()> {
    for (i, name) in T::COLUMN_NAMES.iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_identifier(name);
    }
    Ok(())
}

/// A query whose rows `values(..)` inserts (`INSERT .. SELECT`): a select statement, boxed or not, or a
/// set operation. Into all the table's columns, or the ones [`into_columns`](InsertStatement::into_columns)
/// names; checked when the statement runs. Also what a set operation's sides and a subquery in FROM must
/// be: a statement that reads, not a write with RETURNING.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query that only reads: a SELECT, a set operation or a WITH statement that reads is expected here",
    label = "expected a query that only reads rows",
    note = "an INSERT, UPDATE or DELETE (with RETURNING) stands only at the start of the whole statement, in `with(shape::table.as_cte(statement))` (PostgreSQL)"
)]
pub trait SelectSource: Query + QueryFragment {}
#[diagnostic::do_not_recommend]
impl<F, S, W, O, L, Of, D, G, H, Lk> SelectSource for super::SelectStatement<F, S, W, O, L, Of, D, G, H, Lk> where
    Self: Query + QueryFragment
{
}
#[diagnostic::do_not_recommend]
impl<ST, QS, DB, G, Lk> SelectSource for super::BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {}
#[diagnostic::do_not_recommend]
impl<Op, L, R> SelectSource for super::Combination<Op, L, R> where Self: Query + QueryFragment {}

macro_rules! select_insertable {
    ($([$($g:tt)*] $ty:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($g)*, T: Table> Insertable<T> for $ty where Self: SelectSource {
            type Source = SelectRows<Self, T::AllColumns>;
            fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                walk_select_rows(&walk_all_names::<T>, self, false, out)
            }
            fn walk_insert_rows_before_conflict(&self, _: Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()> {
                walk_select_rows(&walk_all_names::<T>, self, true, out)
            }
        }
    )*};
}
select_insertable! {
    [F, S, W, O, L, Of, D, G, H, Lk] super::SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>;
    [Op, L, R] super::Combination<Op, L, R>;
    ['a, ST, QS, DB, G, Lk] super::BoxedSelectStatement<'a, ST, QS, DB, G, Lk>;
    [C, Q] super::WithQuery<C, Q>;
}

/// `INSERT INTO table (columns) SELECT ..`: the query `Q` filling the columns `Cols`.
#[derive(Debug, Clone)]
pub struct FromSelect<Q, Cols> {
    query: Q,
    columns: std::marker::PhantomData<fn() -> Cols>,
}

#[diagnostic::do_not_recommend]
impl<T, Q: SelectSource, Cols: InsertColumns<T>> Insertable<T> for FromSelect<Q, Cols> {
    type Source = SelectRows<Q, Cols>;
    fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        walk_select_rows(&Cols::walk_names, &self.query, false, out)
    }
    fn walk_insert_rows_before_conflict(&self, _: Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()> {
        walk_select_rows(&Cols::walk_names, &self.query, true, out)
    }
}

impl<T: Table, Q: SelectSource, S> InsertStatement<T, Q, NoReturning, NoConflict, S> {
    /// Names the columns an `INSERT .. SELECT` fills, in the order of the SELECT's columns (without it,
    /// all of the table's, in declaration order). Checked when the statement runs: one selected column
    /// per named column, of the same SQL type.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { posts (id) { id -> Integer, title -> Text, published -> Bool, } }
    /// # quarry::table! { archive (id) { id -> Integer, title -> Text, } }
    /// let q = quarry::insert_into(archive::table)
    ///     .values(posts::table.filter(posts::published.eq(false)).select((posts::id, posts::title)))
    ///     .into_columns((archive::id, archive::title));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"INSERT INTO "archive" ("id", "title") SELECT "posts"."id", "posts"."title" FROM "posts" WHERE "posts"."published" = ?"#
    /// );
    /// ```
    pub fn into_columns<Cols: InsertColumns<T> + DistinctColumns>(
        self,
        columns: Cols,
    ) -> InsertStatement<T, FromSelect<Q, Cols>, NoReturning, NoConflict, SelectRows<Q, Cols>> {
        let _ = columns;
        IncompleteInsert { table: self.table }
            .values(FromSelect { query: self.values, columns: std::marker::PhantomData })
    }
}
