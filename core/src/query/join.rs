//! Joins: `inner_join`, `left_join`, the relations `joinable!` declares, and `.on(..)` for explicit
//! conditions.
//!
//! Every check is made once, in the join method: the right side has a relation to the left (or an
//! explicit ON that is a boolean over the joined tables), and none of its tables is already in the FROM
//! clause (a self-join needs an `alias!`). Table membership is counted with the type-level ids of
//! `schema::identity`, so nothing here needs an impl per pair of tables.

use std::marker::PhantomData;

use super::select_statement::{DefaultSelect, SelectStatement};
use crate::expression::{AppearsOn, NullableExpression as Nullable};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::schema::{Absent, Exposed, Occurrences, OnNullableSide, Plus, QuerySource, SingleSource, Table};
use crate::sql_types::{BoolLike, IsNullable, NotNull};

/// INNER JOIN.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inner;

/// LEFT OUTER JOIN: the right side's columns are NULL where no row matched.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeftOuter;

/// A kind of join.
#[doc(hidden)]
pub trait JoinKind: Copy + Default + 'static {
    /// The SQL keyword, with spaces around it.
    const SQL: &'static str;
    /// Whether the right side's columns become nullable: [`NotNull`] or [`IsNullable`].
    type RightSide;
}
impl JoinKind for Inner {
    const SQL: &'static str = " INNER JOIN ";
    type RightSide = NotNull;
}
impl JoinKind for LeftOuter {
    const SQL: &'static str = " LEFT OUTER JOIN ";
    type RightSide = IsNullable;
}

/// `L <kind> JOIN R ON on`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Join<L, R, K, On> {
    pub(crate) left: L,
    pub(crate) right: R,
    pub(crate) on: On,
    pub(crate) kind: PhantomData<K>,
}

/// A source that can be joined: a table, an alias, or a join.
#[doc(hidden)]
pub trait JoinSource: QuerySource + Clone {
    /// The left-most table: the one `joinable!` relations are looked up from.
    type Leftmost;
    /// The tables, as a type-level list `(T1, (T2, ()))`.
    type Tables;
    /// The default selection as a tuple of groups, one per table, ready to be appended to.
    type Groups;
    /// True for a join (rendered in parentheses when it is the right side of another join).
    const IS_JOIN: bool;
    /// The default selection's groups.
    fn groups(&self) -> Self::Groups;
}

impl<S: SingleSource + QuerySource + Clone> JoinSource for S {
    type Leftmost = S;
    type Tables = (S, ());
    type Groups = (S::DefaultSelection,);
    const IS_JOIN: bool = false;
    fn groups(&self) -> Self::Groups {
        (self.default_selection(),)
    }
}

/// Appends one element to a tuple: `(A, B) + C = (A, B, C)`.
#[doc(hidden)]
pub trait Append<X> {
    /// The longer tuple.
    type Output;
    /// Appends `x`.
    fn append(self, x: X) -> Self::Output;
}
macro_rules! tuple_append {
    ($($T:ident $idx:tt),+) => {
        impl<$($T,)+ X> Append<X> for ($($T,)+) {
            type Output = ($($T,)+ X);
            fn append(self, x: X) -> Self::Output {
                ($(self.$idx,)+ x)
            }
        }
    };
}
crate::tuples::for_each_tuple!(tuple_append);

/// Concatenates two type-level lists of tables.
pub trait Concat<B> {
    /// `Self` followed by `B`.
    type Output;
}
impl<B> Concat<B> for () {
    type Output = B;
}
impl<H, T: Concat<B>, B> Concat<B> for (H, T) {
    type Output = (H, T::Output);
}

/// The right side's default selection as the join shows it: as is for an inner join, wrapped in
/// `Nullable` for a left join.
pub trait WrapRight<E> {
    /// The wrapped selection.
    type Output;
    /// Wraps `e`.
    fn wrap(e: E) -> Self::Output;
}
impl<E> WrapRight<E> for Inner {
    type Output = E;
    fn wrap(e: E) -> E {
        e
    }
}
impl<E> WrapRight<E> for LeftOuter {
    type Output = Nullable<E>;
    fn wrap(e: E) -> Nullable<E> {
        Nullable(e)
    }
}

impl<L, R, K, On> QuerySource for Join<L, R, K, On>
where
    L: JoinSource,
    R: JoinSource,
    K: JoinKind + WrapRight<R::DefaultSelection>,
    L::Groups: Append<<K as WrapRight<R::DefaultSelection>>::Output>,
    <L::Groups as Append<<K as WrapRight<R::DefaultSelection>>::Output>>::Output:
        crate::expression::Expression + QueryFragment + QueryId,
    On: QueryFragment,
{
    type DefaultSelection = <L::Groups as Append<<K as WrapRight<R::DefaultSelection>>::Output>>::Output;

    fn walk_ctes(&self, out: &mut AstPass<'_>, ctes: &mut crate::schema::CteList) -> QueryResult<()> {
        self.left.walk_ctes(out, ctes)?;
        self.right.walk_ctes(out, ctes)
    }

    fn has_recursive_cte(&self) -> bool {
        self.left.has_recursive_cte() || self.right.has_recursive_cte()
    }

    fn has_ctes(&self) -> bool {
        self.left.has_ctes() || self.right.has_ctes()
    }

    fn walk_from(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.left.walk_from(out)?;
        out.push_sql(K::SQL);
        if R::IS_JOIN {
            out.push_sql("(");
            self.right.walk_from(out)?;
            out.push_sql(")");
        } else {
            self.right.walk_from(out)?;
        }
        out.push_sql(" ON ");
        self.on.walk(out)
    }

    fn default_selection(&self) -> Self::DefaultSelection {
        self.left.groups().append(K::wrap(self.right.default_selection()))
    }
}

