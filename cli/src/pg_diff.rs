//! `migration generate --diff-schema` on PostgreSQL: the `ALTER TABLE` statements that turn the live
//! schema into the schema file's (PostgreSQL changes tables in place, inside the migration's transaction),
//! and the statements that turn it back.

use quarry::introspection::TableInfo;

use crate::diff::quoted;

/// PostgreSQL's name for a Quarry SQL type (`Array<Text>` is `TEXT[]`).
fn pg_type(sql_type: &str) -> String {
    if let Some(inner) = sql_type.strip_prefix("Array<").and_then(|t| t.strip_suffix('>')) {
        return format!("{}[]", pg_type(inner));
    }
    if let Some(t) = quarry_table_syntax::types::find(sql_type) {
        return t.postgres.to_owned();
    }
    // A type of the database's own, as print-schema names it (`OrderStatus` is `order_status`); any
    // other name as it is written.
    match quarry::introspection::custom_type_sql_name(sql_type) {
        Some(sql) => crate::diff::quoted(&sql),
        None => sql_type.to_owned(),
    }
}

fn create_table(t: &TableInfo) -> String {
    crate::diff::create_table_with(t, &t.name, &crate::diff::Extras::default(), &pg_type)
}

/// `tables` ordered so that a table comes after the tables it references (among them).
fn parents_first<'t>(tables: &[&'t TableInfo]) -> Vec<&'t TableInfo> {
    let mut out: Vec<&TableInfo> = Vec::new();
    let mut left: Vec<&TableInfo> = tables.to_vec();
    while !left.is_empty() {
        let before = left.len();
        left.retain(|t| {
            let ready = t.foreign_keys.iter().all(|fk| {
                fk.parent_table == t.name
                    || !tables.iter().any(|o| o.name == fk.parent_table)
                    || out.iter().any(|o| o.name == fk.parent_table)
            });
            if ready {
                out.push(t);
            }
            !ready
        });
        if left.len() == before {
            // A cycle: the rest in name order (the server then says which reference is missing).
            out.append(&mut left);
        }
    }
    out
}

/// The statements that turn `from` into `to`; an error for a change `ALTER TABLE` cannot say safely.
fn migrate(from: &[TableInfo], to: &[TableInfo]) -> Result<String, String> {
    let mut sql = String::new();
    let created: Vec<&TableInfo> = to.iter().filter(|t| !from.iter().any(|f| f.name == t.name)).collect();
    for t in parents_first(&created) {
        sql.push_str(&create_table(t));
    }
    for t in to {
        let Some(f) = from.iter().find(|f| f.name == t.name) else { continue };
        if f == t {
            continue;
        }
        let table = quoted(&t.name);
        if f.primary_key != t.primary_key {
            return Err(format!(
                "the primary key of `{}` changes ({} → {}): write that migration by hand",
                t.name,
                f.primary_key.join(", "),
                t.primary_key.join(", ")
            ));
        }
        for fk in f.foreign_keys.iter().filter(|k| !t.foreign_keys.contains(k)) {
            // The live key's name; else (the key this migration's other half adds) PostgreSQL's own name
            // for a key declared without one.
            let name = quoted(fk.name.as_deref().unwrap_or(&format!("{}_{}_fkey", t.name, fk.column)));
            sql.push_str(&format!("ALTER TABLE {table} DROP CONSTRAINT {name};\n"));
        }
        for c in f.columns.iter().filter(|c| !t.columns.iter().any(|o| o.name == c.name)) {
            sql.push_str(&format!("ALTER TABLE {table} DROP COLUMN {};\n", quoted(&c.name)));
        }
        for c in &t.columns {
            let column = quoted(&c.name);
            match f.columns.iter().find(|o| o.name == c.name) {
                None => {
                    let mut def = format!("{column} {}", pg_type(&c.sql_type));
                    if !c.nullable {
                        def.push_str(" NOT NULL");
                    }
                    sql.push_str(&format!("ALTER TABLE {table} ADD COLUMN {def};\n"));
                }
                Some(old) => {
                    if old.sql_type != c.sql_type {
                        let ty = pg_type(&c.sql_type);
                        sql.push_str(&format!(
                            "ALTER TABLE {table} ALTER COLUMN {column} TYPE {ty} USING {column}::{ty};\n"
                        ));
                    }
                    if old.nullable != c.nullable {
                        let change = if c.nullable { "DROP" } else { "SET" };
                        sql.push_str(&format!("ALTER TABLE {table} ALTER COLUMN {column} {change} NOT NULL;\n"));
                    }
                }
            }
        }
        for fk in t.foreign_keys.iter().filter(|k| !f.foreign_keys.contains(k)) {
            // Under the name it had when the down half restores a live key, so that up finds it again.
            let name = quoted(fk.name.as_deref().unwrap_or(&format!("{}_{}_fkey", t.name, fk.column)));
            sql.push_str(&format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({}) REFERENCES {} ({});\n",
                quoted(&fk.column),
                quoted(&fk.parent_table),
                quoted(&fk.parent_column)
            ));
        }
    }
    let dropped: Vec<&TableInfo> = from.iter().filter(|t| !to.iter().any(|d| d.name == t.name)).collect();
    for t in parents_first(&dropped).into_iter().rev() {
        sql.push_str(&format!("DROP TABLE {};\n", quoted(&t.name)));
    }
    Ok(sql)
}

