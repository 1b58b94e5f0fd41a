use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { events (id) { id -> Integer, data -> Jsonb, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = events::table.filter(events::data.has_key("user")).select(events::id).load::<i32>(&mut conn);
}
