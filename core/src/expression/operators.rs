//! The SQL operators: comparisons, boolean connectives, arithmetic, LIKE, IN, BETWEEN, IS NULL,
//! and the sort directions.

use super::values::InListTrait;
use super::{AppearsOn, Expression, Operand, SelectNullability, ValidGrouping};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::{BigInt, Bool};

/// Declares an operator node: its fields, SQL type, rendering, identity and where it may appear.
macro_rules! node {
    (
        $(#[$meta:meta])* $name:ident<$($T:ident),+> : $st:ty;
        $(only_on($req:path);)?
        walk($self:ident, $out:ident) $body:block
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name<$($T),+>($(pub(crate) $T),+);

        impl<$($T),+> $name<$($T),+> {
            /// Builds the node from its operands.
            #[allow(non_snake_case)] // the operands are named after their type parameters
            pub fn new($($T: $T),+) -> Self {
                $name($($T),+)
            }
        }

        impl<$($T: Expression),+> Expression for $name<$($T),+> {
            type SqlType = $st;
        }
        impl<$($T: QueryFragment),+> QueryFragment for $name<$($T),+> {
            fn walk(&$self, $out: &mut AstPass<'_>) -> QueryResult<()> $body
        }
        impl<$($T: QueryId),+> QueryId for $name<$($T),+> {
            type QueryId = $name<$($T::QueryId),+>;
            const HAS_STATIC_QUERY_ID: bool = true $(&& $T::HAS_STATIC_QUERY_ID)+;
        }
        impl<DB $(: $req)?, $($T: crate::backend::RunsOn<DB>),+> crate::backend::RunsOn<DB> for $name<$($T),+> {}
        #[diagnostic::do_not_recommend]
        impl<QS, $($T: AppearsOn<QS>),+> AppearsOn<QS> for $name<$($T),+> {}
        impl<QS, $($T: SelectNullability<QS>),+> SelectNullability<QS> for $name<$($T),+> {}
        #[diagnostic::do_not_recommend]
        impl<$($T: super::NonAggregate),+> super::NonAggregate for $name<$($T),+> {}
        impl<G, $($T: Expression),+> ValidGrouping<G> for $name<$($T),+>
        where
            ($($T,)+): ValidGrouping<G>,
        {
            type Kind = <($($T,)+) as ValidGrouping<G>>::Kind;
        }
    };
}

macro_rules! infix {
    ($($(#[$meta:meta])* $name:ident $op:literal : $st:ty;)*) => {$(
        node! {
            $(#[$meta])* $name<L, R>: $st;
            walk(self, out) {
                self.0.walk(out)?;
                out.push_sql($op);
                self.1.walk(out)
            }
        }
    )*};
}

infix! {
    /// `L = R`
    Eq " = ": Bool;
    /// `L <> R`
    NotEq " <> ": Bool;
    /// `L > R`
    Gt " > ": Bool;
    /// `L >= R`
    GtEq " >= ": Bool;
    /// `L < R`
    Lt " < ": Bool;
    /// `L <= R`
    LtEq " <= ": Bool;
    /// `L LIKE R`
    Like " LIKE ": Bool;
    /// `L NOT LIKE R`
    NotLike " NOT LIKE ": Bool;
    /// `L AND R` (AND binds tighter than OR, so no parentheses are needed around it)
    And " AND ": Bool;
}

macro_rules! grouped_infix {
    ($($(#[$meta:meta])* $name:ident $op:literal : $st:ty $(, only_on($req:path))?;)*) => {$(
        node! {
            $(#[$meta])* $name<L, R>: $st;
            $(only_on($req);)?
            walk(self, out) {
                out.push_sql("(");
                self.0.walk(out)?;
                out.push_sql($op);
                self.1.walk(out)?;
                out.push_sql(")");
                Ok(())
            }
        }
    )*};
}

// PostgreSQL's jsonb and array operators: each node runs only where the backend has them.
grouped_infix! {
    /// `(L -> R)`: the value under key `R` of a `jsonb` object, as `jsonb` (NULL when absent). PostgreSQL only.
    RetrieveAsObject " -> ": crate::sql_types::Nullable<crate::sql_types::Jsonb>, only_on(crate::backend::SupportsJsonb);
    /// `(L ->> R)`: the value under key `R`, as text (NULL when absent). PostgreSQL only.
    RetrieveAsText " ->> ": crate::sql_types::Nullable<crate::sql_types::Text>, only_on(crate::backend::SupportsJsonb);
    /// `(L @> R)`: does `jsonb` `L` contain `R` (every key and element of `R` is in `L`)? PostgreSQL only.
    JsonbContains " @> ": Bool, only_on(crate::backend::SupportsJsonb);
    /// `(L <@ R)`: is `jsonb` `L` contained in `R`? PostgreSQL only.
    JsonbContainedBy " <@ ": Bool, only_on(crate::backend::SupportsJsonb);
    /// `(L ? R)`: does `jsonb` `L` have the top-level key `R`? PostgreSQL only.
    HasKey " ? ": Bool, only_on(crate::backend::SupportsJsonb);
    /// `(L @> R)`: array `L` holds every element of `R`. PostgreSQL only.
    ArrayContains " @> ": Bool, only_on(crate::backend::SupportsArrays);
    /// `(L <@ R)`: every element of array `L` is in `R`. PostgreSQL only.
    ArrayContainedBy " <@ ": Bool, only_on(crate::backend::SupportsArrays);
    /// `(L && R)`: the arrays have an element in common. PostgreSQL only.
    OverlapsWith " && ": Bool, only_on(crate::backend::SupportsArrays);
}

grouped_infix! {
    /// `(L IS DISTINCT FROM R)`: `<>` where NULL is a value like any other (NULL is distinct from 1, not
    /// from NULL).
    IsDistinctFrom " IS DISTINCT FROM ": Bool;
    /// `(L IS NOT DISTINCT FROM R)`: `=` where NULL equals NULL.
    IsNotDistinctFrom " IS NOT DISTINCT FROM ": Bool;
    /// `(L OR R)`
    Or " OR ": Bool;
    /// `(L + R)`
    Add " + ": <L as Expression>::SqlType;
    /// `(L - R)`
    Sub " - ": <L as Expression>::SqlType;
    /// `(L * R)`
    Mul " * ": <L as Expression>::SqlType;
    /// `(L / R)`
    Div " / ": <L as Expression>::SqlType;
    /// `(L || R)`
    Concat " || ": <L as Expression>::SqlType;
}

node! {
    /// `L ILIKE R`: LIKE ignoring case (PostgreSQL).
    ILike<L, R>: Bool;
    only_on(crate::backend::SupportsILike);
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" ILIKE ");
        self.1.walk(out)
    }
}

node! {
    /// `L NOT ILIKE R` (PostgreSQL).
    NotILike<L, R>: Bool;
    only_on(crate::backend::SupportsILike);
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" NOT ILIKE ");
        self.1.walk(out)
    }
}

node! {
    /// `E IS NULL`
    IsNull<E>: Bool;
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" IS NULL");
        Ok(())
    }
}

