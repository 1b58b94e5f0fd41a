//! `debug_query`: a query's SQL and bind values, for logs and tests.

use std::fmt;
use std::marker::PhantomData;

use super::{AstPass, BindSink, BindValue, QueryFragment};
use crate::backend::Backend;
use crate::result::QueryResult;

/// Shows `query` as `backend DB` would run it: its SQL, then `-- binds: [..]` with the bound values.
///
/// ```
/// # use quarry::prelude::*;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::sqlite::Sqlite;
/// let q = users::table.filter(users::name.eq("Ann"));
/// assert_eq!(
///     quarry::debug_query::<Sqlite, _>(&q).to_string(),
///     r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = ? -- binds: ["Ann"]"#
/// );
/// ```
pub fn debug_query<DB: Backend, Q: crate::backend::RunsOn<DB>>(query: &Q) -> DebugQuery<'_, Q, DB> {
    DebugQuery { query, backend: PhantomData }
}

/// The value [`debug_query`] returns; its `Display` shows SQL and binds.
pub struct DebugQuery<'a, Q, DB> {
    query: &'a Q,
    backend: PhantomData<DB>,
}

/// The bind values as a comma-separated list, written straight into one string.
struct DebugBinds(String);

impl BindSink for DebugBinds {
    fn bind(&mut self, value: BindValue<'_>) -> QueryResult<()> {
        use fmt::Write as _;
        if !self.0.is_empty() {
            self.0.push_str(", ");
        }
        let out = &mut self.0;
        // Writing into a String cannot fail.
        let _ = match value {
            BindValue::Null => out.write_str("NULL"),
            BindValue::Boolean(v) => write!(out, "{v}"),
            BindValue::I16(v) => write!(out, "{v}"),
            BindValue::I32(v) => write!(out, "{v}"),
            BindValue::I64(v) => write!(out, "{v}"),
            BindValue::F32(v) => write!(out, "{v}"),
            BindValue::F64(v) => write!(out, "{v}"),
            BindValue::Str(v) => write!(out, "{v:?}"),
            BindValue::Temporal(v, _) => write!(out, "{v:?}"),
            BindValue::Numeric(v) => out.write_str(v.as_str()),
            BindValue::Interval { months, days, microseconds } => {
                write!(out, "\"{}\"", super::interval_text(months, days, microseconds))
            }
            BindValue::Array { text, .. } => write!(out, "{text:?}"),
            BindValue::OwnedStr(v) => write!(out, "{v:?}"),
            BindValue::Bytes(v) => write!(out, "{v:?}"),
            BindValue::Uuid(v) => out.write_str(&super::uuid_text(&v)),
        };
        Ok(())
    }
}

impl<Q, DB> DebugQuery<'_, Q, DB>
where
    Q: QueryFragment,
    DB: Backend,
{
    /// The SQL text alone.
    pub fn sql(&self) -> QueryResult<String> {
        super::render_sql(self.query, &DB::default())
    }
}

impl<Q, DB> fmt::Display for DebugQuery<'_, Q, DB>
where
    Q: QueryFragment,
    DB: Backend,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dialect = DB::default();
        let query = self.query;
        let mut sql = String::with_capacity(256);
        let mut binds = DebugBinds(String::new());
        let rendered = query
            .walk(&mut AstPass::to_sql(&mut sql, &dialect))
            .and_then(|()| query.walk(&mut AstPass::collect_binds(&mut binds, &dialect)));
        match rendered {
            Ok(()) => write!(f, "{sql} -- binds: [{}]", binds.0),
            Err(e) => write!(f, "<cannot render: {e}>"),
        }
    }
}

impl<Q, DB> fmt::Debug for DebugQuery<'_, Q, DB>
where
    Q: QueryFragment,
    DB: Backend,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
