//! `sql::<ST>("..")` (Diesel's `dsl::sql`): a typed piece of raw SQL inside a DSL query, for the rare
//! function or operator the DSL lacks, with values bound as parameters rather than spliced in:
//! `sql::<Bool>("json_valid(").bind::<Text, _>(doc).sql(")")`.
//!
//! Quarry cannot check what the text says: its SQL type is taken on trust, and it may stand anywhere an
//! expression of that type may (it names no column Quarry knows of). It is written in parentheses, so it
//! must be a whole expression (sort direction goes outside: `sql::<Integer>("length(name)").desc()`), and
//! values go in with `bind`, never as `?` or `$1` in the text.

use std::marker::PhantomData;

use super::grouping::kind::Constant;
use super::{AppearsOn, AsExpression, Expression, NonAggregate, Operand, SelectNullability, ValidGrouping};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

/// A raw SQL expression of SQL type `ST`, made of text and bound values `P` (see [`sql`]).
#[derive(Debug, Clone)]
pub struct SqlLiteral<ST, P = RawSql> {
    parts: P,
    sql_type: PhantomData<fn() -> ST>,
}

/// A piece of raw SQL text.
#[derive(Debug, Clone)]
pub struct RawSql(String);

/// Two pieces, one after the other.
#[derive(Debug, Clone)]
pub struct Then<A, B>(A, B);

/// `sql::<Integer>("length(name)")`: raw SQL read as an expression of SQL type `ST`. Append bound values
/// with [`bind`](SqlLiteral::bind) and more text with [`sql`](SqlLiteral::sql).
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { docs (id) { id -> Integer, body -> Text, } }
/// use quarry::dsl::sql;
/// use quarry::sql_types::{Bool, Text};
/// let q = docs::table.select(docs::id).filter(sql::<Bool>("instr(body, ").bind::<Text, _>("x").sql(") > 0"));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
///     r#"SELECT "docs"."id" FROM "docs" WHERE (instr(body, ?) > 0) -- binds: ["x"]"#
/// );
/// ```
pub fn sql<ST>(text: &str) -> SqlLiteral<ST> {
    SqlLiteral { parts: RawSql(text.to_owned()), sql_type: PhantomData }
}

impl<ST, P> SqlLiteral<ST, P> {
    /// Appends `value`, a Rust value, bound as a parameter of SQL type `BST` (an expression cannot be
    /// bound: its columns would escape the query's checks).
    pub fn bind<BST, V: RawBind<BST>>(self, value: V) -> SqlLiteral<ST, Then<P, Operand<BST, V>>> {
        SqlLiteral { parts: Then(self.parts, Operand::new(value)), sql_type: PhantomData }
    }

    /// Appends more raw SQL text.
    pub fn sql(self, text: &str) -> SqlLiteral<ST, Then<P, RawSql>> {
        SqlLiteral { parts: Then(self.parts, RawSql(text.to_owned())), sql_type: PhantomData }
    }
}

/// A Rust value that `sql(..).bind::<BST, _>(value)` can bind as a `BST` parameter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be bound into raw SQL as a `{BST}` value",
    label = "bind Rust values; a column or expression inside raw SQL would escape the query's checks",
    note = "write the column in the DSL around the fragment, or in the fragment's text"
)]
pub trait RawBind<BST>: AsExpression<BST> {}
#[diagnostic::do_not_recommend]
impl<BST, V: AsExpression<BST> + super::ToSql<BST>> RawBind<BST> for V {}

impl QueryFragment for RawSql {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(&self.0);
        Ok(())
    }
}
impl<A: QueryFragment, B: QueryFragment> QueryFragment for Then<A, B> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk(out)?;
        self.1.walk(out)
    }
}
impl<DB> RunsOn<DB> for RawSql {}
impl<DB, A: RunsOn<DB>, B: RunsOn<DB>> RunsOn<DB> for Then<A, B> {}

impl<ST, P> Expression for SqlLiteral<ST, P> {
    type SqlType = ST;
}
// In parentheses, so that the text keeps its meaning beside the DSL's AND, OR and arithmetic
// (`x.and(sql("a OR b"))` is not `x AND a OR b`).
impl<ST, P: QueryFragment> QueryFragment for SqlLiteral<ST, P> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("(");
        self.parts.walk(out)?;
        out.push_sql(")");
        Ok(())
    }
}
// The text is chosen at run time: cached by SQL text.
impl<ST, P> QueryId for SqlLiteral<ST, P> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
// It names no column Quarry knows of: it stands in any query, grouped or not, and in WHERE.
#[diagnostic::do_not_recommend]
impl<QS, ST, P: QueryFragment> AppearsOn<QS> for SqlLiteral<ST, P> {}
#[diagnostic::do_not_recommend]
impl<QS, ST, P> SelectNullability<QS> for SqlLiteral<ST, P> {}
#[diagnostic::do_not_recommend]
impl<ST, P> NonAggregate for SqlLiteral<ST, P> {}
impl<G, ST, P> ValidGrouping<G> for SqlLiteral<ST, P> {
    type Kind = Constant;
}
#[diagnostic::do_not_recommend]
impl<DB, ST, P: RunsOn<DB>> RunsOn<DB> for SqlLiteral<ST, P> {}
