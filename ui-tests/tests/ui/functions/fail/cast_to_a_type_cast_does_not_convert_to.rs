use quarry::prelude::*;
use quarry::sql_types::Binary;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.select(users::name.cast::<Binary>()).load::<Vec<u8>>(&mut conn);
}
