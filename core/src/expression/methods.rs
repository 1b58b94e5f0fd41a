//! The expression methods users call on columns and expressions: `eq`, `gt`, `like`, `and`, ...

use super::operators::*;
use super::values::InListTrait;
use super::{AsExpression, Expression, NullableExpression, Operand};
use crate::render::QueryFragment;
use crate::sql_types::{ArrayLike, BoolLike, IntoNullable, Jsonb, JsonbLike, Text, TextLike};

/// Comparison methods, available on every expression.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::sqlite::Sqlite;
/// let q = users::table.filter(users::id.between(1, 9).and(users::name.ne("Bo")));
/// assert_eq!(
///     quarry::debug_query::<Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" BETWEEN ? AND ? AND "users"."name" <> ?"#
/// );
/// ```
pub trait ExpressionMethods: Expression + Sized {
    /// `self = value`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::name.eq("Ann"));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."name" = ? -- binds: ["Ann"]"#
    /// );
    /// ```
    fn eq<T: AsExpression<Self::SqlType>>(self, value: T) -> Eq<Self, Operand<Self::SqlType, T>> {
        Eq(self, Operand::new(value))
    }
    /// `self <> value`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::name.ne("Ann"));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."name" <> ? -- binds: ["Ann"]"#
    /// );
    /// ```
    fn ne<T: AsExpression<Self::SqlType>>(self, value: T) -> NotEq<Self, Operand<Self::SqlType, T>> {
        NotEq(self, Operand::new(value))
    }
    /// `self > value`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.gt(1));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" > ? -- binds: [1]"#
    /// );
    /// ```
    fn gt<T: AsExpression<Self::SqlType>>(self, value: T) -> Gt<Self, Operand<Self::SqlType, T>> {
        Gt(self, Operand::new(value))
    }
    /// `self >= value`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.ge(1));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" >= ? -- binds: [1]"#
    /// );
    /// ```
    fn ge<T: AsExpression<Self::SqlType>>(self, value: T) -> GtEq<Self, Operand<Self::SqlType, T>> {
        GtEq(self, Operand::new(value))
    }
    /// `self < value`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.lt(1));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" < ? -- binds: [1]"#
    /// );
    /// ```
    fn lt<T: AsExpression<Self::SqlType>>(self, value: T) -> Lt<Self, Operand<Self::SqlType, T>> {
        Lt(self, Operand::new(value))
    }
    /// `self <= value`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.le(1));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" <= ? -- binds: [1]"#
    /// );
    /// ```
    fn le<T: AsExpression<Self::SqlType>>(self, value: T) -> LtEq<Self, Operand<Self::SqlType, T>> {
        LtEq(self, Operand::new(value))
    }
    /// `self IN (v1, v2, ...)`, from a `Vec`, slice or array of values of this SQL type.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.eq_any(vec![1, 3]));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?, ?) -- binds: [1, 3]"#
    /// );
    /// ```
    fn eq_any<V: InListTrait<Self::SqlType>>(self, values: V) -> In<Self, Self::SqlType, V> {
        In::new(self, values)
    }
    /// `self NOT IN (v1, v2, ...)`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.ne_all([1, 2]));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" NOT IN (?, ?) -- binds: [1, 2]"#
    /// );
    /// ```
    fn ne_all<V: InListTrait<Self::SqlType>>(self, values: V) -> NotIn<Self, Self::SqlType, V> {
        NotIn::new(self, values)
    }
    /// `self IS NULL`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::hair_color.is_null());
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."hair_color" IS NULL"#
    /// );
    /// ```
    fn is_null(self) -> IsNull<Self> {
        IsNull(self)
    }
    /// `(self IS DISTINCT FROM value)`: `ne` where NULL is a value like any other, so a NULL and a 1
    /// are distinct and two NULLs are not (`ne` gives NULL, which filters the row out, for both).
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::hair_color.is_distinct_from(Some("red")));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE ("users"."hair_color" IS DISTINCT FROM ?)"#
    /// );
    /// ```
    fn is_distinct_from<T: AsExpression<Self::SqlType>>(
        self,
        value: T,
    ) -> IsDistinctFrom<Self, Operand<Self::SqlType, T>> {
        IsDistinctFrom(self, Operand::new(value))
    }
    /// `(self IS NOT DISTINCT FROM value)`: `eq` where two NULLs are equal.
    fn is_not_distinct_from<T: AsExpression<Self::SqlType>>(
        self,
        value: T,
    ) -> IsNotDistinctFrom<Self, Operand<Self::SqlType, T>> {
        IsNotDistinctFrom(self, Operand::new(value))
    }
    /// `self IS NOT NULL`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::hair_color.is_not_null());
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."hair_color" IS NOT NULL"#
    /// );
    /// ```
    fn is_not_null(self) -> IsNotNull<Self> {
        IsNotNull(self)
    }
    /// `self BETWEEN low AND high`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.between(2, 5));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" BETWEEN ? AND ? -- binds: [2, 5]"#
    /// );
    /// ```
    fn between<L, H>(self, low: L, high: H) -> Between<Self, Operand<Self::SqlType, L>, Operand<Self::SqlType, H>>
    where
        L: AsExpression<Self::SqlType>,
        H: AsExpression<Self::SqlType>,
    {
        Between(self, Operand::new(low), Operand::new(high))
    }
    /// `self NOT BETWEEN low AND high`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.not_between(2, 5));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" NOT BETWEEN ? AND ? -- binds: [2, 5]"#
    /// );
    /// ```
    fn not_between<L, H>(
        self,
        low: L,
        high: H,
    ) -> NotBetween<Self, Operand<Self::SqlType, L>, Operand<Self::SqlType, H>>
    where
        L: AsExpression<Self::SqlType>,
        H: AsExpression<Self::SqlType>,
    {
        NotBetween(self, Operand::new(low), Operand::new(high))
    }
    /// `self ASC`, for `order`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).order(users::name.asc());
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" ORDER BY "users"."name" ASC"#
    /// );
    /// ```
    fn asc(self) -> Asc<Self> {
        Asc(self)
    }
    /// `self DESC`, for `order`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).order(users::id.desc());
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" ORDER BY "users"."id" DESC"#
    /// );
    /// ```
    fn desc(self) -> Desc<Self> {
        Desc(self)
    }
}