node! {
    /// `E IS NOT NULL`
    IsNotNull<E>: Bool;
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" IS NOT NULL");
        Ok(())
    }
}

node! {
    /// `NOT (E)`
    Not<E>: Bool;
    walk(self, out) {
        out.push_sql("NOT (");
        self.0.walk(out)?;
        out.push_sql(")");
        Ok(())
    }
}

node! {
    /// `E BETWEEN L AND H`
    Between<E, L, H>: Bool;
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" BETWEEN ");
        self.1.walk(out)?;
        out.push_sql(" AND ");
        self.2.walk(out)
    }
}

node! {
    /// `E NOT BETWEEN L AND H`
    NotBetween<E, L, H>: Bool;
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" NOT BETWEEN ");
        self.1.walk(out)?;
        out.push_sql(" AND ");
        self.2.walk(out)
    }
}

node! {
    /// `E ASC` in ORDER BY.
    Asc<E>: ();
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" ASC");
        Ok(())
    }
}

node! {
    /// `E DESC` in ORDER BY.
    Desc<E>: ();
    walk(self, out) {
        self.0.walk(out)?;
        out.push_sql(" DESC");
        Ok(())
    }
}

/// `E IN (v1, v2, ...)`; an empty list is never true (rendered `1 = 0`, since not every database
/// accepts `IN ()`).
#[derive(Debug, Clone)]
pub struct In<E, ST, V>(pub(crate) E, pub(crate) Operand<ST, V>, bool);

