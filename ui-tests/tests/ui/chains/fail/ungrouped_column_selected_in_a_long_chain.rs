use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.filter(posts::published.eq(true)).group_by(posts::user_id).select((posts::user_id, posts::title, count_star())).order(posts::user_id).first::<(i32, String, i64)>(&mut conn);
}