impl<E: Expression> ExpressionMethods for E {}

/// Methods of text expressions: `like`, `not_like`, `concat`.
pub trait TextExpressionMethods: Expression + Sized {
    /// `self LIKE pattern`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::name.like("A%"));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? -- binds: ["A%"]"#
    /// );
    /// ```
    fn like<T>(self, pattern: T) -> Like<Self, Operand<Self::SqlType, T>>
    where
        Self::SqlType: TextLike<T>,
    {
        Like(self, Operand::with_walker(pattern, Self::SqlType::walk_operand))
    }
    /// `self ILIKE pattern`: LIKE ignoring case. PostgreSQL only: on SQLite (whose LIKE already ignores
    /// the case of ASCII letters) the query does not compile.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let q = users::table.select(users::id).filter(users::name.ilike("a%"));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::pg::Pg, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."name" ILIKE $1"#
    /// );
    /// ```
    fn ilike<T>(self, pattern: T) -> ILike<Self, Operand<Self::SqlType, T>>
    where
        Self::SqlType: TextLike<T>,
    {
        ILike(self, Operand::with_walker(pattern, Self::SqlType::walk_operand))
    }
    /// `self NOT ILIKE pattern` (PostgreSQL only, as [`ilike`](TextExpressionMethods::ilike)).
    fn not_ilike<T>(self, pattern: T) -> NotILike<Self, Operand<Self::SqlType, T>>
    where
        Self::SqlType: TextLike<T>,
    {
        NotILike(self, Operand::with_walker(pattern, Self::SqlType::walk_operand))
    }
    /// `self NOT LIKE pattern`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::name.not_like("A%"));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."name" NOT LIKE ? -- binds: ["A%"]"#
    /// );
    /// ```
    fn not_like<T>(self, pattern: T) -> NotLike<Self, Operand<Self::SqlType, T>>
    where
        Self::SqlType: TextLike<T>,
    {
        NotLike(self, Operand::with_walker(pattern, Self::SqlType::walk_operand))
    }
    /// `(self || other)`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::name.concat("!"));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT ("users"."name" || ?) FROM "users" -- binds: ["!"]"#
    /// );
    /// ```
    fn concat<T>(self, other: T) -> Concat<Self, Operand<Self::SqlType, T>>
    where
        Self::SqlType: TextLike<T>,
    {
        Concat(self, Operand::with_walker(other, Self::SqlType::walk_operand))
    }
}

