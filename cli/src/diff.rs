//! `migration generate --diff-schema`: the SQL that turns the live database into what the schema file
//! declares (`table!` and `joinable!` blocks), and the SQL that turns it back.

use quarry::introspection::{ColumnInfo, ForeignKey, TableInfo};
use quarry_table_syntax::syntax::{ColumnDecl, JoinableDecl, Schema, TableDecl, type_name, unraw};
use quarry_table_syntax::types;

/// The tables declared in a schema file's `table!` blocks, with foreign keys from its `joinable!`s, read
/// with the grammar the `table!` macro expands.
pub fn parse_schema(text: &str, shown: &str) -> Result<Vec<TableInfo>, String> {
    let file = syn::parse_file(text).map_err(|e| format!("`{shown}` is not valid Rust: {e}"))?;
    let mut tables = Vec::new();
    let mut joins = Vec::new();
    for item in file.items {
        let syn::Item::Macro(m) = item else { continue };
        let Some(name) = m.mac.path.segments.last().map(|s| s.ident.to_string()) else { continue };
        let tokens = m.mac.tokens.clone();
        match name.as_str() {
            "table" => {
                let schema = syn::parse2::<Schema>(tokens)
                    .map_err(|e| format!("a `table!` in `{shown}` cannot be read: {e}"))?;
                for decl in &schema.tables {
                    tables.push(table_info(decl).map_err(|e| format!("a `table!` in `{shown}` cannot be read: {e}"))?);
                }
            }
            "joinable" => joins.push(
                syn::parse2::<JoinableDecl>(tokens)
                    .map_err(|e| format!("a `joinable!` in `{shown}` cannot be read: {e}"))?,
            ),
            _ => {}
        }
    }
    for j in joins {
        let (child, parent, column) = (unraw(&j.child), unraw(&j.parent), unraw(&j.column));
        let parent = tables.iter().find(|t| t.0 == parent).map(|t| (t.1.name.clone(), t.1.primary_key.clone()));
        let Some((parent_table, key)) = parent else { continue };
        let Some(child) = tables.iter_mut().find(|t| t.0 == child) else { continue };
        let Some(column) = child.2.iter().find(|(rust, _)| *rust == column).map(|(_, sql)| sql.clone()) else {
            continue;
        };
        if let [parent_column] = key.as_slice() {
            child.1.foreign_keys.push(ForeignKey {
                column,
                parent_table,
                parent_column: parent_column.clone(),
                name: None,
            });
        }
    }
    Ok(tables.into_iter().map(|t| t.1).collect())
}

/// A parsed table as the diff compares it: its Rust name, the table, and each column's (Rust name, SQL
/// name).
type Declared = (String, TableInfo, Vec<(String, String)>);

fn table_info(decl: &TableDecl) -> syn::Result<Declared> {
    if let Some(schema) = &decl.schema {
        return Err(syn::Error::new(
            schema.span(),
            format!(
                "`{schema}.{}` names a table in another schema, which --diff-schema does not compare: write its migration by hand",
                decl.name
            ),
        ));
    }
    let names: Vec<(String, String)> = decl.columns.iter().map(|c| (unraw(&c.name), c.sql_name())).collect();
    let columns = decl
        .columns
        .iter()
        .map(|c: &ColumnDecl| {
            let (sql_type, nullable) = split_nullable(&c.sql_type)?;
            Ok(ColumnInfo { name: c.sql_name(), sql_type, nullable })
        })
        .collect::<syn::Result<_>>()?;
    let primary_key = decl
        .key_columns()
        .into_iter()
        .map(|k| names.iter().find(|(r, _)| *r == k).map_or(k.clone(), |(_, s)| s.clone()))
        .collect();
    let table = TableInfo { name: decl.sql_name(), columns, primary_key, foreign_keys: Vec::new() };
    Ok((unraw(&decl.name), table, names))
}

/// A column's SQL type as the diff compares it (`Array<Text>` keeps its element type, as print-schema
/// writes it), and whether it is nullable.
fn split_nullable(ty: &syn::Type) -> syn::Result<(String, bool)> {
    let Some((name, inner)) = type_name(ty) else { return Err(syn::Error::new_spanned(ty, "expected a SQL type")) };
    match (name.as_str(), inner) {
        ("Nullable", Some(inner)) => Ok((split_nullable(inner)?.0, true)),
        ("Nullable", None) => Err(syn::Error::new_spanned(ty, "expected `Nullable<Type>`")),
        (_, Some(inner)) => {
            let (element, nullable) = split_nullable(inner)?;
            let element = if nullable { format!("Nullable<{element}>") } else { element };
            Ok((format!("{name}<{element}>"), false))
        }
        (_, None) => Ok((name, false)),
    }
}

