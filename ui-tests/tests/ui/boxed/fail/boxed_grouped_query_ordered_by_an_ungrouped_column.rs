use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let q = posts::table.group_by(posts::user_id).select((posts::user_id, count_star())).into_boxed();
    let _ = q.order(posts::title).load::<(i32, i64)>(&mut conn);
}
