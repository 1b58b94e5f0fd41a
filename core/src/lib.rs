//! Quarry's typed query DSL: schema traits, expressions, queries, rendering, decoding and the
//! `Connection` trait, with no database driver. Users depend on `quarry`, which re-exports all of this at
//! the same paths and adds the SQLite backend and the macros.
//!
//! The split is for build time: this crate compiles while SQLite's C code compiles beside it.

pub mod associations;
pub mod backend;
pub mod connection;
pub mod data_types;
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

pub use query::{copy_from, delete, insert_into, select, sql_query, update};
pub use render::debug_query;

/// Upserts: `insert_into(t).values(..).on_conflict(t::col).do_update().set(t::x.eq(excluded(t::x)))`.
pub mod upsert {
    pub use crate::query::{
        AnyConflict, ConflictTarget, DoNothing, DoUpdate, IncompleteDoUpdate, IncompleteOnConflict, NoConflict,
        OnConflict,
    };
    pub use crate::query::{Excluded, excluded};
}

/// Writing Rust values as bound parameters: a type implements [`ToSql<ST>`](crate::expression::ToSql) to give the
/// [`BindValue`](crate::render::BindValue) it is bound as for a column of SQL type `ST`. With `#[derive(AsExpression)]` and
/// `#[quarry(sql_type = ST)]` it then stands wherever a value of `ST` may (`eq`, `values`, `set`, `find`).
///
/// ```
/// use quarry::prelude::*;
/// use quarry::result::QueryResult;
/// use quarry::serialize::{BindValue, ToSql};
/// use quarry::sql_types::Text;
///
/// /// A colour kept as `#rrggbb` text.
/// #[derive(quarry::AsExpression)]
/// #[quarry(sql_type = Text)]
/// struct Rgb(u8, u8, u8);
///
/// impl ToSql<Text> for Rgb {
///     fn to_sql(&self) -> QueryResult<BindValue<'_>> {
///         Ok(BindValue::OwnedStr(format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)))
///     }
/// }
///
/// quarry::table! { walls (id) { id -> Integer, colour -> Text, } }
/// let q = walls::table.filter(walls::colour.eq(Rgb(255, 0, 0)));
/// let debug = quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q);
/// assert_eq!(debug.to_string(), r##"SELECT "walls"."id", "walls"."colour" FROM "walls" WHERE "walls"."colour" = ? -- binds: ["#ff0000"]"##);
/// ```
pub mod serialize {
    pub use crate::expression::ToSql;
    pub use crate::render::{BindValue, ShortText};
}

/// The SQL functions and operators that are written as free functions.
pub mod dsl {
    pub use crate::expression::window::{
        WindowExpressionMethods, cume_dist, dense_rank, first_value, lag, lag_with_offset, lag_with_offset_and_default,
        last_value, lead, lead_with_offset, lead_with_offset_and_default, nth_value, ntile, percent_rank, rank,
        row_number,
    };
    pub use crate::expression::{avg, case_when, count, count_distinct, count_star, exists, max, min, not, sql, sum};
    pub use crate::query::helper_types::*;
    pub use crate::query::with;

    /// Window frames for [`frame_by`](crate::expression::WindowExpressionMethods::frame_by):
    /// `frame::Rows.frame_between(frame::UnboundedPreceding, frame::CurrentRow)`.
    pub mod frame {
        pub use crate::expression::window::frame::*;
    }

    use crate::sql_types::{Double, Integer, Text};

    crate::define_sql_function! {
        /// `lower(text)`: the text in lower case (ASCII letters, as SQLite does).
        pub fn lower(text: Text) -> Text;
    }
    crate::define_sql_function! {
        /// `upper(text)`: the text in upper case (ASCII letters, as SQLite does).
        pub fn upper(text: Text) -> Text;
    }
    crate::define_sql_function! {
        /// `length(text)`: the number of characters.
        pub fn length(text: Text) -> Integer;
    }
    crate::define_sql_function! {
        /// `trim(text)`: the text without leading and trailing spaces.
        pub fn trim(text: Text) -> Text;
    }
    crate::define_sql_function! {
        /// `round(value)`: the nearest whole number, as a `Double`. A half is rounded away from zero on
        /// SQLite and to the even neighbour on PostgreSQL (its rule for `double precision`).
        pub fn round(value: Double) -> Double;
    }
    crate::define_sql_function! {
        /// `substr(text, start, length)`: `length` characters from the `start`th (from 1).
        pub fn substr(text: Text, start: Integer, length: Integer) -> Text;
    }
    crate::define_sql_function! {
        /// `replace(text, from, to)`: the text with every `from` replaced by `to`.
        pub fn replace(text: Text, from: Text, to: Text) -> Text;
    }
    pub use crate::expression::{abs, coalesce, now, nullif, random, today};

    crate::define_sql_function! {
        /// `date(timestamp)`: the timestamp's day.
        pub fn date(value: crate::sql_types::Timestamp) -> crate::sql_types::Date;
    }
}

