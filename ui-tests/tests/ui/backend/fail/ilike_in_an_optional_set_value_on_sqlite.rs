use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { users (id) { id -> Integer, name -> Text, starred -> Bool, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let change = Some(users::starred.eq(users::name.ilike("a%")));
    let _ = quarry::update(users::table).set(change).execute(&mut conn);
}
