//! INSERT: `insert_into(table).values(..)`, one row or many in one statement, with optional RETURNING.

use crate::backend::Portable;
use std::any::TypeId;
use std::ops::Range;

use super::Query;
use super::no_from::NoFromClause;
use super::returning::{NoReturning, Returning};
use super::upsert::NoConflict;
use crate::expression::{AppearsOn, AsExpression, Eq, Expression, Operand, OperandAppearsOn};
use crate::render::{AstPass, CacheKey, QueryFragment, QueryId, RowBatch};
use crate::result::QueryResult;
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
pub trait InsertRow<T> {
    /// A `'static` type standing for the row's SQL (its columns and placeholders): with `FIXED_SHAPE`,
    /// part of the statement cache's key.
    type Shape: 'static;
    /// True when every value of the type writes the same columns and placeholders, so a batch of them is
    /// cached by (type, row count) and never rendered again.
    const FIXED_SHAPE: bool;

    /// Writes the column list's content: `"a", "b"`.
    fn walk_columns(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Writes the values' content: `?, ?`.
    fn walk_values(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

/// What `values(..)` accepts for `T`: one row, or a `Vec`/slice of rows (one multi-row INSERT).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be inserted into `{T}`",
    label = "not insertable into `{T}`",
    note = "insert a tuple of `column.eq(value)`, an `#[derive(Insertable)]` struct, or a Vec or slice of either"
)]
pub trait Insertable<T> {
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
}

/// The key of one row of type `R` whose shape is fixed, as [`Insertable::rows_key`] gives it.
pub fn single_row_key<T, R: InsertRow<T> + ?Sized>() -> Option<(TypeId, usize)> {
    R::FIXED_SHAPE.then(|| (TypeId::of::<R::Shape>(), 1))
}

/// Writes one row's `(columns) VALUES (values)`.
pub fn walk_single_row<T, R: InsertRow<T> + ?Sized>(row: &R, out: &mut AstPass<'_>) -> QueryResult<()> {
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
pub trait InsertField<T> {
    /// A `'static` type standing for this field's SQL, as [`InsertRow::Shape`].
    type Shape: 'static;
    /// As [`InsertRow::FIXED_SHAPE`].
    const FIXED_SHAPE: bool;
    /// Writes the column's unqualified name.
    fn walk_column(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Writes the value.
    fn walk_value(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

impl<T, C: Column + ColumnOf<T> + QueryId, ST, V: ValuesOperand + Portable> InsertField<T> for Eq<C, Operand<ST, V>> {
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
impl<T, C: Column + ColumnOf<T> + QueryId, ST, V: ValuesOperand + Portable> InsertRow<T> for Eq<C, Operand<ST, V>> {
    type Shape = <Self as QueryId>::QueryId;
    const FIXED_SHAPE: bool = <Self as QueryId>::HAS_STATIC_QUERY_ID;
    fn walk_columns(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_column(out)
    }
    fn walk_values(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk_value(out)
    }
}
impl<T, C: Column + ColumnOf<T> + QueryId, ST, V: ValuesOperand + Portable> Insertable<T> for Eq<C, Operand<ST, V>> {
    fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        walk_single_row::<T, _>(self, out)
    }
    fn rows_key(&self) -> Option<(TypeId, usize)> {
        single_row_key::<T, Self>()
    }
}

macro_rules! tuple_rows {
    ($($T:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<Tab, $($T: InsertField<Tab>),+> InsertRow<Tab> for ($($T,)+) {
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
        impl<Tab, $($T: InsertField<Tab>),+> Insertable<Tab> for ($($T,)+) {
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
    pub fn values<V: Insertable<T>>(self, values: V) -> InsertStatement<T, V> {
        let rows = values.row_count();
        InsertStatement {
            table: self.table,
            values,
            walk: V::walk_insert_rows,
            rows_key: V::rows_key,
            rows,
            returning: NoReturning,
            on_conflict: NoConflict,
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
    fn walk_insert(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("DEFAULT VALUES");
        Ok(())
    }
    fn rows_key(&self) -> Option<(TypeId, usize)> {
        Some((TypeId::of::<DefaultValues>(), 1))
    }
}

/// `INSERT INTO table (columns) VALUES (...) [ON CONFLICT ...] [RETURNING ...]`.
pub struct InsertStatement<T, V, R = NoReturning, C = NoConflict> {
    table: T,
    values: V,
    walk: fn(&V, Range<usize>, &mut AstPass<'_>) -> QueryResult<()>,
    // Kept as a function, like `walk`, so running the statement puts no bound on `V` (one error per
    // mistake: a wrong `V` is reported at `values`).
    rows_key: fn(&V) -> Option<(TypeId, usize)>,
    rows: usize,
    returning: R,
    on_conflict: C,
}

impl<T: Copy, V: Clone, R: Clone, C: Clone> Clone for InsertStatement<T, V, R, C> {
    fn clone(&self) -> Self {
        InsertStatement {
            table: self.table,
            values: self.values.clone(),
            walk: self.walk,
            rows_key: self.rows_key,
            rows: self.rows,
            returning: self.returning.clone(),
            on_conflict: self.on_conflict.clone(),
        }
    }
}

impl<T, V, R, C> InsertStatement<T, V, R, C> {
    /// The same statement with its RETURNING and ON CONFLICT clauses replaced by `f`'s.
    fn with_clauses<R2, C2>(self, f: impl FnOnce(R, C) -> (R2, C2)) -> InsertStatement<T, V, R2, C2> {
        let (returning, on_conflict) = f(self.returning, self.on_conflict);
        InsertStatement {
            table: self.table,
            values: self.values,
            walk: self.walk,
            rows_key: self.rows_key,
            rows: self.rows,
            returning,
            on_conflict,
        }
    }
}

impl<T, V, R> InsertStatement<T, V, R, NoConflict> {
    /// The same statement with an ON CONFLICT clause (see `on_conflict`).
    pub(crate) fn with_conflict<C>(self, on_conflict: C) -> InsertStatement<T, V, R, C> {
        self.with_clauses(|returning, NoConflict| (returning, on_conflict))
    }
}

impl<T: Table, V, C> InsertStatement<T, V, NoReturning, C> {
    /// Adds `RETURNING expr`: run with `get_result`/`get_results` to read what was inserted.
    pub fn returning<E: AppearsOn<T>>(self, expr: E) -> InsertStatement<T, V, Returning<E>, C> {
        self.with_clauses(|NoReturning, on_conflict| (Returning(expr), on_conflict))
    }
}

impl<T: Table, V, R: QueryFragment, C: QueryFragment> QueryFragment for InsertStatement<T, V, R, C> {
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

impl<T: Table, V, R: QueryFragment, C: QueryFragment> RowBatch for InsertStatement<T, V, R, C> {
    fn row_count(&self) -> usize {
        self.rows
    }
    fn walk_rows(&self, rows: Range<usize>, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        self.table.walk_from(out)?;
        out.push_sql(" ");
        (self.walk)(&self.values, rows, out)?;
        self.on_conflict.walk(out)?;
        self.returning.walk(out)
    }
}

impl<T: QueryId, V, R: QueryId, C: QueryId> QueryId for InsertStatement<T, V, R, C> {
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

impl<T, V, E: Expression, C> Query for InsertStatement<T, V, Returning<E>, C> {
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

/// Checks `value` against `C`'s SQL type and renders it as a SET value: `#[derive(AsChangeset)]`
/// writes each field with it.
pub fn walk_set_value<C: Column, V: AsExpression<C::SqlType> + super::update::SetValue<C::Table> + Portable>(
    value: &V,
    out: &mut AstPass<'_>,
) -> QueryResult<()> {
    value.walk_operand(out)
}

// The rows were checked against every backend's SQL when `values` took them (see `Portable`).
impl<DB, T: crate::backend::RunsOn<DB>, V, R: crate::backend::RunsOn<DB>, C: crate::backend::RunsOn<DB>>
    crate::backend::RunsOn<DB> for InsertStatement<T, V, R, C>
{
}
