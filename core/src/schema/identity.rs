//! Table identity: "is this the same table?", answered by the trait system with one impl per table.
//!
//! Each table and alias gets an id that spells its SQL name exactly (a column's id spells its table's
//! name and its own): the name's bytes, each part preceded by its length, as a type-level list of
//! 32-bit words of eight hexadecimal digits. Comparing two ids stops at the first word that differs, and
//! at most walks the name: a join needs no impl per pair of tables, so
//! `allow_tables_to_appear_in_same_query!` generates nothing that grows with the square of the number
//! of tables. Two tables with the same SQL name are the same table, as they are to the database; two
//! with different names never are (no hash that could collide).

use std::marker::PhantomData;

#[doc(hidden)]
/// The answer "the ids are equal".
#[derive(Debug)]
pub struct Same;
#[doc(hidden)]
/// The answer "the ids differ".
#[derive(Debug)]
pub struct Different;

macro_rules! digits {
    ($($n:ident)*) => {$(
        /// A hexadecimal digit of an id.
        #[doc(hidden)]
        #[derive(Debug)]
        pub struct $n;
    )*};
}
digits!(H0 H1 H2 H3 H4 H5 H6 H7 H8 H9 HA HB HC HD HE HF);

#[doc(hidden)]
/// Are two digits equal? [`Same`] or [`Different`].
pub trait DigitEq<Other> {
    /// [`Same`] or [`Different`].
    type Output;
}
macro_rules! digit_eq {
    (@row $a:ident; $($b:ident)*) => {$(
        impl DigitEq<$b> for $a {
            type Output = digit_eq!(@answer $a $b);
        }
    )*};
    (@answer H0 H0) => { Same }; (@answer H1 H1) => { Same }; (@answer H2 H2) => { Same };
    (@answer H3 H3) => { Same }; (@answer H4 H4) => { Same }; (@answer H5 H5) => { Same };
    (@answer H6 H6) => { Same }; (@answer H7 H7) => { Same }; (@answer H8 H8) => { Same };
    (@answer H9 H9) => { Same }; (@answer HA HA) => { Same }; (@answer HB HB) => { Same };
    (@answer HC HC) => { Same }; (@answer HD HD) => { Same }; (@answer HE HE) => { Same };
    (@answer HF HF) => { Same }; (@answer $a:ident $b:ident) => { Different };
    ($($a:ident)*) => {$(
        digit_eq!(@row $a; H0 H1 H2 H3 H4 H5 H6 H7 H8 H9 HA HB HC HD HE HF);
    )*};
}
digit_eq!(H0 H1 H2 H3 H4 H5 H6 H7 H8 H9 HA HB HC HD HE HF);

#[doc(hidden)]
/// Both answers [`Same`]?
pub trait Both<Other> {
    /// [`Same`] or [`Different`].
    type Output;
}
impl Both<Same> for Same {
    type Output = Same;
}
impl Both<Different> for Same {
    type Output = Different;
}
impl<T> Both<T> for Different {
    type Output = Different;
}

#[doc(hidden)]
/// Four bytes of an id, as eight hexadecimal digits.
pub struct W<A, B, C, D, E, F, G, H>(PhantomData<(A, B, C, D, E, F, G, H)>);

#[doc(hidden)]
/// Compares the rest of two ids only when the words so far are equal, so two different names are told
/// apart at their first different word.
pub trait ThenCompare<X, Y> {
    /// [`Same`] or [`Different`].
    type Output;
}
impl<X, Y> ThenCompare<X, Y> for Different {
    type Output = Different;
}
impl<X: CompareId<Y>, Y> ThenCompare<X, Y> for Same {
    type Output = X::Output;
}

#[doc(hidden)]
/// Compares two ids word by word.
pub trait CompareId<Other> {
    /// [`Same`] or [`Different`].
    type Output;
}
impl CompareId<()> for () {
    type Output = Same;
}
impl<Word, X> CompareId<()> for (Word, X) {
    type Output = Different;
}
impl<Word, Y> CompareId<(Word, Y)> for () {
    type Output = Different;
}
#[doc(hidden)]
/// The [`HasTableId::Bare`] of a table written with its schema: equal to no id.
#[derive(Debug)]
pub struct NotBare;
impl CompareId<NotBare> for () {
    type Output = Different;
}
impl<Word, X> CompareId<NotBare> for (Word, X) {
    type Output = Different;
}
#[rustfmt::skip]
impl<A1, B1, C1, D1, E1, F1, G1, H1, X, A2, B2, C2, D2, E2, F2, G2, H2, Y>
    CompareId<(W<A2, B2, C2, D2, E2, F2, G2, H2>, Y)> for (W<A1, B1, C1, D1, E1, F1, G1, H1>, X)
