use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.select(row_number().window_filter(posts::published.eq(true))).load::<i64>(&mut conn);
}
