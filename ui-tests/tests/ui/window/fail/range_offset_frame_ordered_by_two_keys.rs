use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // A RANGE offset needs exactly one ORDER BY key.
    let frame = frame::Range.frame_start_with(2.preceding());
    let _ = posts::table
        .select(count_star().window_order((posts::user_id, posts::id)).frame_by(frame))
        .load::<i64>(&mut conn);
}