impl<L, R, K, On> JoinSource for Join<L, R, K, On>
where
    Self: QuerySource + Clone,
    L: JoinSource,
    R: JoinSource,
    L::Tables: Concat<R::Tables>,
{
    type Leftmost = L::Leftmost;
    type Tables = <L::Tables as Concat<R::Tables>>::Output;
    type Groups = Self::DefaultSelection;
    const IS_JOIN: bool = true;
    fn groups(&self) -> Self::Groups {
        self.default_selection()
    }
}

impl<L: QueryId, R: QueryId, K: JoinKind, On: QueryId> QueryId for Join<L, R, K, On> {
    type QueryId = Join<L::QueryId, R::QueryId, K, On::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = L::HAS_STATIC_QUERY_ID && R::HAS_STATIC_QUERY_ID && On::HAS_STATIC_QUERY_ID;
}

impl<T, L, R, On> Occurrences<T> for Join<L, R, Inner, On>
where
    L: Occurrences<T>,
    R: Occurrences<T>,
    L::Count: Plus<R::Count>,
{
    type Count = <L::Count as Plus<R::Count>>::Output;
}

impl<T, L, R, On> Occurrences<T> for Join<L, R, LeftOuter, On>
where
    L: Occurrences<T>,
    R: Occurrences<T, Count: OnNullableSide>,
    L::Count: Plus<<R::Count as OnNullableSide>::Output>,
{
    type Count = <L::Count as Plus<<R::Count as OnNullableSide>::Output>>::Output;
}

#[diagnostic::do_not_recommend]
impl<T: SingleSource, L, R, K, On> crate::schema::TableInFrom<Join<L, R, K, On>> for T where
    Join<L, R, K, On>: Occurrences<T, Count: crate::schema::Present>
{
}

/// A relation between two tables, declared with [`joinable!`](crate::joinable): the ON clause of a join
/// between them.
#[diagnostic::on_unimplemented(
    message = "no relation between `{Self}` and `{T}` to join them on",
    label = "no `joinable!` relation to the query's first table",
    note = "declare one with `joinable!(child -> parent (foreign_key))`, or join with `.on(condition)`"
)]
pub trait JoinTo<T> {
    /// The condition, such as `posts.user_id = users.id`.
    type OnClause: QueryFragment + QueryId;
    /// The condition's value.
    fn on_clause() -> Self::OnClause;
}

/// The ON clause `joinable!` declared between tables `A` and `B`, checked when the join was built.
pub struct ImplicitOn<A, B> {
    walk: fn(&mut AstPass<'_>) -> QueryResult<()>,
    tables: PhantomData<fn() -> (A, B)>,
}

impl<A, B> Clone for ImplicitOn<A, B> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A, B> Copy for ImplicitOn<A, B> {}
impl<A, B> std::fmt::Debug for ImplicitOn<A, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImplicitOn")
    }
}

fn walk_relation<A: JoinTo<B>, B>(out: &mut AstPass<'_>) -> QueryResult<()> {
    A::on_clause().walk(out)
}

impl<A: JoinTo<B>, B> ImplicitOn<A, B> {
    fn new() -> Self {
        ImplicitOn { walk: walk_relation::<A, B>, tables: PhantomData }
    }
}

impl<A, B> QueryFragment for ImplicitOn<A, B> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        (self.walk)(out)
    }
}

impl<A: QueryId, B: QueryId> QueryId for ImplicitOn<A, B> {
    type QueryId = ImplicitOn<A::QueryId, B::QueryId>;
}

/// A source to join with an explicit ON condition: `posts::table.on(posts::user_id.eq(users::id))`.
#[derive(Debug, Clone, Copy)]
pub struct OnClause<R, On> {
    source: R,
    on: On,
}

/// `.on(condition)` on every joinable source.
pub trait JoinOnDsl: JoinSource {
    /// Join this source with `condition` as the ON clause, instead of a `joinable!` relation.
    fn on<On>(self, condition: On) -> OnClause<Self, On> {
        OnClause { source: self, on: condition }
    }
}
impl<S: JoinSource> JoinOnDsl for S {}