/// `name` as a SQLite identifier, quoted the way Quarry's own SQL is.
pub fn quoted(name: &str) -> String {
    use quarry::backend::Dialect as _;
    let mut sql = String::new();
    quarry::sqlite::Sqlite.push_identifier(&mut sql, name);
    sql
}

/// How a SQLite `CREATE TABLE` declares SQL type `sql_type`: a built-in type's SQLite name, any other
/// name as it is.
fn declared_type(sql_type: &str) -> &str {
    types::find(sql_type).map_or(sql_type, |t| t.sqlite)
}

/// A column's definition in `CREATE TABLE`, its SQL type named by `type_name` (each backend's words).
fn column_def_with(t: &TableInfo, c: &ColumnInfo, extras: &Extras, type_name: &dyn Fn(&str) -> String) -> String {
    let mut def = format!("{} {}", quoted(&c.name), type_name(&c.sql_type));
    if let Some(default) = extras.defaults.get(&(t.name.clone(), c.name.clone())) {
        def.push_str(&format!(" DEFAULT ({default})"));
    }
    if t.primary_key == [c.name.clone()] {
        def.push_str(" PRIMARY KEY");
    }
    if !c.nullable {
        def.push_str(" NOT NULL");
    }
    if let Some(fk) = t.foreign_keys.iter().find(|f| f.column == c.name) {
        def.push_str(&format!(" REFERENCES {} ({})", quoted(&fk.parent_table), quoted(&fk.parent_column)));
    }
    def
}

fn column_def(t: &TableInfo, c: &ColumnInfo, extras: &Extras) -> String {
    column_def_with(t, c, extras, &|ty| declared_type(ty).to_owned())
}

/// `CREATE TABLE` for `t`, under the name `as_name`, its SQL types named by `type_name`.
pub fn create_table_with(t: &TableInfo, as_name: &str, extras: &Extras, type_name: &dyn Fn(&str) -> String) -> String {
    let mut defs: Vec<String> =
        t.columns.iter().map(|c| format!("    {}", column_def_with(t, c, extras, type_name))).collect();
    if t.primary_key.len() > 1 {
        let key: Vec<String> = t.primary_key.iter().map(|k| quoted(k)).collect();
        defs.push(format!("    PRIMARY KEY ({})", key.join(", ")));
    }
    for check in extras.checks.get(&t.name).map_or(&[][..], Vec::as_slice) {
        defs.push(format!("    {check}"));
    }
    format!("CREATE TABLE {} (\n{}\n);\n", quoted(as_name), defs.join(",\n"))
}

/// `CREATE TABLE` for `t` in SQLite's words, under the name `as_name`.
fn create_table(t: &TableInfo, as_name: &str, extras: &Extras) -> String {
    create_table_with(t, as_name, extras, &|ty| declared_type(ty).to_owned())
}

/// SQLite's table rebuild (<https://sqlite.org/lang_altertable.html>, "other kinds of table schema
/// changes"): a new table, the common columns copied, the old one dropped, the new one renamed.
fn rebuild(from: &TableInfo, to: &TableInfo, extras: &Extras) -> String {
    let temp = format!("__quarry_new_{}", to.name);
    let common: Vec<String> =
        to.columns.iter().filter(|c| from.columns.iter().any(|o| o.name == c.name)).map(|c| quoted(&c.name)).collect();
    let temp_q = quoted(&temp);
    let name = quoted(&to.name);
    let mut sql = create_table(to, &temp, extras);
    // With no column in common there is nothing to copy (and `INSERT INTO t () ...` is not SQL).
    if !common.is_empty() {
        let cols = common.join(", ");
        sql.push_str(&format!("INSERT INTO {temp_q} ({cols}) SELECT {cols} FROM {name};\n"));
    }
    sql.push_str(&format!("DROP TABLE {name};\nALTER TABLE {temp_q} RENAME TO {name};\n"));
    // The table's indexes and triggers went with DROP TABLE: created again on the new one.
    for extra in extras.objects.get(&to.name).map_or(&[][..], Vec::as_slice) {
        sql.push_str(extra.trim_end_matches(';'));
        sql.push_str(";\n");
    }
    sql
}