/// The migration (up, down) that makes the live schema `live` (already narrowed to what a schema file
/// can say) match `declared`; `None` when they already match. `all` is every live table, those the
/// schema file cannot declare too: a table one of them references is not dropped.
pub fn diff(all: &[TableInfo], live: &[TableInfo], declared: &[TableInfo]) -> Result<Option<(String, String)>, String> {
    crate::diff::refuse_dropping_referenced(all, live, declared)?;
    let up = migrate(live, declared)?;
    if up.is_empty() {
        return Ok(None);
    }
    let down = migrate(declared, live)?;
    let header = "-- Written by `quarry migration generate --diff-schema` for PostgreSQL: each statement alters a table in place,\n-- and the whole migration runs in one transaction.\n";
    Ok(Some((format!("{header}{up}"), format!("{header}{down}"))))
}

#[cfg(test)]
mod tests {
    use quarry::introspection::{ColumnInfo, ForeignKey};

    use super::*;

    fn table(name: &str, key: &[&str], references: Option<&str>) -> TableInfo {
        TableInfo {
            name: name.to_owned(),
            columns: vec![ColumnInfo { name: "id".into(), sql_type: "Integer".into(), nullable: false }],
            primary_key: key.iter().map(|k| (*k).to_owned()).collect(),
            foreign_keys: references
                .map(|p| ForeignKey {
                    column: "id".into(),
                    parent_table: p.into(),
                    parent_column: "id".into(),
                    name: None,
                })
                .into_iter()
                .collect(),
        }
    }

    /// Found by the property test: dropping a table that a table the schema file cannot declare (no
    /// primary key) references would fail on the server; the generator says so instead.
    #[test]
    fn a_table_referenced_by_a_kept_one_is_not_dropped() {
        let parent = table("parent", &["id"], None);
        let keyless_child = table("child", &[], Some("parent"));
        let all = [parent.clone(), keyless_child];
        let err = diff(&all, &[parent], &[]).unwrap_err();
        assert!(err.contains("`child` references"), "{err}");
        // A compared child that the file changes to drop its reference lets the parent go.
        let declared_child = table("child", &["id"], None);
        let all = [table("parent", &["id"], None), table("child", &["id"], Some("parent"))];
        let (up, _) = diff(&all, &all, &[declared_child]).unwrap().unwrap();
        assert!(up.contains("DROP CONSTRAINT \"child_id_fkey\"") && up.contains("DROP TABLE \"parent\";"), "{up}");
        let (up, down) = diff(&all[..1], &all[..1], &[table("other", &["id"], None)]).unwrap().unwrap();
        assert!(up.contains("CREATE TABLE \"other\"") && up.contains("DROP TABLE \"parent\";"), "{up}");
        assert!(down.contains("CREATE TABLE \"parent\"") && down.contains("DROP TABLE \"other\";"), "{down}");
    }

