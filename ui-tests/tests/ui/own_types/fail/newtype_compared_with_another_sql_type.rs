use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::users;

#[derive(DbNewType)]
struct UserId(i32);

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.filter(users::name.eq(UserId(1))).select(users::id).load::<i32>(&mut conn);
}
