//! Reading a PostgreSQL schema from `pg_catalog`: its tables, columns (with Quarry's SQL type for each
//! server type), primary keys, single-column foreign keys, and the enum types `print-schema` reports.

use super::PgConnection;
use crate::connection::RunQueryDsl;
use crate::introspection::{ColumnInfo, ForeignKey, TableInfo};
use crate::migration::MIGRATIONS_TABLE;
use crate::query::sql_query;
use crate::result::QueryResult;
use crate::sql_types::{Bool, Integer, Nullable, Text};

#[derive(crate::QueryableByName)]
struct Column {
    #[quarry(sql_type = Text)]
    table_name: String,
    #[quarry(sql_type = Text)]
    column_name: String,
    #[quarry(sql_type = Text)]
    type_name: String,
    #[quarry(sql_type = Text)]
    type_kind: String,
    #[quarry(sql_type = Nullable<Text>)]
    element_name: Option<String>,
    #[quarry(sql_type = Bool)]
    not_null: bool,
}

#[derive(crate::QueryableByName)]
struct KeyColumn {
    #[quarry(sql_type = Text)]
    table_name: String,
    #[quarry(sql_type = Text)]
    column_name: String,
    #[quarry(sql_type = Integer)]
    position: i32,
}

#[derive(crate::QueryableByName)]
struct Reference {
    #[quarry(sql_type = Text)]
    table_name: String,
    #[quarry(sql_type = Text)]
    column_name: String,
    #[quarry(sql_type = Text)]
    parent_table: String,
    #[quarry(sql_type = Text)]
    parent_column: String,
    #[quarry(sql_type = Text)]
    constraint_name: String,
}

/// An enum type of the schema and its labels, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumInfo {
    /// The type's name.
    pub name: String,
    /// Its labels, in their order.
    pub labels: Vec<String>,
}

#[derive(crate::QueryableByName)]
struct Label {
    #[quarry(sql_type = Text)]
    type_name: String,
    #[quarry(sql_type = Text)]
    label: String,
}

/// The Quarry SQL type for a column of the server type `name` (`typname`): an enum is a type of its own
/// (`mood` is `Mood`, which print-schema declares), unless its name does not map back from Rust
/// (upper-case letters, say: then `Text`); a domain or any type Quarry has no SQL type for reads as
/// `Text` (the server turns text into an enum where a value is bound, and every type into text where it
/// is read as text). `element` is an array's element type.
pub fn pg_sql_type(name: &str, kind: &str, element: Option<&str>) -> String {
    if let Some(element) = element {
        return format!("Array<{}>", pg_sql_type(element, "b", None));
    }
    if kind == "e" {
        // Declared in print-schema's `sql_types` module under this name, where the name maps back.
        return crate::introspection::custom_type_rust_name(name).unwrap_or_else(|| "Text".to_owned());
    }
    match name {
        "oid" => "Integer",
        _ => crate::sql_types::built_in::by_postgres_typname(name).map_or("Text", |t| t.name),
    }
    .to_owned()
}

/// Every table of `schema` (the first schema of the `search_path` when `None`), but the migrations
/// table, sorted by name.
pub fn introspect(conn: &mut PgConnection, schema: Option<&str>) -> QueryResult<Vec<TableInfo>> {
    let schema_sql = "COALESCE($1, current_schema())";
    let columns: Vec<Column> = sql_query(format!(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name, t.typname::text AS type_name, \
                t.typtype::text AS type_kind, e.typname::text AS element_name, a.attnotnull AS not_null \
         FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' \
         WHERE c.relkind IN ('r', 'p') AND n.nspname = {schema_sql} AND c.relname <> $2 \
         ORDER BY c.relname, a.attnum"
    ))
    .bind::<Nullable<Text>, _>(schema)
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    let keys: Vec<KeyColumn> = sql_query(format!(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name, k.ord::int4 AS position \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
         WHERE con.contype = 'p' AND n.nspname = {schema_sql} \
         ORDER BY c.relname, k.ord"
    ))
    .bind::<Nullable<Text>, _>(schema)
    .load(conn)?;
    let references: Vec<Reference> = sql_query(format!(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name, \
                p.relname::text AS parent_table, pa.attname::text AS parent_column, \
                con.conname::text AS constraint_name \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_class p ON p.oid = con.confrelid \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = con.conkey[1] \
         JOIN pg_catalog.pg_attribute pa ON pa.attrelid = p.oid AND pa.attnum = con.confkey[1] \
         WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND n.nspname = {schema_sql} \
         ORDER BY c.relname, con.conname"
    ))
    .bind::<Nullable<Text>, _>(schema)
    .load(conn)?;
    let mut tables: Vec<TableInfo> = Vec::new();
    for c in columns {
        if tables.last().is_none_or(|t| t.name != c.table_name) {
            tables.push(TableInfo {
                name: c.table_name.clone(),
                columns: Vec::new(),
                primary_key: Vec::new(),
                foreign_keys: Vec::new(),
            });
        }
        if let Some(table) = tables.last_mut() {
            table.columns.push(ColumnInfo {
                sql_type: pg_sql_type(&c.type_name, &c.type_kind, c.element_name.as_deref()),
                nullable: !c.not_null,
                name: c.column_name,
            });
        }
    }
    for k in keys {
        if let Some(t) = tables.iter_mut().find(|t| t.name == k.table_name) {
            debug_assert_eq!(t.primary_key.len() + 1, k.position as usize);
            t.primary_key.push(k.column_name);
        }
    }
    for r in references {
        if let Some(t) = tables.iter_mut().find(|t| t.name == r.table_name) {
            t.foreign_keys.push(ForeignKey {
                column: r.column_name,
                parent_table: r.parent_table,
                parent_column: r.parent_column,
                name: Some(r.constraint_name),
            });
        }
    }
    Ok(tables)
}

/// The enum types of `schema` (the current one when `None`) with their labels, sorted by name.
pub fn enums(conn: &mut PgConnection, schema: Option<&str>) -> QueryResult<Vec<EnumInfo>> {
    let labels: Vec<Label> = sql_query(
        "SELECT t.typname::text AS type_name, e.enumlabel::text AS label \
         FROM pg_catalog.pg_enum e \
         JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = COALESCE($1, current_schema()) \
         ORDER BY t.typname, e.enumsortorder",
    )
    .bind::<Nullable<Text>, _>(schema)
    .load(conn)?;
    let mut out: Vec<EnumInfo> = Vec::new();
    for l in labels {
        match out.last_mut() {
            Some(e) if e.name == l.type_name => e.labels.push(l.label),
            _ => out.push(EnumInfo { name: l.type_name, labels: vec![l.label] }),
        }
    }
    Ok(out)
}
