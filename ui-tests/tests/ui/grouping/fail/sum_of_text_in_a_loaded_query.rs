use quarry::dsl::sum;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.select(sum(users::name)).load::<Option<i64>>(&mut conn);
}
