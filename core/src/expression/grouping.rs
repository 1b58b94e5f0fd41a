//! Grouping rules: which expressions are aggregates, and which columns a GROUP BY lets a query select.
//!
//! Each expression has a grouping *kind*, computed from its parts for the query's GROUP BY clause (or
//! its absence). The DSL methods accept only the kinds valid where they stand: no aggregate mixed with
//! a plain column without GROUP BY; with GROUP BY, only grouped columns (or columns of a table grouped
//! by its primary key) and aggregates; no aggregate in WHERE; HAVING only with GROUP BY.

use crate::schema::{CompareId, Different, Same};

/// No GROUP BY clause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoGroupBy;

/// The grouping kinds.
pub mod kind {
    use std::marker::PhantomData;

    /// No column at all: a bound value.
    #[derive(Debug)]
    pub struct Constant;
    /// A column (or expression of columns) in a query without GROUP BY; `C` is the column.
    #[derive(Debug)]
    pub struct Plain<C>(PhantomData<C>);
    /// A column the GROUP BY clause groups by (or functionally depends on).
    #[derive(Debug)]
    pub struct Grouped;
    /// An aggregate (COUNT, SUM, ...), or an expression of aggregates and grouped columns.
    #[derive(Debug)]
    pub struct Aggregate;
    /// Column `C`, not in the query's GROUP BY clause.
    #[derive(Debug)]
    pub struct NotInGroupBy<C>(PhantomData<C>);
    /// An aggregate together with column `C`, in a query without GROUP BY.
    #[derive(Debug)]
    pub struct AggregateMixedWith<C>(PhantomData<C>);
    /// An expression holding a window function (`row_number().over()`), whose arguments and window
    /// keys are of kind `K`: it stands where `K` may (SELECT, ORDER BY), never in HAVING.
    #[derive(Debug)]
    pub struct Window<K>(PhantomData<K>);
    /// An aggregate over an aggregate (`max(count_star())`), whose inner kind is `K`: valid SQL only as a
    /// window (`sum(count_star()).over()`, whose kind comes from its argument's), so it stands nowhere.
    #[derive(Debug)]
    pub struct NestedAggregate<K>(PhantomData<K>);
}
use kind::*;

/// The grouping kind of an expression in a query whose GROUP BY clause is `G` ([`NoGroupBy`] for none).
pub trait ValidGrouping<G>: super::Expression {
    /// One of the types of [`kind`].
    type Kind;
}

/// Combines the kinds of the parts of an expression.
#[doc(hidden)]
pub trait Combine<Other> {
    /// The kind of the whole.
    type Output;
}

