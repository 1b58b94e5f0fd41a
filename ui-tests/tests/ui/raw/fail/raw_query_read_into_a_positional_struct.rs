use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::sql_query("SELECT * FROM users").load::<User>(&mut conn);
}