impl<E: Expression> TextExpressionMethods for E {}

/// Methods of boolean expressions: `and`, `or`.
pub trait BoolExpressionMethods: Expression + Sized {
    /// `self AND other`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.gt(1).and(users::name.eq("Ann")));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."name" = ? -- binds: [1, "Ann"]"#
    /// );
    /// ```
    fn and<T>(self, other: T) -> And<Self, T>
    where
        Self::SqlType: BoolLike,
        T: Expression + QueryFragment,
        T::SqlType: BoolLike,
    {
        And(self, other)
    }
    /// `(self OR other)`
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::id.eq(1).or(users::hair_color.is_null()));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE ("users"."id" = ? OR "users"."hair_color" IS NULL) -- binds: [1]"#
    /// );
    /// ```
    fn or<T>(self, other: T) -> Or<Self, T>
    where
        Self::SqlType: BoolLike,
        T: Expression + QueryFragment,
        T::SqlType: BoolLike,
    {
        Or(self, other)
    }
}

impl<E: Expression> BoolExpressionMethods for E {}

/// `nullable()`: view an expression as its `Nullable` SQL type, to compare it with a nullable one or to
/// read it into an `Option`.
pub trait NullableExpressionMethods: Expression + Sized {
    /// This expression, typed `Nullable<Self::SqlType>`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// let q = users::table.select(users::id).filter(users::hair_color.eq(users::name.nullable()));
    /// assert_eq!(
    ///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
    ///     r#"SELECT "users"."id" FROM "users" WHERE "users"."hair_color" = "users"."name""#
    /// );
    /// ```
    fn nullable(self) -> NullableExpression<Self>
    where
        Self::SqlType: IntoNullable,
    {
        NullableExpression(self)
    }

    /// This `Nullable<T>` expression, typed `T`: for one the types cannot prove non-NULL but you can.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// use quarry::dsl::max;
    /// let newest = quarry::select(users::table.select(max(users::id)).single_value().assume_not_null());
    /// # let _ = newest;
    /// ```
    fn assume_not_null(self) -> super::nullable::AssumeNotNull<Self>
    where
        Self::SqlType: crate::sql_types::NullableOf,
    {
        super::nullable::AssumeNotNull(self)
    }
}

impl<E: Expression> NullableExpressionMethods for E {}

/// `NOT (expr)`.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::dsl::not;
/// let q = users::table.select(users::id).filter(not(users::name.like("A%")));
/// assert_eq!(
///     quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
///     r#"SELECT "users"."id" FROM "users" WHERE NOT ("users"."name" LIKE ?)"#
/// );
/// ```
pub fn not<E>(expr: E) -> Not<E>
where
    E: Expression,
    E::SqlType: BoolLike,
{
    Not(expr)
}

