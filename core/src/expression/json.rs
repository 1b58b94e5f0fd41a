//! Reading a field of a JSON document, the same on every backend: `data.json_get::<Integer>("age")`.
//!
//! The backends' JSON operators disagree (PostgreSQL's `->>` always gives text, SQLite's gives the SQL
//! value of the JSON value, and SQLite reads a key that starts with `$` as a path), so the method names
//! the SQL type it reads and writes what makes the two agree: `CAST((data ->> key) AS type)`, the key
//! quoted into a path on SQLite (`'$.' || json_quote(key)`) so that any key means the same.

use std::marker::PhantomData;

use super::grouping::ValidGrouping;
use super::{AppearsOn, Expression, NonAggregate, Operand, SelectNullability};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;
use crate::sql_types::{BigInt, Bool, Double, Integer, Json, Jsonb, Nullable, SqlType, Text};

/// The SQL types a JSON value is read as by [`json_get`](JsonExpressionMethods::json_get): a string as
/// `Text`, a number as `Integer`, `BigInt` or `Double`, `true`/`false` as `Bool`.
#[diagnostic::on_unimplemented(
    message = "a JSON field cannot be read as `{Self}` on every backend",
    label = "read it as Text, Integer, BigInt, Double or Bool"
)]
pub trait JsonScalar: SqlType {
    /// The type's name in `CAST(.. AS name)`.
    #[doc(hidden)]
    const CAST_NAME: &'static str;
}
macro_rules! json_scalars {
    ($($st:ident),*) => {$(
        #[diagnostic::do_not_recommend]
        impl JsonScalar for $st {
            const CAST_NAME: &'static str = crate::sql_types::built_in::postgres_name(stringify!($st));
        }
    )*};
}
// SQLite's `->>` gives 1 and 0 for true and false, which its BOOLEAN (numeric) cast keeps; PostgreSQL's
// gives 'true' and 'false', which its cast reads.
json_scalars!(Text, Integer, BigInt, Double, Bool);

/// The SQL types holding JSON documents: `Json`, `Jsonb` and their `Nullable` forms.
#[diagnostic::on_unimplemented(
    message = "`json_get` reads a JSON document, and this expression is a `{Self}`",
    label = "expected a `Json` or `Jsonb` expression"
)]
pub trait JsonLike: SqlType {}
#[diagnostic::do_not_recommend]
impl JsonLike for Json {}
#[diagnostic::do_not_recommend]
impl JsonLike for Jsonb {}
#[diagnostic::do_not_recommend]
impl JsonLike for Nullable<Json> {}
#[diagnostic::do_not_recommend]
impl JsonLike for Nullable<Jsonb> {}

/// `CAST((doc ->> key) AS T)`: the top-level field `key` of a JSON object, read as `T`; NULL where the
/// field is missing, is JSON `null`, or the document is NULL.
#[derive(Debug, Clone, Copy)]
pub struct JsonGet<E, K, T> {
    doc: E,
    key: K,
    // Taken from `T` where the method is called (the one place `T` is checked), so that a wrong type is
    // one error there rather than one per trait the node implements.
    cast_name: &'static str,
    target: PhantomData<fn() -> T>,
}

/// Reading JSON fields, on `Json` and `Jsonb` expressions (nullable or not), on every backend.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { people (id) { id -> Integer, data -> Json, } }
/// use quarry::sql_types::{Integer, Text};
/// let q = people::table
///     .filter(people::data.json_get::<Integer>("age").gt(30))
///     .select(people::data.json_get::<Text>("name"));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT CAST(("people"."data" ->> ('$.' || json_quote(?))) AS TEXT) FROM "people" WHERE CAST(("people"."data" ->> ('$.' || json_quote(?))) AS INTEGER) > ?"#
/// );
/// assert_eq!(
///     quarry::debug_query::<quarry::pg::Pg, _>(&q).sql().unwrap(),
///     r#"SELECT CAST(("people"."data" ->> $1) AS TEXT) FROM "people" WHERE CAST(("people"."data" ->> $2) AS INTEGER) > $3"#
/// );
/// ```
pub trait JsonExpressionMethods: Expression + Sized {
    /// The top-level field `key` of this JSON object, read as `T` (`Text` for a string, `Integer`,
    /// `BigInt` or `Double` for a number, `Bool` for true/false): a `Nullable<T>`, NULL where the field
    /// is missing or `null`. A field of another JSON type than `T` is an error from the database (or,
    /// on SQLite, the value SQLite's CAST makes of it); so is, on PostgreSQL, a string holding `\u0000`,
    /// which its text cannot hold.
    // One line, so that an error quotes the bound.
    #[rustfmt::skip]
    fn json_get<T: JsonScalar>(self, key: &str) -> JsonGet<Self, Operand<Text, String>, T> where Self::SqlType: JsonLike {
        JsonGet { doc: self, key: Operand::new(key.to_owned()), cast_name: T::CAST_NAME, target: PhantomData }
    }
}
impl<E: Expression> JsonExpressionMethods for E {}

impl<E, K, T: SqlType> Expression for JsonGet<E, K, T> {
    type SqlType = Nullable<T>;
}
impl<E: QueryFragment, K: QueryFragment, T> QueryFragment for JsonGet<E, K, T> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        out.push_sql("CAST((");
        self.doc.walk(out)?;
        let (open, close) = out.json_field_key();
        out.push_sql(open);
        self.key.walk(out)?;
        out.push_sql(close);
        out.push_sql(") AS ");
        out.push_sql(self.cast_name);
        out.push_sql(")");
        Ok(())
    }
}
impl<E: QueryId, K: QueryId, T: 'static> QueryId for JsonGet<E, K, T> {
    type QueryId = JsonGet<E::QueryId, K::QueryId, T>;
    const HAS_STATIC_QUERY_ID: bool = E::HAS_STATIC_QUERY_ID && K::HAS_STATIC_QUERY_ID;
}
impl<DB, E: RunsOn<DB>, K: RunsOn<DB>, T> RunsOn<DB> for JsonGet<E, K, T> {}
#[diagnostic::do_not_recommend]
impl<QS, E: AppearsOn<QS>, K: AppearsOn<QS>, T: SqlType> AppearsOn<QS> for JsonGet<E, K, T> where
    Self: QueryFragment + QueryId
{
}
impl<QS, E: SelectNullability<QS>, K: SelectNullability<QS>, T: SqlType> SelectNullability<QS> for JsonGet<E, K, T> {}
#[diagnostic::do_not_recommend]
impl<E: NonAggregate, K: NonAggregate, T: SqlType> NonAggregate for JsonGet<E, K, T> {}
impl<G, E: Expression, K: Expression, T: SqlType> ValidGrouping<G> for JsonGet<E, K, T>
where
    (E, K): ValidGrouping<G>,
{
    type Kind = <(E, K) as ValidGrouping<G>>::Kind;
}
