//! Correlated subqueries, and the WHERE check that makes them possible.
//!
//! `filter` does not check its condition's columns against the statement's own FROM clause: a subquery
//! may name the outer query's tables (`exists(posts::table.filter(posts::user_id.eq(users::id)))`). The
//! columns are checked once the statement's place is known: against its own FROM clause when it runs
//! ([`RunnableQuery`], required by `load`, `execute`, ...), and against its own FROM clause plus the outer
//! query's when it is used as a subquery ([`CorrelatedIn`]). Either way the message is the usual
//! "column `x` is not in the FROM clause".

use super::clauses::{NoWhere, Where};
use super::select_statement::SelectStatement;
use crate::expression::AppearsOn;
use crate::schema::count::{MoreThanOnce, Never, Once, OnceNullable};
use crate::schema::{Hidden, Occurrences, Present, SingleSource, TableInFrom};

/// The FROM scope of a correlated subquery: its own FROM clause `Inner`, and the outer query's `Outer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Correlated<Inner, Outer>(Inner, Outer);

/// A source of the subquery's own FROM clause hides the outer query's source its references would resolve
/// to ([`Hidden`]), as SQL resolves names from the innermost scope out: `posts.filter(posts::id
/// .eq_any(posts.filter(..).select(posts::id)))` reads the inner `posts` inside the subquery, and inside a
/// subquery on `auth.users` the outer query's `users` cannot be named at all (`"users"."id"` would be the
/// inner table's); the outer `auth.users` can be named inside a subquery on `users`
/// (`"auth"."users"."id"` names it alone). To name a hidden table, alias one of the two.
impl<T, I, O> Occurrences<T> for Correlated<I, O>
where
    I: Occurrences<T> + Occurrences<Hidden<T>>,
    O: Occurrences<T>,
    <I as Occurrences<Hidden<T>>>::Count: Shadows<<I as Occurrences<T>>::Count, O::Count>,
{
    type Count = <<I as Occurrences<Hidden<T>>>::Count as Shadows<<I as Occurrences<T>>::Count, O::Count>>::Output;
}

/// The count of a table in a subquery's scope, by how often the subquery's own FROM clause hides it
/// (`Self`): its count in the outer query's when never, else its count in the subquery's own
/// (none, when the name there is another table's).
pub trait Shadows<Inner, Outer> {
    /// The count seen from inside the subquery.
    type Output;
}
impl<Inner, Outer> Shadows<Inner, Outer> for Never {
    type Output = Outer;
}
impl<Inner, Outer> Shadows<Inner, Outer> for Once {
    type Output = Inner;
}
impl<Inner, Outer> Shadows<Inner, Outer> for OnceNullable {
    type Output = Inner;
}
impl<Inner, Outer> Shadows<Inner, Outer> for MoreThanOnce {
    type Output = Inner;
}

#[diagnostic::do_not_recommend]
impl<T: SingleSource, I, O> TableInFrom<Correlated<I, O>> for T where Correlated<I, O>: Occurrences<T, Count: Present> {}

/// Every column of the WHERE clause stands in the FROM scope `QS`.
#[doc(hidden)]
pub trait WhereAppearsOn<QS> {}
#[diagnostic::do_not_recommend]
impl<QS> WhereAppearsOn<QS> for NoWhere {}
#[diagnostic::do_not_recommend]
impl<QS, P: AppearsOn<QS>> WhereAppearsOn<QS> for Where<P> {}

/// A statement that can run on its own: its WHERE clause names only the tables of its FROM clause.
#[diagnostic::on_unimplemented(
    message = "the WHERE clause names a column whose table is not in the FROM clause, in `{Self}`",
    label = "checked when the query runs",
    note = "filter on the query's own tables (join the other table first); a subquery may also name its outer query's, unless a table of the same name in its own FROM clause hides it (alias one of them)"
)]
pub trait RunnableQuery {}

#[diagnostic::do_not_recommend]
impl<F, S, O, L, Of, D, G, H, Lk> RunnableQuery for SelectStatement<F, S, NoWhere, O, L, Of, D, G, H, Lk> {}
#[diagnostic::do_not_recommend]
impl<F, S, P: AppearsOn<F>, O, L, Of, D, G, H, Lk> RunnableQuery
    for SelectStatement<F, S, Where<P>, O, L, Of, D, G, H, Lk>
{
}

/// A query that may be a subquery of a query on `QS`: its WHERE clause names only its own tables and
/// those of `QS`.
#[diagnostic::on_unimplemented(
    message = "a subquery's WHERE clause names a column of a table in neither its FROM clause nor the outer query's (`{QS}`): `{Self}`",
    label = "used as a subquery here",
    note = "inside a subquery, a table of its own FROM clause hides the outer query's table of the same name: alias one of them"
)]
#[doc(hidden)]
pub trait CorrelatedIn<QS> {}

impl<QS, F, S, O, L, Of, D, G, H, Lk> CorrelatedIn<QS> for SelectStatement<F, S, NoWhere, O, L, Of, D, G, H, Lk> {}
impl<QS, F, S, P, O, L, Of, D, G, H, Lk> CorrelatedIn<QS> for SelectStatement<F, S, Where<P>, O, L, Of, D, G, H, Lk> where
    P: AppearsOn<Correlated<F, QS>>
{
}

#[diagnostic::do_not_recommend]
impl<ST, QS, DB, G, Lk> RunnableQuery for super::BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {}
impl<QS, ST, QSrc, DB, G, Lk> CorrelatedIn<QS> for super::BoxedSelectStatement<'_, ST, QSrc, DB, G, Lk> {}

#[diagnostic::do_not_recommend]
impl<Op, L: RunnableQuery, R: RunnableQuery> RunnableQuery for super::Combination<Op, L, R> {}
impl<QS, Op, L: CorrelatedIn<QS>, R: CorrelatedIn<QS>> CorrelatedIn<QS> for super::Combination<Op, L, R> {}

#[diagnostic::do_not_recommend]
impl<T, V, R, C, S> RunnableQuery for super::InsertStatement<T, V, R, C, S> {}
#[diagnostic::do_not_recommend]
impl<T, W: WhereAppearsOn<T>, C, R> RunnableQuery for super::UpdateStatement<T, W, C, R> {}
#[diagnostic::do_not_recommend]
impl<T, W: WhereAppearsOn<T>, R> RunnableQuery for super::DeleteStatement<T, W, R> {}
