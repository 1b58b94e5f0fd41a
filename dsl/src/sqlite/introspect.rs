//! Reading a SQLite database's schema: `sqlite_schema`, `pragma_table_info`, `pragma_foreign_key_list`.

use super::SqliteConnection;
use crate::connection::RunQueryDsl;
use crate::introspection::{ColumnInfo, ForeignKey, TableInfo, sqlite_sql_type};
use crate::migration::MIGRATIONS_TABLE;
use crate::query::sql_query;
use crate::result::QueryResult;
use crate::sql_types::{Integer, Nullable, Text};

#[derive(crate::QueryableByName)]
struct Name {
    #[quarry(sql_type = Text)]
    name: String,
}

#[derive(crate::QueryableByName)]
struct Column {
    #[quarry(sql_type = Text)]
    name: String,
    #[quarry(sql_type = Text)]
    r#type: String,
    #[quarry(sql_type = Integer)]
    notnull: i32,
    #[quarry(sql_type = Integer)]
    pk: i32,
}

#[derive(crate::QueryableByName)]
struct Reference {
    #[quarry(sql_type = Integer)]
    id: i32,
    #[quarry(sql_type = Text)]
    parent: String,
    #[quarry(sql_type = Text)]
    from_column: String,
    #[quarry(sql_type = Nullable<Text>)]
    to_column: Option<String>,
}

/// Every table of the database (not SQLite's own, not the migrations table), sorted by name.
pub fn introspect(conn: &mut SqliteConnection) -> QueryResult<Vec<TableInfo>> {
    let names: Vec<Name> = sql_query(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name <> ? ORDER BY name",
    )
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    let mut tables = Vec::with_capacity(names.len());
    for Name { name } in names {
        let columns: Vec<Column> =
            sql_query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid")
                .bind::<Text, _>(&name)
                .load(conn)?;
        let mut key: Vec<(i32, String)> = columns.iter().filter(|c| c.pk > 0).map(|c| (c.pk, c.name.clone())).collect();
        key.sort();
        let primary_key: Vec<String> = key.into_iter().map(|(_, n)| n).collect();
        let refs: Vec<Reference> = sql_query(
            "SELECT id, \"table\" AS parent, \"from\" AS from_column, \"to\" AS to_column \
             FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind::<Text, _>(&name)
        .load(conn)?;
        let mut foreign_keys = Vec::new();
        for r in &refs {
            // Only single-column keys: a composite one has several rows with the same id.
            if refs.iter().filter(|o| o.id == r.id).count() == 1 {
                let parent_column = match &r.to_column {
                    Some(c) => c.clone(),
                    // `REFERENCES parent` without a column means the parent's primary key.
                    None => sql_query("SELECT name FROM pragma_table_info(?) WHERE pk = 1")
                        .bind::<Text, _>(&r.parent)
                        .load::<Name>(conn)?
                        .pop()
                        .map_or_else(String::new, |n| n.name),
                };
                foreign_keys.push(ForeignKey {
                    column: r.from_column.clone(),
                    parent_table: r.parent.clone(),
                    parent_column,
                    name: None,
                });
            }
        }
        // Only an INTEGER PRIMARY KEY (the rowid) is NOT NULL without saying so; SQLite lets other
        // primary key columns hold NULL unless declared NOT NULL.
        let rowid_key = primary_key.len() == 1;
        let columns = columns
            .into_iter()
            .map(|c| ColumnInfo {
                sql_type: sqlite_sql_type(&c.r#type).to_owned(),
                nullable: c.notnull == 0 && !(rowid_key && c.pk == 1 && c.r#type.eq_ignore_ascii_case("INTEGER")),
                name: c.name,
            })
            .collect();
        tables.push(TableInfo { name, columns, primary_key, foreign_keys });
    }
    Ok(tables)
}
