//! Query identity: which queries have SQL that depends only on their type, so the connection can
//! cache their prepared statement by type and skip rendering altogether.

use std::any::TypeId;

/// Names the SQL shape of a query node with a `'static` type.
///
/// Two values of a type whose `HAS_STATIC_QUERY_ID` is true render the same SQL text (only their bind
/// values differ), so the prepared statement can be found by [`TypeId`] without rendering.
pub trait QueryId {
    /// A `'static` type standing for this node's SQL shape.
    type QueryId: 'static;
    /// False when the SQL text depends on values (a list of variable length, a literal LIMIT).
    const HAS_STATIC_QUERY_ID: bool = true;

    /// The cache key of this query's SQL shape, if it has a static one.
    fn query_id() -> Option<TypeId> {
        if Self::HAS_STATIC_QUERY_ID { Some(TypeId::of::<Self::QueryId>()) } else { None }
    }

    /// The key the connection caches this statement's prepared SQL under, without rendering it: its
    /// type's [`query_id`](Self::query_id), or for a multi-row INSERT whose rows' type fixes each row's
    /// SQL, that type and the number of rows. `None`: cached by SQL text.
    fn cache_key(&self) -> Option<CacheKey> {
        Self::query_id().map(CacheKey::Type)
    }
}

/// Where a statement's SQL is found in the cache without rendering it ([`QueryId::cache_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CacheKey {
    /// The SQL depends only on the query's type.
    Type(TypeId),
    /// An INSERT: its SQL depends on its statement type (table, RETURNING), its rows' type and how many
    /// rows there are.
    Rows {
        /// The table and the RETURNING clause.
        statement: TypeId,
        /// The type of one row.
        row: TypeId,
        /// How many rows.
        count: usize,
    },
}

impl QueryId for () {
    type QueryId = ();
}

macro_rules! tuple_query_id {
    ($($T:ident $idx:tt),+) => {
        impl<$($T: QueryId),+> QueryId for ($($T,)+) {
            type QueryId = ($($T::QueryId,)+);
            const HAS_STATIC_QUERY_ID: bool = true $(&& $T::HAS_STATIC_QUERY_ID)+;
        }
    };
}
crate::tuples::for_each_tuple!(tuple_query_id);