/// `E NOT IN (v1, v2, ...)`; an empty list is always true (rendered `1 = 1`).
#[derive(Debug, Clone)]
pub struct NotIn<E, ST, V>(pub(crate) E, pub(crate) Operand<ST, V>, bool);

macro_rules! in_list {
    ($name:ident $walk:ident $empty:literal) => {
        impl<E, ST, V> $name<E, ST, V> {
            pub(crate) fn new(expr: E, values: V) -> Self
            where
                V: InListTrait<ST>,
            {
                let empty = values.is_empty();
                // Rendering is remembered with the list, so the type check happens here once.
                $name(expr, Operand::with_walker(values, V::$walk), empty)
            }
        }
        impl<E, ST, V> Expression for $name<E, ST, V> {
            type SqlType = Bool;
        }
        impl<E: QueryFragment, ST, V> QueryFragment for $name<E, ST, V> {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                if self.2 {
                    out.push_sql($empty);
                    return Ok(());
                }
                self.0.walk(out)?;
                // The list writes the operator: ` IN (..)`, or the backend's form (` = ANY($1)`).
                self.1.walk(out)
            }
        }
        impl<E: QueryId, ST, V: QueryId> QueryId for $name<E, ST, V> {
            type QueryId = $name<E::QueryId, (), V::QueryId>;
            const HAS_STATIC_QUERY_ID: bool = false;
        }
        impl<DB, E: crate::backend::RunsOn<DB>, ST, V: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB>
            for $name<E, ST, V>
        {
        }
        #[diagnostic::do_not_recommend]
        impl<QS, E: AppearsOn<QS>, ST, V: QueryId + super::OperandAppearsOn<QS>> AppearsOn<QS> for $name<E, ST, V> {}
        impl<QS, E: SelectNullability<QS>, ST, V> SelectNullability<QS> for $name<E, ST, V> {}
        #[diagnostic::do_not_recommend]
        impl<E: super::NonAggregate, ST, V> super::NonAggregate for $name<E, ST, V> {}
        impl<G, E: ValidGrouping<G>, ST, V> ValidGrouping<G> for $name<E, ST, V>
        where
            Self: Expression,
        {
            type Kind = E::Kind;
        }
    };
}
in_list!(In walk_in "1 = 0");
in_list!(NotIn walk_not_in "1 = 1");

/// `COUNT(*)`
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CountStar;

impl Expression for CountStar {
    type SqlType = BigInt;
}
impl QueryFragment for CountStar {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("COUNT(*)");
        Ok(())
    }
}
impl QueryId for CountStar {
    type QueryId = CountStar;
}
impl<DB> crate::backend::RunsOn<DB> for CountStar {}
#[diagnostic::do_not_recommend]
impl<QS> AppearsOn<QS> for CountStar {}
impl<QS> SelectNullability<QS> for CountStar {}
impl<G> ValidGrouping<G> for CountStar {
    type Kind = super::kind::Aggregate;
}

/// `+ - * /` on the result of arithmetic, so `(a + b) * 2` chains like numbers do.
macro_rules! chained_arithmetic {
    ($($node:ident),*) => {$(
        chained_arithmetic!(@op $node, Add, add);
        chained_arithmetic!(@op $node, Sub, sub);
        chained_arithmetic!(@op $node, Mul, mul);
        chained_arithmetic!(@op $node, Div, div);
    )*};
    (@op $node:ident, $op:ident, $method:ident) => {
        impl<L, R, Rhs> std::ops::$op<Rhs> for $node<L, R>
        where
            $node<L, R>: Expression<SqlType: crate::sql_types::Arithmetic<Rhs>>,
        {
            type Output = $op<Self, Operand<<$node<L, R> as Expression>::SqlType, Rhs>>;
            fn $method(self, rhs: Rhs) -> Self::Output {
                $op(self, Operand::with_walker(rhs, <<$node<L, R> as Expression>::SqlType as crate::sql_types::Arithmetic<Rhs>>::walk_operand))
            }
        }
    };
}
chained_arithmetic!(Add, Sub, Mul, Div);
pub(crate) use chained_arithmetic;
