//! Backends: what a database tells the query builder about its SQL dialect and its raw values.

/// How a backend spells the parts of SQL that differ between databases.
///
/// Rendering is backend-neutral: every query node pushes text through an [`AstPass`](crate::render::AstPass),
/// which asks the dialect for placeholders and identifier quoting.
pub trait Dialect {
    /// Appends the placeholder of the bind parameter at `index` (starting at 0): `?` or `$1`.
    fn push_bind_placeholder(&self, sql: &mut String, index: usize);
    /// Appends `ident` as a quoted identifier, doubling any quote character inside it.
    fn push_identifier(&self, sql: &mut String, ident: &str);
    /// The LIMIT written before an OFFSET when the query has none (SQLite needs one: `LIMIT -1`).
    fn unbounded_limit(&self) -> &'static str {
        " LIMIT -1"
    }

    /// True when a DELETE reads other tables with `USING` (PostgreSQL); otherwise it reads them in a
    /// correlated `EXISTS` subquery (SQLite has no USING).
    fn delete_using(&self) -> bool {
        false
    }

    /// The SQL around the key of a JSON object's field, after the document: SQLite's `->>` reads a key
    /// that starts with `$` as a path, so the key is quoted into one (`$."key"`).
    fn json_field_key(&self) -> (&'static str, &'static str) {
        (" ->> ('$.' || json_quote(", "))")
    }

    /// Whether VALUES may hold `DEFAULT` (PostgreSQL); where it may not (SQLite), a row leaving a column
    /// to its default leaves the column out of the statement.
    fn default_in_values(&self) -> bool {
        false
    }

    /// What goes before a statement to have the database show its plan instead of running it: SQLite's
    /// readable plan, `EXPLAIN QUERY PLAN ` (PostgreSQL: `EXPLAIN `).
    fn explain_prefix(&self) -> &'static str {
        "EXPLAIN QUERY PLAN "
    }

    /// A random `Double` in `[0, 1)`, drawn per row. SQLite's `random()` is a 64-bit integer: its
    /// remainder modulo 2^53 (a double holds every such integer exactly), made positive, over 2^53.
    fn random(&self) -> &'static str {
        "(abs(random() % 9007199254740992) / 9007199254740992.0)"
    }

    /// The current time (`now`) and date (`today`) in UTC, as a timestamp and a date without time zone.
    fn current_time_utc(&self) -> (&'static str, &'static str) {
        ("CURRENT_TIMESTAMP", "CURRENT_DATE")
    }

    /// How a list of `len` values for `IN` is bound: `None` writes one placeholder per value (`(?, ?)`);
    /// an encoder binds the whole list as one value, with no limit on its length (SQLite: a JSON array
    /// read by `json_each`; PostgreSQL: an array for `= ANY($1)`). `element` is the SQL name of the
    /// values' type ([`SqlType::SQL_NAME`](crate::sql_types::SqlType::SQL_NAME)), when it has one.
    fn list_encoder(&self, len: usize, element: Option<&'static str>) -> Option<Box<dyn ListEncoder>> {
        let _ = (len, element);
        None
    }
}

/// Takes a list's values one by one (as a [`BindSink`](crate::render::BindSink)) and gives the one value
/// bound for them all.
pub trait ListEncoder: crate::render::BindSink {
    /// The SQL around the list's one placeholder, operator included (`" IN (SELECT .. (", "))"`), for
    /// `NOT IN` when `negated`; `bytes` when the values are blobs.
    fn sql(&self, bytes: bool, negated: bool) -> (&'static str, &'static str);
    /// The value bound for the whole list.
    fn finish(self: Box<Self>) -> crate::result::QueryResult<crate::render::BindValue<'static>>;
}

/// A database backend, such as `quarry::sqlite::Sqlite`.
pub trait Backend: Dialect + Default + Sized + 'static {
    /// The value of one column of one row, as the driver hands it out, borrowed from the driver; read
    /// through [`ValueRef`](crate::deserialize::ValueRef) by code written for every backend.
    type RawValue<'a>: crate::deserialize::ValueRef<'a>;
}

/// May this SQL run on backend `DB`? Every query node implements it when its parts do; the nodes only some
/// databases have (`ilike`, `distinct_on`, row locking) ask `DB` for a marker trait such as
/// [`SupportsILike`], whose message names the method. Checked once, by the methods that run a query
/// (`load`, `execute`, ...), where the connection fixes the backend; so SQL one backend lacks does not
/// compile for it instead of failing at run time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not SQL the `{DB}` backend can run",
    label = "this query needs SQL that `{DB}` does not have"
)]
pub trait RunsOn<DB> {}
// Rust values are bound on every backend: they implement it for every `DB` (see `expression/values.rs`).

/// A column's SQL type, when only some backends have it: `table!` makes such a column run where
/// `SqlTypeOf<its type>` does.
pub struct SqlTypeOf<ST>(std::marker::PhantomData<ST>);
impl<DB: SupportsInterval> RunsOn<DB> for SqlTypeOf<crate::sql_types::Interval> {}
impl<DB: SupportsArrays, ST> RunsOn<DB> for SqlTypeOf<crate::sql_types::Array<ST>> {}
impl<DB, ST> RunsOn<DB> for SqlTypeOf<crate::sql_types::Nullable<ST>> where SqlTypeOf<ST>: RunsOn<DB> {}

/// The SQL every backend has: what [`Portable`] checks against.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnyBackend;