macro_rules! combine {
    ($([$($g:ident),*] $a:ty, $b:ty => $c:ty;)*) => {$(
        impl<$($g),*> Combine<$b> for $a {
            type Output = $c;
        }
    )*};
}
combine! {
    [] Constant, Constant => Constant;
    [D] Constant, Plain<D> => Plain<D>;
    [] Constant, Grouped => Grouped;
    [] Constant, Aggregate => Aggregate;
    [D] Constant, NotInGroupBy<D> => NotInGroupBy<D>;
    [D] Constant, AggregateMixedWith<D> => AggregateMixedWith<D>;
    [C] Plain<C>, Constant => Plain<C>;
    [C, D] Plain<C>, Plain<D> => Plain<C>;
    [C] Plain<C>, Grouped => Plain<C>;
    [C] Plain<C>, Aggregate => AggregateMixedWith<C>;
    [C, D] Plain<C>, NotInGroupBy<D> => NotInGroupBy<D>;
    [C, D] Plain<C>, AggregateMixedWith<D> => AggregateMixedWith<D>;
    [] Grouped, Constant => Grouped;
    [D] Grouped, Plain<D> => Plain<D>;
    [] Grouped, Grouped => Grouped;
    [] Grouped, Aggregate => Aggregate;
    [D] Grouped, NotInGroupBy<D> => NotInGroupBy<D>;
    [D] Grouped, AggregateMixedWith<D> => AggregateMixedWith<D>;
    [] Aggregate, Constant => Aggregate;
    [D] Aggregate, Plain<D> => AggregateMixedWith<D>;
    [] Aggregate, Grouped => Aggregate;
    [] Aggregate, Aggregate => Aggregate;
    [D] Aggregate, NotInGroupBy<D> => NotInGroupBy<D>;
    [D] Aggregate, AggregateMixedWith<D> => AggregateMixedWith<D>;
    [C] NotInGroupBy<C>, Constant => NotInGroupBy<C>;
    [C, D] NotInGroupBy<C>, Plain<D> => NotInGroupBy<C>;
    [C] NotInGroupBy<C>, Grouped => NotInGroupBy<C>;
    [C] NotInGroupBy<C>, Aggregate => NotInGroupBy<C>;
    [C, D] NotInGroupBy<C>, NotInGroupBy<D> => NotInGroupBy<C>;
    [C, D] NotInGroupBy<C>, AggregateMixedWith<D> => AggregateMixedWith<D>;
    [C] AggregateMixedWith<C>, Constant => AggregateMixedWith<C>;
    [C, D] AggregateMixedWith<C>, Plain<D> => AggregateMixedWith<C>;
    [C] AggregateMixedWith<C>, Grouped => AggregateMixedWith<C>;
    [C] AggregateMixedWith<C>, Aggregate => AggregateMixedWith<C>;
    [C, D] AggregateMixedWith<C>, NotInGroupBy<D> => AggregateMixedWith<C>;
    [C, D] AggregateMixedWith<C>, AggregateMixedWith<D> => AggregateMixedWith<C>;
}

// An aggregate over an aggregate makes the whole one, whatever it is combined with.
impl<K, X> Combine<X> for NestedAggregate<K> {
    type Output = NestedAggregate<K>;
}
macro_rules! combine_with_nested {
    ($([$($g:ident),*] $a:ty;)*) => {$(
        impl<$($g,)* K> Combine<NestedAggregate<K>> for $a {
            type Output = NestedAggregate<K>;
        }
    )*};
}
combine_with_nested! {
    [] Constant;
    [C] Plain<C>;
    [] Grouped;
    [] Aggregate;
    [C] NotInGroupBy<C>;
    [C] AggregateMixedWith<C>;
}

/// The kind of an aggregate whose argument is of kind `Self`: an aggregate, unless the argument holds an
/// aggregate already.
#[doc(hidden)]
pub trait AggregateOf {
    /// [`Aggregate`] or [`NestedAggregate`].
    type Kind;
}
macro_rules! aggregate_of {
    ($([$($g:ident),*] $a:ty => $k:ty;)*) => {$(
        impl<$($g),*> AggregateOf for $a {
            type Kind = $k;
        }
    )*};
}
aggregate_of! {
    [] Constant => Aggregate;
    [C] Plain<C> => Aggregate;
    [] Grouped => Aggregate;
    [C] NotInGroupBy<C> => Aggregate;
    [] Aggregate => NestedAggregate<Aggregate>;
    [C] AggregateMixedWith<C> => NestedAggregate<AggregateMixedWith<C>>;
    // Refused where the aggregate is built (`AggregateArgument`): reported there once.
    [K] Window<K> => Aggregate;
    [K] NestedAggregate<K> => NestedAggregate<K>;
}

/// Kinds that may stand in SELECT, ORDER BY and HAVING as far as nesting goes: no aggregate inside an
/// aggregate (outside a window).
#[diagnostic::on_unimplemented(
    message = "an aggregate inside an aggregate is valid SQL only as a window: `{Self}`",
    label = "aggregate of an aggregate",
    note = "window the outer one (`sum(count_star()).over()`), or aggregate the inner one in a subquery in FROM first (`from_query`)"
)]
pub trait NotNested {}
#[diagnostic::do_not_recommend]
impl NotNested for Constant {}
#[diagnostic::do_not_recommend]
impl<C> NotNested for Plain<C> {}
#[diagnostic::do_not_recommend]
impl NotNested for Grouped {}
#[diagnostic::do_not_recommend]
impl NotNested for Aggregate {}
#[diagnostic::do_not_recommend]
impl<C> NotNested for NotInGroupBy<C> {}
#[diagnostic::do_not_recommend]
impl<C> NotNested for AggregateMixedWith<C> {}
#[diagnostic::do_not_recommend]
impl<K: NotNested> NotNested for Window<K> {}

