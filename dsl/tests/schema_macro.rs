//! `table!` features: SQL names that differ from the Rust names, composite primary keys, and
//! several tables in one invocation.

use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::{Sqlite, SqliteConnection};

quarry::table! {
    /// A table whose SQL names are not Rust identifiers.
    #[sql_name = "order items"]
    order_items (order_id, line) {
        order_id -> Integer,
        line -> Integer,
        /// `type` is a Rust keyword.
        #[sql_name = "type"]
        kind -> Text,
        #[sql_name = "unit price"]
        unit_price -> Double,
    }

    /// A second table declared in the same block.
    notes (id) {
        id -> Integer,
        body -> Text,
    }
}

#[derive(Debug, PartialEq, Queryable, Selectable, Identifiable, AsChangeset, Insertable)]
#[quarry(table_name = order_items, primary_key(order_id, line))]
struct OrderItem {
    order_id: i32,
    line: i32,
    kind: String,
    #[quarry(column_name = unit_price)]
    price: f64,
}

fn db() -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(
        r#"CREATE TABLE "order items" (order_id INTEGER, line INTEGER, "type" TEXT NOT NULL, "unit price" REAL NOT NULL,
                                       PRIMARY KEY (order_id, line));
           CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"#,
    )
    .expect("create tables");
    conn
}

fn item(order_id: i32, line: i32, kind: &str, price: f64) -> OrderItem {
    OrderItem { order_id, line, kind: kind.into(), price }
}

#[test]
fn sql_names_are_quoted_in_every_statement() -> QueryResult<()> {
    let mut conn = db();
    let insert = quarry::insert_into(order_items::table).values(item(1, 1, "book", 9.5));
    assert_eq!(
        quarry::debug_query::<Sqlite, _>(&insert).sql()?,
        r#"INSERT INTO "order items" ("order_id", "line", "type", "unit price") VALUES (?, ?, ?, ?)"#
    );
    insert.execute(&mut conn)?;
    let q = order_items::table.select(order_items::kind).filter(order_items::unit_price.gt(1.0));
    assert_eq!(
        quarry::debug_query::<Sqlite, _>(&q).sql()?,
        r#"SELECT "order items"."type" FROM "order items" WHERE "order items"."unit price" > ?"#
    );
    assert_eq!(q.load::<String>(&mut conn)?, ["book"]);
    Ok(())
}

#[test]
fn composite_primary_keys_find_update_and_delete() -> QueryResult<()> {
    let mut conn = db();
    let rows = vec![item(1, 1, "book", 9.5), item(1, 2, "pen", 1.25), item(2, 1, "ink", 3.0)];
    quarry::insert_into(order_items::table).values(&rows).execute(&mut conn)?;
    let q = order_items::table.find((1, 2));
    assert_eq!(
        quarry::debug_query::<Sqlite, _>(&q).to_string(),
        r#"SELECT "order items"."order_id", "order items"."line", "order items"."type", "order items"."unit price" FROM "order items" WHERE "order items"."order_id" = ? AND "order items"."line" = ? -- binds: [1, 2]"#
    );
    assert_eq!(q.first::<OrderItem>(&mut conn)?, item(1, 2, "pen", 1.25));

    let mut pen = q.first::<OrderItem>(&mut conn)?;
    pen.price = 1.5;
    let update = quarry::update(&pen).set(&pen);
    assert_eq!(
        quarry::debug_query::<Sqlite, _>(&update).to_string(),
        r#"UPDATE "order items" SET "type" = ?, "unit price" = ? WHERE "order items"."order_id" = ? AND "order items"."line" = ? -- binds: ["pen", 1.5, 1, 2]"#
    );
    assert_eq!(update.execute(&mut conn)?, 1);
    assert_eq!(order_items::table.find((1, 2)).first::<OrderItem>(&mut conn)?.price, 1.5);

    assert_eq!(quarry::delete(&pen).execute(&mut conn)?, 1);
    let left: Vec<(i32, i32)> = order_items::table
        .select((order_items::order_id, order_items::line))
        .order(order_items::order_id)
        .load(&mut conn)?;
    assert_eq!(left, [(1, 1), (2, 1)]);
    Ok(())
}

