//! The tuple arities Quarry implements its traits for: 1 to 16 elements.
//!
//! Wider rows (a 100-column table, a 100-field struct) nest tuples of at most 16, so no trait needs
//! impls beyond 16 and compile time stays linear in the schema's width.

/// Calls `$m!(T0 0, T1 1, ...)` for every arity from 1 to 16.
macro_rules! for_each_tuple {
    ($m:ident) => {
        $m!(T0 0);
        $m!(T0 0, T1 1);
        $m!(T0 0, T1 1, T2 2);
        $m!(T0 0, T1 1, T2 2, T3 3);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13, T14 14);
        $m!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13, T14 14, T15 15);
    };
}
pub(crate) use for_each_tuple;

/// Calls `$m! { (T0 S0) (T0 S0, T1 S1) ... }` once with every arity from 1 to 16, two type names per
/// element: for impls relating two tuples of one arity (a row of Rust values and its SQL types).
macro_rules! for_each_tuple_pair {
    ($m:ident) => {
        $m! {
            (T0 S0)
            (T0 S0, T1 S1)
            (T0 S0, T1 S1, T2 S2)
            (T0 S0, T1 S1, T2 S2, T3 S3)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8, T9 S9)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8, T9 S9, T10 S10)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8, T9 S9, T10 S10, T11 S11)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8, T9 S9, T10 S10, T11 S11, T12 S12)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8, T9 S9, T10 S10, T11 S11, T12 S12, T13 S13)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8, T9 S9, T10 S10, T11 S11, T12 S12, T13 S13, T14 S14)
            (T0 S0, T1 S1, T2 S2, T3 S3, T4 S4, T5 S5, T6 S6, T7 S7, T8 S8, T9 S9, T10 S10, T11 S11, T12 S12, T13 S13, T14 S14, T15 S15)
        }
    };
}
pub(crate) use for_each_tuple_pair;