// A window function inside an expression makes the whole a window expression, of the combined kind.
impl<K: Combine<X>, X> Combine<X> for Window<K> {
    type Output = Window<K::Output>;
}
macro_rules! combine_with_window {
    ($([$($g:ident),*] $a:ty;)*) => {$(
        impl<$($g,)* K> Combine<Window<K>> for $a where $a: Combine<K> {
            type Output = Window<<$a as Combine<K>>::Output>;
        }
    )*};
}
combine_with_window! {
    [] Constant;
    [C] Plain<C>;
    [] Grouped;
    [] Aggregate;
    [C] NotInGroupBy<C>;
    [C] AggregateMixedWith<C>;
}

/// Kinds that may be selected (or ordered by): not an aggregate mixed with a plain column.
#[diagnostic::on_unimplemented(
    message = "an aggregate is mixed with a column that is not aggregated, in a query without GROUP BY: `{Self}`",
    label = "aggregates and plain columns in one select list",
    note = "add `.group_by(..)` with the plain columns, or aggregate them too"
)]
pub trait NotMixed {}
#[diagnostic::do_not_recommend]
impl NotMixed for Constant {}
#[diagnostic::do_not_recommend]
impl<C> NotMixed for Plain<C> {}
#[diagnostic::do_not_recommend]
impl NotMixed for Grouped {}
#[diagnostic::do_not_recommend]
impl NotMixed for Aggregate {}
#[diagnostic::do_not_recommend]
impl<C> NotMixed for NotInGroupBy<C> {}
#[diagnostic::do_not_recommend]
impl<K: NotMixed> NotMixed for Window<K> {}
#[diagnostic::do_not_recommend]
impl<K> NotMixed for NestedAggregate<K> {}

/// Kinds that may be selected in a query with GROUP BY: no column left out of it.
#[diagnostic::on_unimplemented(
    message = "a column that is not in GROUP BY is used outside an aggregate: `{Self}`",
    label = "not grouped",
    note = "group by it (or by its table's primary key), or use it inside an aggregate such as `max(..)`"
)]
pub trait NoUngroupedColumn {}
#[diagnostic::do_not_recommend]
impl NoUngroupedColumn for Constant {}
#[diagnostic::do_not_recommend]
impl<C> NoUngroupedColumn for Plain<C> {}
#[diagnostic::do_not_recommend]
impl NoUngroupedColumn for Grouped {}
#[diagnostic::do_not_recommend]
impl NoUngroupedColumn for Aggregate {}
#[diagnostic::do_not_recommend]
impl<C> NoUngroupedColumn for AggregateMixedWith<C> {}
#[diagnostic::do_not_recommend]
impl<K: NoUngroupedColumn> NoUngroupedColumn for Window<K> {}
#[diagnostic::do_not_recommend]
impl<K> NoUngroupedColumn for NestedAggregate<K> {}

/// Kinds without a window function, as HAVING needs: windows are computed after HAVING.
#[diagnostic::on_unimplemented(
    message = "a window function cannot stand in HAVING: `{Self}`",
    label = "window functions are computed after WHERE, GROUP BY and HAVING",
    note = "filter on a window's result through a subquery in FROM (`from_query`)"
)]
pub trait NoWindow {}
#[diagnostic::do_not_recommend]
impl NoWindow for Constant {}
#[diagnostic::do_not_recommend]
impl<C> NoWindow for Plain<C> {}
#[diagnostic::do_not_recommend]
impl NoWindow for Grouped {}
#[diagnostic::do_not_recommend]
impl NoWindow for Aggregate {}
#[diagnostic::do_not_recommend]
impl<C> NoWindow for NotInGroupBy<C> {}
#[diagnostic::do_not_recommend]
impl<C> NoWindow for AggregateMixedWith<C> {}
#[diagnostic::do_not_recommend]
impl<K> NoWindow for NestedAggregate<K> {}

