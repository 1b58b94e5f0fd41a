use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { users (id) { id -> Integer, name -> Text, } }
quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }
quarry::allow_tables_to_appear_in_same_query!(users, posts);

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let authors = users::table.filter(users::name.ilike("a%")).select(users::id);
    let _ = posts::table.filter(posts::user_id.eq_any(authors)).execute(&mut conn);
}
