use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::users;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _plan = users::table.filter(users::name.ilike("a%")).explain(&mut conn);
}
