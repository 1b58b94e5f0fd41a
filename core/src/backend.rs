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

    /// How a list of `len` values for `IN` is bound: `None` writes one placeholder per value (`(?, ?)`);
    /// an encoder binds the whole list as one value, with no limit on its length (SQLite: a JSON array
    /// read by `json_each`; PostgreSQL: an array for `= ANY($1)`).
    fn list_encoder(&self, len: usize) -> Option<Box<dyn ListEncoder>> {
        let _ = len;
        None
    }
}

/// Takes a list's values one by one (as a [`BindSink`](crate::render::BindSink)) and gives the one value
/// bound for them all.
pub trait ListEncoder: crate::render::BindSink {
    /// The SQL around the list's one placeholder, `(open, close)`; `bytes` when the values are blobs.
    fn sql(&self, bytes: bool) -> (&'static str, &'static str);
    /// The value bound for the whole list.
    fn finish(self: Box<Self>) -> crate::result::QueryResult<crate::render::BindValue<'static>>;
}

/// A database backend, such as `quarry::sqlite::Sqlite`.
pub trait Backend: Dialect + Default + Sized + 'static {
    /// The value of one column of one row, as the driver hands it out, borrowed from the driver.
    type RawValue<'a>;
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
