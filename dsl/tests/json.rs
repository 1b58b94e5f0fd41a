//! JSON columns: `Json` as text, `serde_json::Value` with the `serde_json` feature, and SQLite's
//! `json_*` functions reading what Quarry wrote.

use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::sqlite::SqliteConnection;
use serde_json::{Value, json};

quarry::table! {
    documents (id) {
        id -> Integer,
        body -> Json,
        extra -> Nullable<Json>,
    }
}

fn db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, body JSON NOT NULL, extra JSON)")
        .expect("schema");
    conn
}

#[derive(QueryableByName)]
struct Extracted {
    #[quarry(sql_type = quarry::sql_types::Text)]
    name: String,
}

#[test]
fn values_round_trip_and_sqlite_reads_them() -> QueryResult<()> {
    let mut conn = db();
    let body = json!({"name": "Ann", "tags": ["a", "b"], "age": 36});
    let q = quarry::insert_into(documents::table).values((
        documents::id.eq(1),
        documents::body.eq(&body),
        documents::extra.eq(None::<Value>),
    ));
    assert_eq!(
        quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).to_string(),
        r#"INSERT INTO "documents" ("id", "body", "extra") VALUES (?, ?, ?) -- binds: [1, "{\"age\":36,\"name\":\"Ann\",\"tags\":[\"a\",\"b\"]}", NULL]"#
    );
    q.execute(&mut conn)?;
    let (stored, extra): (Value, Option<Value>) =
        documents::table.select((documents::body, documents::extra)).first(&mut conn)?;
    assert_eq!((stored, extra), (body, None));

    let name =
        quarry::sql_query("SELECT json_extract(body, '$.name') AS name FROM documents").load::<Extracted>(&mut conn)?;
    assert_eq!(name[0].name, "Ann");
    // Text binds to a Json column too, and reads back as text.
    quarry::insert_into(documents::table)
        .values((documents::id.eq(2), documents::body.eq("[1, 2]")))
        .execute(&mut conn)?;
    let raw: String = documents::table.find(2).select(documents::body).first(&mut conn)?;
    assert_eq!(raw, "[1, 2]");
    Ok(())
}

#[test]
fn text_that_is_not_json_is_an_error_quoting_it() -> QueryResult<()> {
    let mut conn = db();
    conn.batch_execute("INSERT INTO documents VALUES (1, '{not json', NULL)")?;
    match documents::table.select(documents::body).first::<Value>(&mut conn) {
        Err(Error::DeserializationError(e)) => assert!(e.to_string().contains(r#""{not json" is not JSON"#), "{e}"),
        other => panic!("expected a deserialization error, got {other:?}"),
    }
    Ok(())
}
