//! A first end-to-end pass over the DSL on `:memory:`.
use quarry::prelude::*;
use quarry::sqlite::{Sqlite, SqliteConnection};

include!("../../schema.rs");

#[derive(Debug, PartialEq, Queryable, Selectable, Identifiable, AsChangeset)]
#[quarry(table_name = users)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

#[derive(Insertable)]
#[quarry(table_name = users)]
struct NewUser<'a> {
    name: &'a str,
    hair_color: Option<&'a str>,
}

#[test]
fn smoke() -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = SqliteConnection::establish(":memory:")?;
    conn.batch_execute(include_str!("../../schema.sql"))?;
    let n = quarry::insert_into(users::table)
        .values(&vec![NewUser { name: "Ann", hair_color: None }, NewUser { name: "Bo", hair_color: Some("red") }])
        .execute(&mut conn)?;
    assert_eq!(n, 2);
    let all: Vec<User> = users::table.order(users::id).load(&mut conn)?;
    println!("{all:?}");
    let q = users::table.filter(users::name.eq("Bo")).select(User::as_select());
    println!("{}", quarry::debug_query::<Sqlite, _>(&q));
    let bo: User = q.first(&mut conn)?;
    assert_eq!(bo.hair_color.as_deref(), Some("red"));
    let ids: Vec<i32> = users::table.select(users::id + 1).load(&mut conn)?;
    assert_eq!(ids, [2, 3]);
    let count: i64 = users::table.count().get_result(&mut conn)?;
    assert_eq!(count, 2);
    quarry::update(&bo).set(users::name.eq("Bob")).execute(&mut conn)?;
    let id: i32 =
        quarry::insert_into(users::table).values(users::name.eq("Cy")).returning(users::id).get_result(&mut conn)?;
    assert_eq!(id, 3);
    let n = quarry::delete(users::table.find(3)).execute(&mut conn)?;
    assert_eq!(n, 1);
    let names: Vec<String> = users::table
        .select(users::name)
        .filter(users::id.eq_any(vec![1, 2]))
        .order(users::name.desc())
        .load(&mut conn)?;
    assert_eq!(names, ["Bob", "Ann"]);
    Ok(())
}
