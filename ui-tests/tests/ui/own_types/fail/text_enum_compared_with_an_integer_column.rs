use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::users;

#[derive(DbEnum)]
enum Status {
    Todo,
    Done,
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.filter(users::id.eq(Status::Done)).select(users::id).load::<i32>(&mut conn);
}