    #[test]
    fn an_enum_column_a_schema_file_declares_text_is_left_alone() {
        let mut live = table("people", &["id"], None);
        live.columns.push(ColumnInfo { name: "mood".into(), sql_type: "Mood".into(), nullable: true });
        let mut declared = table("people", &["id"], None);
        declared.columns.push(ColumnInfo { name: "mood".into(), sql_type: "Text".into(), nullable: true });
        let all = [live];
        let compared = crate::diff::comparable(&all, std::slice::from_ref(&declared));
        assert_eq!(diff(&all, &compared, &[declared]).unwrap(), None, "no ALTER .. TYPE TEXT");
        // A hand-written type that print-schema would not name keeps its spelling.
        assert_eq!(pg_type("HTTPStatus"), "HTTPStatus");
        assert_eq!(pg_type("OrderStatus"), "\"order_status\"");
    }

    #[test]
    fn a_column_of_a_type_of_the_database_s_own_is_written_with_its_sql_name() {
        let before = table("people", &["id"], None);
        let mut after = before.clone();
        after.columns.push(ColumnInfo { name: "status".into(), sql_type: "OrderStatus".into(), nullable: true });
        after.columns.push(ColumnInfo { name: "past".into(), sql_type: "Array<OrderStatus>".into(), nullable: true });
        let (up, down) = diff(std::slice::from_ref(&before), std::slice::from_ref(&before), &[after]).unwrap().unwrap();
        assert!(up.contains("ADD COLUMN \"status\" \"order_status\""), "{up}");
        assert!(up.contains("ADD COLUMN \"past\" \"order_status\"[]"), "{up}");
        assert!(down.contains("DROP COLUMN \"status\""), "{down}");
    }
}

