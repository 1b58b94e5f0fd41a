//! Statements: SELECT and its clauses, INSERT, UPDATE and DELETE, and the DSL methods that build them.
//!
//! What code names here, most used first:
//!
//! - the methods: [`QueryDsl`] (`filter`, `select`, `order`, `inner_join`, `group_by`, `into_boxed`, ..,
//!   on every table and query), [`JoinOnDsl`] (`on`), [`CombineDsl`] (`union`, ..),
//!   [`DerivedTableDsl`] (a subquery in FROM), [`ExplainDsl`], [`SaveChangesDsl`];
//! - the entry points, also at the crate root: [`insert_into`], [`update`], [`delete`], [`select`],
//!   [`sql_query`], [`copy_from`]; and [`with`] (also in `quarry::dsl`);
//! - the statements' types, for signatures: [`SelectStatement`], [`BoxedSelectStatement`] (and each
//!   table's `BoxedQuery` alias), [`InsertStatement`], [`UpdateStatement`], [`DeleteStatement`],
//!   [`SqlQuery`]; shorter names for chains are in [`helper_types`] (`dsl::Filter<..>`, ..);
//! - the traits the derives implement: [`Insertable`], [`AsChangeset`], [`Identifiable`];
//! - [`Alias`] (from `alias!`), [`excluded`] (an upsert's proposed row), [`lock`] (row locks).
//!
//! The other items are the states a statement's type records (`NoWhere`, `Limit`, ..) and the traits
//! that check a query's shape; they appear in compile errors, which name them in SQL words.

mod alias;
mod boxed;
mod boxed_where;
mod clauses;
mod combination;
mod copy;
mod correlation;
mod delete;

mod derived;
mod explain;
mod find;
pub mod helper_types;
mod insert;
mod join;
mod no_from;
mod query_dsl;
mod returning;
mod select_statement;
mod sql_query;
mod update;
mod upsert;
mod with;
mod write_join;

pub use alias::{Alias, AliasColumns, AliasName, AliasedField};
pub use boxed::{BoxClause, BoxCount, BoxedPart, BoxedSelectStatement, Regrouped, SettledGrouping};
pub use boxed_where::{BoxedCondition, BoxedWhere, IntoBoxedWhere};
pub use clauses::lock;
pub use clauses::{
    Distinct, DistinctOn, Having, HavingClause, Limit, LimitClause, LimitOne, NoDistinct, NoHaving, NoLimit, NoLock,
    NoOffset, NoOrder, NoWhere, Offset, OffsetClause, OrderBy, OrderClause, Where, WhereClause,
};
pub use combination::{Combination, CombineDsl, Except, Intersect, ReadsOnly, SameRowAs, SetOperator, Union, UnionAll};
pub use copy::{CopyFrom, CopyFromConnection, CopyFromInsertable, CopySource, copy_from};
pub use correlation::{Correlated, CorrelatedIn, RunnableQuery, WhereAppearsOn};
pub use delete::{DeleteStatement, delete};
pub use derived::{Derived, DerivedTableDsl, RecursiveUnion, RowsOf};
pub use explain::{Explain, ExplainDsl, Explainable, PlanRow};
pub use find::PrimaryKeyValue;
pub use insert::{
    DefaultValues, DistinctColumns, FromSelect, IncompleteInsert, InsertColumns, InsertField, InsertRow,
    InsertStatement, Insertable, Nullness, OptionalByNullness, OptionalField, RowFits, SelectRows, SelectSource,
    SourceRunsOn, ValuesOperand, ValuesRows, column_may_default, field_left_out, insert_into, optional_field,
    row_default, single_row_key, walk_field_value, walk_set_value, walk_single_row,
};
pub use join::{
    Append, Concat, ImplicitOn, Inner, Join, JoinCheck, JoinKind, JoinOnDsl, JoinSource, JoinTarget, JoinTo, LeftOuter,
    NotYetIn, OnClause, primary_key_of,
};
pub use no_from::{NoFromClause, NoSelection, select};
pub use query_dsl::{
    Boxed, Condition, Filtered, FilteredBy, Found, Grouped, Joined, Limited, Locked, OrFilteredBy, Ordered, QueryDsl,
    Selected, SelectedBy, WithDistinct, WithHaving, WithOffset,
};
pub use returning::{NoReturning, Returning};
pub use select_statement::{
    DefaultSelect, NoGroupByYet, SelectClause, SelectClauseFor, SelectGrouping, SelectStatement,
};
pub use sql_query::{SqlQuery, SqlQueryBinds, sql_query};
pub use update::{
    AsChangeset, Changes, ChangesetShape, Identifiable, IdentifiedBy, InnerJoinsOnly, IntoUpdateTarget, NoChanges,
    SaveChanges, SaveChangesDsl, SetClause, SetValue, UpdateStatement, UpdateTarget, ValueScope, WriteSource,
    identified_target, update,
};
pub use upsert::{
    AnyConflict, ConflictTarget, DoNothing, DoUpdate, Excluded, IncompleteDoUpdate, IncompleteOnConflict, NoConflict,
    OnConflict, excluded,
};
pub use with::{
    AsPlanned, Cte, CteCount, CteDefinitions, CteQuery, Materialization, Materialized, NewCteName, NotMaterialized,
    OneCte, ReadOnlyCtes, ReadsRows, With, WithQuery, WithStatement, WritesRows, with,
};
pub use write_join::{JoinedWhere, OwnFilters, QuerySourceCtes, WriteJoin, WriteWhere};

use crate::render::{QueryFragment, QueryId};

/// A statement that returns rows of SQL type `SqlType`.
pub trait Query {
    /// The SQL type of each row.
    type SqlType;
}

/// Something that can be run as a query: a table (`SELECT * FROM t`) or a statement.
pub trait AsQuery {
    /// The statement it runs as.
    type Query: Query + QueryFragment + QueryId;
    /// Turns it into that statement.
    fn as_query(self) -> Self::Query;
}

impl<Q: Query + QueryFragment + QueryId> AsQuery for Q {
    type Query = Q;
    fn as_query(self) -> Q {
        self
    }
}
