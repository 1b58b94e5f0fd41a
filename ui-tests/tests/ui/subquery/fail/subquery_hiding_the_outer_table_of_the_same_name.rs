use quarry::dsl::exists;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

mod auth {
    quarry::table! { auth.users (id) { id -> Integer, email -> Text, } }
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // Inside the subquery, `"users"` is `auth.users`: the outer `users::id` cannot be named there.
    let _ = users::table
        .filter(exists(auth::users::table.filter(auth::users::id.eq(users::id))))
        .load::<User>(&mut conn);
}
