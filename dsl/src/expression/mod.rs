//! Expressions: typed SQL values (columns, bound Rust values, operators, functions) and the rules
//! that decide where they may stand.

use crate::render::{QueryFragment, QueryId};

mod methods;
mod nullable;
mod operand;
pub(crate) mod operators;
mod select_by;
mod values;

pub use methods::{BoolExpressionMethods, ExpressionMethods, NullableExpressionMethods, TextExpressionMethods, not};
pub use nullable::Nullable as NullableExpression;
pub use operand::{AsExpression, Operand, ToSql};
pub use operators::{
    Add, And, Asc, Between, Concat, CountStar, Desc, Div, Eq, Gt, GtEq, In, IsNotNull, IsNull, Like, Lt, LtEq, Mul,
    Not, NotBetween, NotEq, NotIn, NotLike, Or, Sub,
};
pub use select_by::{AsSelect, SelectBy, Selectable, SelectableHelper, StructSelectableIn};

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
    message = "column `{Self}` is not in the FROM clause of a query on `{QS}`",
    label = "this column's table is not in the query"
)]
pub trait AppearsOn<QS, Ctx = InFilter>: Expression + QueryFragment + QueryId {}

/// The context of [`AppearsOn`]: a condition, sort key or join condition, where any column of the FROM
/// clause may stand.
#[derive(Debug, Clone, Copy, Default)]
pub struct InFilter;

/// The context of [`AppearsOn`]: the select list (or RETURNING), where a column of the nullable side of a
/// LEFT JOIN must be wrapped in `.nullable()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct InSelect;

/// May this operand (a bound Rust value, or an expression) stand in a query on `QS`? Values may
/// stand anywhere; expressions where they [`AppearsOn`].
pub trait OperandAppearsOn<QS, Ctx = InFilter> {}
impl<QS, Ctx, E: AppearsOn<QS, Ctx>> OperandAppearsOn<QS, Ctx> for E {}

macro_rules! tuple_expressions {
    ($($T:ident $idx:tt),+) => {
        impl<$($T: Expression),+> Expression for ($($T,)+) {
            type SqlType = ($($T::SqlType,)+);
        }
        impl<QS, Ctx, $($T: AppearsOn<QS, Ctx>),+> AppearsOn<QS, Ctx> for ($($T,)+) {}
    };
}
crate::tuples::for_each_tuple!(tuple_expressions);
