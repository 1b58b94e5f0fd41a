use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.left_join(posts::table).select((users::name, posts::title.nullable())).filter(users::id.eq(1)).load::<(String, String)>(&mut conn);
}
