//! Upserts: `INSERT ... ON CONFLICT (target) DO NOTHING` and `... DO UPDATE SET ...`, with
//! [`excluded`] naming the value the conflicting row would have had.
//!
//! ```
//! # use quarry::prelude::*;
//! # quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! use quarry::upsert::excluded;
//!
//! let q = quarry::insert_into(users::table)
//!     .values((users::id.eq(1), users::name.eq("Ann")))
//!     .on_conflict(users::id)
//!     .do_update()
//!     .set(users::name.eq(excluded(users::name)));
//! assert_eq!(
//!     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
//!     r#"INSERT INTO "users" ("id", "name") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name""#,
//! );
//! ```

use super::insert::InsertStatement;
use super::update::{AsChangeset, ChangesetShape};
use crate::expression::Expression;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::{Column, ColumnOf, Table};

/// The columns whose unique index or primary key an upsert's conflict is detected on: a column of `T`
/// or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{T}` to detect a conflict on",
    label = "not a column of `{T}`",
    note = "ON CONFLICT names columns of the table inserted into that form its primary key or a unique index"
)]
pub trait ConflictTarget<T> {
    /// Writes the column names, comma-separated, unqualified.
    fn walk_target(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

#[diagnostic::do_not_recommend]
impl<T, C: Column + ColumnOf<T>> ConflictTarget<T> for C {
    fn walk_target(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_identifier(C::NAME);
        Ok(())
    }
}

macro_rules! tuple_targets {
    ($($T:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<Tab, $($T: ConflictTarget<Tab>),+> ConflictTarget<Tab> for ($($T,)+) {
            fn walk_target(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                $(
                    if $idx > 0 {
                        out.push_sql(", ");
                    }
                    self.$idx.walk_target(out)?;
                )+
                Ok(())
            }
        }
    };
}
crate::tuples::for_each_tuple!(tuple_targets);

/// No ON CONFLICT clause: a conflict is an error ([`DatabaseErrorKind::UniqueViolation`](crate::result::DatabaseErrorKind::UniqueViolation)).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoConflict;

impl QueryFragment for NoConflict {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
    // No clause at all (the statement asks, to know whether it has one).
    fn is_noop(&self) -> bool {
        true
    }
}
impl QueryId for NoConflict {
    type QueryId = NoConflict;
}

/// `ON CONFLICT [(target)] action`.
pub struct OnConflict<Tg, A> {
    target: Tg,
    // Checked against the table once, at `on_conflict`; remembered so the statement needs no bound on it.
    walk_target: fn(&Tg, &mut AstPass<'_>) -> QueryResult<()>,
    action: A,
}

impl<Tg: Clone, A: Clone> Clone for OnConflict<Tg, A> {
    fn clone(&self) -> Self {
        OnConflict { target: self.target.clone(), walk_target: self.walk_target, action: self.action.clone() }
    }
}

impl<Tg, A: QueryFragment> QueryFragment for OnConflict<Tg, A> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" ON CONFLICT");
        (self.walk_target)(&self.target, out)?;
        self.action.walk(out)
    }
}

impl<Tg: QueryId, A: QueryId> QueryId for OnConflict<Tg, A> {
    type QueryId = OnConflict<Tg::QueryId, A::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Tg::HAS_STATIC_QUERY_ID && A::HAS_STATIC_QUERY_ID;
}

/// No conflict target: `ON CONFLICT DO NOTHING` skips a row that breaks any unique constraint.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnyConflict;

impl QueryId for AnyConflict {
    type QueryId = AnyConflict;
}

fn no_target(_: &AnyConflict, _: &mut AstPass<'_>) -> QueryResult<()> {
    Ok(())
}

fn walk_target<T, Tg: ConflictTarget<T>>(target: &Tg, out: &mut AstPass<'_>) -> QueryResult<()> {
    out.push_sql(" (");
    target.walk_target(out)?;
    out.push_sql(")");
    Ok(())
}

/// `DO NOTHING`: the conflicting row is left as it is and the new one skipped.
#[derive(Debug, Clone, Copy, Default)]
pub struct DoNothing;

impl QueryFragment for DoNothing {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" DO NOTHING");
        Ok(())
    }
}
impl QueryId for DoNothing {
    type QueryId = DoNothing;
}

/// `DO UPDATE SET changes`: the conflicting row is updated instead.
pub struct DoUpdate<Ch> {
    changes: Ch,
    walk: fn(&Ch, &mut AstPass<'_>) -> QueryResult<usize>,
}

impl<Ch: Clone> Clone for DoUpdate<Ch> {
    fn clone(&self) -> Self {
        DoUpdate { changes: self.changes.clone(), walk: self.walk }
    }
}

impl<Ch> QueryFragment for DoUpdate<Ch> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" DO UPDATE SET ");
        if (self.walk)(&self.changes, out)? == 0 {
            return Err(build_error(
                BuildErrorKind::NothingToSet,
                "the upsert's DO UPDATE has no column to set: every field of the changeset is None",
            ));
        }
        Ok(())
    }
}

