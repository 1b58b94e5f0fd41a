//! A live database's schema, read by a backend (`quarry::sqlite::introspect`) and written back as the
//! `table!`, `joinable!` and `allow_tables_to_appear_in_same_query!` blocks of a `schema.rs`: what
//! `quarry print-schema` prints.

use std::fmt::Write as _;

/// One table as the database describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    /// The table's SQL name.
    pub name: String,
    /// Its columns in declaration order.
    pub columns: Vec<ColumnInfo>,
    /// The primary key's columns, in key order.
    pub primary_key: Vec<String>,
    /// Its foreign keys of one column.
    pub foreign_keys: Vec<ForeignKey>,
}

/// One column: its SQL name, its Quarry SQL type (`Integer`, `Text`, ...) and whether it admits NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The column's SQL name.
    pub name: String,
    /// The Quarry SQL type it maps to, without `Nullable`.
    pub sql_type: String,
    /// True when the column admits NULL.
    pub nullable: bool,
}

/// A foreign key of one column: `column` references `parent_table` (`parent_column`).
#[derive(Debug, Clone)]
pub struct ForeignKey {
    /// The referencing column of this table.
    pub column: String,
    /// The referenced table.
    pub parent_table: String,
    /// The referenced column.
    pub parent_column: String,
    /// The constraint's name, where the database reports one (PostgreSQL; `None` from a schema file and
    /// from SQLite): what `--diff-schema` drops it by. Two keys are equal whatever their names.
    pub name: Option<String>,
}

impl PartialEq for ForeignKey {
    fn eq(&self, other: &ForeignKey) -> bool {
        (&self.column, &self.parent_table, &self.parent_column)
            == (&other.column, &other.parent_table, &other.parent_column)
    }
}
impl Eq for ForeignKey {}

/// Which tables to print: all but the excluded, or only the included when any are given.
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    /// Print only these (when not empty).
    pub only: Vec<String>,
    /// Never print these.
    pub except: Vec<String>,
    /// The schema the tables were read from, when it is not the default one: each `table!` then names it
    /// (`auth.users (id) { .. }`).
    pub schema: Option<String>,
}

