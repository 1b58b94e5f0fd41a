use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.group_by(posts::user_id).having(posts::title.eq("x")).select(posts::user_id).load::<i32>(&mut conn);
}
