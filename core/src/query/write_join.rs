//! Writes that read other tables: `update(posts::table.inner_join(users::table))` is `UPDATE "posts" ..
//! FROM "users" WHERE <the join's ON> ..`, and `delete(..)` of a join deletes the target's rows that have a
//! match, `DELETE .. USING` on PostgreSQL and `DELETE .. WHERE EXISTS (SELECT 1 FROM ..)` on SQLite (which
//! has no USING). The target is the join's first table; the others, joined with `inner_join` (a LEFT JOIN
//! of the target has no UPDATE or DELETE form), are read as in a SELECT: the SET values and the filters
//! may name their columns, checked against the join as a SELECT's are.
//!
//! ```
//! # use quarry::prelude::*;
//! quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! quarry::table! { posts (id) { id -> Integer, user_id -> Integer, author -> Text, } }
//! quarry::joinable!(posts -> users (user_id));
//! quarry::allow_tables_to_appear_in_same_query!(users, posts);
//!
//! let q = quarry::update(posts::table.inner_join(users::table).filter(users::name.ne("")))
//!     .set(posts::author.eq(users::name));
//! assert_eq!(
//!     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
//!     r#"UPDATE "posts" SET "author" = "users"."name" FROM "users" WHERE "posts"."user_id" = "users"."id" AND "users"."name" <> ?"#
//! );
//! let q = quarry::delete(posts::table.inner_join(users::table).filter(users::name.eq("spam")));
//! assert_eq!(
//!     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
//!     r#"DELETE FROM "posts" WHERE EXISTS (SELECT 1 FROM "users" WHERE "posts"."user_id" = "users"."id" AND "users"."name" = ?)"#
//! );
//! ```

use super::clauses::{NoWhere, Where, WhereClause};
use super::correlation::WhereAppearsOn;
use super::join::{Join, JoinSource};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::{QuerySource, Table};

