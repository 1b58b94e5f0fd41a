use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { users (id) { id -> Integer, name -> Text, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let mut q = users::table.into_boxed();
    q = q.filter(users::name.ilike("a%"));
    let _ = q.load::<(i32, String)>(&mut conn);
}
