use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let q = quarry::update(users::table).set(users::name.eq("y")).into_boxed();
    let _ = q.filter(posts::title.eq("x")).execute(&mut conn);
}
