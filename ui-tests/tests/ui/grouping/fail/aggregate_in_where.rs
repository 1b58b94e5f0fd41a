use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.filter(count_star().gt(1)).load::<User>(&mut conn);
}
