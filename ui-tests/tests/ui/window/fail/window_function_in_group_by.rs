use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.group_by(row_number().over()).select(count_star()).load::<i64>(&mut conn);
}
