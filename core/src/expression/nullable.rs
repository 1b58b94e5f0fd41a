//! `expr.nullable()`: the same expression, typed as its `Nullable` SQL type.

use super::{AppearsOn, Expression, SelectNullability};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::IntoNullable;

/// An expression viewed as `Nullable<its SQL type>`; renders as the expression itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nullable<E>(pub(crate) E);

impl<E: Expression> Expression for Nullable<E>
where
    E::SqlType: IntoNullable,
{
    type SqlType = <E::SqlType as IntoNullable>::Nullable;
}

impl<E: QueryFragment> QueryFragment for Nullable<E> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk(out)
    }
}

impl<E: QueryId> QueryId for Nullable<E> {
    type QueryId = E::QueryId;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}

/// The wrapped expression may come from the nullable side of a LEFT JOIN: that is what `.nullable()` is
/// for.
#[diagnostic::do_not_recommend]
impl<QS, E: AppearsOn<QS>> AppearsOn<QS> for Nullable<E> where E::SqlType: IntoNullable {}
impl<QS, E: Expression> SelectNullability<QS> for Nullable<E> where E::SqlType: IntoNullable {}

#[diagnostic::do_not_recommend]
impl<E: super::NonAggregate> super::NonAggregate for Nullable<E> where E::SqlType: IntoNullable {}

impl<G, E: super::ValidGrouping<G>> super::ValidGrouping<G> for Nullable<E>
where
    E::SqlType: IntoNullable,
{
    type Kind = E::Kind;
}

/// `expr.assume_not_null()`: a `Nullable<T>` expression typed as `T`, for one known never to be NULL
/// where the types cannot tell (`max(..)` over a table with rows, a column of a row a join guarantees).
/// Renders as the expression itself; reading a NULL from it into a non-`Option` is an `Err` naming the
/// column, never a panic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssumeNotNull<E>(pub(crate) E);

impl<E: Expression> Expression for AssumeNotNull<E>
where
    E::SqlType: crate::sql_types::DropNullable,
{
    type SqlType = <E::SqlType as crate::sql_types::DropNullable>::NotNull;
}

impl<E: QueryFragment> QueryFragment for AssumeNotNull<E> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk(out)
    }
}

impl<E: QueryId> QueryId for AssumeNotNull<E> {
    type QueryId = AssumeNotNull<E::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID;
}

#[diagnostic::do_not_recommend]
impl<QS, E: AppearsOn<QS>> AppearsOn<QS> for AssumeNotNull<E> where E::SqlType: crate::sql_types::DropNullable {}
impl<QS, E: SelectNullability<QS>> SelectNullability<QS> for AssumeNotNull<E> where
    E::SqlType: crate::sql_types::DropNullable
{
}

#[diagnostic::do_not_recommend]
impl<E: super::NonAggregate> super::NonAggregate for AssumeNotNull<E> where E::SqlType: crate::sql_types::DropNullable {}

impl<G, E: super::ValidGrouping<G>> super::ValidGrouping<G> for AssumeNotNull<E>
where
    E::SqlType: crate::sql_types::DropNullable,
{
    type Kind = E::Kind;
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Nullable<E> {}
impl<DB, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for AssumeNotNull<E> {}
