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

/// What SQLite's own JSON functions store in a JSON column: numbers as INTEGER or REAL, `jsonb(..)` as
/// a binary BLOB. Each reads back as the JSON `json(..)` gives for it, as `Value` and as text.
#[test]
fn every_storage_class_sqlite_s_json_functions_write_reads_back_exactly() -> QueryResult<()> {
    let mut conn = db();
    let long = "x".repeat(70_000);
    let cases = [
        (1, "json_extract('{\"n\":5}', '$.n')", json!(5)),
        (2, "json_extract('{\"n\":1.5}', '$.n')", json!(1.5)),
        (3, "json_extract('{\"n\":9007199254740993}', '$.n')", json!(9_007_199_254_740_993_i64)),
        (4, "json_extract('{\"n\":-9223372036854775808}', '$.n')", json!(i64::MIN)),
        (5, "json_extract('[0.1]', '$[0]')", json!(0.1)),
        (
            6,
            "jsonb('{\"a\":[1,2.5,\"x\\\"y\\\\z\",null,true,false],\"b\":{\"c\":\"\\u00e9\\n\"}}')",
            json!({"a": [1, 2.5, "x\"y\\z", null, true, false], "b": {"c": "é\n"}}),
        ),
        (7, "jsonb('[]')", json!([])),
        (8, "jsonb('{}')", json!({})),
        (9, "jsonb('\"plain\"')", json!("plain")),
        (
            11,
            "jsonb('{a:0x1F, b:.5, c:+3, d:''single'', e:\"\\x41\\v\"}')",
            json!({"a": 31, "b": 0.5, "c": 3, "d": "single", "e": "A\u{b}"}),
        ),
        (12, "jsonb(json_array(9223372036854775807, -0.0, 1e300))", json!([i64::MAX, -0.0, 1e300])),
    ]
    .map(|(id, expr, value)| (id, expr.to_owned(), value));
    // A JSONB text past 65,535 bytes has a 4-byte size in its header.
    let cases = cases.into_iter().chain([(10, format!("jsonb('{{\"long\":\"{long}\"}}')"), json!({ "long": long }))]);
    for (id, expr, expected) in cases {
        conn.batch_execute(&format!("INSERT INTO documents (id, body) VALUES ({id}, {expr})"))?;
        let value: Value = documents::table.find(id).select(documents::body).get_result(&mut conn)?;
        assert_eq!(value, expected, "{expr}");
        // The text form is what SQLite's json() writes for the same value.
        let text: String = documents::table.find(id).select(documents::body).get_result(&mut conn)?;
        #[derive(QueryableByName)]
        struct Text {
            #[quarry(sql_type = quarry::sql_types::Text)]
            t: String,
        }
        let by_sqlite: Vec<Text> =
            quarry::sql_query(format!("SELECT json(body) AS t FROM documents WHERE id = {id}")).load(&mut conn)?;
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            serde_json::from_str::<Value>(&by_sqlite[0].t).unwrap(),
            "{expr}"
        );
    }
    Ok(())
}

#[test]
fn a_blob_that_is_not_jsonb_or_a_real_with_no_json_form_is_an_error_naming_the_column() -> QueryResult<()> {
    let mut conn = db();
    // Not JSONB: a reserved type; infinity; a size past the end; JSON text stored as a blob (which reads
    // as `false` with a payload); an INT5 of `--5`; an object whose key is a number; a bad TEXTJ escape.
    conn.batch_execute(
        "INSERT INTO documents (id, body) VALUES (1, x'ff00'), (2, 9e999), (3, x'cb'), (4, x'227822'),
         (5, x'342d2d35'), (6, x'4c13311332'), (7, x'285c71')",
    )?;
    for id in 1..=7 {
        let err = documents::table.find(id).select(documents::body).get_result::<Value>(&mut conn).unwrap_err();
        assert!(matches!(err, Error::DeserializationError(_)), "{err}");
        assert!(err.to_string().contains("body"), "{err}");
    }
    Ok(())
}

quarry::table! {
    docs (id) {
        id -> Integer,
        body -> Jsonb,
    }
}

/// `Jsonb` on SQLite: the JSON text, and the JSONB blobs SQLite's own `jsonb()` writes, read the same.
#[test]
fn jsonb_columns_read_text_and_sqlite_jsonb_blobs() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.batch_execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body JSONB NOT NULL)").unwrap();
    quarry::insert_into(docs::table)
        .values((docs::id.eq(1), docs::body.eq(json!({"a": [1, 2.5, null]}))))
        .execute(&mut conn)
        .unwrap();
    conn.batch_execute(r#"INSERT INTO docs VALUES (2, jsonb('{"b": "x"}'))"#).unwrap();
    let rows: Vec<Value> = docs::table.order(docs::id).select(docs::body).load(&mut conn).unwrap();
    assert_eq!(rows, [json!({"a": [1, 2.5, null]}), json!({"b": "x"})]);
    let text: String = docs::table.find(2).select(docs::body).get_result(&mut conn).unwrap();
    assert_eq!(text, r#"{"b":"x"}"#);
}
