use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::users;

#[derive(Queryable, Identifiable, AsChangeset)]
#[quarry(table_name = users)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let user = User { id: 1, name: "Ann".into(), hair_color: None };
    let _saved: QueryResult<(i32, String)> = user.save_changes(&mut conn);
}