impl TableFilter {
    /// Whether `table` is printed.
    pub fn accepts(&self, table: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|t| t == table)) && !self.except.iter().any(|t| t == table)
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Column names `table!` keeps for itself (items and modules of the table's module).
const RESERVED_COLUMNS: &[&str] = &["table", "star", "all_columns", "columns", "dsl"];

/// The Rust name for column `sql`, renamed when `table!` reserves it.
fn column_name(sql: &str) -> (String, bool) {
    let (mut name, mut differs) = rust_name(sql);
    if RESERVED_COLUMNS.contains(&name.as_str()) {
        name.push('_');
        differs = true;
    }
    (name, differs)
}

/// The Rust name for SQL name `sql`, and whether it differs (then `#[sql_name]` keeps the SQL one).
fn rust_name(sql: &str) -> (String, bool) {
    let mut name: String =
        sql.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c.to_ascii_lowercase() } else { '_' }).collect();
    if name.is_empty() {
        name.push_str("unnamed");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    // `_` alone is a pattern, not a name.
    if name == "_" {
        name.push('_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    let differs = name != sql;
    (name, differs)
}

fn sql_name_attr(out: &mut String, indent: &str, sql: &str, differs: bool) {
    if differs {
        let _ = writeln!(out, "{indent}#[sql_name = {sql:?}]");
    }
}

/// The Rust name of a type of the database's own named `sql` (`order_status` is `OrderStatus`), when the
/// name maps back to itself (lower-case words of two characters or more
/// joined by single underscores, each starting with a letter) and names nothing a table's module holds;
/// else `None`, and its columns are read as `Text`.
pub fn custom_type_rust_name(sql: &str) -> Option<String> {
    // Words of two characters or more: a one-letter word would make capitals run together (`h_t_t_p`
    // would be `HTTP`), and a hand-written `HTTPStatus` must not read as one of these names.
    let simple = !sql.is_empty()
        && sql.split('_').all(|w| {
            w.len() >= 2
                && w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !simple {
        return None;
    }
    let rust: String = sql
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    // Checked on the way back too, and against the names a table's module holds (`SqlType`,
    // `BoxedQuery`) or imports (`Nullable`, `Array`, the built-in types): such a name would not compile.
    let taken = crate::sql_types::built_in::find(&rust).is_some()
        || ["SqlType", "BoxedQuery", "Nullable", "Array"].contains(&rust.as_str());
    (snake_case(&rust) == sql && !taken).then_some(rust)
}

/// The SQL name of a type of the database's own that print-schema names `rust` (`OrderStatus` is
/// `order_status`): the inverse of [`custom_type_rust_name`]; `None` for a name it never writes (a
/// type written by hand, such as `HTTPStatus`, which a diff keeps as it is).
pub fn custom_type_sql_name(rust: &str) -> Option<String> {
    let sql = snake_case(rust);
    (custom_type_rust_name(&sql).as_deref() == Some(rust)).then_some(sql)
}

/// `OrderStatus` as `order_status`.
fn snake_case(rust: &str) -> String {
    let mut sql = String::new();
    for c in rust.chars() {
        if c.is_ascii_uppercase() {
            if !sql.is_empty() {
                sql.push('_');
            }
            sql.push(c.to_ascii_lowercase());
        } else {
            sql.push(c);
        }
    }
    sql
}

/// The custom types (not built in) a column type names, `Array<..>` looked into.
fn custom_type(sql_type: &str) -> Option<&str> {
    let inner = sql_type.strip_prefix("Array<").and_then(|t| t.strip_suffix('>')).unwrap_or(sql_type);
    crate::sql_types::built_in::find(inner).is_none().then_some(inner)
}

/// The tables among `tables` that `print_schema` cannot write as a `table!`, by SQL name, with the
/// reason: no primary key, two columns with one Rust name, or another table with the same Rust name
/// (of two such, the one named as in Rust is kept). A schema diff leaves them alone.
pub fn unprintable<'t>(tables: &[&'t TableInfo]) -> Vec<(&'t str, &'static str)> {
    let mut out = Vec::new();
    for t in tables {
        let mut names: Vec<String> = t.columns.iter().map(|c| column_name(&c.name).0).collect();
        names.sort();
        names.dedup();
        let (rust, differs) = rust_name(&t.name);
        let why = if t.primary_key.is_empty() {
            "it has no primary key, which `table!` needs (declare one, or write its `table!` by hand)"
        } else if names.len() != t.columns.len() {
            "two of its columns get the same Rust name; write its `table!` by hand with `#[sql_name]`"
        } else if differs && tables.iter().filter(|o| rust_name(&o.name).0 == rust).count() > 1 {
            "another table gets the same Rust name; write its `table!` by hand with `#[sql_name]`"
        } else {
            continue;
        };
        out.push((t.name.as_str(), why));
    }
    out
}

/// Writes `tables` (those `filter` accepts, sorted by name) as the blocks of a `schema.rs`. The output
/// depends only on the schema, so it can be committed and diffed.
pub fn print_schema(tables: &[TableInfo], filter: &TableFilter) -> String {
    let mut tables: Vec<&TableInfo> = tables.iter().filter(|t| filter.accepts(&t.name)).collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = String::from("// @generated by `quarry print-schema`: change the migrations, then print it again.\n");
    let skipped = unprintable(&tables);
    for (name, why) in &skipped {
        let _ = writeln!(out, "// Skipped `{name}`: {why}.");
    }
    let tables: Vec<&TableInfo> = tables.into_iter().filter(|t| !skipped.iter().any(|(n, _)| *n == t.name)).collect();
    let customs = |t: &TableInfo| {
        let mut used: Vec<String> =
            t.columns.iter().filter_map(|c| custom_type(&c.sql_type)).map(str::to_owned).collect();
        used.sort();
        used.dedup();
        used
    };
    let mut all_customs: Vec<String> = tables.iter().flat_map(|t| customs(t)).collect();
    all_customs.sort();
    all_customs.dedup();
    if !all_customs.is_empty() {
        out.push_str("\n/// The database's own SQL types, for the columns below.\npub mod sql_types {\n");
        for ty in &all_customs {
            let _ = writeln!(
                out,
                "    /// `{}` in the database.\n    #[derive(quarry::SqlType)]\n    pub struct {ty};",
                snake_case(ty)
            );
        }
        out.push_str("}\n");
    }
    for t in &tables {
        let (table, differs) = rust_name(&t.name);
        out.push_str("\nquarry::table! {\n");
        for ty in customs(t) {
            let _ = writeln!(out, "    use super::sql_types::{ty};");
        }
        sql_name_attr(&mut out, "    ", &t.name, differs);
        let key: Vec<String> = t.primary_key.iter().map(|k| column_name(k).0).collect();
        let qualifier = filter.schema.as_deref().map(|s| format!("{}.", rust_name(s).0)).unwrap_or_default();
        let _ = writeln!(out, "    {qualifier}{table} ({}) {{", key.join(", "));
        for c in &t.columns {
            let (column, differs) = column_name(&c.name);
            sql_name_attr(&mut out, "        ", &c.name, differs);
            let ty = if c.nullable { format!("Nullable<{}>", c.sql_type) } else { c.sql_type.clone() };
            let _ = writeln!(out, "        {column} -> {ty},");
        }
        out.push_str("    }\n}\n");
    }
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut joins = Vec::new();
    for t in &tables {
        for fk in &t.foreign_keys {
            // `joinable!` relates a column to the parent's single-column primary key.
            let parent_key = tables.iter().find(|p| p.name == fk.parent_table).map(|p| p.primary_key.as_slice());
            if parent_key == Some(std::slice::from_ref(&fk.parent_column)) && names.contains(&fk.parent_table.as_str())
            {
                joins.push(format!(
                    "quarry::joinable!({} -> {} ({}));",
                    rust_name(&t.name).0,
                    rust_name(&fk.parent_table).0,
                    column_name(&fk.column).0
                ));
            }
        }
    }
    joins.sort();
    joins.dedup();
    if !joins.is_empty() {
        out.push('\n');
        for j in joins {
            out.push_str(&j);
            out.push('\n');
        }
    }
    if tables.len() > 1 {
        let list: Vec<String> = tables.iter().map(|t| rust_name(&t.name).0).collect();
        let _ = writeln!(out, "quarry::allow_tables_to_appear_in_same_query!({});", list.join(", "));
    }
    out
}

/// The Quarry SQL type for a column declared with SQL type `declared`, by SQLite's affinity rules
/// (<https://sqlite.org/datatype3.html>, section 3.1) refined for the types Quarry knows.
pub fn sqlite_sql_type(declared: &str) -> &'static str {
    let t = declared.to_ascii_uppercase();
    // The names `--diff-schema` writes for the built-in types read back as those types (but PostgreSQL's
    // own: `INTERVAL` is an integer to SQLite).
    if let Some(built_in) = crate::sql_types::built_in::BUILT_IN.iter().find(|b| b.sqlite == t && !b.postgres_only) {
        return built_in.name;
    }
    let has = |s: &str| t.contains(s);
    if t.starts_with("BOOL") {
        "Bool"
    } else if has("INT") {
        if has("BIGINT") || has("INT8") {
            "BigInt"
        } else if has("SMALLINT") || has("INT2") || has("TINYINT") {
            "SmallInt"
        } else {
            "Integer"
        }
    } else if t == "UUID" {
        // NUMERIC affinity by SQLite's rules, which keeps the 16-byte BLOB Quarry stores as it is.
        "Uuid"
    } else if t.starts_with("JSONB") {
        "Jsonb"
    } else if t.starts_with("JSON") {
        // Text affinity in SQLite; the declared name says what the text holds.
        "Json"
    } else if t.starts_with("TIMESTAMPTZ") || t.starts_with("TIMESTAMP WITH TIME ZONE") {
        "Timestamptz"
    } else if t.starts_with("DATETIME") || t.starts_with("TIMESTAMP") {
        "Timestamp"
    } else if t.starts_with("DATE") {
        "Date"
    } else if t.starts_with("TIME") {
        "Time"
    } else if has("CHAR") || has("CLOB") || has("TEXT") {
        "Text"
    } else if t.is_empty() || has("BLOB") {
        "Binary"
    } else if t.starts_with("FLOAT") {
        "Float"
    } else if t.starts_with("NUMERIC") || t.starts_with("DECIMAL") {
        // Numeric affinity: read as a `Decimal` (or an `f64`) from the number or text stored.
        "Numeric"
    } else {
        // REAL, DOUBLE.
        "Double"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_of_the_database_s_own_is_named_in_rust_only_where_the_name_maps_back() {
        for (sql, rust) in [("mood", "Mood"), ("order_status", "OrderStatus"), ("level2_item", "Level2Item")] {
            assert_eq!(custom_type_rust_name(sql).as_deref(), Some(rust));
            assert_eq!(custom_type_sql_name(rust).as_deref(), Some(sql));
        }
        // Upper case, a digit-led word, a double underscore, a built-in's name, a name the table module
        // holds: read as `Text` instead.
        for sql in [
            "Mood",
            "a_1b",
            "a__b",
            "_a",
            "text",
            "integer",
            "",
            "sql_type",
            "boxed_query",
            "nullable",
            "array",
            "h_t_t_p",
        ] {
            let rust = custom_type_rust_name(sql);
            assert!(
                rust.as_deref().is_none_or(|r| custom_type_sql_name(r).as_deref() == Some(sql)),
                "{sql} -> {rust:?}"
            );
        }
        assert_eq!(custom_type_rust_name("Mood"), None);
        assert_eq!(custom_type_rust_name("text"), None, "`Text` is Quarry's own");
        assert_eq!(custom_type_rust_name("sql_type"), None, "a table module's `SqlType`");
    }

    #[test]
    fn columns_of_types_of_the_database_s_own_are_declared_once_and_imported_where_used() {
        let column = |name: &str, ty: &str| ColumnInfo { name: name.into(), sql_type: ty.into(), nullable: false };
        let tables = [
            TableInfo {
                name: "people".into(),
                columns: vec![column("id", "Integer"), column("mood", "Mood"), column("moods", "Array<Mood>")],
                primary_key: vec!["id".into()],
                foreign_keys: vec![],
            },
            TableInfo {
                name: "plain".into(),
                columns: vec![column("id", "Integer")],
                primary_key: vec!["id".into()],
                foreign_keys: vec![],
            },
        ];
        let printed = print_schema(&tables, &TableFilter::default());
        assert!(
            printed.contains("pub mod sql_types {\n    /// `mood` in the database.\n    #[derive(quarry::SqlType)]\n    pub struct Mood;\n}\n"),
            "{printed}"
        );
        assert!(printed.contains("quarry::table! {\n    use super::sql_types::Mood;\n    people (id) {"), "{printed}");
        assert!(printed.contains("quarry::table! {\n    plain (id) {"), "{printed}");
        assert_eq!(printed.matches("pub struct Mood").count(), 1);
    }

    #[test]
    fn declared_types_map_by_affinity() {
        for (declared, expected) in [
            ("INTEGER", "Integer"),
            ("int", "Integer"),
            ("BIGINT", "BigInt"),
            ("SMALLINT", "SmallInt"),
            ("VARCHAR(255)", "Text"),
            ("TEXT", "Text"),
            ("BLOB", "Binary"),
            ("", "Binary"),
            ("REAL", "Double"),
            ("DOUBLE PRECISION", "Double"),
            ("FLOAT", "Float"),
            ("BOOLEAN", "Bool"),
            ("DATETIME", "Timestamp"),
            ("TIMESTAMP", "Timestamp"),
            ("JSON", "Json"),
            ("jsonb", "Jsonb"),
            ("DATE", "Date"),
            ("TIME", "Time"),
            ("NUMERIC(10,2)", "Numeric"),
            ("decimal", "Numeric"),
        ] {
            assert_eq!(sqlite_sql_type(declared), expected, "{declared}");
        }
    }

    #[test]
    fn names_that_are_not_rust_identifiers_keep_their_sql_name() {
        assert_eq!(rust_name("user_id"), ("user_id".to_owned(), false));
        assert_eq!(rust_name("type"), ("type_".to_owned(), true));
        assert_eq!(rust_name("Order Items"), ("order_items".to_owned(), true));
        assert_eq!(rust_name("1st"), ("_1st".to_owned(), true));
    }
}
