use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::update(users::table).filter(posts::title.eq("x")).set(users::name.eq("y")).execute(&mut conn);
}