/// Kinds that may stand in WHERE: no aggregate.
#[diagnostic::on_unimplemented(
    message = "an aggregate cannot stand in WHERE: `{Self}`",
    label = "aggregates are computed after WHERE filters the rows",
    note = "filter on aggregates with `.group_by(..).having(..)`"
)]
#[doc(hidden)]
pub trait NotAggregate {}
#[diagnostic::do_not_recommend]
impl NotAggregate for Constant {}
#[diagnostic::do_not_recommend]
impl<C> NotAggregate for Plain<C> {}
#[diagnostic::do_not_recommend]
impl NotAggregate for Grouped {}
#[diagnostic::do_not_recommend]
impl<C> NotAggregate for NotInGroupBy<C> {}

/// The kind of column `C` in a query grouped by `G`.
pub trait ColumnGrouping<C> {
    /// Its kind.
    type Kind;
}

impl<C> ColumnGrouping<C> for NoGroupBy {
    type Kind = Plain<C>;
}

/// A GROUP BY clause of expression `E`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupBy<E>(pub(crate) E);

/// A column with an id (a hash of `table.column`), to find it in a GROUP BY clause.
#[doc(hidden)]
pub trait HasColumnId {
    /// The id, a type-level list of bits.
    type Id;
}

/// Is column `C` one of the columns of this GROUP BY expression? [`Same`] or [`Different`].
pub trait ContainsColumn<C> {
    /// The answer.
    type Output;
}

/// `Same` if either is `Same`.
pub trait Or<B> {
    /// The answer.
    type Output;
}
impl<B> Or<B> for Same {
    type Output = Same;
}
impl<B> Or<B> for Different {
    type Output = B;
}

/// `Same` if both are `Same`.
pub trait And<B> {
    /// The answer.
    type Output;
}
impl<B> And<B> for Same {
    type Output = B;
}
impl<B> And<B> for Different {
    type Output = Different;
}

/// Turns "is grouped" into the column's kind.
pub trait GroupedKind<C> {
    /// [`Grouped`] or [`NotInGroupBy`].
    type Kind;
}
impl<C> GroupedKind<C> for Same {
    type Kind = Grouped;
}
impl<C> GroupedKind<C> for Different {
    type Kind = NotInGroupBy<C>;
}

/// Are all these key columns in the GROUP BY expression `E`? For a primary key, single or composite.
pub trait AllIn<E> {
    /// [`Same`] when all are.
    type Output;
}

impl<C, E> ColumnGrouping<C> for GroupBy<E>
where
    C: crate::schema::Column,
    E: ContainsColumn<C>,
    <C::Table as crate::schema::Table>::PrimaryKey: AllIn<E>,
    <E as ContainsColumn<C>>::Output: Or<<<C::Table as crate::schema::Table>::PrimaryKey as AllIn<E>>::Output>,
    <<E as ContainsColumn<C>>::Output as Or<<<C::Table as crate::schema::Table>::PrimaryKey as AllIn<E>>::Output>>::Output:
        GroupedKind<C>,
{
    type Kind = <<<E as ContainsColumn<C>>::Output as Or<
        <<C::Table as crate::schema::Table>::PrimaryKey as AllIn<E>>::Output,
    >>::Output as GroupedKind<C>>::Kind;
}

/// A single column of the GROUP BY clause contains `C` when their ids are equal.
impl<C: HasColumnId, G: HasColumnId> ContainsColumn<C> for G
where
    G::Id: CompareId<C::Id>,
{
    type Output = <G::Id as CompareId<C::Id>>::Output;
}