/// A FROM clause an UPDATE or DELETE can read besides its target: the target table, inner-joined to
/// other sources.
#[doc(hidden)]
pub trait WriteJoin: QuerySource {
    /// The table written: the join's first one.
    type Target: Table;
    /// That table.
    fn target(&self) -> Self::Target;
    /// Writes the sources after the target, separated by commas.
    #[doc(hidden)]
    fn walk_others(&self, out: &mut AstPass<'_>, first: &mut bool) -> QueryResult<()>;
    /// Writes the join conditions, separated by AND.
    #[doc(hidden)]
    fn walk_conditions(&self, out: &mut AstPass<'_>, first: &mut bool) -> QueryResult<()>;
}

impl<T: Table> WriteJoin for T {
    type Target = T;
    fn target(&self) -> T {
        *self
    }
    fn walk_others(&self, _: &mut AstPass<'_>, _: &mut bool) -> QueryResult<()> {
        Ok(())
    }
    fn walk_conditions(&self, _: &mut AstPass<'_>, _: &mut bool) -> QueryResult<()> {
        Ok(())
    }
}

// Any kind of join, so that the target of a LEFT JOIN can be named; `InnerJoinsOnly` refuses it.
impl<L: WriteJoin, R: JoinSource, K, On: QueryFragment> WriteJoin for Join<L, R, K, On>
where
    Self: QuerySource,
{
    type Target = L::Target;
    fn target(&self) -> L::Target {
        self.left.target()
    }
    fn walk_others(&self, out: &mut AstPass<'_>, first: &mut bool) -> QueryResult<()> {
        self.left.walk_others(out, first)?;
        if !std::mem::take(first) {
            out.push_sql(", ");
        }
        if R::IS_JOIN {
            out.push_sql("(");
            self.right.walk_from(out)?;
            out.push_sql(")");
            Ok(())
        } else {
            self.right.walk_from(out)
        }
    }
    fn walk_conditions(&self, out: &mut AstPass<'_>, first: &mut bool) -> QueryResult<()> {
        self.left.walk_conditions(out, first)?;
        if !std::mem::take(first) {
            out.push_sql(" AND ");
        }
        self.on.walk(out)
    }
}

/// The WHERE clause of an UPDATE or DELETE that reads the join `J` besides its target: the join's
/// conditions, and the statement's own filters `W`.
#[derive(Debug, Clone, Copy)]
pub struct JoinedWhere<J, W> {
    join: J,
    where_clause: W,
}

impl<J, W> JoinedWhere<J, W> {
    pub(crate) fn new(join: J, where_clause: W) -> Self {
        JoinedWhere { join, where_clause }
    }
}

impl<J, W: WhereClause> WhereClause for JoinedWhere<J, W> {
    type And<P> = JoinedWhere<J, W::And<P>>;
    type Or<P> = JoinedWhere<J, W::Or<P>>;
    // The join's conditions always hold: `or_filter` widens only the statement's own filters.
    fn and<P>(self, p: P) -> Self::And<P> {
        JoinedWhere { join: self.join, where_clause: self.where_clause.and(p) }
    }
    fn or<P>(self, p: P) -> Self::Or<P> {
        JoinedWhere { join: self.join, where_clause: self.where_clause.or(p) }
    }
}

/// A statement's own filters, written after the join's conditions.
#[doc(hidden)]
pub trait OwnFilters {
    /// Writes ` AND ` and the condition, if there is one.
    #[doc(hidden)]
    fn walk_and_condition(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}
impl OwnFilters for NoWhere {
    fn walk_and_condition(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}
impl<P: QueryFragment> OwnFilters for Where<P> {
    fn walk_and_condition(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" AND ");
        self.0.walk(out)
    }
}

impl<J: WriteJoin, W: OwnFilters> JoinedWhere<J, W> {
    /// `others WHERE conditions AND filters`.
    fn walk_sources_and_conditions(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.join.walk_others(out, &mut true)?;
        out.push_sql(" WHERE ");
        self.join.walk_conditions(out, &mut true)?;
        self.where_clause.walk_and_condition(out)
    }
}

/// The WHERE clause of an UPDATE or DELETE: the target's filters (`NoWhere`, `Where`, a boxed one), or
/// those of a target joined to other tables ([`JoinedWhere`]), which writes the FROM (or USING) part too.
#[doc(hidden)]
pub trait WriteWhere: QueryFragment {
    /// What a SET value may read besides the target: `()`, or the join.
    type Sources;
    /// Writes the clause in a DELETE (`walk` writes it in an UPDATE).
    #[doc(hidden)]
    fn walk_delete(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk(out)
    }
    /// The FROM clause's common table expressions (a subquery in FROM), as a SELECT has them.
    #[doc(hidden)]
    fn sources(&self) -> Option<&dyn QuerySourceCtes> {
        None
    }
    /// True when the statement starts with a WITH clause for those (see `QueryFragment::has_with_clause`).
    #[doc(hidden)]
    fn has_ctes(&self) -> bool {
        self.sources().is_some_and(|s| s.has_ctes())
    }
    /// True when that WITH clause is recursive.
    #[doc(hidden)]
    fn has_recursive_cte(&self) -> bool {
        self.sources().is_some_and(|s| s.has_recursive_cte())
    }
    /// Writes that WITH clause, if any: what an UPDATE or DELETE starts with.
    #[doc(hidden)]
    fn walk_with(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.sources().map_or(Ok(()), |s| s.walk_with(out))
    }
}

/// The part of [`QuerySource`] a WITH clause needs, object-safe.
#[doc(hidden)]
pub trait QuerySourceCtes {
    /// See [`QuerySource::has_ctes`].
    fn has_ctes(&self) -> bool;
    /// See [`QuerySource::has_recursive_cte`].
    fn has_recursive_cte(&self) -> bool;
    /// Writes the WITH clause (see [`walk_with_clause`](crate::schema::walk_with_clause)).
    fn walk_with(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}
impl<S: QuerySource> QuerySourceCtes for S {
    fn has_ctes(&self) -> bool {
        QuerySource::has_ctes(self)
    }
    fn has_recursive_cte(&self) -> bool {
        QuerySource::has_recursive_cte(self)
    }
    fn walk_with(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        crate::schema::walk_with_clause(self, out)
    }
}

impl WriteWhere for NoWhere {
    type Sources = ();
}
impl<P: QueryFragment> WriteWhere for Where<P> {
    type Sources = ();
}
impl<T, DB> WriteWhere for super::BoxedWhere<'_, T, DB> {
    type Sources = ();
}

impl<J: WriteJoin, W: OwnFilters> QueryFragment for JoinedWhere<J, W> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" FROM ");
        self.walk_sources_and_conditions(out)
    }
}

impl<J: WriteJoin, W: OwnFilters> WriteWhere for JoinedWhere<J, W> {
    type Sources = J;
    fn walk_delete(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        if out.deletes_with_using() {
            out.push_sql(" USING ");
            self.walk_sources_and_conditions(out)
        } else {
            // No USING: the rows with a match, as a correlated EXISTS over the other sources.
            out.push_sql(" WHERE EXISTS (SELECT 1 FROM ");
            self.walk_sources_and_conditions(out)?;
            out.push_sql(")");
            Ok(())
        }
    }
    fn sources(&self) -> Option<&dyn QuerySourceCtes> {
        Some(&self.join)
    }
}

impl<J: QueryId, W: QueryId> QueryId for JoinedWhere<J, W> {
    type QueryId = JoinedWhere<J::QueryId, W::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = J::HAS_STATIC_QUERY_ID && W::HAS_STATIC_QUERY_ID;
}

impl<DB, J: RunsOn<DB>, W: RunsOn<DB>> RunsOn<DB> for JoinedWhere<J, W> {}

// The statement's filters are checked against the whole join, as a SELECT's are.
impl<T, J, W: WhereAppearsOn<J>> WhereAppearsOn<T> for JoinedWhere<J, W> {}
