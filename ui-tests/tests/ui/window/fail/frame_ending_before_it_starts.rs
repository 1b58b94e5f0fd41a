use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.select(count_star().frame_by(frame::Rows.frame_between(frame::CurrentRow, 1.preceding()))).load::<i64>(&mut conn);
}