where
    A1: DigitEq<A2>, B1: DigitEq<B2>, C1: DigitEq<C2>, D1: DigitEq<D2>,
    E1: DigitEq<E2>, F1: DigitEq<F2>, G1: DigitEq<G2>, H1: DigitEq<H2>,
    A1::Output: Both<B1::Output>,
    C1::Output: Both<D1::Output>,
    E1::Output: Both<F1::Output>,
    G1::Output: Both<H1::Output>,
    <A1::Output as Both<B1::Output>>::Output: Both<<C1::Output as Both<D1::Output>>::Output>,
    <E1::Output as Both<F1::Output>>::Output: Both<<G1::Output as Both<H1::Output>>::Output>,
    <<A1::Output as Both<B1::Output>>::Output as Both<<C1::Output as Both<D1::Output>>::Output>>::Output:
        Both<<<E1::Output as Both<F1::Output>>::Output as Both<<G1::Output as Both<H1::Output>>::Output>>::Output>,
    <<<A1::Output as Both<B1::Output>>::Output as Both<<C1::Output as Both<D1::Output>>::Output>>::Output as
        Both<<<E1::Output as Both<F1::Output>>::Output as Both<<G1::Output as Both<H1::Output>>::Output>>::Output>>::Output:
        ThenCompare<X, Y>,
{
    type Output = <<<<A1::Output as Both<B1::Output>>::Output as Both<<C1::Output as Both<D1::Output>>::Output>>::Output as
        Both<<<E1::Output as Both<F1::Output>>::Output as Both<<G1::Output as Both<H1::Output>>::Output>>::Output>>::Output
        as ThenCompare<X, Y>>::Output;
}

/// A table or alias with an id; `table!` and `alias!` implement it.
pub trait HasTableId {
    /// The id: its SQL name as a type-level list of words (with its schema, if it has one).
    type Id;
    /// The id of the name the FROM clause exposes it under: its name without the schema (`auth.users` is
    /// `users`), an alias's name.
    type Exposed;
    /// [`Exposed`](Self::Exposed) when its columns are written with that name alone (`"users"."id"`: a
    /// table without schema, an alias), [`NotBare`] when they are written with the schema
    /// (`"auth"."users"."id"`), which no other source's name can take.
    type Bare;
}

#[doc(hidden)]
/// Table `T` counted by the sources of a FROM clause whose names rule `R` matches against `T`'s:
/// [`Exposed`] or [`Hidden`].
#[derive(Debug)]
pub struct Named<T, R>(PhantomData<(T, R)>);

#[doc(hidden)]
/// The rule of [`Exposed`]: the sources whose name `T`'s columns' references would clash with in one FROM
/// clause.
#[derive(Debug)]
pub struct Clash;
#[doc(hidden)]
/// The rule of [`Hidden`]: inside a subquery, the sources of its own FROM clause that `T`'s columns'
/// references would resolve to instead of the outer query's `T`.
#[derive(Debug)]
pub struct Hide;

#[doc(hidden)]
/// Table `T` counted by the sources whose name its columns' references would clash with in one FROM
/// clause: `QS: Occurrences<Exposed<T>>`. For `users` (written bare), every source exposed as `users`
/// (`auth.users` too: `"users"."id"` would be ambiguous); for `auth.users`, the sources written bare as
/// `users` (theirs would be). Two tables written with their schemas never clash by name (`auth.users`
/// beside `billing.users`), as PostgreSQL has it.
pub type Exposed<T> = Named<T, Clash>;

#[doc(hidden)]
/// Table `T` counted, inside a subquery, by the sources of the subquery's own FROM clause that its
/// columns' references would resolve to instead of the outer query's `T`: for `users` (written bare),
/// every source exposed as `users`; for `auth.users`, `auth.users` itself.
pub type Hidden<T> = Named<T, Hide>;

#[doc(hidden)]
/// What rule `R` compares of `T` and of a source `S`, by whether `T` is written bare (`Self` is
/// `T::Bare`).
pub trait NameRule<R, T: HasTableId, S: HasTableId> {
    /// `T`'s id.
    type Left;
    /// `S`'s id it is compared with.
    type Right;
}
// `T` written bare: by the exposed names, for both rules.
impl<R, T: HasTableId, S: HasTableId, Word, X> NameRule<R, T, S> for (Word, X) {
    type Left = T::Exposed;
    type Right = S::Exposed;
}
// `T` written with its schema: a clash with a source written bare under its name; hidden by itself only.
impl<T: HasTableId, S: HasTableId> NameRule<Clash, T, S> for NotBare {
    type Left = T::Exposed;
    type Right = S::Bare;
}
impl<T: HasTableId, S: HasTableId> NameRule<Hide, T, S> for NotBare {
    type Left = T::Id;
    type Right = S::Id;
}

#[doc(hidden)]
/// How many times a table occurs in a FROM clause.
pub mod count {
    /// Not at all.
    #[derive(Debug)]
    pub struct Never;
    /// Once, on a side whose columns are never NULL because of the join.
    #[derive(Debug)]
    pub struct Once;
    /// Once, on the right of a LEFT JOIN: its columns are NULL when no row matched.
    #[derive(Debug)]
    pub struct OnceNullable;
    /// Twice or more (a self-join without an alias).
    #[derive(Debug)]
    pub struct MoreThanOnce;
}
use count::*;

