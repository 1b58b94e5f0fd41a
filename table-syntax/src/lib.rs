//! The schema language Quarry's `table!` macro and its CLI (`--diff-schema`, print-schema) both read,
//! kept in one place so that a new SQL type or attribute is added once:
//!
//! - [`types`]: the built-in SQL types, with the name each backend gives them in DDL and in its
//!   catalog (no dependencies, so `quarry-core` reads it too);
//! - `syntax` (feature `syntax`): the grammar of `table!` and `joinable!`, parsed with syn.

pub mod types;

#[cfg(feature = "syntax")]
pub mod syntax;
