use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.filter(users::id.gt(0)).select((users::name, count_star())).load::<(String, i64)>(&mut conn);
}
