//! `CASE WHEN ... THEN ... [ELSE ...] END`, with every branch checked against the first branch's SQL type.

use std::marker::PhantomData;

use super::grouping::{NonAggregate, ValidGrouping};
use super::{AppearsOn, AsExpression, Expression, Operand, SelectNullability};
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::{BoolLike, IntoNullable};

/// `WHEN condition THEN value`.
#[derive(Debug, Clone, Copy)]
pub struct When<C, V>(C, V);

/// Two or more WHEN branches, in order.
#[derive(Debug, Clone, Copy)]
pub struct Whens<A, B>(A, B);

/// No ELSE branch: the CASE is NULL when no branch matched.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoElse;

/// `ELSE value`.
#[derive(Debug, Clone, Copy)]
pub struct Else<V>(V);

/// `CASE <whens> [ELSE ...] END`, whose branches are of SQL type `ST`.
#[derive(Debug, Clone, Copy)]
pub struct CaseWhen<ST, W, E> {
    whens: W,
    otherwise: E,
    sql_type: PhantomData<fn() -> ST>,
}

/// `CASE WHEN condition THEN value`: the first branch, whose value (an expression, or a Rust value made one
/// with `.into_sql::<SqlType>()`) sets the SQL type of every other branch.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
/// use quarry::dsl::case_when;
/// use quarry::sql_types::Text;
/// let size = case_when(users::id.lt(10), "small".into_sql::<Text>()).when(users::id.lt(100), "medium").otherwise("large");
/// let q = users::table.select((users::name, size));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
///     r#"SELECT "users"."name", CASE WHEN "users"."id" < ? THEN ? WHEN "users"."id" < ? THEN ? ELSE ? END FROM "users" -- binds: [10, "small", 100, "medium", "large"]"#
/// );
/// ```
pub fn case_when<C, V>(condition: C, value: V) -> CaseWhen<V::SqlType, When<C, V>, NoElse>
where
    C: Expression<SqlType: BoolLike>,
    V: Expression,
{
    CaseWhen { whens: When(condition, value), otherwise: NoElse, sql_type: PhantomData }
}

impl<ST, W> CaseWhen<ST, W, NoElse> {
    /// Another `WHEN condition THEN value` branch; `value` must be of the first branch's SQL type.
    pub fn when<C, V>(self, condition: C, value: V) -> CaseWhen<ST, Whens<W, When<C, Operand<ST, V>>>, NoElse>
    where
        C: Expression<SqlType: BoolLike>,
        V: AsExpression<ST>,
    {
        CaseWhen {
            whens: Whens(self.whens, When(condition, Operand::new(value))),
            otherwise: NoElse,
            sql_type: PhantomData,
        }
    }

    /// `ELSE value`: the CASE's value when no branch matched (then it is no longer nullable).
    pub fn otherwise<V>(self, value: V) -> CaseWhen<ST, W, Else<Operand<ST, V>>>
    where
        V: AsExpression<ST>,
    {
        CaseWhen { whens: self.whens, otherwise: Else(Operand::new(value)), sql_type: PhantomData }
    }
}

impl<ST: IntoNullable, W> Expression for CaseWhen<ST, W, NoElse> {
    type SqlType = ST::Nullable;
}
impl<ST, W, V> Expression for CaseWhen<ST, W, Else<V>> {
    type SqlType = ST;
}

impl<C: QueryFragment, V: QueryFragment> QueryFragment for When<C, V> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" WHEN ");
        self.0.walk(out)?;
        out.push_sql(" THEN ");
        self.1.walk(out)
    }
}
impl<A: QueryFragment, B: QueryFragment> QueryFragment for Whens<A, B> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.0.walk(out)?;
        self.1.walk(out)
    }
}
impl QueryFragment for NoElse {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}
impl<V: QueryFragment> QueryFragment for Else<V> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql(" ELSE ");
        self.0.walk(out)
    }
}
impl<ST, W: QueryFragment, E: QueryFragment> QueryFragment for CaseWhen<ST, W, E> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("CASE");
        self.whens.walk(out)?;
        self.otherwise.walk(out)?;
        out.push_sql(" END");
        Ok(())
    }
}

/// The parts of a CASE, as a list of expressions that the structural rules (tables in FROM, nullability,
/// aggregates, grouping) walk like a tuple.
#[doc(hidden)]
pub trait CaseParts {
    /// The parts as a (nested) tuple of expressions.
    type Parts;
}
impl<C, V> CaseParts for When<C, V> {
    type Parts = (C, V);
}
impl<A: CaseParts, B: CaseParts> CaseParts for Whens<A, B> {
    type Parts = (A::Parts, B::Parts);
}

/// The parts of the branches, followed by the ELSE value if there is one.
#[doc(hidden)]
pub trait WithElse<W> {
    /// All the parts.
    type Parts;
}
impl<W> WithElse<W> for NoElse {
    type Parts = W;
}
impl<W, V> WithElse<W> for Else<V> {
    type Parts = (W, V);
}

impl<ST: 'static, W: CaseParts, E: WithElse<W::Parts>> QueryId for CaseWhen<ST, W, E>
where
    E::Parts: QueryId,
{
    type QueryId = CaseWhen<ST, <E::Parts as QueryId>::QueryId, ()>;
    const HAS_STATIC_QUERY_ID: bool = <E::Parts as QueryId>::HAS_STATIC_QUERY_ID;
}

#[diagnostic::do_not_recommend]
impl<QS, ST, W: CaseParts, E: WithElse<W::Parts>> AppearsOn<QS> for CaseWhen<ST, W, E>
where
    Self: Expression + QueryFragment + QueryId,
    E::Parts: AppearsOn<QS>,
{
}
impl<QS, ST, W: CaseParts, E: WithElse<W::Parts>> SelectNullability<QS> for CaseWhen<ST, W, E>
where
    Self: Expression,
    E::Parts: SelectNullability<QS>,
{
}
#[diagnostic::do_not_recommend]
impl<ST, W: CaseParts, E: WithElse<W::Parts>> NonAggregate for CaseWhen<ST, W, E>
where
    Self: Expression,
    E::Parts: NonAggregate,
{
}
impl<G, ST, W: CaseParts, E: WithElse<W::Parts>> ValidGrouping<G> for CaseWhen<ST, W, E>
where
    Self: Expression,
    E::Parts: ValidGrouping<G>,
{
    type Kind = <E::Parts as ValidGrouping<G>>::Kind;
}

/// `.into_sql::<ST>()`: a Rust value as an expression of SQL type `ST`, where no column gives the type
/// (the first branch of `case_when`, a constant in `select`).
pub trait IntoSql: Sized {
    /// This value, bound as a SQL `ST`.
    fn into_sql<ST>(self) -> Operand<ST, Self>
    where
        Self: AsExpression<ST>,
    {
        Operand::new(self)
    }
}
impl<T> IntoSql for T {}

// Where each node's SQL runs (`RunsOn`): wherever its parts do.
impl<DB, C: crate::backend::RunsOn<DB>, V: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for When<C, V> {}
impl<DB, A: crate::backend::RunsOn<DB>, B: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Whens<A, B> {}
impl<DB> crate::backend::RunsOn<DB> for NoElse {}
impl<DB, V: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB> for Else<V> {}
impl<DB, ST, W: crate::backend::RunsOn<DB>, E: crate::backend::RunsOn<DB>> crate::backend::RunsOn<DB>
    for CaseWhen<ST, W, E>
{
}
