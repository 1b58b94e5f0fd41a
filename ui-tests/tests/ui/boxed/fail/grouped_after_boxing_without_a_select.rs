use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // The select clause must be given again after `group_by` on a boxed query.
    let _ = posts::table.into_boxed().group_by(posts::user_id).load::<Post>(&mut conn);
}
