use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // `2 PRECEDING` in a RANGE frame is measured on the ORDER BY key: a title is no number.
    let frame = frame::Range.frame_start_with(2.preceding());
    let _ = posts::table.select(count_star().window_order(posts::title).frame_by(frame)).load::<i64>(&mut conn);
}
