//! `copy_from(table).from_insertable(&rows)` on PostgreSQL: every type COPY's text format carries, hostile
//! text, NULLs, 100,000 rows in flat memory, all-or-nothing on a refused row, and rows that hold SQL.

mod common;

use common::backends::pg_seeded_db;
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error};

quarry::table! {
    items (id) {
        id -> Integer,
        name -> Text,
        note -> Nullable<Text>,
        price -> Double,
        blob -> Binary,
        flag -> Bool,
        tags -> Array<Text>,
    }
}

#[derive(Insertable, Clone)]
#[quarry(table_name = items, treat_none_as_default_value = false)]
struct NewItem {
    id: i32,
    name: String,
    note: Option<String>,
    price: f64,
    blob: Vec<u8>,
    flag: bool,
    tags: Vec<String>,
}

fn item(id: i32, name: &str) -> NewItem {
    NewItem {
        id,
        name: name.to_owned(),
        note: (id % 2 == 0).then(|| format!("n{id}")),
        price: f64::from(id) / 4.0,
        blob: vec![0, 9, 10, 13, 92, 255],
        flag: id % 3 == 0,
        tags: vec!["a\tb".into(), "c\\d".into()],
    }
}

fn table(conn: &mut quarry::pg::PgConnection) {
    conn.batch_execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, price DOUBLE PRECISION NOT NULL,
         blob BYTEA NOT NULL, flag BOOLEAN NOT NULL, tags TEXT[] NOT NULL)",
    )
    .unwrap();
}

#[test]
fn copy_writes_every_value_as_insert_would() {
    let Some(mut conn) = pg_seeded_db() else { return };
    table(&mut conn);
    let hostile =
        ["tab\there", "new\nline", "back\\slash \\N", "\\.", "carriage\rreturn", "ünïcödé ✓", "", "NULL", "\\"];
    let rows: Vec<NewItem> = hostile.iter().enumerate().map(|(i, n)| item(i as i32, n)).collect();
    let n = quarry::copy_from(items::table).from_insertable(&rows).execute(&mut conn).unwrap();
    assert_eq!(n, hostile.len());
    type Row = (i32, String, Option<String>, f64, Vec<u8>, bool, Vec<String>);
    let back: Vec<Row> = items::table.order(items::id).load(&mut conn).unwrap();
    for (row, want) in back.iter().zip(&rows) {
        assert_eq!(
            row,
            &(
                want.id,
                want.name.clone(),
                want.note.clone(),
                want.price,
                want.blob.clone(),
                want.flag,
                want.tags.clone()
            )
        );
    }
    // Tuples of `column.eq(value)` too, and an empty batch writes nothing.
    let tuples = vec![(
        items::id.eq(100),
        items::name.eq("t"),
        items::note.eq(None::<String>),
        items::price.eq(f64::NAN),
        items::blob.eq(vec![1u8]),
        items::flag.eq(true),
        items::tags.eq(Vec::<String>::new()),
    )];
    assert_eq!(quarry::copy_from(items::table).from_insertable(&tuples).execute(&mut conn).unwrap(), 1);
    let nan: f64 = items::table.find(100).select(items::price).get_result(&mut conn).unwrap();
    assert!(nan.is_nan());
    assert_eq!(quarry::copy_from(items::table).from_insertable(Vec::<NewItem>::new()).execute(&mut conn).unwrap(), 0);
}

#[test]
fn a_refused_row_writes_nothing_and_the_connection_goes_on() {
    let Some(mut conn) = pg_seeded_db() else { return };
    table(&mut conn);
    let mut rows: Vec<NewItem> = (0..50_000).map(|i| item(i, "x")).collect();
    rows[40_000].id = 7; // a duplicate key, far past the first block sent
    let err = conn.transaction(|c| quarry::copy_from(items::table).from_insertable(&rows).execute(c)).unwrap_err();
    let Error::DatabaseError(kind, info) = &err else { panic!("{err:?}") };
    assert_eq!(*kind, DatabaseErrorKind::UniqueViolation, "{info:?}");
    let n: i64 = items::table.count().get_result(&mut conn).unwrap();
    assert_eq!(n, 0, "all or nothing");
    // A NUL byte is refused before anything is sent.
    let nul = vec![item(1, "a\0b")];
    let err = quarry::copy_from(items::table).from_insertable(&nul).execute(&mut conn).unwrap_err();
    assert!(err.to_string().contains("NUL"), "{err}");
    // Rows that hold SQL instead of values cannot be copied.
    quarry::define_sql_function!(
        fn upper(x: quarry::sql_types::Text) -> quarry::sql_types::Text;
    );
    let sql_rows = vec![(items::id.eq(1), items::name.eq(upper("a")))];
    let err = quarry::copy_from(items::table).from_insertable(&sql_rows).execute(&mut conn).unwrap_err();
    assert!(err.to_string().contains("COPY writes values"), "{err}");
    assert_eq!(quarry::copy_from(items::table).from_insertable(&rows[..10]).execute(&mut conn).unwrap(), 10);
}