/// Is table `Self` absent from the FROM clause `QS`, so it may be joined to it? Absent itself, and no
/// source there whose name its references would clash with ([`Exposed`]): `auth.users` cannot join
/// `users` (`"users"."id"` would be ambiguous), while `auth.users` may join `billing.users`.
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is already in the FROM clause of a query on `{QS}`, or a table of the same name is",
    label = "joined a second time",
    note = "to join a table to itself, or to a table of the same name in another schema, give the second one a name with `alias!`"
)]
#[doc(hidden)]
pub trait NotYetIn<QS> {}

#[diagnostic::do_not_recommend]
impl<T, QS> NotYetIn<QS> for T where QS: Occurrences<T, Count: Absent> + Occurrences<Exposed<T>, Count: Absent> {}

/// Every table of a type-level list is absent from `QS`.
pub trait AllNotYetIn<QS> {}
impl<QS> AllNotYetIn<QS> for () {}
impl<QS, T: NotYetIn<QS>, Rest: AllNotYetIn<QS>> AllNotYetIn<QS> for (T, Rest) {}

/// What `inner_join`/`left_join` accept on the right: a table, alias or join query (joined on the
/// `joinable!` relation to the query's first table), or `source.on(condition)`.
///
/// This trait only names the joined source and the ON clause; it holds for every such value, so the
/// join's type can be named even when the join is wrong, and [`JoinCheck`] reports the mistake once.
#[doc(hidden)]
pub trait JoinTarget {
    /// The source joined.
    type Source;
    /// The ON clause when joined to `Left`.
    type On<Left: JoinSource>;
}

impl<R: JoinSource> JoinTarget for R {
    type Source = R;
    type On<Left: JoinSource> = ImplicitOn<Left::Leftmost, R::Leftmost>;
}

impl<F: JoinSource> JoinTarget for SelectStatement<F, DefaultSelect> {
    type Source = F;
    type On<Left: JoinSource> = ImplicitOn<Left::Leftmost, F::Leftmost>;
}

impl<R, On> JoinTarget for OnClause<R, On> {
    type Source = R;
    type On<Left: JoinSource> = On;
}

/// The checks of a join to `Left`: a relation (or a boolean ON over the joined tables), and no table
/// joined twice.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be joined to a query on `{Left}`",
    label = "needs a `joinable!` relation to the query's first table, or `.on(condition)`",
    note = "an ON condition must be a boolean over the joined tables, with no aggregate or window function; a table already in the query, or one of the same name in another schema, needs an `alias!`"
)]
pub trait JoinCheck<Left: JoinSource>: JoinTarget {
    /// The source and its ON clause.
    fn into_parts(self) -> (Self::Source, Self::On<Left>);
}

#[diagnostic::do_not_recommend]
impl<Left, R> JoinCheck<Left> for R
where
    Left: JoinSource,
    R: JoinSource,
    R::Tables: AllNotYetIn<Left>,
    Left::Leftmost: JoinTo<R::Leftmost>,
{
    fn into_parts(self) -> (R, ImplicitOn<Left::Leftmost, R::Leftmost>) {
        (self, ImplicitOn::new())
    }
}

/// A join written as a query (`posts::table.inner_join(comments::table)`), nested on the right of
/// another join: its FROM clause is the source.
#[diagnostic::do_not_recommend]
impl<Left, F> JoinCheck<Left> for SelectStatement<F, DefaultSelect>
where
    Left: JoinSource,
    F: JoinSource,
    F::Tables: AllNotYetIn<Left>,
    Left::Leftmost: JoinTo<F::Leftmost>,
{
    fn into_parts(self) -> (F, ImplicitOn<Left::Leftmost, F::Leftmost>) {
        (self.from, ImplicitOn::new())
    }
}

#[diagnostic::do_not_recommend]
impl<Left, R, On> JoinCheck<Left> for OnClause<R, On>
where
    Left: JoinSource,
    R: JoinSource,
    R::Tables: AllNotYetIn<Left>,
    On: AppearsOn<Join<Left, R, Inner, ()>> + crate::expression::NonAggregate,
    <On as crate::expression::Expression>::SqlType: BoolLike,
{
    fn into_parts(self) -> (R, On) {
        (self.source, self.on)
    }
}

/// Builds the join of `left` and `rhs`.
pub(crate) fn join<Left: JoinSource, Rhs: JoinCheck<Left>, K>(
    left: Left,
    rhs: Rhs,
) -> Join<Left, Rhs::Source, K, Rhs::On<Left>> {
    let (right, on) = rhs.into_parts();
    Join { left, right, on, kind: PhantomData }
}

/// The primary key value of a table, for `joinable!`.
#[doc(hidden)]
pub fn primary_key_of<T: Table>() -> T::PrimaryKey {
    T::default().primary_key()
}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, L: crate::backend::RunsOn<DB>, R: crate::backend::RunsOn<DB>, K, On: crate::backend::RunsOn<DB>>
    crate::backend::RunsOn<DB> for Join<L, R, K, On>
{
}
impl<DB, A, B> crate::backend::RunsOn<DB> for ImplicitOn<A, B> {}
