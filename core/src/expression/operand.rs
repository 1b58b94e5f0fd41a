//! Operands: a Rust value or an expression standing where a value of a given SQL type is expected.

use std::fmt;
use std::marker::PhantomData;

use super::{AppearsOn, Expression, OperandAppearsOn, OperandSelectNullability, SelectNullability};
use crate::render::{AstPass, BindValue, QueryFragment, QueryId};
use crate::result::QueryResult;

/// Turns a Rust value into the value bound for a parameter of SQL type `ST`.
pub trait ToSql<ST> {
    /// The bind value, borrowing from `self`.
    fn to_sql(&self) -> QueryResult<BindValue<'_>>;
}

impl<T: ToSql<ST> + ?Sized, ST> ToSql<ST> for &T {
    fn to_sql(&self) -> QueryResult<BindValue<'_>> {
        (**self).to_sql()
    }
}

/// Something that can stand where a SQL `ST` value is expected: a Rust value (bound as a
/// parameter) or an expression of that SQL type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a SQL `{ST}` value",
    label = "expected a value of SQL type `{ST}`",
    note = "a nullable SQL type takes an `Option`; an expression of another SQL type may need `.nullable()`"
)]
pub trait AsExpression<ST> {
    /// Writes the operand: a bind placeholder for a value, the SQL of an expression.
    fn walk_operand(&self, out: &mut AstPass<'_>) -> QueryResult<()>;
}

// Written with a `SameSqlType` bound rather than as `AsExpression<E::SqlType>`: a column of another SQL
// type is then reported as "`users::id` cannot be used as a SQL `Text` value" instead of rustc's
// type-mismatch message about projections.
#[diagnostic::do_not_recommend]
impl<E, ST> AsExpression<ST> for E
where
    E: Expression + QueryFragment,
    E::SqlType: crate::sql_types::SameSqlType<ST>,
{
    fn walk_operand(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.walk(out)
    }
}

/// An operand already checked against the SQL type `ST` it stands for.
///
/// The check happens once, in the DSL method that built it (`eq`, `set`, `values`, ...); the way to
/// render it is remembered here, so nothing downstream repeats the check (and a mistake is reported
/// once).
pub struct Operand<ST, T> {
    value: T,
    walk: fn(&T, &mut AstPass<'_>) -> QueryResult<()>,
    sql_type: PhantomData<fn() -> ST>,
}

impl<ST, T: AsExpression<ST>> Operand<ST, T> {
    /// Wraps a value or expression that can stand for a SQL `ST`.
    pub fn new(value: T) -> Self {
        Operand { value, walk: T::walk_operand, sql_type: PhantomData }
    }
}

impl<ST, T> Operand<ST, T> {
    /// Wraps `value` with the function that renders it.
    pub fn with_walker(value: T, walk: fn(&T, &mut AstPass<'_>) -> QueryResult<()>) -> Self {
        Operand { value, walk, sql_type: PhantomData }
    }
}

impl<ST, T: Clone> Clone for Operand<ST, T> {
    fn clone(&self) -> Self {
        Operand { value: self.value.clone(), walk: self.walk, sql_type: PhantomData }
    }
}
impl<ST, T: Copy> Copy for Operand<ST, T> {}

impl<ST, T: fmt::Debug> fmt::Debug for Operand<ST, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<ST, T> Expression for Operand<ST, T> {
    type SqlType = ST;
}

impl<ST, T> QueryFragment for Operand<ST, T> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        (self.walk)(&self.value, out)
    }
}

impl<ST, T: QueryId> QueryId for Operand<ST, T> {
    type QueryId = T::QueryId;
    const HAS_STATIC_QUERY_ID: bool = T::HAS_STATIC_QUERY_ID;
}

impl<DB, ST, T: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Operand<ST, T> {}
#[diagnostic::do_not_recommend]
impl<QS, ST, T: OperandAppearsOn<QS> + QueryId> AppearsOn<QS> for Operand<ST, T> {}
impl<QS, ST, T: OperandSelectNullability<QS>> SelectNullability<QS> for Operand<ST, T> {}

#[diagnostic::do_not_recommend]
impl<ST, T: super::OperandNonAggregate> super::NonAggregate for Operand<ST, T> {}

impl<G, ST, T: super::OperandGrouping<G>> super::ValidGrouping<G> for Operand<ST, T> {
    type Kind = T::Kind;
}
