use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { users (id) { id -> Integer, name -> Text, starred -> Bool, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // A SET value is checked where the statement runs, as a query is: ILIKE runs on PostgreSQL only.
    let _ = quarry::update(users::table).set(users::starred.eq(users::name.ilike("a%"))).execute(&mut conn);
}
