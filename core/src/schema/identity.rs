//! Table identity: "is this the same table?", answered by the trait system with one impl per table.
//!
//! Each table and alias gets an id, a 32-bit hash of its SQL name spelled as a type-level list of bits.
//! Comparing two ids takes 32 steps whatever the size of the schema, so a join needs no impl per pair of
//! tables: `allow_tables_to_appear_in_same_query!` generates nothing that grows with the square of the
//! number of tables. Two tables with the same SQL name are the same table, as they are to the database.

/// A 0 bit of an id.
#[derive(Debug)]
pub struct B0;
/// A 1 bit of an id.
#[derive(Debug)]
pub struct B1;
/// The answer "the ids are equal".
#[derive(Debug)]
pub struct Same;
/// The answer "the ids differ".
#[derive(Debug)]
pub struct Different;

/// Compares two ids bit by bit.
pub trait CompareId<Other> {
    /// [`Same`] or [`Different`].
    type Output;
}
impl CompareId<()> for () {
    type Output = Same;
}
impl<X, Y> CompareId<(B1, Y)> for (B0, X) {
    type Output = Different;
}
impl<X, Y> CompareId<(B0, Y)> for (B1, X) {
    type Output = Different;
}
impl<X: CompareId<Y>, Y> CompareId<(B0, Y)> for (B0, X) {
    type Output = X::Output;
}
impl<X: CompareId<Y>, Y> CompareId<(B1, Y)> for (B1, X) {
    type Output = X::Output;
}

/// A table or alias with an id; `table!` and `alias!` implement it.
pub trait HasTableId {
    /// The id: a type-level list of 32 bits.
    type Id;
}

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

/// How many times table `T` occurs in this FROM clause.
pub trait Occurrences<T> {
    /// One of the types of [`count`].
    type Count;
}

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
pub trait NotNullSide {}
#[diagnostic::do_not_recommend]
impl NotNullSide for Never {}
#[diagnostic::do_not_recommend]
impl NotNullSide for Once {}
#[diagnostic::do_not_recommend]
impl NotNullSide for MoreThanOnce {}

/// Counts for which a table is in the FROM clause, exactly once.
pub trait Present {}
impl Present for Once {}
impl Present for OnceNullable {}

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
