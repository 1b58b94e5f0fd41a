use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

mod auth {
    quarry::table! { auth.users (id) { id -> Integer, email -> Text, } }
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // Both are exposed as `users` in the FROM clause: the second needs an alias.
    let _ = users::table
        .inner_join(auth::users::table.on(auth::users::id.eq(users::id)))
        .select((users::name, auth::users::email))
        .load::<(String, String)>(&mut conn);
}