/// The `jsonb` operators, on `Jsonb` and `Nullable<Jsonb>` expressions (Diesel's names). PostgreSQL only:
/// on SQLite the query does not compile.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { events (id) { id -> Integer, data -> Jsonb, } }
/// let q = events::table
///     .filter(events::data.has_key("user").and(events::data.contains(r#"{"kind": "login"}"#)))
///     .select(events::data.retrieve_as_text("user"));
/// assert_eq!(
///     quarry::debug_query::<quarry::pg::Pg, _>(&q).sql().unwrap(),
///     r#"SELECT ("events"."data" ->> $1) FROM "events" WHERE ("events"."data" ? $2) AND ("events"."data" @> $3)"#
/// );
/// ```
pub trait JsonbExpressionMethods: Expression + Sized {
    /// `(self -> key)`: the value under `key`, as `jsonb` (NULL when there is none).
    fn retrieve_as_object<K: AsExpression<Text>>(self, key: K) -> RetrieveAsObject<Self, Operand<Text, K>> {
        RetrieveAsObject(self, Operand::new(key))
    }
    /// `(self ->> key)`: the value under `key`, as text (NULL when there is none).
    fn retrieve_as_text<K: AsExpression<Text>>(self, key: K) -> RetrieveAsText<Self, Operand<Text, K>> {
        RetrieveAsText(self, Operand::new(key))
    }
    /// `(self @> other)`: every key and element of `other` is in `self`.
    fn contains<V: AsExpression<Jsonb>>(self, other: V) -> JsonbContains<Self, Operand<Jsonb, V>> {
        JsonbContains(self, Operand::new(other))
    }
    /// `(self <@ other)`: every key and element of `self` is in `other`.
    fn is_contained_by<V: AsExpression<Jsonb>>(self, other: V) -> JsonbContainedBy<Self, Operand<Jsonb, V>> {
        JsonbContainedBy(self, Operand::new(other))
    }
    /// `(self ? key)`: `self` is an object with the top-level key `key` (or an array holding that string).
    fn has_key<K: AsExpression<Text>>(self, key: K) -> HasKey<Self, Operand<Text, K>> {
        HasKey(self, Operand::new(key))
    }
}
impl<E: Expression<SqlType: JsonbLike>> JsonbExpressionMethods for E {}

/// The array operators, on `Array<ST>` and `Nullable<Array<ST>>` expressions (Diesel's names). PostgreSQL
/// only, as arrays are.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { posts (id) { id -> Integer, tags -> Array<Text>, } }
/// let q = posts::table.filter(posts::tags.contains(vec!["rust"])).select(posts::id);
/// assert_eq!(
///     quarry::debug_query::<quarry::pg::Pg, _>(&q).to_string(),
///     r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."tags" @> $1) -- binds: ["{\"rust\"}"]"#
/// );
/// ```
pub trait ArrayExpressionMethods: Expression<SqlType: ArrayLike> + Sized {
    /// `(self @> other)`: `self` holds every element of `other`.
    fn contains<V: AsExpression<<Self::SqlType as ArrayLike>::Array>>(
        self,
        other: V,
    ) -> ArrayContains<Self, Operand<<Self::SqlType as ArrayLike>::Array, V>> {
        ArrayContains(self, Operand::new(other))
    }
    /// `(self <@ other)`: every element of `self` is in `other`.
    fn is_contained_by<V: AsExpression<<Self::SqlType as ArrayLike>::Array>>(
        self,
        other: V,
    ) -> ArrayContainedBy<Self, Operand<<Self::SqlType as ArrayLike>::Array, V>> {
        ArrayContainedBy(self, Operand::new(other))
    }
    /// `(self && other)`: the two arrays share an element.
    fn overlaps_with<V: AsExpression<<Self::SqlType as ArrayLike>::Array>>(
        self,
        other: V,
    ) -> OverlapsWith<Self, Operand<<Self::SqlType as ArrayLike>::Array, V>> {
        OverlapsWith(self, Operand::new(other))
    }
}
impl<E: Expression<SqlType: ArrayLike>> ArrayExpressionMethods for E {}