/// A single key column is in `E` when `E` contains it.
impl<K: HasColumnId, E: ContainsColumn<K>> AllIn<E> for K {
    type Output = E::Output;
}

macro_rules! tuple_grouping {
    ($H:ident $hi:tt) => {
        impl<G, $H: ValidGrouping<G>> ValidGrouping<G> for ($H,) {
            type Kind = $H::Kind;
        }
        impl<C, $H: ContainsColumn<C>> ContainsColumn<C> for ($H,) {
            type Output = $H::Output;
        }
        impl<E, $H: AllIn<E>> AllIn<E> for ($H,) {
            type Output = $H::Output;
        }
    };
    ($H:ident $hi:tt, $($T:ident $idx:tt),+) => {
        impl<G, $H: ValidGrouping<G>, $($T: ValidGrouping<G>),+> ValidGrouping<G> for ($H, $($T,)+)
        where
            ($($T,)+): ValidGrouping<G>,
            $H::Kind: Combine<<($($T,)+) as ValidGrouping<G>>::Kind>,
        {
            type Kind = <$H::Kind as Combine<<($($T,)+) as ValidGrouping<G>>::Kind>>::Output;
        }
        impl<C, $H: ContainsColumn<C>, $($T),+> ContainsColumn<C> for ($H, $($T,)+)
        where
            ($($T,)+): ContainsColumn<C>,
            $H::Output: Or<<($($T,)+) as ContainsColumn<C>>::Output>,
        {
            type Output = <$H::Output as Or<<($($T,)+) as ContainsColumn<C>>::Output>>::Output;
        }
        impl<E, $H: AllIn<E>, $($T),+> AllIn<E> for ($H, $($T,)+)
        where
            ($($T,)+): AllIn<E>,
            $H::Output: And<<($($T,)+) as AllIn<E>>::Output>,
        {
            type Output = <$H::Output as And<<($($T,)+) as AllIn<E>>::Output>>::Output;
        }
    };
}
crate::tuples::for_each_tuple!(tuple_grouping);

/// A column's kind is decided by the GROUP BY clause.
impl<G, C: crate::schema::Column> ValidGrouping<G> for C
where
    G: ColumnGrouping<C>,
{
    type Kind = G::Kind;
}

/// [`ValidGrouping`] for operands: a bound value is a constant.
#[doc(hidden)]
pub trait OperandGrouping<G> {
    /// Its kind.
    type Kind;
}
impl<G, E: ValidGrouping<G>> OperandGrouping<G> for E {
    type Kind = E::Kind;
}

/// Is there a GROUP BY clause, as HAVING needs?
#[diagnostic::on_unimplemented(
    message = "HAVING needs a GROUP BY clause",
    label = "this query has no GROUP BY: call `.group_by(..)` first, or use `.filter(..)`"
)]
pub trait HasGroupBy {}
#[diagnostic::do_not_recommend]
impl<E> HasGroupBy for GroupBy<E> {}

/// An expression with no aggregate in it, as WHERE needs: aggregates are computed after WHERE has
/// filtered the rows.
#[diagnostic::on_unimplemented(
    message = "`{Self}` contains an aggregate or a window function, which cannot stand here",
    label = "aggregates and windows are computed over a SELECT's rows: not in WHERE, GROUP BY, VALUES or RETURNING",
    note = "filter groups with `.group_by(..).having(..)`, a window's result through a subquery in FROM"
)]
pub trait NonAggregate: super::Expression {}

/// [`NonAggregate`] for operands: a bound value is never an aggregate.
pub trait OperandNonAggregate {}
impl<E: NonAggregate> OperandNonAggregate for E {}

#[diagnostic::do_not_recommend]
impl<C: crate::schema::Column> NonAggregate for C {}

macro_rules! tuple_non_aggregate {
    ($($T:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($T: NonAggregate),+> NonAggregate for ($($T,)+) {}
    };
}
crate::tuples::for_each_tuple!(tuple_non_aggregate);