#[test]
fn tables_declared_together_are_independent() -> QueryResult<()> {
    let mut conn = db();
    quarry::insert_into(notes::table).values(notes::body.eq("hi")).execute(&mut conn)?;
    assert_eq!(notes::table.select(notes::body).load::<String>(&mut conn)?, ["hi"]);
    assert_eq!(<notes::table as Table>::NAME, "notes");
    assert_eq!(<order_items::table as Table>::NAME, "order items");
    Ok(())
}

// Two names whose 32-bit FNV-1a hashes are equal: ids spell names exactly, so they are two tables.
quarry::table! { #[sql_name = "r__x_"] rx (id) { id -> Integer, wvbcq_id -> Integer, } }
quarry::table! { wvbcq (id) { id -> Integer, } }
quarry::joinable!(rx -> wvbcq (wvbcq_id));
quarry::allow_tables_to_appear_in_same_query!(rx, wvbcq);

#[test]
fn tables_whose_names_share_a_short_hash_are_two_tables() -> QueryResult<()> {
    let mut conn = SqliteConnection::establish(":memory:").expect("open");
    conn.batch_execute(
        "CREATE TABLE wvbcq (id INTEGER PRIMARY KEY); CREATE TABLE r__x_ (id INTEGER PRIMARY KEY, wvbcq_id INTEGER);
         INSERT INTO wvbcq VALUES (7); INSERT INTO r__x_ VALUES (1, 7);",
    )?;
    // Once the same table to the compiler, this join was refused as a self-join without an alias.
    let pairs: Vec<(i32, i32)> = rx::table.inner_join(wvbcq::table).select((rx::id, wvbcq::id)).load(&mut conn)?;
    assert_eq!(pairs, [(1, 7)]);
    // And a GROUP BY on one's `id` does not admit the other's.
    let grouped: Vec<(i32, i64)> = rx::table
        .inner_join(wvbcq::table)
        .group_by(wvbcq::id)
        .select((wvbcq::id, quarry::dsl::count(rx::id)))
        .load(&mut conn)?;
    assert_eq!(grouped, [(7, 1)]);
    Ok(())
}

mod attached {
    quarry::table! {
        aux.notes (id) {
            id -> Integer,
            body -> Text,
        }
    }
}

/// On SQLite a schema is an attached database: `aux.notes` is written `"aux"."notes"`.
#[test]
fn a_table_of_an_attached_database_is_written_with_its_schema() {
    use quarry::prelude::*;
    let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:").unwrap();
    conn.batch_execute("ATTACH ':memory:' AS aux; CREATE TABLE aux.notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .unwrap();
    quarry::insert_into(attached::notes::table).values(attached::notes::body.eq("hi")).execute(&mut conn).unwrap();
    let q = attached::notes::table.select(attached::notes::body);
    assert_eq!(
        quarry::debug_query::<quarry::sqlite::Sqlite, _>(&q).sql().unwrap(),
        r#"SELECT "aux"."notes"."body" FROM "aux"."notes""#
    );
    assert_eq!(q.load::<String>(&mut conn).unwrap(), ["hi"]);
}

quarry::table! {
    r#match (r#type) {
        r#type -> Text,
        r#struct -> Integer,
    }
}

/// A raw identifier (`r#type`) names the column `type` in SQL, as `--diff-schema` has always read it.
#[test]
fn raw_identifiers_name_their_columns_without_the_prefix() -> QueryResult<()> {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.batch_execute(r#"CREATE TABLE "match" ("type" TEXT PRIMARY KEY, "struct" INTEGER NOT NULL)"#)?;
    quarry::insert_into(r#match::table)
        .values((r#match::r#type.eq("a"), r#match::r#struct.eq(1)))
        .execute(&mut conn)?;
    let rows: Vec<(String, i32)> = r#match::table.filter(r#match::r#struct.eq(1)).load(&mut conn)?;
    assert_eq!(rows, [("a".to_owned(), 1)]);
    assert_eq!(
        quarry::debug_query::<quarry::sqlite::Sqlite, _>(&r#match::table.find("a")).sql()?,
        r#"SELECT "match"."type", "match"."struct" FROM "match" WHERE "match"."type" = ?"#
    );
    Ok(())
}
