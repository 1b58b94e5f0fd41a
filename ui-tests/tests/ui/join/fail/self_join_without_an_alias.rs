use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.inner_join(users::table.on(users::id.eq(users::id))).load::<(User, User)>(&mut conn);
}
