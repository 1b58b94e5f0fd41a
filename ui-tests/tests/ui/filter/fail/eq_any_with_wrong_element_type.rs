use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.filter(users::id.eq_any(vec!["a", "b"])).load::<User>(&mut conn);
}
