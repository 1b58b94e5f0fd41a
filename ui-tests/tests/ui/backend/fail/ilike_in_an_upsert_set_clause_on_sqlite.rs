use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { users (id) { id -> Integer, name -> Text, starred -> Bool, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("a"), users::starred.eq(false)))
        .on_conflict(users::id)
        .do_update()
        .set(users::starred.eq(users::name.ilike("a%")))
        .execute(&mut conn);
}
