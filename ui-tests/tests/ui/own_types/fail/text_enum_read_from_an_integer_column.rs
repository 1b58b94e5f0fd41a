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
    let _ = users::table.select(users::id).load::<Status>(&mut conn);
}
