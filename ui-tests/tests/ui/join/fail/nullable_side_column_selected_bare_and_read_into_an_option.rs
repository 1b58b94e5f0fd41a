use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // `posts::title` may be NULL here: one error at the select, none at the load into an `Option`.
    let _ = users::table.left_join(posts::table).select(posts::title).load::<Option<String>>(&mut conn);
}
