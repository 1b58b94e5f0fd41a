//! Set operations: `union`, `union_all`, `intersect`, `except`, whose two sides must select the same
//! SQL types.

use super::insert::SelectSource;
use super::{AsQuery, Query};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

/// Marks the set operators.
#[doc(hidden)]
pub trait SetOperator: 'static {
    /// The SQL keyword, with spaces around it.
    const SQL: &'static str;
}

macro_rules! set_operators {
    ($($(#[$meta:meta])* $name:ident $sql:literal;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl SetOperator for $name {
            const SQL: &'static str = $sql;
        }
    )*};
}
set_operators! {
    /// `UNION`: the rows of both sides, without duplicates.
    Union " UNION ";
    /// `UNION ALL`: the rows of both sides, duplicates kept.
    UnionAll " UNION ALL ";
    /// `INTERSECT`: the rows in both sides.
    Intersect " INTERSECT ";
    /// `EXCEPT`: the rows of the left side that are not in the right one.
    Except " EXCEPT ";
}

/// `left <op> right`.
#[derive(Debug, Clone)]
pub struct Combination<Op, L, R> {
    left: L,
    right: R,
    op: std::marker::PhantomData<Op>,
}

impl<Op: SetOperator, L: QueryFragment, R: QueryFragment> QueryFragment for Combination<Op, L, R> {
    fn has_with_clause(&self) -> bool {
        self.left.has_with_clause()
    }

    fn has_recursive_with(&self) -> bool {
        self.left.has_recursive_with()
    }

    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.left.walk(out)?;
        out.push_sql(Op::SQL);
        if self.right.has_with_clause() {
            // SQLite takes a WITH clause only at the start of the statement: the right-hand member reads
            // as a subquery instead, named because PostgreSQL (before 16) wants every subquery in FROM
            // named.
            out.push_sql("SELECT * FROM (");
            self.right.walk(out)?;
            out.push_sql(") AS \"quarry_set_operand\"");
            Ok(())
        } else {
            self.right.walk(out)
        }
    }
}

impl<Op: SetOperator, L: QueryId, R: QueryId> QueryId for Combination<Op, L, R> {
    type QueryId = Combination<Op, L::QueryId, R::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = L::HAS_STATIC_QUERY_ID && R::HAS_STATIC_QUERY_ID;
}

impl<Op, L: Query, R> Query for Combination<Op, L, R> {
    type SqlType = L::SqlType;
}

/// The query `Self` selects the same SQL types as the query `Left`, as both sides of a set operation must.
#[diagnostic::on_unimplemented(
    message = "the two sides of a set operation select different SQL types",
    label = "this query's columns differ from the left side's",
    note = "UNION, INTERSECT and EXCEPT need the same number of columns, of the same SQL types, in the same order"
)]
pub trait SameRowAs<Left> {}
impl<L: Query, R: Query<SqlType = L::SqlType>> SameRowAs<L> for R {}

/// The set operations, on every query.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # quarry::table! { admins (id) { id -> Integer, name -> Text, } }
/// let q = users::table.select(users::name).union(admins::table.select(admins::name));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "users"."name" FROM "users" UNION SELECT "admins"."name" FROM "admins""#
/// );
/// ```
// Each signature on one line, so that an error quotes the whole bound.
pub trait CombineDsl: ReadsOnly + Sized {
    /// `self UNION rhs`.
    #[rustfmt::skip]
    fn union<R: AsQuery<Query: SameRowAs<Self::Query>> + ReadsOnly>(self, rhs: R) -> Combination<Union, Self::Query, R::Query> {
        combine(self, rhs)
    }
    /// `self UNION ALL rhs`.
    #[rustfmt::skip]
    fn union_all<R: AsQuery<Query: SameRowAs<Self::Query>> + ReadsOnly>(self, rhs: R) -> Combination<UnionAll, Self::Query, R::Query> {
        combine(self, rhs)
    }
    /// `self INTERSECT rhs`.
    #[rustfmt::skip]
    fn intersect<R: AsQuery<Query: SameRowAs<Self::Query>> + ReadsOnly>(self, rhs: R) -> Combination<Intersect, Self::Query, R::Query> {
        combine(self, rhs)
    }
    /// `self EXCEPT rhs`.
    #[rustfmt::skip]
    fn except<R: AsQuery<Query: SameRowAs<Self::Query>> + ReadsOnly>(self, rhs: R) -> Combination<Except, Self::Query, R::Query> {
        combine(self, rhs)
    }
}

impl<Q: ReadsOnly> CombineDsl for Q {}

/// A query (or a table) that only reads rows: a side of a set operation. [`SelectSource`] of its query,
/// as a bound on the side itself, so that a refusal is reported at the side, in `SelectSource`'s words.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query that only reads: a SELECT, a set operation or a WITH statement that reads is expected here",
    label = "expected a query that only reads rows",
    note = "an INSERT, UPDATE or DELETE (with RETURNING) stands only at the start of the whole statement, in `with(shape::table.as_cte(statement))` (PostgreSQL)"
)]
pub trait ReadsOnly: AsQuery {}
#[diagnostic::do_not_recommend]
impl<Q: AsQuery<Query: SelectSource>> ReadsOnly for Q {}

fn combine<Op, L: AsQuery, R: AsQuery>(left: L, right: R) -> Combination<Op, L::Query, R::Query> {
    Combination { left: left.as_query(), right: right.as_query(), op: std::marker::PhantomData }
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, Op, L: crate::backend::RunsOn<DB>, R: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB>
    for Combination<Op, L, R>
{
}
