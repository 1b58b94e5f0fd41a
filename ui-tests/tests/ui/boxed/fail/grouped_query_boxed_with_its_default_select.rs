use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.group_by(posts::user_id).into_boxed().load::<(i32, i32, String, Option<String>, bool)>(&mut conn);
}
