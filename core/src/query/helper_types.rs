//! The type each DSL method returns, named after the method (Diesel's `dsl::Filter`, `dsl::Eq`, ...):
//! `Filter<users::table, Eq<users::name, &str>>` is the type of `users::table.filter(users::name.eq(name))`.
//! For function signatures written by hand, and what `#[quarry::auto_type]` writes. Value parameters
//! are the Rust types of the values passed (`&str`, `i32`), as in Diesel.

#![allow(non_camel_case_types)] // the free functions' types are named after the functions, as in Diesel

use super::join::{Inner, JoinTarget, LeftOuter};
use super::query_dsl::{
    FilteredBy, Found, Grouped, Joined, Limited, Locked, OrFilteredBy, Ordered, QueryDsl, SelectedBy, WithHaving,
    WithOffset,
};
use super::{AsQuery, HavingClause, OrderBy as OrderByNode, OrderClause, SelectClause};
use crate::expression::{self as e, Expression, Operand};

/// `Q.select(S)`.
pub type Select<Q, S> = SelectedBy<Q, S>;
/// `Q.filter(P)`.
pub type Filter<Q, P> = FilteredBy<Q, P>;
/// `Q.or_filter(P)`.
pub type OrFilter<Q, P> = OrFilteredBy<Q, P>;
/// `Q.find(V)`.
pub type Find<Q, V> = Found<Q, V>;
/// `Q.order(O)`.
pub type Order<Q, O> = Ordered<Q, OrderByNode<O>>;
/// `Q.order_by(O)`.
pub type OrderBy<Q, O> = Ordered<Q, OrderByNode<O>>;
/// `Q.then_order_by(O)`.
pub type ThenOrderBy<Q, O> = Ordered<Q, <<Q as QueryDsl>::Order as OrderClause>::Then<O>>;
/// `Q.limit(n)`.
pub type Limit<Q> = Limited<Q, super::Limit>;
/// `Q.offset(n)`.
pub type Offset<Q> = WithOffset<Q, super::Offset>;
/// `Q.group_by(E)`.
pub type GroupBy<Q, E> = Grouped<Q, e::GroupBy<E>>;
/// `Q.having(P)`.
pub type Having<Q, P> = WithHaving<Q, <<Q as QueryDsl>::Having as HavingClause>::And<P>>;
/// `Q.inner_join(R)`.
pub type InnerJoin<Q, R> = Joined<Q, <R as JoinTarget>::Source, Inner, <R as JoinTarget>::On<<Q as QueryDsl>::From>>;
/// `Q.left_join(R)`.
pub type LeftJoin<Q, R> = Joined<Q, <R as JoinTarget>::Source, LeftOuter, <R as JoinTarget>::On<<Q as QueryDsl>::From>>;
/// `S.on(C)`.
pub type On<S, C> = super::OnClause<S, C>;
/// `Q.count()`.
pub type CountRows<Q> = super::Selected<Q, SelectClause<e::CountStar>>;
/// `Q.for_update()`.
pub type ForUpdate<Q> = Locked<Q, super::lock::RowLock<super::lock::ForUpdate, super::lock::Wait>>;
/// `Q.single_value()`.
pub type SingleValue<Q> = e::SingleValue<<Q as AsQuery>::Query>;

/// `L.eq(R)`.
pub type Eq<L, R> = e::Eq<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.ne(R)`.
pub type NotEq<L, R> = e::NotEq<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.gt(R)`.
pub type Gt<L, R> = e::Gt<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.ge(R)`.
pub type GtEq<L, R> = e::GtEq<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.lt(R)`.
pub type Lt<L, R> = e::Lt<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.le(R)`.
pub type LtEq<L, R> = e::LtEq<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.like(R)`.
pub type Like<L, R> = e::Like<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.not_like(R)`.
pub type NotLike<L, R> = e::NotLike<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.ilike(R)`.
pub type ILike<L, R> = e::ILike<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.not_ilike(R)`.
pub type NotILike<L, R> = e::NotILike<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.concat(R)`.
pub type Concat<L, R> = e::Concat<L, Operand<<L as Expression>::SqlType, R>>;
/// `L.eq_any(R)`.
pub type EqAny<L, R> = e::In<L, <L as Expression>::SqlType, R>;
/// `L.ne_all(R)`.
pub type NeAll<L, R> = e::NotIn<L, <L as Expression>::SqlType, R>;
/// `E.between(L, H)`.
pub type Between<E, L, H> =
    e::Between<E, Operand<<E as Expression>::SqlType, L>, Operand<<E as Expression>::SqlType, H>>;
/// `E.is_null()`.
pub type IsNull<E> = e::IsNull<E>;
/// `E.is_not_null()`.
pub type IsNotNull<E> = e::IsNotNull<E>;
/// `E.asc()`.
pub type Asc<E> = e::Asc<E>;
/// `E.desc()`.
pub type Desc<E> = e::Desc<E>;
/// `L.and(R)`.
pub type And<L, R> = e::And<L, R>;
/// `L.or(R)`.
pub type Or<L, R> = e::Or<L, R>;
/// `E.nullable()`.
pub type Nullable<E> = e::NullableExpression<E>;
/// `E.assume_not_null()`.
pub type AssumeNotNull<E> = e::AssumeNotNull<E>;

/// `T::as_select()` (and `T::as_returning()`).
pub type AsSelect<T> = e::SelectBy<T>;

/// `random()`.
pub type random = e::Random;
/// `count_star()`.
pub type count_star = e::CountStar;
/// `count(E)`.
pub type count<E> = e::Count<E>;
/// `count_distinct(E)`.
pub type count_distinct<E> = e::CountDistinct<E>;
/// `sum(E)`.
pub type sum<E> = e::Sum<E>;
/// `avg(E)`.
pub type avg<E> = e::Avg<E>;
/// `min(E)`.
pub type min<E> = e::Min<E>;
/// `max(E)`.
pub type max<E> = e::Max<E>;
/// `exists(Q)`.
pub type exists<Q> = e::Exists<<Q as AsQuery>::Query>;
/// `not(E)`.
pub type not<E> = e::Not<E>;
