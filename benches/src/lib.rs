//! The demo schema, shared by the benchmarks.
#![allow(missing_docs)] // generated schema items, documented by the schema file itself

include!("../../schema.rs");
