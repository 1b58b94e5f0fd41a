//! `copy_from(table).from_insertable(&rows)`: rows written in bulk with PostgreSQL's `COPY .. FROM STDIN`
//! (Diesel's names), many times faster than INSERT for large batches. Other backends do not compile it.

use std::marker::PhantomData;

use super::insert::InsertRow;
use crate::connection::Connection;
use crate::render::AstPass;
use crate::result::QueryResult;
use crate::schema::Table;

/// Starts a `COPY` into `table`; give it the rows with [`from_insertable`](CopyFrom::from_insertable).
pub fn copy_from<T: Table>(table: T) -> CopyFrom<T> {
    CopyFrom { table }
}

/// A `COPY` into table `T` waiting for its rows.
#[derive(Debug, Clone, Copy)]
pub struct CopyFrom<T> {
    table: T,
}

impl<T: Table> CopyFrom<T> {
    /// The rows to write: a `Vec` or slice of `#[derive(Insertable)]` structs or of tuples of
    /// `column.eq(value)` (plain values: COPY has no expressions). A `None` writes NULL into a nullable
    /// column; a `None` for a NOT NULL column (left to its default by `insert_into`) is an `Err` here,
    /// COPY having no defaults per row.
    pub fn from_insertable<R: InsertRow<T>, V: AsRef<[R]>>(self, rows: V) -> CopyFromInsertable<T, V, R> {
        CopyFromInsertable { table: self.table, rows, row: PhantomData }
    }
}

/// A `COPY` of `rows` into `T`, ready to [`execute`](CopyFromInsertable::execute).
#[derive(Debug, Clone)]
pub struct CopyFromInsertable<T, V, R> {
    table: T,
    rows: V,
    row: PhantomData<fn() -> R>,
}

impl<T: Table, V: AsRef<[R]>, R: InsertRow<T>> CopyFromInsertable<T, V, R> {
    /// Runs the COPY; returns how many rows it wrote. All or nothing: a row the table refuses (a
    /// constraint, a value of the wrong type) fails the whole COPY, which then writes none.
    pub fn execute<C: CopyFromConnection>(self, conn: &mut C) -> QueryResult<usize> {
        conn.copy_from(&self)
    }
}

/// The rows of a `COPY`, as a connection reads them.
#[doc(hidden)]
pub trait CopySource {
    /// Writes the target: `"table" ("a", "b")`.
    fn walk_target(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// How many rows there are.
    fn row_count(&self) -> usize;
    /// Writes row `i`'s values, one bind each (`$1, $2`).
    fn walk_row(&self, i: usize, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// True when every row writes the same columns and placeholders (checked once, on the first row).
    fn fixed_shape(&self) -> bool;
}

impl<T: Table, V: AsRef<[R]>, R: InsertRow<T>> CopySource for CopyFromInsertable<T, V, R> {
    fn walk_target(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.table.walk_from(out)?;
        out.push_sql(" (");
        if let Some(first) = self.rows.as_ref().first() {
            first.walk_columns(out)?;
        }
        out.push_sql(")");
        Ok(())
    }

    fn row_count(&self) -> usize {
        self.rows.as_ref().len()
    }

    fn walk_row(&self, i: usize, out: &mut AstPass<'_>) -> QueryResult<()> {
        match self.rows.as_ref().get(i) {
            Some(row) => row.walk_values(out),
            None => Ok(()),
        }
    }

    fn fixed_shape(&self) -> bool {
        R::FIXED_SHAPE
    }
}

/// A connection that runs `COPY .. FROM STDIN`.
#[diagnostic::on_unimplemented(
    message = "`copy_from` is PostgreSQL's COPY: `{Self}` cannot run it",
    label = "a COPY run on a connection without it",
    note = "on SQLite, `insert_into(table).values(&rows)` writes a batch in as few statements as its bind limit allows"
)]
pub trait CopyFromConnection: Connection {
    /// Writes `source`'s rows; returns how many were written.
    fn copy_from(&mut self, source: &dyn CopySource) -> QueryResult<usize>;
}
