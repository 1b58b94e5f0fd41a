use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.inner_join(posts::table).filter(posts::title.eq(5)).order(users::id).limit(3).select((users::name, posts::title)).load::<(String, String)>(&mut conn);
}
