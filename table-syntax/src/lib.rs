//! The schema language Quarry's `table!` macro and its CLI (`--diff-schema`, print-schema) both read,
//! kept in one place so that a new SQL type or attribute is added once:
//!
//! - [`types`]: the built-in SQL types, with the name each backend gives them in DDL and in its
//!   catalog (a file without dependencies, which `quarry-core` compiles in as `sql_types::built_in`);
//! - `syntax` (feature `syntax`): the grammar of `table!`, parsed with syn, which the macro expands and
//!   the CLI compares with a live database; and of `joinable!`'s arguments, which the CLI reads (the
//!   `joinable!` macro itself is a `macro_rules!` of `quarry-core`, whose pattern is the same grammar).

pub mod types;

#[cfg(feature = "syntax")]
pub mod syntax;
