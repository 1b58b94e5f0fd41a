use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // An `Option` holds a value to bind, not an expression: `posts::title` would also name a table the
    // query does not read.
    let _ = users::table.filter(users::hair_color.eq(Some(posts::title))).load::<User>(&mut conn);
}
