use quarry::dsl::exists;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // The subquery names `comments`, which neither it nor the outer query reads.
    let _ = users::table.filter(exists(posts::table.filter(posts::id.eq(comments::post_id)))).load::<User>(&mut conn);
}
