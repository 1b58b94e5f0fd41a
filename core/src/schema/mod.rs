//! Schema: the traits `table!` implements for each table and column.

mod identity;

// What users meet in messages (a table not in the FROM clause, on the nullable side of a LEFT JOIN).
pub use identity::{HasTableId, NotNullableIn, TableInFrom};
// The type-level machinery of table identity, which `table!` and the query types use and users never
// name: out of the documentation's way.
#[doc(hidden)]
pub use identity::{
    Absent, Both, Clash, CompareId, Different, DigitEq, Exposed, Hidden, Hide, IdCount, NameRule, Named, NotBare,
    NotNullSide, Occurrences, OnNullableSide, Plus, Present, Same, SingleSource, ThenCompare, count,
};

/// The words and digits ids are spelled with: `table!` imports them into each table's module, so an id
/// is written `W<H0, H1, ..>` rather than with full paths.
#[doc(hidden)]
pub mod id_words {
    pub use super::identity::{H0, H1, H2, H3, H4, H5, H6, H7, H8, H9, HA, HB, HC, HD, HE, HF, W};
}

use crate::expression::Expression;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};

/// A table declared with `quarry::table!`.
pub trait Table: QuerySource + Copy + Default + QueryId {
    /// The primary key column, or a tuple of them.
    type PrimaryKey: Copy + QueryFragment + QueryId;
    /// All columns, in declaration order (nested tuples of at most 16 for wide tables).
    type AllColumns: Expression + QueryFragment + QueryId + Copy;
    /// The table's name in SQL.
    const NAME: &'static str;
    /// Its schema (`auth` in `table! { auth.users .. }`), written before the name: PostgreSQL's schema,
    /// SQLite's attached database.
    const SCHEMA: Option<&'static str> = None;
    /// The columns' names in SQL, in declaration order.
    const COLUMN_NAMES: &'static [&'static str];
    /// The primary key column(s).
    fn primary_key(&self) -> Self::PrimaryKey;
    /// All columns.
    fn all_columns() -> Self::AllColumns;
}

/// A column of a table declared with `quarry::table!`.
pub trait Column: Expression + Copy + Default {
    /// The table the column belongs to.
    type Table: Table;
    /// The column's name in SQL.
    const NAME: &'static str;
}

/// Something that can stand in a FROM clause: a table, an alias, a join.
pub trait QuerySource {
    /// What `SELECT` lists when the query has no select clause of its own: all columns of a table; for a
    /// join, a tuple with one group of columns per table.
    type DefaultSelection: Expression + QueryFragment + QueryId;
    /// Writes the FROM clause's content (`"users"`).
    fn walk_from(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
    /// Writes the common table expressions this source needs (`"t"("a", "b") AS (SELECT ...)`) after
    /// `WITH ` (or `, `, as [`CteList`] tracks): a subquery in FROM (a [`Derived`](crate::query::Derived)
    /// table), whose columns SQLite lets only a CTE name.
    fn walk_ctes(&self, out: &mut AstPass<'_>, ctes: &mut CteList) -> QueryResult<()> {
        let _ = (out, ctes);
        Ok(())
    }
    /// True when one of those common table expressions is recursive (the WITH clause then says so).
    fn has_recursive_cte(&self) -> bool {
        false
    }
    /// True when this source needs a common table expression at all.
    fn has_ctes(&self) -> bool {
        false
    }
    /// Writes ` FROM ` and the content; nothing for a SELECT without FROM clause.
    fn walk_from_clause(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" FROM ");
        self.walk_from(out)
    }
    /// The default selection's value.
    fn default_selection(&self) -> Self::DefaultSelection;
}

/// Writes the WITH clause `from` needs, followed by a space, or nothing: what a SELECT starts with.
pub fn walk_with_clause<S: QuerySource + ?Sized>(from: &S, out: &mut AstPass<'_>) -> QueryResult<()> {
    let mut ctes = CteList::continuing(out, from.has_recursive_cte());
    from.walk_ctes(out, &mut ctes)?;
    ctes.finish(out);
    Ok(())
}

