use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let q = users::table.select(users::name).into_boxed();
    let _ = q.load::<i32>(&mut conn);
}
