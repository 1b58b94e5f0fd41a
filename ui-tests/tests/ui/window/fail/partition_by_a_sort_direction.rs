use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.select(row_number().partition_by(posts::id.desc())).load::<i64>(&mut conn);
}