#[doc(hidden)]
/// How many times table `T` occurs in this FROM clause.
pub trait Occurrences<T> {
    /// One of the types of [`count`].
    type Count;
}

#[doc(hidden)]
/// Turns an id comparison into a count.
pub trait IdCount {
    /// [`Once`] for [`Same`], [`Never`] for [`Different`].
    type Count;
}
impl IdCount for Same {
    type Count = Once;
}
impl IdCount for Different {
    type Count = Never;
}

#[doc(hidden)]
/// A single table or alias in FROM: `T` occurs in it once when the ids are equal.
pub trait SingleSource: HasTableId {}

impl<S, T> Occurrences<T> for S
where
    S: SingleSource,
    T: HasTableId,
    T::Id: CompareId<S::Id, Output: IdCount>,
{
    type Count = <<T::Id as CompareId<S::Id>>::Output as IdCount>::Count;
}

impl<S, T, R> Occurrences<Named<T, R>> for S
where
    S: SingleSource,
    T: HasTableId<Bare: NameRule<R, T, S>>,
    <T::Bare as NameRule<R, T, S>>::Left: CompareId<<T::Bare as NameRule<R, T, S>>::Right, Output: IdCount>,
{
    type Count =
        <<<T::Bare as NameRule<R, T, S>>::Left as CompareId<<T::Bare as NameRule<R, T, S>>::Right>>::Output as IdCount>::Count;
}

#[doc(hidden)]
/// Adds the counts of the two sides of a join.
pub trait Plus<Rhs> {
    /// The sum.
    type Output;
}
macro_rules! plus {
    ($($a:ident + $b:ident = $c:ident;)*) => {$(
        impl Plus<$b> for $a {
            type Output = $c;
        }
    )*};
}
plus! {
    Never + Never = Never;
    Never + Once = Once;
    Never + OnceNullable = OnceNullable;
    Never + MoreThanOnce = MoreThanOnce;
    Once + Never = Once;
    Once + Once = MoreThanOnce;
    Once + OnceNullable = MoreThanOnce;
    Once + MoreThanOnce = MoreThanOnce;
    OnceNullable + Never = OnceNullable;
    OnceNullable + Once = MoreThanOnce;
    OnceNullable + OnceNullable = MoreThanOnce;
    OnceNullable + MoreThanOnce = MoreThanOnce;
    MoreThanOnce + Never = MoreThanOnce;
    MoreThanOnce + Once = MoreThanOnce;
    MoreThanOnce + OnceNullable = MoreThanOnce;
    MoreThanOnce + MoreThanOnce = MoreThanOnce;
}

#[doc(hidden)]
/// The count of a table on the right of a LEFT JOIN: present means nullable.
pub trait OnNullableSide {
    /// The count seen from the whole join.
    type Output;
}
impl OnNullableSide for Never {
    type Output = Never;
}
impl OnNullableSide for Once {
    type Output = OnceNullable;
}
impl OnNullableSide for OnceNullable {
    type Output = OnceNullable;
}
impl OnNullableSide for MoreThanOnce {
    type Output = MoreThanOnce;
}

/// Counts for which a table's columns may be read without `.nullable()`.
#[diagnostic::on_unimplemented(
    message = "a column of the nullable side of a LEFT JOIN is selected without `.nullable()`",
    label = "NULL when the LEFT JOIN matches no row: select `.nullable()`, read an `Option`"
)]
#[doc(hidden)]
pub trait NotNullSide {}
#[diagnostic::do_not_recommend]
impl NotNullSide for Never {}
#[diagnostic::do_not_recommend]
impl NotNullSide for Once {}
#[diagnostic::do_not_recommend]
impl NotNullSide for MoreThanOnce {}

#[doc(hidden)]
/// Counts for which a table is in the FROM clause, exactly once.
pub trait Present {}
impl Present for Once {}
impl Present for OnceNullable {}

#[doc(hidden)]
/// Counts for which a table is absent.
pub trait Absent {}
impl Absent for Never {}

/// Is this table (or alias) part of the FROM clause `QS`, exactly once?
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is not in the FROM clause of a query on `{QS}`",
    label = "uses a table that is not in the query"
)]
pub trait TableInFrom<QS> {}

/// May this table's columns be selected as they are, without `.nullable()`?
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is on the nullable side of a LEFT JOIN in `{QS}`",
    label = "NULL when the LEFT JOIN matches no row: select `.nullable()`, read an `Option`"
)]
pub trait NotNullableIn<QS> {}

#[diagnostic::do_not_recommend]
impl<T, QS> NotNullableIn<QS> for T where QS: Occurrences<T, Count: NotNullSide> {}