impl<Ch: ChangesetShape> QueryId for DoUpdate<Ch> {
    type QueryId = DoUpdate<Ch::Shape>;
    // A changeset whose `None` fields are skipped renders differently per value: cached by SQL text.
    const HAS_STATIC_QUERY_ID: bool = Ch::FIXED_SHAPE;
}

/// An INSERT with `ON CONFLICT (target)` and no action yet: finish with [`do_nothing`](Self::do_nothing)
/// or [`do_update`](Self::do_update).
#[must_use = "an upsert needs an action: `.do_nothing()` or `.do_update().set(..)`"]
pub struct IncompleteOnConflict<S, Tg> {
    statement: S,
    target: Tg,
    walk_target: fn(&Tg, &mut AstPass<'_>) -> QueryResult<()>,
}

/// An INSERT with `ON CONFLICT (target) DO UPDATE` waiting for its changes: finish with
/// [`set`](Self::set).
#[must_use = "`do_update()` needs the changes: `.set(..)`"]
pub struct IncompleteDoUpdate<S, Tg> {
    on_conflict: IncompleteOnConflict<S, Tg>,
}

impl<T: Table, V, R, S> InsertStatement<T, V, R, NoConflict, S> {
    /// `ON CONFLICT (target)`: what to do when a row would break the primary key or the unique index on
    /// `target` (a column of the table or a tuple of them). Follow with `.do_nothing()` or
    /// `.do_update().set(..)`.
    pub fn on_conflict<Tg: ConflictTarget<T>>(self, target: Tg) -> IncompleteOnConflict<Self, Tg> {
        IncompleteOnConflict { statement: self, target, walk_target: walk_target::<T, Tg> }
    }

    /// `ON CONFLICT DO NOTHING`: skips every row that would break any unique constraint.
    pub fn on_conflict_do_nothing(self) -> InsertStatement<T, V, R, OnConflict<AnyConflict, DoNothing>, S> {
        self.with_conflict(OnConflict { target: AnyConflict, walk_target: no_target, action: DoNothing })
    }
}

impl<T: Table, V, R, S, Tg> IncompleteOnConflict<InsertStatement<T, V, R, NoConflict, S>, Tg> {
    /// `DO NOTHING`: a conflicting row is skipped; the others are inserted.
    pub fn do_nothing(self) -> InsertStatement<T, V, R, OnConflict<Tg, DoNothing>, S> {
        let IncompleteOnConflict { statement, target, walk_target } = self;
        statement.with_conflict(OnConflict { target, walk_target, action: DoNothing })
    }

    /// `DO UPDATE`: a conflicting row is updated with the changes given to [`set`](IncompleteDoUpdate::set).
    pub fn do_update(self) -> IncompleteDoUpdate<InsertStatement<T, V, R, NoConflict, S>, Tg> {
        IncompleteDoUpdate { on_conflict: self }
    }
}

impl<T: Table, V, R, S, Tg> IncompleteDoUpdate<InsertStatement<T, V, R, NoConflict, S>, Tg> {
    /// The changes for the conflicting row: `column.eq(value)`, a tuple of them, or an `AsChangeset`
    /// struct; [`excluded(column)`](excluded) is the value the new row had for `column`.
    pub fn set<Ch: AsChangeset<T>>(self, changes: Ch) -> InsertStatement<T, V, R, OnConflict<Tg, DoUpdate<Ch>>, S> {
        let IncompleteOnConflict { statement, target, walk_target } = self.on_conflict;
        let action = DoUpdate { changes, walk: Ch::walk_changes };
        statement.with_conflict(OnConflict { target, walk_target, action })
    }
}

/// `excluded."column"`: in an upsert's `DO UPDATE SET`, the value the row that was not inserted had for
/// `column`.
pub fn excluded<C: Column>(column: C) -> Excluded<C> {
    Excluded(column)
}

/// The expression [`excluded`] builds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Excluded<C>(C);

impl<C: Column> Expression for Excluded<C> {
    type SqlType = C::SqlType;
}

impl<C: Column> QueryFragment for Excluded<C> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("excluded.");
        out.push_identifier(C::NAME);
        Ok(())
    }
}

/// `excluded(column)` may stand in a SET clause on `column`'s table: an upsert's `DO UPDATE`. (SQLite
/// also accepts it only there; a plain UPDATE's SET is not told apart from it here.)
#[diagnostic::do_not_recommend]
impl<C: Column + ColumnOf<T> + QueryId, T> crate::expression::AppearsOn<super::update::SetClause<T>> for Excluded<C> {}

#[diagnostic::do_not_recommend]
impl<C: Column> crate::expression::NonAggregate for Excluded<C> {}

impl<C: Column + QueryId> QueryId for Excluded<C> {
    type QueryId = Excluded<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB> crate::backend::RunsOn<DB> for NoConflict {}
impl<DB, Tg, A: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for OnConflict<Tg, A> {}
impl<DB> crate::backend::RunsOn<DB> for DoNothing {}
impl<DB, Ch: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for DoUpdate<Ch> {}
impl<DB, C> crate::backend::RunsOn<DB> for Excluded<C> {}
