//! `find(key)`: the WHERE condition matching a primary key, single or composite.

use crate::expression::{AppearsOn, AsExpression, Expression};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::Column;
use crate::sql_types::Bool;

/// A Rust value for the primary key `PK`: one value for a one-column key, a tuple for a composite key.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value for the primary key `{PK}`",
    label = "expected a value of the primary key's SQL type",
    note = "a composite primary key takes a tuple with one value per key column"
)]
pub trait PrimaryKeyValue<PK> {
    /// Writes `pk = ?` (or `a = ? AND b = ?`).
    fn walk_key(&self, pk: &PK, out: &mut AstPass<'_>) -> QueryResult<()>;
}

#[diagnostic::do_not_recommend]
impl<C: Column + QueryFragment, V: AsExpression<C::SqlType>> PrimaryKeyValue<C> for V {
    fn walk_key(&self, pk: &C, out: &mut AstPass<'_>) -> QueryResult<()> {
        pk.walk(out)?;
        out.push_sql(" = ");
        self.walk_operand(out)
    }
}

macro_rules! composite_keys {
    ($(($($C:ident $V:ident $i:tt),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($C: Column + QueryFragment, $V: AsExpression<$C::SqlType>),+> PrimaryKeyValue<($($C,)+)> for ($($V,)+) {
            fn walk_key(&self, pk: &($($C,)+), out: &mut AstPass<'_>) -> QueryResult<()> {
                $(
                    if $i > 0 {
                        out.push_sql(" AND ");
                    }
                    pk.$i.walk(out)?;
                    out.push_sql(" = ");
                    self.$i.walk_operand(out)?;
                )+
                Ok(())
            }
        }
    )*};
}
composite_keys! {
    (C0 V0 0, C1 V1 1)
    (C0 V0 0, C1 V1 1, C2 V2 2)
    (C0 V0 0, C1 V1 1, C2 V2 2, C3 V3 3)
    (C0 V0 0, C1 V1 1, C2 V2 2, C3 V3 3, C4 V4 4)
}

/// The condition `primary key = value`, checked when `find` built it.
pub struct FindBy<PK, V> {
    pk: PK,
    value: V,
    walk: fn(&V, &PK, &mut AstPass<'_>) -> QueryResult<()>,
}

impl<PK, V: PrimaryKeyValue<PK>> FindBy<PK, V> {
    pub(crate) fn new(pk: PK, value: V) -> Self {
        FindBy { pk, value, walk: V::walk_key }
    }
}

impl<PK: Clone, V: Clone> Clone for FindBy<PK, V> {
    fn clone(&self) -> Self {
        FindBy { pk: self.pk.clone(), value: self.value.clone(), walk: self.walk }
    }
}
impl<PK: Copy, V: Copy> Copy for FindBy<PK, V> {}

impl<PK: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for FindBy<PK, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FindBy").field("pk", &self.pk).field("value", &self.value).finish()
    }
}

impl<PK, V> Expression for FindBy<PK, V> {
    type SqlType = Bool;
}
impl<PK, V> QueryFragment for FindBy<PK, V> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        (self.walk)(&self.value, &self.pk, out)
    }
}
impl<PK: QueryId, V: QueryId> QueryId for FindBy<PK, V> {
    type QueryId = FindBy<PK::QueryId, V::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = PK::HAS_STATIC_QUERY_ID && V::HAS_STATIC_QUERY_ID;
}
#[diagnostic::do_not_recommend]
impl<QS, PK: AppearsOn<QS>, V: QueryId> AppearsOn<QS> for FindBy<PK, V> {}
impl<QS, PK: crate::expression::SelectNullability<QS>, V> crate::expression::SelectNullability<QS> for FindBy<PK, V> {}
#[diagnostic::do_not_recommend]
impl<PK: crate::expression::NonAggregate, V> crate::expression::NonAggregate for FindBy<PK, V> {}
impl<G, PK: crate::expression::ValidGrouping<G>, V> crate::expression::ValidGrouping<G> for FindBy<PK, V> {
    type Kind = PK::Kind;
}

// Key columns and bound values: SQL every backend has.
impl<DB, PK, V> crate::backend::RunsOn<DB> for FindBy<PK, V> {}
