use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.group_by(posts::user_id).having(rank().window_order(posts::user_id).eq(1)).select(posts::user_id).load::<i32>(&mut conn);
}
