use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let mut q = users::table.into_boxed();
    q = q.filter(posts::title.eq("x"));
    let _ = q.load::<User>(&mut conn);
}
