use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

#[derive(AsChangeset)]
#[quarry(table_name = users)]
struct Patch {
    name: Option<String>,
    hair_color: Option<String>,
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let user = User { id: 1, name: "Ann".into(), hair_color: None };
    let _ = quarry::update(&user).set(users::name.eq("Bo")).execute(&mut conn);
    let _ = quarry::update(users::table.filter(users::id.gt(3)))
        .set(&Patch { name: None, hair_color: Some("red".into()) })
        .execute(&mut conn);
    let _: quarry::result::QueryResult<Vec<String>> =
        quarry::update(users::table).set(users::id.eq(users::id + 1)).returning(users::name).get_results(&mut conn);
    let _ = quarry::delete(users::table.find(1)).execute(&mut conn);
    let _ = quarry::delete(&user).execute(&mut conn);
}
