use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // The filter names `comments`, which the join does not read.
    let _ = quarry::delete(posts::table.inner_join(users::table).filter(comments::body.eq("spam"))).execute(&mut conn);
}
