use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { jobs (id) { id -> Integer, done -> Bool, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = jobs::table.filter(jobs::done.eq(false)).for_update().skip_locked().first::<(i32, bool)>(&mut conn);
}