/// Random pairs of schemas on the real server (`PG_DATABASE_URL`): the generated migration turns one into
/// the other, and its `down.sql` turns it back, each checked by reading the schema again.
#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    use quarry::introspection::{TableFilter, print_schema};
    use quarry::pg::PgConnection;
    use quarry::prelude::*;

    use super::*;
    use crate::diff::{comparable, parse_schema};

    fn name() -> impl Strategy<Value = String> {
        prop_oneof!["[a-z][a-z0-9_]{0,8}", Just("type".to_owned()), Just("table".to_owned()), "[ -~]{1,6}", "\\PC{1,4}"]
    }

    /// Types that cast to one another, so that a changed column type always has its `USING` cast.
    fn column_type() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "NUMERIC", "TEXT"])
    }

    #[derive(Debug, Clone)]
    struct Table {
        name: String,
        columns: Vec<(String, &'static str, bool)>,
        keyed: bool,
        /// A reference from the second column (if INTEGER) to the first table's key.
        references_first: bool,
    }

    fn tables() -> impl Strategy<Value = Vec<Table>> {
        let table =
            (name(), prop::collection::vec((name(), column_type(), any::<bool>()), 1..5), any::<bool>(), any::<bool>())
                .prop_map(|(name, columns, keyed, references_first)| Table { name, columns, keyed, references_first });
        prop::collection::vec(table, 1..4).prop_map(|mut tables| {
            let mut seen = Vec::new();
            tables.retain(|t| {
                !t.name.starts_with("__quarry") && !seen.contains(&t.name) && {
                    seen.push(t.name.clone());
                    true
                }
            });
            for t in &mut tables {
                let mut seen = Vec::new();
                t.columns.retain(|c| {
                    !seen.contains(&c.0) && {
                        seen.push(c.0.clone());
                        true
                    }
                });
            }
            tables
        })
    }

    fn create(conn: &mut PgConnection, tables: &[Table]) -> Result<(), TestCaseError> {
        for (n, t) in tables.iter().enumerate() {
            let first_key = tables.first().filter(|f| f.keyed && f.columns[0].1 == "INTEGER" && n > 0);
            let columns: Vec<String> = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, (name, ty, not_null))| {
                    let key = if i == 0 && t.keyed { " PRIMARY KEY" } else { "" };
                    let null = if *not_null && !(i == 0 && t.keyed) { " NOT NULL" } else { "" };
                    let reference = match first_key {
                        Some(f) if i == 1 && *ty == "INTEGER" && t.references_first => {
                            format!(" REFERENCES {} ({})", quoted(&f.name), quoted(&f.columns[0].0))
                        }
                        _ => String::new(),
                    };
                    format!("{} {ty}{key}{null}{reference}", quoted(name))
                })
                .collect();
            conn.batch_execute(&format!("CREATE TABLE {} ({})", quoted(&t.name), columns.join(", ")))
                .map_err(|e| TestCaseError::fail(format!("create: {e}")))?;
        }
        Ok(())
    }

    /// The live tables as `print-schema` prints them and as its text parses back.
    fn printed(conn: &mut PgConnection) -> Result<(Vec<TableInfo>, Vec<TableInfo>), TestCaseError> {
        let live = quarry::pg::introspect(conn, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let text = print_schema(&live, &TableFilter::default());
        let parsed = parse_schema(&text, "schema.rs").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        Ok((live, parsed))
    }

    /// A fresh schema inside a transaction that is rolled back when the connection drops.
    fn scratch(url: &str, n: usize) -> PgConnection {
        let mut conn = PgConnection::establish(url).expect("connect");
        conn.begin_test_transaction().expect("begin");
        let n = format!("{}_{n}", std::process::id());
        conn.batch_execute(&format!("CREATE SCHEMA quarry_diff_{n}; SET LOCAL search_path TO quarry_diff_{n}"))
            .expect("schema");
        conn
    }

    #[test]
    fn a_generated_postgres_migration_turns_one_schema_into_the_other_and_back() {
        let Ok(url) = std::env::var("PG_DATABASE_URL") else { return };
        let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
        let counter = std::sync::atomic::AtomicUsize::new(0);
        TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
            .run(&(tables(), tables()), |(from, to)| {
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (mut conn, mut target) = (scratch(&url, 2 * n), scratch(&url, 2 * n + 1));
                create(&mut conn, &from)?;
                create(&mut target, &to)?;
                let (before_live, before) = printed(&mut conn)?;
                let (_, wanted) = printed(&mut target)?;
                let live = comparable(&before_live, &wanted);
                // A refusal (a changed primary key, a drop a kept table depends on) writes nothing.
                let Some((up, down)) = diff(&before_live, &live, &wanted).unwrap_or(None) else { return Ok(()) };
                conn.batch_execute(&up).map_err(|e| TestCaseError::fail(format!("up.sql fails: {e}\n{up}")))?;
                // Read back as the database has them (a table whose Rust name clashes with another's is
                // not printed, but is compared all the same).
                let (after_live, _) = printed(&mut conn)?;
                let after = comparable(&after_live, &wanted);
                let declared = |all: &[TableInfo], names: &[TableInfo]| -> Vec<TableInfo> {
                    names.iter().filter_map(|t| all.iter().find(|a| a.name == t.name).cloned()).collect()
                };
                prop_assert_eq!(declared(&after, &wanted), wanted.clone(), "up.sql:\n{}", up);
                conn.batch_execute(&down).map_err(|e| TestCaseError::fail(format!("down.sql fails: {e}\n{down}")))?;
                let (back_live, _) = printed(&mut conn)?;
                let back = comparable(&back_live, &before);
                prop_assert_eq!(declared(&back, &before), before.clone(), "down.sql:\n{}", down);
                Ok(())
            })
            .unwrap();
    }
}