/// The SQL that changes table set `from` into `to`, and whether it rebuilds a table that other tables
/// reference (it must then run with foreign keys off). `extras` holds what a rebuild recreates.
fn migrate(from: &[TableInfo], to: &[TableInfo], extras: &Extras) -> (String, bool) {
    let mut sql = String::new();
    let mut references_rebuilt = false;
    for t in to {
        match from.iter().find(|f| f.name == t.name) {
            None => sql.push_str(&create_table(t, &t.name, extras)),
            Some(f) if f == t => {}
            Some(f) => {
                let added: Vec<&ColumnInfo> =
                    t.columns.iter().filter(|c| !f.columns.iter().any(|o| o.name == c.name)).collect();
                let dropped: Vec<&ColumnInfo> =
                    f.columns.iter().filter(|c| !t.columns.iter().any(|o| o.name == c.name)).collect();
                let kept_same =
                    t.columns.iter().filter(|c| f.columns.contains(c)).count() + added.len() == t.columns.len();
                // ALTER TABLE covers nullable columns without a key or reference added at the end, and
                // dropped plain columns; anything else rebuilds the table.
                let simple = kept_same
                    && f.primary_key == t.primary_key
                    && f.foreign_keys
                        .iter()
                        .all(|k| t.foreign_keys.contains(k) || dropped.iter().any(|d| d.name == k.column))
                    && t.foreign_keys.iter().all(|k| f.foreign_keys.contains(k))
                    && added.iter().all(|c| c.nullable)
                    && t.columns.ends_with(&added.iter().map(|c| (*c).clone()).collect::<Vec<_>>())
                    && dropped.iter().all(|d| !f.primary_key.contains(&d.name));
                if simple {
                    for c in added {
                        sql.push_str(&format!(
                            "ALTER TABLE {} ADD COLUMN {};\n",
                            quoted(&t.name),
                            column_def(t, c, extras)
                        ));
                    }
                    for c in dropped {
                        sql.push_str(&format!(
                            "-- Drops {}.{} and its data; if it was renamed, write ALTER TABLE .. RENAME COLUMN instead.\n",
                            t.name, c.name
                        ));
                        sql.push_str(&format!("ALTER TABLE {} DROP COLUMN {};\n", quoted(&t.name), quoted(&c.name)));
                    }
                } else {
                    // Dropping a table others reference would delete or cascade to their rows with
                    // enforcement on: the migration runs with it off, references checked before COMMIT.
                    references_rebuilt |= from
                        .iter()
                        .any(|o| o.name != f.name && o.foreign_keys.iter().any(|k| k.parent_table == f.name));
                    for d in &dropped {
                        sql.push_str(&format!("-- The rebuild drops {}.{} and its data.\n", t.name, d.name));
                    }
                    sql.push_str(&format!(
                        "-- Rebuilds {}: its indexes, triggers, defaults, CHECK and UNIQUE constraints (as unique \
                         indexes) are created again.\n",
                        t.name
                    ));
                    sql.push_str(&rebuild(f, t, extras));
                }
            }
        }
    }
    for f in from.iter().filter(|f| !to.iter().any(|t| t.name == f.name)) {
        sql.push_str(&format!(
            "-- Drops table {} and its rows; if it was renamed, write ALTER TABLE .. RENAME TO instead.\n",
            f.name
        ));
        sql.push_str(&format!("DROP TABLE {};\n", quoted(&f.name)));
    }
    (sql, references_rebuilt)
}

/// The first lines of a migration: with foreign keys off when it rebuilds a referenced table.
fn header(references_rebuilt: bool) -> String {
    if references_rebuilt {
        format!(
            "{}\n-- Rebuilds a table that others reference: run with foreign keys off, references checked before COMMIT.\n",
            quarry::migration::FOREIGN_KEYS_OFF
        )
    } else {
        // References to a table created or rebuilt later in the same migration are checked at COMMIT.
        "PRAGMA defer_foreign_keys = ON;\n".to_owned()
    }
}

