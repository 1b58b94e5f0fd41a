use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

quarry::table! {
    tags (id) {
        id -> Integer,
        label -> Text,
    }
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.inner_join(tags::table).load::<(User, (i32, String))>(&mut conn);
}
