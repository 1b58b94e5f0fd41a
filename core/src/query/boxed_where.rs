//! `into_boxed()` for UPDATE and DELETE: the WHERE clause behind a box, so filters can be added in loops
//! and branches while the statement keeps one type. Each filter is checked when it is added: it reads
//! only the statement's table `T` and uses only SQL backend `DB` has.
//!
//! ```
//! # use quarry::prelude::*;
//! # use quarry::sqlite::{Sqlite, SqliteConnection};
//! # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
//! let names: [Option<&str>; 2] = [Some("Ann"), Some("Bo")];
//! let mut q = quarry::delete(users::table).into_boxed::<Sqlite>();
//! for name in names.into_iter().flatten() {
//!     q = q.or_filter(users::name.eq(name));
//! }
//! assert_eq!(
//!     quarry::debug_query::<Sqlite, _>(&q).sql().unwrap(),
//!     r#"DELETE FROM "users" WHERE ("users"."name" = ? OR "users"."name" = ?)"#
//! );
//! ```

use std::marker::PhantomData;

use super::Condition;
use super::boxed::Connective;
use super::clauses::{NoWhere, Where};
use super::correlation::WhereAppearsOn;
use super::delete::DeleteStatement;
use super::update::UpdateStatement;
use crate::backend::RunsOn;
use crate::expression::AppearsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

type Fragment<'a> = Box<dyn QueryFragment + 'a>;

/// The WHERE clause of a boxed UPDATE or DELETE on table `T` for backend `DB`: empty, or the conditions
/// added so far.
pub struct BoxedWhere<'a, T, DB> {
    condition: Option<Fragment<'a>>,
    types: PhantomData<fn() -> (T, DB)>,
}

impl<'a, T, DB> BoxedWhere<'a, T, DB> {
    fn add(self, predicate: Fragment<'a>, or: bool) -> Self {
        let condition = Some(match self.condition {
            None => predicate,
            Some(left) => Box::new(Connective { left, right: predicate, or }) as Fragment<'a>,
        });
        BoxedWhere { condition, types: PhantomData }
    }
}

impl<T, DB> QueryFragment for BoxedWhere<'_, T, DB> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        if let Some(condition) = &self.condition {
            out.push_sql(" WHERE ");
            condition.walk(out)?;
        }
        Ok(())
    }
}

// Chosen at run time: cached by SQL text.
impl<T, DB> QueryId for BoxedWhere<'_, T, DB> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

// Each condition was checked against `T` and `DB` when it was added.
impl<T, DB> WhereAppearsOn<T> for BoxedWhere<'_, T, DB> {}
impl<T, DB> RunsOn<DB> for BoxedWhere<'_, T, DB> {}

/// A WHERE clause that can be boxed for table `T` on backend `DB`: none, or one whose conditions read
/// only `T` and use only SQL `DB` has.
#[diagnostic::on_unimplemented(
    message = "this statement's WHERE clause cannot be boxed for `{DB}`",
    label = "its conditions must read only the statement's table and use only SQL `{DB}` has"
)]
#[doc(hidden)]
pub trait IntoBoxedWhere<'a, T, DB> {
    /// The boxed clause.
    fn into_boxed_where(self) -> BoxedWhere<'a, T, DB>;
}

impl<'a, T, DB> IntoBoxedWhere<'a, T, DB> for NoWhere {
    fn into_boxed_where(self) -> BoxedWhere<'a, T, DB> {
        BoxedWhere { condition: None, types: PhantomData }
    }
}

impl<'a, T, DB, P: QueryFragment + AppearsOn<T> + RunsOn<DB> + 'a> IntoBoxedWhere<'a, T, DB> for Where<P> {
    fn into_boxed_where(self) -> BoxedWhere<'a, T, DB> {
        BoxedWhere { condition: Some(Box::new(self.0)), types: PhantomData }
    }
}

/// The bounds of a condition added to a boxed UPDATE or DELETE on `T` for `DB`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot filter a boxed UPDATE or DELETE of `{T}`",
    label = "a condition must be boolean, read only the statement's table, hold no aggregate, and use SQL the backend has"
)]
pub trait BoxedCondition<'a, T, DB>: Condition + AppearsOn<T> + RunsOn<DB> + 'a {}
impl<'a, T, DB, P: Condition + AppearsOn<T> + RunsOn<DB> + 'a> BoxedCondition<'a, T, DB> for P {}

impl<T, W, C, R> UpdateStatement<T, W, C, R> {
    /// Boxes the WHERE clause, so that filters added later (in a loop, a branch) keep the statement's type.
    pub fn into_boxed<'a, DB>(self) -> UpdateStatement<T, BoxedWhere<'a, T, DB>, C, R>
    where
        W: IntoBoxedWhere<'a, T, DB>,
    {
        self.map_where(IntoBoxedWhere::into_boxed_where)
    }
}

impl<'a, T, DB, C, R> UpdateStatement<T, BoxedWhere<'a, T, DB>, C, R> {
    /// Adds a WHERE condition, joined with AND to the ones before it.
    pub fn filter<P: BoxedCondition<'a, T, DB>>(self, predicate: P) -> Self {
        self.map_where(|w| w.add(Box::new(predicate), false))
    }

    /// Adds a WHERE condition joined with OR to the ones before it.
    pub fn or_filter<P: BoxedCondition<'a, T, DB>>(self, predicate: P) -> Self {
        self.map_where(|w| w.add(Box::new(predicate), true))
    }
}

impl<T, W, R> DeleteStatement<T, W, R> {
    /// Boxes the WHERE clause, so that filters added later (in a loop, a branch) keep the statement's type.
    pub fn into_boxed<'a, DB>(self) -> DeleteStatement<T, BoxedWhere<'a, T, DB>, R>
    where
        W: IntoBoxedWhere<'a, T, DB>,
    {
        self.map_where(IntoBoxedWhere::into_boxed_where)
    }
}

impl<'a, T, DB, R> DeleteStatement<T, BoxedWhere<'a, T, DB>, R> {
    /// Adds a WHERE condition, joined with AND to the ones before it.
    pub fn filter<P: BoxedCondition<'a, T, DB>>(self, predicate: P) -> Self {
        self.map_where(|w| w.add(Box::new(predicate), false))
    }

    /// Adds a WHERE condition joined with OR to the ones before it.
    pub fn or_filter<P: BoxedCondition<'a, T, DB>>(self, predicate: P) -> Self {
        self.map_where(|w| w.add(Box::new(predicate), true))
    }
}
