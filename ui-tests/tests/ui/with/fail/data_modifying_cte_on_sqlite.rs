use quarry::dsl::with;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

quarry::table! { moved (id) { id -> Integer, title -> Text, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // SQLite has no INSERT, UPDATE or DELETE in WITH.
    let gone = quarry::delete(posts::table.filter(posts::published.eq(false))).returning((posts::id, posts::title));
    let _ = with(moved::table.as_cte(gone)).query(moved::table.select(moved::title)).load::<String>(&mut conn);
}
