use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { users (id) { id -> Integer, name -> Text, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let rows = vec![(users::id.eq(1), users::name.eq("Ann"))];
    let _ = quarry::copy_from(users::table).from_insertable(&rows).execute(&mut conn);
}