/// A value of a VALUES list or a SET clause. Those are checked when they are written (an insert keeps its
/// rows as values, not as types the connection could check later), before the backend is known, so they
/// take only SQL every backend has: Rust values, and expressions with no backend's own SQL in them. (A SET
/// clause keeps its values' types: it is checked where the statement runs, as a query is.)
#[diagnostic::on_unimplemented(
    message = "`{Self}` uses SQL only some backends have, and a VALUES or SET value must be SQL every backend has",
    label = "a backend's own SQL (such as `ilike`) as a value to write",
    note = "compute it in a query of its own and write the result, or write the statement with `sql_query`"
)]
pub trait Portable {}
#[diagnostic::do_not_recommend]
impl<V: RunsOn<AnyBackend>> Portable for V {}

/// Declares a marker trait a backend implements when it has one piece of SQL.
macro_rules! supports {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        pub trait $name {}
    )*};
}
supports! {
    /// `ILIKE` (`ilike`, `not_ilike`): PostgreSQL.
    #[diagnostic::on_unimplemented(
        message = "`ilike` and `not_ilike` are PostgreSQL-only: the `{Self}` backend has no ILIKE",
        label = "a query with ILIKE run on `{Self}`",
        note = "SQLite's LIKE already ignores the case of ASCII letters: use `like`"
    )]
    SupportsILike;
    /// `SELECT DISTINCT ON (..)` (`distinct_on`): PostgreSQL.
    #[diagnostic::on_unimplemented(
        message = "`distinct_on` is PostgreSQL-only: the `{Self}` backend has no DISTINCT ON",
        label = "a query with DISTINCT ON run on `{Self}`",
        note = "keep one row per key with a subquery instead: `group_by` and `max`, or a filter on `min(id)`"
    )]
    SupportsDistinctOn;
    /// Row locks (`for_update`, `for_no_key_update`, `for_share`, `for_key_share`, `skip_locked`,
    /// `no_wait`): PostgreSQL (MySQL later).
    #[diagnostic::on_unimplemented(
        message = "row locking (`for_update`, `for_share`, ..) is not SQL the `{Self}` backend has",
        label = "a query with FOR UPDATE/FOR SHARE run on `{Self}`",
        note = "SQLite locks the whole database: a transaction that writes first takes the lock (`immediate_transaction`)"
    )]
    SupportsRowLocking;
    /// The `jsonb` operators (`retrieve_as_object` `->`, `retrieve_as_text` `->>`, `contains` `@>`,
    /// `is_contained_by` `<@`, `has_key` `?`): PostgreSQL.
    #[diagnostic::on_unimplemented(
        message = "the `jsonb` operators (`->`, `->>`, `@>`, `<@`, `?`) are PostgreSQL-only: the `{Self}` backend has none",
        label = "a query with a `jsonb` operator run on `{Self}`",
        note = "on SQLite, read the JSON with `json_extract` through `define_sql_function!`, or filter in Rust"
    )]
    SupportsJsonb;
    /// Array columns and values (`Array<T>`) and their operators: PostgreSQL.
    #[diagnostic::on_unimplemented(
        message = "arrays (`Array<..>` columns, `@>`, `<@`, `&&`) are PostgreSQL-only: the `{Self}` backend has none",
        label = "a query with an array run on `{Self}`",
        note = "on SQLite, keep the elements in a table of their own, one row each"
    )]
    SupportsArrays;
    /// `INTERVAL` columns and values: PostgreSQL.
    #[diagnostic::on_unimplemented(
        message = "`Interval` is PostgreSQL-only: the `{Self}` backend has no INTERVAL type",
        label = "a query with an interval run on `{Self}`",
        note = "on SQLite, store the span as a number of seconds (`BigInt`)"
    )]
    SupportsInterval;
    /// An INSERT, UPDATE or DELETE with RETURNING as a common table expression's query (a data-modifying
    /// CTE): PostgreSQL.
    #[diagnostic::on_unimplemented(
        message = "a data-modifying CTE (INSERT, UPDATE or DELETE in WITH) is PostgreSQL-only: the `{Self}` backend has none",
        label = "a WITH clause with an INSERT, UPDATE or DELETE run on `{Self}`",
        note = "on SQLite, run the write first (with `returning` to keep its rows) in a transaction, then the statement that reads them"
    )]
    SupportsDataModifyingCte;
}

/// Appends `ident` between `quote` characters, doubling the quote inside it: the SQL-standard way. For
/// backends' [`Dialect::push_identifier`].
pub fn push_quoted(sql: &mut String, ident: &str, quote: char) {
    sql.push(quote);
    if ident.contains(quote) {
        for (i, part) in ident.split(quote).enumerate() {
            if i > 0 {
                sql.push(quote);
                sql.push(quote);
            }
            sql.push_str(part);
        }
    } else {
        sql.push_str(ident);
    }
    sql.push(quote);
}

#[cfg(test)]
mod tests {
    use super::push_quoted;

    #[test]
    fn a_quote_inside_an_identifier_is_doubled() {
        for (ident, expected) in [
            ("plain", r#""plain""#),
            (r#"we"ird"#, r#""we""ird""#),
            (r#"""#, r#""""""#),
            (r#"a""b"#, r#""a""""b""#),
            ("", r#""""#),
        ] {
            let mut sql = String::new();
            push_quoted(&mut sql, ident, '"');
            assert_eq!(sql, expected, "quoting {ident:?}");
        }
        let mut sql = String::new();
        push_quoted(&mut sql, "a`b", '`');
        assert_eq!(sql, "`a``b`");
    }
}