/// The WITH clause being written: whether a CTE was written yet, and whether the clause is recursive.
#[derive(Debug)]
pub struct CteList {
    written: bool,
    recursive: bool,
    /// The names defined so far in this WITH clause (a statement-level one's included).
    names: Vec<&'static str>,
}

impl CteList {
    /// Before the first CTE of a statement, or after those of a statement-level WITH clause left open
    /// for it ([`AstPass::continue_with_clause`]): one WITH clause per statement.
    pub fn continuing(out: &mut AstPass<'_>, recursive: bool) -> Self {
        match out.take_open_with_clause() {
            Some(names) => CteList { written: true, recursive, names },
            None => CteList { written: false, recursive, names: Vec::new() },
        }
    }

    /// Notes a CTE named `name`: two of one name in one WITH clause (a subquery in FROM under the shape
    /// of a statement-level CTE) would be the database's error, so it is this one, before anything runs.
    pub fn declare(&mut self, name: &'static str) -> crate::result::QueryResult<()> {
        if self.names.contains(&name) {
            return Err(build_error(
                BuildErrorKind::Unsupported,
                format!(
                    "two common table expressions named `{name}` in one WITH clause (a subquery in FROM under the \
                 shape of a statement-level CTE): give one of them a shape of another name"
                ),
            ));
        }
        self.names.push(name);
        Ok(())
    }

    /// The names defined so far, for a WITH clause left open for the statement that follows.
    pub fn into_names(self) -> Vec<&'static str> {
        self.names
    }

    /// Writes `WITH ` (or `WITH RECURSIVE `) before the first CTE, `, ` before the others.
    pub fn separate(&mut self, out: &mut AstPass<'_>) {
        out.push_sql(match (self.written, self.recursive) {
            (false, false) => "WITH ",
            (false, true) => "WITH RECURSIVE ",
            (true, _) => ", ",
        });
        self.written = true;
    }

    /// Ends the WITH clause, if anything was written: the statement follows after a space.
    pub fn finish(&self, out: &mut AstPass<'_>) {
        if self.written {
            out.push_sql(" ");
        }
    }
}

/// Renders a column as `"table"."column"`.
#[inline]
pub fn walk_column<C: Column>(out: &mut AstPass<'_>) -> QueryResult<()> {
    walk_qualified(<C::Table as Table>::SCHEMA, <C::Table as Table>::NAME, Some(C::NAME), out)
}

/// `"schema"."table"."column"` (`.*` without a column): the work of [`walk_column`] and [`Star`], out of
/// their generic code, so a crate with many columns compiles it once rather than once per column.
fn walk_qualified(schema: Option<&str>, table: &str, column: Option<&str>, out: &mut AstPass<'_>) -> QueryResult<()> {
    if let Some(schema) = schema {
        out.push_identifier(schema);
        out.push_sql(".");
    }
    out.push_identifier(table);
    match column {
        Some(column) => {
            out.push_sql(".");
            out.push_identifier(column);
        }
        None => out.push_sql(".*"),
    }
    Ok(())
}

/// `table.star`: every column, rendered `"table".*`; for `count(users::star)` and the like.
#[derive(Debug, Clone, Copy, Default)]
pub struct Star<T>(pub T);

impl<T: Table> QueryFragment for Star<T> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        walk_qualified(T::SCHEMA, T::NAME, None, out)
    }
}

/// Is this column one of table `T`'s own? Checked where a column is written (INSERT, UPDATE SET).
#[diagnostic::on_unimplemented(
    message = "column `{Self}` does not belong to table `{T}`",
    label = "a column of another table",
    note = "INSERT and UPDATE can only set columns of the table they write to"
)]
pub trait ColumnOf<T> {}

/// `T` is this very table; `ColumnOf` impls check it.
pub trait SameTable<T> {}
impl<T: Table> SameTable<T> for T {}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, T> crate::backend::RunsOn<DB> for Star<T> {}
