use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { posts (id) { id -> Integer, tags -> Array<Text>, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.filter(posts::tags.contains(vec!["rust"])).select(posts::id).load::<i32>(&mut conn);
}
