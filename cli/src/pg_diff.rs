//! `migration generate --diff-schema` on PostgreSQL: the `ALTER TABLE` statements that turn the live
//! schema into the schema file's (PostgreSQL changes tables in place, inside the migration's transaction),
//! and the statements that turn it back.

use quarry::introspection::{ColumnInfo, TableInfo};

use crate::diff::quoted;

/// PostgreSQL's name for a Quarry SQL type (`Array<Text>` is `TEXT[]`).
fn pg_type(sql_type: &str) -> String {
    if let Some(inner) = sql_type.strip_prefix("Array<").and_then(|t| t.strip_suffix('>')) {
        return format!("{}[]", pg_type(inner));
    }
    match sql_type {
        "SmallInt" => "SMALLINT",
        "Integer" => "INTEGER",
        "BigInt" => "BIGINT",
        "Float" => "REAL",
        "Double" => "DOUBLE PRECISION",
        "Text" => "TEXT",
        "Binary" => "BYTEA",
        "Bool" => "BOOLEAN",
        "Date" => "DATE",
        "Time" => "TIME",
        "Timestamp" => "TIMESTAMP",
        "Timestamptz" => "TIMESTAMPTZ",
        "Json" => "JSON",
        "Jsonb" => "JSONB",
        "Uuid" => "UUID",
        "Numeric" => "NUMERIC",
        "Interval" => "INTERVAL",
        other => other,
    }
    .to_owned()
}

fn column_def(t: &TableInfo, c: &ColumnInfo) -> String {
    let mut def = format!("{} {}", quoted(&c.name), pg_type(&c.sql_type));
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

fn create_table(t: &TableInfo) -> String {
    let mut defs: Vec<String> = t.columns.iter().map(|c| format!("    {}", column_def(t, c))).collect();
    if t.primary_key.len() > 1 {
        let key: Vec<String> = t.primary_key.iter().map(|k| quoted(k)).collect();
        defs.push(format!("    PRIMARY KEY ({})", key.join(", ")));
    }
    format!("CREATE TABLE {} (\n{}\n);\n", quoted(&t.name), defs.join(",\n"))
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
            // PostgreSQL's own name for a key declared without one.
            let name = quoted(&format!("{}_{}_fkey", t.name, fk.column));
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
            let name = quoted(&format!("{}_{}_fkey", t.name, fk.column));
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
/// can say) match `declared`; `None` when they already match.
pub fn diff(live: &[TableInfo], declared: &[TableInfo]) -> Result<Option<(String, String)>, String> {
    let up = migrate(live, declared)?;
    if up.is_empty() {
        return Ok(None);
    }
    let down = migrate(declared, live)?;
    let header = "-- Written by `quarry migration generate --diff-schema` for PostgreSQL: each statement alters a table in place,\n-- and the whole migration runs in one transaction.\n";
    Ok(Some((format!("{header}{up}"), format!("{header}{down}"))))
}
