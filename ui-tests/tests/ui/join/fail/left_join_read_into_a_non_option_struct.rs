use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _: QueryResult<Vec<(User, Post)>> = users::table.left_join(posts::table).load(&mut conn);
}