/// Everything needed to declare a schema, build queries and run them.
pub mod prelude {
    pub use crate::associations::{
        AndChildren, BelongingToDsl, GroupedBy, WithChildren, WithChildrenNested, WithParents, WithRelated,
    };
    pub use crate::connection::{Connection, RunQueryDsl};
    pub use crate::expression::window::frame::{FrameBoundDsl, FrameClauseDsl};
    pub use crate::expression::{
        ArrayExpressionMethods, BoolExpressionMethods, CastDsl, ExpressionMethods, JsonExpressionMethods,
        JsonbExpressionMethods, NullableExpressionMethods, SelectableHelper, TextExpressionMethods,
        WindowExpressionMethods,
    };
    pub use crate::expression::{IntoSql, SingleValueDsl};
    pub use crate::query::{CombineDsl, DerivedTableDsl, ExplainDsl, JoinOnDsl, QueryDsl, SaveChangesDsl};
    pub use crate::result::OptionalExtension;
    pub use crate::schema::Table;
    pub use crate::{allow_tables_to_appear_in_same_query, joinable};
}

/// Items the macros' generated code refers to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::backend::RunsOn;
    pub use crate::expression::{AppearsOn, AsExpression, Expression, SelectNullability};
    pub use crate::query::AsQuery;
    pub use crate::{__value_as, __value_operand};
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

/// Declares a SQL function for the DSL: a Rust function with typed arguments that builds the call.
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::sql_types::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
/// quarry::define_sql_function! {
///     /// `lower(text)`: the text in lower case.
///     fn lower(text: Text) -> Text;
/// }
/// quarry::define_sql_function! { fn coalesce(value: Nullable<Text>, otherwise: Text) -> Text; }
///
/// let q = users::table
///     .filter(lower(users::name).eq("ann"))
///     .select(coalesce(users::hair_color, "unknown"));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT coalesce("users"."hair_color", ?) FROM "users" WHERE lower("users"."name") = ?"#,
/// );
/// ```
///
/// Each argument is checked against its SQL type as `eq` checks its operand (a column, an expression or
/// a Rust value); the call has the declared return type, so a function that can return NULL should say
/// `-> Nullable<..>`. The function's name is written as it is declared.
#[macro_export]
macro_rules! define_sql_function {
    ($(#[$meta:meta])* $vis:vis fn $name:ident() -> $ret:ty;) => {
        $(#[$meta])*
        $vis fn $name() -> $name<$crate::expression::NoArguments> {
            $name { args: $crate::expression::NoArguments }
        }

        $crate::define_sql_function!(@impls $(#[$meta])* $vis $name $ret);
    };
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident : $st:ty),+ $(,)?) -> $ret:ty;) => {
        $(#[$meta])*
        #[allow(non_camel_case_types, clippy::too_many_arguments)]
        $vis fn $name<$($arg: $crate::expression::AsExpression<$st>),+>(
            $($arg: $arg),+
        ) -> $name<($($crate::expression::Operand<$st, $arg>,)+)> {
            $name { args: ($($crate::expression::Operand::new($arg),)+) }
        }

        $crate::define_sql_function!(@impls $(#[$meta])* $vis $name $ret);
    };
    (@impls $(#[$meta:meta])* $vis:vis $name:ident $ret:ty) => {
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy)]
        $vis struct $name<Args> {
            args: Args,
        }

        impl<Args> $crate::expression::Expression for $name<Args> {
            type SqlType = $ret;
        }
        impl<Args: $crate::render::QueryFragment> $crate::render::QueryFragment for $name<Args> {
            fn walk(&self, out: &mut $crate::render::AstPass<'_>) -> $crate::result::QueryResult<()> {
                out.push_sql(::std::stringify!($name));
                out.push_sql("(");
                self.args.walk(out)?;
                out.push_sql(")");
                ::std::result::Result::Ok(())
            }
        }
        impl<Args: $crate::render::QueryId> $crate::render::QueryId for $name<Args> {
            type QueryId = $name<Args::QueryId>;
            const HAS_STATIC_QUERY_ID: bool = Args::HAS_STATIC_QUERY_ID;
        }
        impl<DB, Args: $crate::backend::RunsOn<DB>> $crate::backend::RunsOn<DB> for $name<Args> {}
        #[diagnostic::do_not_recommend]
        impl<QS, Args: $crate::expression::AppearsOn<QS>> $crate::expression::AppearsOn<QS> for $name<Args> {}
        impl<QS, Args: $crate::expression::SelectNullability<QS>> $crate::expression::SelectNullability<QS>
            for $name<Args>
        {
        }
        #[diagnostic::do_not_recommend]
        impl<Args: $crate::expression::NonAggregate> $crate::expression::NonAggregate for $name<Args> {}
        impl<G, Args: $crate::expression::ValidGrouping<G>> $crate::expression::ValidGrouping<G> for $name<Args> {
            type Kind = Args::Kind;
        }
    };
}

/// Names tables that may appear together in one query: Diesel requires it, and Quarry accepts it so
/// Diesel schemas port unchanged. Quarry itself needs no declaration per pair of tables (its table ids
/// make any two tables comparable), so this only checks that each name is a table. Its cost grows with
/// the number of tables, not with the number of pairs.
#[macro_export]
macro_rules! allow_tables_to_appear_in_same_query {
    ($($($table:ident)::+),+ $(,)?) => {
        const _: () = {
            $(let _: $($table)::+::table = $($table)::+::table;)+
        };
    };
}
