//! Expressions: typed SQL values (columns, bound Rust values, operators, functions) and the rules
//! that decide where they may stand.
//!
//! What code names here, most used first:
//!
//! - the methods on columns and expressions: [`ExpressionMethods`] (`eq`, `gt`, `eq_any`, `is_null`,
//!   `desc`, ..), [`TextExpressionMethods`] (`like`, `concat`, ..), [`BoolExpressionMethods`] (`and`,
//!   `or`), [`NullableExpressionMethods`], [`JsonExpressionMethods`], [`JsonbExpressionMethods`] and
//!   [`ArrayExpressionMethods`] (PostgreSQL), [`WindowExpressionMethods`] (`over`, `partition_by`);
//! - values: [`IntoSql`] (`5.into_sql::<Integer>()`), [`AsExpression`] (what `eq(..)` accepts),
//!   [`case_when`], [`sql`] (a fragment of raw SQL, typed);
//! - the functions, also in `quarry::dsl`: [`count_star`], [`count`], [`max`], [`min`], [`sum`], [`avg`],
//!   [`exists`], [`coalesce`], ..; window functions in [`window`];
//! - for signatures and custom types: [`Expression`], [`BoxableExpression`], [`Selectable`] and
//!   [`SelectableHelper`] (`as_select()`), [`ToSql`].
//!
//! The structs are the expression tree (`Eq<L, R>` is `L = R`), which a query's type spells; the
//! remaining traits check where an expression may stand (its table, grouping, nullability, window), and
//! appear in compile errors, which name them in SQL words.

use crate::render::{QueryFragment, QueryId};

mod aggregates;
mod boxable;
mod case_when;
mod functions;
pub(crate) mod grouping;
mod json;
mod methods;
mod nullable;
mod operand;
pub(crate) mod operators;
mod select_by;
mod sql_literal;
mod subquery;
mod values;
pub mod window;

pub use aggregates::{
    AggregateArgument, Avg, Count, CountDistinct, Max, Min, Sum, SumType, Summable, avg, count, count_distinct,
    count_star, max, min, sum,
};
pub use boxable::{BoxableExpression, BoxedColumns};
pub use case_when::{CaseParts, CaseWhen, Else, IntoSql, NoElse, When, Whens, WithElse, case_when};
pub use functions::{
    AbsFn, Call, Cast, CastDsl, CastResult, CastTarget, CoalesceFn, Function, NoArguments, NullIfFn, Random, abs,
    coalesce, now, nullif, random, today,
};
pub use grouping::{
    AggregateOf, Combine, GroupBy, HasColumnId, HasGroupBy, NoGroupBy, NoUngroupedColumn, NoWindow, NonAggregate,
    NotAggregate, NotMixed, NotNested, OperandGrouping, OperandNonAggregate, ValidGrouping, kind,
};
pub use json::{JsonExpressionMethods, JsonGet, JsonLike, JsonScalar};
pub use methods::{
    ArrayExpressionMethods, BoolExpressionMethods, ExpressionMethods, JsonbExpressionMethods,
    NullableExpressionMethods, TextExpressionMethods, not,
};
pub use nullable::{AssumeNotNull, Nullable as NullableExpression};
pub use operand::{AsExpression, Operand, ToSql};
pub use operators::{
    Add, And, ArrayContainedBy, ArrayContains, Asc, Between, Concat, CountStar, Desc, Div, Eq, Gt, GtEq, HasKey, ILike,
    In, IsDistinctFrom, IsNotDistinctFrom, IsNotNull, IsNull, JsonbContainedBy, JsonbContains, Like, Lt, LtEq, Mul,
    Not, NotBetween, NotEq, NotILike, NotIn, NotLike, Or, OverlapsWith, RetrieveAsObject, RetrieveAsText, Sub,
};
pub use select_by::{
    AsSelect, NoParts, NullCheck, PartsAppearOn, PartsNullCheck, SelectBy, Selectable, SelectableHelper,
    StructSelectableIn,
};
pub use sql_literal::{RawSql, SqlLiteral, Then, sql};
pub use subquery::{Exists, SingleValue, SingleValueDsl, exists};
pub(crate) use values::InListTrait;
pub use values::LiteralTypes;
pub use window::WindowExpressionMethods;

/// A typed SQL expression.
pub trait Expression {
    /// The SQL type of the expression's value.
    type SqlType;
}

/// May this expression stand in a query whose FROM clause is `QS`?
///
/// Columns implement it for their own table; every other node when all its parts do. A query method
/// (`select`, `filter`, `order`, `returning`, ...) checks it once, where the column is used.
#[diagnostic::on_unimplemented(
    message = "`{Self}` names a column whose table is not in the FROM clause of a query on `{QS}`",
    label = "a column of a table this query does not read"
)]
pub trait AppearsOn<QS>: Expression + QueryFragment + QueryId {}

/// May this operand (a bound Rust value, or an expression) stand in a query on `QS`? Values may
/// stand anywhere; expressions where they [`AppearsOn`].
#[doc(hidden)]
pub trait OperandAppearsOn<QS> {}
impl<QS, E: AppearsOn<QS>> OperandAppearsOn<QS> for E {}

/// May this expression be selected as it is in a query on `QS`? Not when it reads a column of the
/// nullable side of a LEFT JOIN without `.nullable()`: that column is NULL where no row matched.
///
/// Checked by `select` beside [`AppearsOn`]; the two never fail together, so a mistake is one error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` comes from the nullable side of a LEFT JOIN in a query on `{QS}`",
    label = "NULL where the LEFT JOIN matched no row: select it with `.nullable()`",
    note = "read it into an `Option`; a struct with `Option::<T>::as_select()`"
)]
pub trait SelectNullability<QS>: Expression {}

/// [`SelectNullability`] for operands: values are never NULL by a join.
#[doc(hidden)]
pub trait OperandSelectNullability<QS> {}
impl<QS, E: SelectNullability<QS>> OperandSelectNullability<QS> for E {}

macro_rules! tuple_expressions {
    ($($T:ident $idx:tt),+) => {
        impl<$($T: Expression),+> Expression for ($($T,)+) {
            type SqlType = ($($T::SqlType,)+);
        }
        #[diagnostic::do_not_recommend]
        impl<QS, $($T: AppearsOn<QS>),+> AppearsOn<QS> for ($($T,)+) {}
        impl<QS, $($T: SelectNullability<QS>),+> SelectNullability<QS> for ($($T,)+) {}
    };
}
crate::tuples::for_each_tuple!(tuple_expressions);
