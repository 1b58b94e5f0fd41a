use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.group_by(posts::user_id).select(sum(posts::id).window_order(posts::title)).load::<Option<i64>>(&mut conn);
}
