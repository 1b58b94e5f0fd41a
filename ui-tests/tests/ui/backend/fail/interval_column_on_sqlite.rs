use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { jobs (id) { id -> Integer, took -> Interval, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = jobs::table.select(jobs::id).filter(jobs::took.is_not_null()).load::<i32>(&mut conn);
}
