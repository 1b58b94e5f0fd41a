use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.filter(row_number().over().eq(1)).load::<Post>(&mut conn);
}
