//! `print-schema` on names no Rust identifier can be: empty, `_`, keywords, spaces, quotes, digits,
//! non-ASCII, names `table!` keeps for itself, and tables or columns that map to one Rust name. The
//! output (checked in as `fixtures/hostile_schema.rs`) compiles, because this file includes it, and runs
//! queries against the database it was printed from.

use quarry::introspection::{TableFilter, print_schema};
use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::{SqliteConnection, introspect};

mod hostile {
    include!("fixtures/hostile_schema.rs");
}

const SCHEMA: &str = r#"
CREATE TABLE "order" ("" INTEGER PRIMARY KEY, "_" TEXT, "a b" TEXT NOT NULL, "select" INTEGER, "Self" REAL,
                      "123" BLOB, "ünï" TEXT, "dsl" TEXT, "columns" TEXT, "table" TEXT, "x""y" TEXT);
CREATE TABLE "a-b" (id INTEGER PRIMARY KEY);
CREATE TABLE "a_b" (id INTEGER PRIMARY KEY);
CREATE TABLE "" (id INTEGER PRIMARY KEY, "order_id" INTEGER REFERENCES "order"(""));
CREATE TABLE "dup" (id INTEGER PRIMARY KEY, "a-1" TEXT, "a_1" TEXT);
"#;

fn db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(SCHEMA).expect("create the hostile schema");
    conn
}

#[test]
fn print_schema_output_is_the_checked_in_file() -> QueryResult<()> {
    let printed = print_schema(&introspect(&mut db())?, &TableFilter::default());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile_schema.rs");
    if std::env::var_os("QUARRY_BLESS").is_some() {
        std::fs::write(path, &printed).expect("write the fixture");
    }
    assert_eq!(printed, include_str!("fixtures/hostile_schema.rs"), "run with QUARRY_BLESS=1 to accept the new output");
    Ok(())
}

#[test]
fn the_printed_schema_queries_the_database_it_came_from() -> QueryResult<()> {
    use hostile::{order, unnamed};
    let mut conn = db();
    quarry::insert_into(order::table)
        .values((
            order::unnamed.eq(7),
            order::__.eq(Some("underscore")),
            order::a_b.eq("spaced"),
            order::select.eq(Some(1)),
            order::self_.eq(Some(1.5)),
            order::_123.eq(Some(vec![1u8, 2, 3])),
            order::_n_.eq(Some("ünï")),
            order::dsl_.eq(Some("d")),
            order::columns_.eq(Some("c")),
            order::table_.eq(Some("t")),
            order::x_y.eq(Some("quoted")),
        ))
        .execute(&mut conn)?;
    quarry::insert_into(unnamed::table)
        .values((unnamed::id.eq(1), unnamed::order_id.eq(Some(7))))
        .execute(&mut conn)?;
    let joined: Vec<(i32, String, Option<String>)> =
        unnamed::table.inner_join(order::table).select((unnamed::id, order::a_b, order::x_y)).load(&mut conn)?;
    assert_eq!(joined, [(1, "spaced".to_owned(), Some("quoted".to_owned()))]);
    let blob: Option<Vec<u8>> = order::table.find(7).select(order::_123).get_result(&mut conn)?;
    assert_eq!(blob, Some(vec![1, 2, 3]));
    Ok(())
}
