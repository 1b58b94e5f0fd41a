use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::update(users::table).filter(users::id.eq(1)).set(users::name.eq(5)).execute(&mut conn);
}
