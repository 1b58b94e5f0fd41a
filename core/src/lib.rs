//! Quarry's typed query DSL: schema traits, expressions, queries, rendering, decoding and the
//! `Connection` trait, with no database driver. Users depend on `quarry`, which re-exports all of this at
//! the same paths and adds the SQLite backend and the macros.
//!
//! The split is for build time: this crate compiles while SQLite's C code compiles beside it.

pub mod associations;
pub mod backend;
pub mod connection;
pub mod deserialize;
pub mod expression;
pub mod introspection;
pub mod migration;
pub mod query;
pub mod render;
pub mod result;
pub mod schema;
pub mod sql_types;
mod tuples;

pub use query::{delete, insert_into, select, sql_query, update};
pub use render::debug_query;

/// Upserts: `insert_into(t).values(..).on_conflict(t::col).do_update().set(t::x.eq(excluded(t::x)))`.
pub mod upsert {
    pub use crate::query::{
        AnyConflict, ConflictTarget, DoNothing, DoUpdate, IncompleteDoUpdate, IncompleteOnConflict, NoConflict,
        OnConflict,
    };
    pub use crate::query::{Excluded, excluded};
}

/// The SQL functions and operators that are written as free functions.
pub mod dsl {
    pub use crate::expression::{avg, case_when, count, count_distinct, count_star, exists, max, min, not, sum};
}

/// Everything needed to declare a schema, build queries and run them.
pub mod prelude {
    pub use crate::associations::{BelongingToDsl, GroupedBy, WithChildren};
    pub use crate::connection::{Connection, RunQueryDsl};
    pub use crate::expression::{
        BoolExpressionMethods, ExpressionMethods, NullableExpressionMethods, SelectableHelper, TextExpressionMethods,
    };
    pub use crate::expression::{IntoSql, SingleValueDsl};
    pub use crate::query::{CombineDsl, DerivedTableDsl, JoinOnDsl, QueryDsl};
    pub use crate::result::OptionalExtension;
    pub use crate::schema::Table;
    pub use crate::{allow_tables_to_appear_in_same_query, joinable};
}

/// Items the macros' generated code refers to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::expression::{AppearsOn, AsExpression, Expression, SelectNullability};
    pub use crate::query::AsQuery;
    pub use std::ops::{Add, Div, Mul, Sub};
}

/// Declares that `child.foreign_key` references `parent`'s primary key, so the two tables can be joined
/// without an explicit ON clause: `joinable!(posts -> users (user_id));`.
///
/// The foreign key's SQL type must match the primary key's; a mismatch does not compile.
#[macro_export]
macro_rules! joinable {
    ($child:ident -> $parent:ident ($fk:ident)) => {
        const _: () = {
            #[diagnostic::do_not_recommend]
            impl $crate::query::JoinTo<$parent::table> for $child::table {
                type OnClause = $crate::expression::Eq<
                    $child::$fk,
                    $crate::expression::Operand<
                        <$child::$fk as $crate::__private::Expression>::SqlType,
                        <$parent::table as $crate::schema::Table>::PrimaryKey,
                    >,
                >;
                fn on_clause() -> Self::OnClause {
                    $crate::expression::ExpressionMethods::eq(
                        $child::$fk,
                        $crate::query::primary_key_of::<$parent::table>(),
                    )
                }
            }
            #[diagnostic::do_not_recommend]
            impl $crate::query::JoinTo<$child::table> for $parent::table {
                type OnClause = <$child::table as $crate::query::JoinTo<$parent::table>>::OnClause;
                fn on_clause() -> Self::OnClause {
                    <$child::table as $crate::query::JoinTo<$parent::table>>::on_clause()
                }
            }
        };
    };
}

/// Names tables that may appear together in one query: Diesel requires it, and Quarry accepts it so
/// Diesel schemas port unchanged. Quarry itself needs no declaration per pair of tables (its table ids
/// make any two tables comparable), so this only checks that each name is a table. Its cost grows with
/// the number of tables, not with the number of pairs.
#[macro_export]
macro_rules! allow_tables_to_appear_in_same_query {
    ($($table:ident),+ $(,)?) => {
        const _: () = {
            $(let _: $table::table = $table::table;)+
        };
    };
}