/// The up.sql and down.sql that take the database from `live` to `declared` and back; `None` when
/// they already match.
/// What the live database has beyond `TableInfo`, kept through a rebuild.
#[derive(Default)]
pub struct Extras {
    /// The SQL of indexes and triggers, by table name.
    pub objects: std::collections::HashMap<String, Vec<String>>,
    /// Column defaults as SQL expressions, by (table, column).
    pub defaults: std::collections::HashMap<(String, String), String>,
    /// The CHECK constraints of each table's CREATE TABLE, as `CHECK (..)` clauses.
    pub checks: std::collections::HashMap<String, Vec<String>>,
    /// Every view, as (name, CREATE VIEW SQL): dropped before a rebuild and created again after it, as
    /// SQLite's procedure says (renaming the new table fails while a view names a dropped one).
    pub views: Vec<(String, String)>,
}

/// The `CHECK (..)` clauses of a CREATE TABLE statement, column or table ones, skipping string literals
/// and quoted identifiers; each is kept whole so it can stand as a table constraint.
pub fn check_clauses(create_sql: &str) -> Vec<String> {
    let chars: Vec<char> = create_sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            q @ ('\'' | '"' | '`') => {
                i += 1;
                while i < chars.len() && chars[i] != q {
                    i += 1;
                }
                i += 1;
            }
            '[' => {
                while i < chars.len() && chars[i] != ']' {
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if !word.eq_ignore_ascii_case("check") {
                    continue;
                }
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if chars.get(j) != Some(&'(') {
                    continue;
                }
                let (open, mut depth) = (j, 0);
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        q @ ('\'' | '"' | '`') => {
                            j += 1;
                            while j < chars.len() && chars[j] != q {
                                j += 1;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let inner: String = chars[open..=j.min(chars.len() - 1)].iter().collect();
                out.push(format!("CHECK {inner}"));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Refuses a diff that drops a table another table keeps referencing: one the schema file cannot declare
/// (`all` has every live table, `live` those compared), whose reference would then point nowhere (the
/// server refuses the DROP, or SQLite lets rows point at nothing).
pub fn refuse_dropping_referenced(all: &[TableInfo], live: &[TableInfo], declared: &[TableInfo]) -> Result<(), String> {
    for gone in live.iter().filter(|t| !declared.iter().any(|d| d.name == t.name)) {
        // Only a table left alone keeps its reference: a compared one is altered as the file says first.
        let left_alone = |name: &str| !live.iter().any(|l| l.name == name);
        let child =
            all.iter().find(|t| left_alone(&t.name) && t.foreign_keys.iter().any(|k| k.parent_table == gone.name));
        if let Some(child) = child {
            return Err(format!(
                "the schema file drops `{}`, which `{}` references and keeps: change `{}` first, or write this migration by hand",
                gone.name, child.name, child.name
            ));
        }
    }
    Ok(())
}

/// The live tables as a schema file can describe them: foreign keys narrowed to those `joinable!` can
/// say, and the tables `print-schema` cannot print (no primary key, say) left out unless the file declares
/// them by hand, so that a diff of a printed file never drops them.
pub fn comparable(live: &[TableInfo], declared: &[TableInfo]) -> Vec<TableInfo> {
    // Compare only what a schema file can say: a foreign key that is not to its parent's one-column
    // primary key has no `joinable!`, and must not make every diff rebuild its table.
    let mut live = live.to_vec();
    let keys: Vec<(String, Vec<String>)> = live.iter().map(|t| (t.name.clone(), t.primary_key.clone())).collect();
    for t in &mut live {
        t.foreign_keys.retain(|k| {
            keys.iter().any(|(n, pk)| *n == k.parent_table && pk == std::slice::from_ref(&k.parent_column))
        });
    }
    // A table no schema file printed by `print-schema` can hold (no primary key, say) is left alone
    // unless the file declares it by hand: a diff of a printed file must not drop it.
    let all: Vec<&TableInfo> = live.iter().collect();
    let left_alone: Vec<String> = quarry::introspection::unprintable(&all)
        .into_iter()
        .filter(|(name, _)| !declared.iter().any(|d| d.name == *name))
        .map(|(name, _)| name.to_owned())
        .collect();
    live.retain(|t| !left_alone.contains(&t.name));
    // An enum column a schema file declares `Text` (as print-schema did before it declared enum types, and
    // as it still does for an enum whose name does not map to Rust) is left as it is: the diff must not
    // turn the enum into text.
    for t in &mut live {
        let Some(d) = declared.iter().find(|d| d.name == t.name) else { continue };
        for c in &mut t.columns {
            let enum_type = quarry::introspection::custom_type_sql_name(&c.sql_type).is_some();
            if enum_type && d.columns.iter().any(|dc| dc.name == c.name && dc.sql_type == "Text") {
                c.sql_type = "Text".to_owned();
            }
        }
    }
    live
}

pub fn diff(all: &[TableInfo], declared: &[TableInfo], extras: &Extras) -> Result<Option<(String, String)>, String> {
    let live = comparable(all, declared);
    refuse_dropping_referenced(all, &live, declared)?;
    let live = live.as_slice();
    let (up, up_rebuilds) = migrate(live, declared, extras);
    if up.is_empty() {
        return Ok(None);
    }
    let (down, down_rebuilds) = migrate(declared, live, extras);
    let wrap = |sql: String, references_rebuilt: bool| {
        let mut out = header(references_rebuilt);
        let rebuilds = sql.contains("\"__quarry_new_");
        if rebuilds {
            for (name, _) in &extras.views {
                out.push_str(&format!("DROP VIEW {};\n", quoted(name)));
            }
        }
        out.push_str(&sql);
        if rebuilds {
            for (_, view) in &extras.views {
                out.push_str(view.trim_end_matches(';'));
                out.push_str(";\n");
            }
        }
        out
    };
    Ok(Some((wrap(up, up_rebuilds), wrap(down, down_rebuilds))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_clauses_are_found_outside_strings_and_names() {
        let sql = r#"CREATE TABLE t (a INTEGER CHECK (a > 0), "check" TEXT DEFAULT 'CHECK (no)',
            b TEXT, CONSTRAINT named check(length(b) < 10 AND b <> ')'))"#;
        assert_eq!(check_clauses(sql), ["CHECK (a > 0)", "CHECK (length(b) < 10 AND b <> ')')"]);
    }

    #[test]
    fn schema_files_are_read_with_names_keys_nullability_and_joins() {
        let tables = parse_schema(
            r#"quarry::table! {
                   users (id) { id -> Integer, #[sql_name = "type"] type_ -> Nullable<Text>, }
                   posts { id -> Integer, user_id -> Integer, }
               }
               quarry::joinable!(posts -> users (user_id));"#,
            "schema.rs",
        )
        .expect("parses");
        assert_eq!(tables[0].columns[1], ColumnInfo { name: "type".into(), sql_type: "Text".into(), nullable: true });
        assert_eq!(tables[1].primary_key, ["id"]);
        assert_eq!(
            tables[1].foreign_keys,
            [ForeignKey {
                column: "user_id".into(),
                parent_table: "users".into(),
                parent_column: "id".into(),
                name: None
            }]
        );
    }
}

/// `print-schema` and `--diff-schema` over random schemas with hostile names: what is printed parses
/// back to the same tables (or is skipped with a comment), the live database then needs no migration,
/// and the migration from one random schema to another turns the first into the second and back.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    use quarry::introspection::{TableFilter, print_schema};
    use quarry::prelude::*;
    use quarry::sqlite::{SqliteConnection, introspect};

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z0-9_]{0,8}",
            Just(String::new()),
            Just("_".to_owned()),
            Just("type".to_owned()),
            Just("Self".to_owned()),
            Just("table".to_owned()),
            Just("dsl".to_owned()),
            Just("all_columns".to_owned()),
            "[ -~]{1,6}",
            "[0-9][a-z]{0,3}",
            "\\PC{1,4}",
        ]
    }

    fn declared_type() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "INTEGER",
            "BIGINT",
            "SMALLINT",
            "TEXT",
            "VARCHAR(20)",
            "BLOB",
            "REAL",
            "DOUBLE",
            "FLOAT",
            "BOOLEAN",
            "DATE",
            "TIME",
            "TIMESTAMP",
            "DATETIME",
            "JSON",
            "NUMERIC",
        ])
    }

    #[derive(Debug, Clone)]
    struct Table {
        name: String,
        columns: Vec<(String, &'static str, bool)>,
        keyed: bool,
    }

    fn tables() -> impl Strategy<Value = Vec<Table>> {
        let table = (name(), prop::collection::vec((name(), declared_type(), any::<bool>()), 1..5), any::<bool>())
            .prop_map(|(name, columns, keyed)| Table { name, columns, keyed });
        prop::collection::vec(table, 1..4).prop_map(|mut tables| {
            // SQLite compares names without regard to ASCII case.
            let mut seen = Vec::new();
            tables.retain(|t| {
                let key = t.name.to_ascii_lowercase();
                !key.starts_with("sqlite_") && !key.starts_with("__quarry") && !seen.contains(&key) && {
                    seen.push(key);
                    true
                }
            });
            for t in &mut tables {
                let mut seen = Vec::new();
                t.columns.retain(|c| {
                    let key = c.0.to_ascii_lowercase();
                    !seen.contains(&key) && {
                        seen.push(key);
                        true
                    }
                });
            }
            tables
        })
    }

    fn create(tables: &[Table]) -> SqliteConnection {
        let mut conn = SqliteConnection::establish(":memory:").expect("open");
        for t in tables {
            let columns: Vec<String> = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, (name, ty, not_null))| {
                    let key = if i == 0 && t.keyed { " PRIMARY KEY" } else { "" };
                    let null = if *not_null && !(i == 0 && t.keyed) { " NOT NULL" } else { "" };
                    format!("{} {ty}{key}{null}", quoted(name))
                })
                .collect();
            conn.batch_execute(&format!("CREATE TABLE {} ({})", quoted(&t.name), columns.join(", ")))
                .expect("create a random table");
        }
        conn
    }

    /// Every live table, those `print-schema` printed (the others are skipped with a comment saying
    /// why), and what the printed text parses back to.
    struct Printed {
        live: Vec<TableInfo>,
        kept: Vec<TableInfo>,
        parsed: Vec<TableInfo>,
    }

    fn printed(conn: &mut SqliteConnection) -> Result<Printed, TestCaseError> {
        let live = introspect(conn).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let text = print_schema(&live, &TableFilter::default());
        let parsed = parse_schema(&text, "schema.rs").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let all: Vec<&TableInfo> = live.iter().collect();
        let skipped = quarry::introspection::unprintable(&all);
        let kept = live.iter().filter(|t| !skipped.iter().any(|(name, _)| *name == t.name)).cloned().collect();
        Ok(Printed { live, kept, parsed })
    }

    fn cases(default: u32) -> Config {
        let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default);
        Config { cases, failure_persistence: None, ..Config::default() }
    }

    #[test]
    fn printed_schemas_parse_back_and_need_no_migration() {
        TestRunner::new(cases(300))
            .run(&tables(), |tables| {
                let Printed { live, kept, parsed } = printed(&mut create(&tables))?;
                prop_assert_eq!(&kept, &parsed);
                let changes = diff(&live, &parsed, &Extras::default()).map_err(TestCaseError::fail)?;
                prop_assert!(changes.is_none(), "{changes:?}");
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_generated_migration_turns_one_schema_into_the_other_and_back() {
        TestRunner::new(cases(150))
            .run(&(tables(), tables()), |(from, to)| {
                let mut conn = create(&from);
                let before = printed(&mut conn)?;
                let target = printed(&mut create(&to))?;
                let Some((up, down)) =
                    diff(&before.live, &target.parsed, &Extras::default()).map_err(TestCaseError::fail)?
                else {
                    return Ok(());
                };
                conn.batch_execute(&up).map_err(|e| TestCaseError::fail(format!("up.sql fails: {e}\n{up}")))?;
                // The live tables of `tables`' names, in its order.
                let named = |live: &[TableInfo], tables: &[TableInfo]| -> Vec<TableInfo> {
                    tables.iter().filter_map(|t| live.iter().find(|l| l.name == t.name).cloned()).collect()
                };
                let untouched: Vec<TableInfo> =
                    before.live.iter().filter(|t| !before.kept.contains(t)).cloned().collect();
                let after = printed(&mut conn)?;
                // Every declared table is there as declared, and the tables no schema file could
                // declare are as they were.
                prop_assert_eq!(named(&after.live, &target.kept), target.kept.clone(), "up.sql:\n{}", up);
                let still: Vec<TableInfo> =
                    untouched.iter().filter(|t| !target.kept.iter().any(|k| k.name == t.name)).cloned().collect();
                prop_assert_eq!(named(&after.live, &still), still.clone(), "up.sql:\n{}", up);
                conn.batch_execute(&down).map_err(|e| TestCaseError::fail(format!("down.sql fails: {e}\n{down}")))?;
                let back = printed(&mut conn)?;
                prop_assert_eq!(named(&back.live, &before.kept), before.kept.clone(), "down.sql:\n{}", down);
                Ok(())
            })
            .unwrap();
    }
}