#[test]
fn a_hundred_thousand_rows_in_one_copy() {
    let Some(mut conn) = pg_seeded_db() else { return };
    table(&mut conn);
    let rows: Vec<NewItem> = (0..100_000).map(|i| item(i, "bulk")).collect();
    assert_eq!(quarry::copy_from(items::table).from_insertable(&rows).execute(&mut conn).unwrap(), 100_000);
    let total: Option<f64> = items::table.select(quarry::dsl::sum(items::price)).get_result(&mut conn).unwrap();
    assert_eq!(total, Some((0..100_000).map(|i| f64::from(i) / 4.0).sum()));
}

/// The backend terminated in the middle of a COPY: the COPY is an error saying the connection closed (so a
/// pool discards it), promptly, and the next statement says so too; nothing hangs.
#[test]
fn a_backend_terminated_mid_copy_is_a_closed_connection_error() {
    let Some(url) = std::env::var("PG_DATABASE_URL").ok() else { return };
    let mut conn = quarry::pg::PgConnection::establish(&url).unwrap();
    let table = format!("quarry_copy_kill_{}", std::process::id());
    conn.batch_execute(&format!("CREATE TEMPORARY TABLE {table} (id INTEGER, body TEXT)")).unwrap();
    #[derive(QueryableByName)]
    struct Pid {
        #[quarry(sql_type = quarry::sql_types::Integer)]
        pid: i32,
    }
    let pid = quarry::sql_query("SELECT pg_backend_pid() AS pid").load::<Pid>(&mut conn).unwrap()[0].pid;
    quarry::table! { quarry_copy_kill (id) { id -> Integer, body -> Text, } }
    // The temporary table under the name `table!` gives it, through the search path's temporary schema.
    conn.batch_execute(&format!("ALTER TABLE {table} RENAME TO quarry_copy_kill")).unwrap();
    let body = "x".repeat(200);
    let rows: Vec<_> =
        (0..1_000_000).map(|i| (quarry_copy_kill::id.eq(i), quarry_copy_kill::body.eq(body.as_str()))).collect();
    let killer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(150));
        let mut admin = quarry::pg::PgConnection::establish(&url).unwrap();
        quarry::sql_query(format!("SELECT pg_terminate_backend({pid}) AS pid")).execute(&mut admin).unwrap();
    });
    let result = quarry::copy_from(quarry_copy_kill::table).from_insertable(&rows).execute(&mut conn);
    killer.join().unwrap();
    let Err(Error::DatabaseError(kind, info)) = result else {
        panic!("the COPY of 200 MB ended before the kill: {result:?}")
    };
    assert_eq!(kind, DatabaseErrorKind::ClosedConnection, "{info:?}");
    let next = conn.batch_execute("SELECT 1").unwrap_err();
    assert!(matches!(next, Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)), "{next:?}");
}

quarry::table! {
    #[sql_name = "odd \"table\", \"name\""]
    odd (id) {
        id -> Integer,
        #[sql_name = "a\", \"b"]
        ab -> Text,
    }
}

/// Quoted names holding quotes and commas: the COPY's column list is written as any statement's.
#[test]
fn copy_into_oddly_named_tables_and_columns() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(r#"CREATE TABLE "odd ""table"", ""name""" (id INTEGER PRIMARY KEY, "a"", ""b" TEXT NOT NULL)"#)
        .unwrap();
    let rows = vec![(odd::id.eq(1), odd::ab.eq("x")), (odd::id.eq(2), odd::ab.eq("y, \"z\""))];
    assert_eq!(quarry::copy_from(odd::table).from_insertable(&rows).execute(&mut conn).unwrap(), 2);
    let back: Vec<(i32, String)> = odd::table.order(odd::id).load(&mut conn).unwrap();
    assert_eq!(back, [(1, "x".to_string()), (2, "y, \"z\"".to_string())]);
}
