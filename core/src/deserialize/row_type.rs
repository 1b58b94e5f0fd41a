//! Which Rust type a query's rows are read into, when its select clause says: `User::as_select()` names
//! `User`, so `load`, `first` and `get_result` need no annotation; a tuple of `as_select()`s names the
//! tuple of their structs. A select clause of plain columns names no type: any type that reads those
//! columns will do, and the caller says which (`load::<(i32, String)>`).
//!
//! Computed on the SQL type alone, as an associated type, so that the compiler finds the row type
//! through one impl instead of searching every [`FromSqlRow`](super::FromSqlRow) impl.

use std::marker::PhantomData;

use super::Untyped;
use crate::expression::AsSelect;
use crate::sql_types::Nullable;

/// The Rust type a row of this SQL type is read into, when the SQL type names one. A custom SQL type
/// implements it with `type Names = Unnamed;`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL type rows can be read from",
    label = "a query's rows are read from SQL types, tuples of them, or `as_select()`",
    note = "a custom SQL type implements `quarry::deserialize::RowType` with `type Names = Unnamed;`"
)]
pub trait RowType {
    /// [`Named<T>`] or [`Unnamed`].
    type Names: Naming;
}

/// The rows are read into `T`: the select clause is `T::as_select()` (or a tuple of such).
#[derive(Debug)]
pub struct Named<T>(PhantomData<fn() -> T>);

/// The select clause names no Rust type: the caller picks one that reads its columns.
#[derive(Debug)]
pub struct Unnamed;

/// What [`Named`] and [`Unnamed`] say, so a tuple can be [`Named`] when all its parts are.
#[doc(hidden)]
pub trait Naming {
    /// [`Yes`] for [`Named`].
    type IsNamed: Answer;
    /// The named type (`()` when unnamed).
    type Rust;
}
impl<T> Naming for Named<T> {
    type IsNamed = Yes;
    type Rust = T;
}
impl Naming for Unnamed {
    type IsNamed = No;
    type Rust = ();
}

/// A type-level yes.
#[doc(hidden)]
#[derive(Debug)]
pub struct Yes;
/// A type-level no.
#[doc(hidden)]
#[derive(Debug)]
pub struct No;

/// Combines answers, and turns the last one into a [`Named`] or [`Unnamed`].
#[doc(hidden)]
pub trait Answer {
    /// `Yes` when both are.
    type And<B: Answer>: Answer;
    /// `Named<T>` for `Yes`, `Unnamed` for `No`.
    type Name<T>: Naming;
}
impl Answer for Yes {
    type And<B: Answer> = B;
    type Name<T> = Named<T>;
}
impl Answer for No {
    type And<B: Answer> = No;
    type Name<T> = Unnamed;
}

// Each SQL type names no Rust type: `sql_types` implements `RowType` for each one by one, since a
// blanket impl over `SqlType` would be the only impl the compiler sees for a query's SQL type in
// generic code, and be picked there whatever the type turns out to be.
impl<ST> RowType for Nullable<ST> {
    type Names = Unnamed;
}
impl<T> RowType for AsSelect<T> {
    type Names = Named<T>;
}
impl RowType for Untyped {
    type Names = Unnamed;
}
/// The select clause of a query without FROM clause before `select(..)` gives it one.
impl RowType for () {
    type Names = Unnamed;
}

/// `Yes` when every element's SQL type names its Rust type.
macro_rules! all_named {
    ($T:ident) => { <$T::Names as Naming>::IsNamed };
    ($T:ident, $($rest:ident),+) => { <<$T::Names as Naming>::IsNamed as Answer>::And<all_named!($($rest),+)> };
}

macro_rules! tuple_row_types {
    ($($T:ident $idx:tt),+) => {
        impl<$($T: RowType),+> RowType for ($($T,)+) {
            type Names = <all_named!($($T),+) as Answer>::Name<($(<$T::Names as Naming>::Rust,)+)>;
        }
    };
}
crate::tuples::for_each_tuple!(tuple_row_types);

/// The [`RowType::Names`] of query `Q`'s rows.
pub type RowNames<Q> = <<Q as crate::query::Query>::SqlType as RowType>::Names;
