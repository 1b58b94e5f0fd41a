use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.select(posts::published.cast::<quarry::sql_types::Integer>()).load::<i32>(&mut conn);
}
