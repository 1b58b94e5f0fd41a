//! The SQL types Quarry has built in, one row each: the name `table!` and `quarry::sql_types` give it,
//! and each backend's names for it. The macro's list of known types, the DDL `--diff-schema` writes and
//! what print-schema reads back all come from [`BUILT_IN`].

/// One built-in SQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltInType {
    /// Its name in `table!` and in `quarry::sql_types` (`Integer`).
    pub name: &'static str,
    /// How a SQLite `CREATE TABLE` declares it: a name print-schema reads back as this type by
    /// SQLite's affinity rules (`FLOAT` for `Float`: `REAL` reads back as `Double`).
    pub sqlite: &'static str,
    /// How PostgreSQL writes it in DDL and casts (`DOUBLE PRECISION`).
    pub postgres: &'static str,
    /// PostgreSQL's catalog name for it (`pg_type.typname`: `float8`), which introspection reads.
    pub postgres_typname: &'static str,
    /// Whether only PostgreSQL has it: a column of it compiles for PostgreSQL only.
    pub postgres_only: bool,
}

const fn row(name: &'static str, sqlite: &'static str, postgres: &'static str, typname: &'static str) -> BuiltInType {
    BuiltInType { name, sqlite, postgres, postgres_typname: typname, postgres_only: false }
}

/// Every built-in SQL type (arrays aside: `Array<T>` is PostgreSQL's array of any of them).
pub const BUILT_IN: &[BuiltInType] = &[
    row("SmallInt", "SMALLINT", "SMALLINT", "int2"),
    row("Integer", "INTEGER", "INTEGER", "int4"),
    row("BigInt", "BIGINT", "BIGINT", "int8"),
    row("Float", "FLOAT", "REAL", "float4"),
    row("Double", "DOUBLE PRECISION", "DOUBLE PRECISION", "float8"),
    row("Text", "TEXT", "TEXT", "text"),
    row("Binary", "BLOB", "BYTEA", "bytea"),
    row("Bool", "BOOLEAN", "BOOLEAN", "bool"),
    row("Date", "DATE", "DATE", "date"),
    row("Time", "TIME", "TIME", "time"),
    row("Timestamp", "TIMESTAMP", "TIMESTAMP", "timestamp"),
    row("Json", "JSON", "JSON", "json"),
    row("Uuid", "UUID", "UUID", "uuid"),
    row("Timestamptz", "TIMESTAMPTZ", "TIMESTAMPTZ", "timestamptz"),
    row("Numeric", "NUMERIC", "NUMERIC", "numeric"),
    row("Jsonb", "JSONB", "JSONB", "jsonb"),
    BuiltInType { postgres_only: true, ..row("Interval", "INTERVAL", "INTERVAL", "interval") },
];

/// The built-in type named `name` in `table!` (`Integer`).
pub fn find(name: &str) -> Option<&'static BuiltInType> {
    BUILT_IN.iter().find(|t| t.name == name)
}

/// The built-in type PostgreSQL's catalog calls `typname` (`int4`).
pub fn by_postgres_typname(typname: &str) -> Option<&'static BuiltInType> {
    BUILT_IN.iter().find(|t| t.postgres_typname == typname)
}

/// PostgreSQL's name of the built-in type named `name`, at compile time: `quarry::sql_types` reads it
/// so (an unknown name stops the compile).
pub const fn postgres_name(name: &str) -> &'static str {
    let mut i = 0;
    while i < BUILT_IN.len() {
        if same(BUILT_IN[i].name, name) {
            return BUILT_IN[i].postgres;
        }
        i += 1;
    }
    panic!("not a built-in SQL type")
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_one_row_and_found_by_each_of_its_names() {
        for t in BUILT_IN {
            assert_eq!(BUILT_IN.iter().filter(|u| u.name == t.name).count(), 1, "{}", t.name);
            assert_eq!(find(t.name), Some(t));
            assert_eq!(by_postgres_typname(t.postgres_typname), Some(t));
            assert_eq!(postgres_name(t.name), t.postgres);
        }
        assert_eq!(find("Varchar"), None);
    }
}
