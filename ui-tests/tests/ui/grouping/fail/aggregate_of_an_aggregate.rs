use quarry::dsl::{count_star, max};
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // Valid only as a window: `sum(count_star()).over()`.
    let _ = posts::table.group_by(posts::user_id).select((posts::user_id, max(count_star()))).load::<(i32, Option<i64>)>(&mut conn);
}
