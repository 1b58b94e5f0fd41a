use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table
        .distinct_on(posts::user_id)
        .order((posts::user_id, posts::id.desc()))
        .load::<(i32, i32)>(&mut conn);
}
