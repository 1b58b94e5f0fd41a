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
