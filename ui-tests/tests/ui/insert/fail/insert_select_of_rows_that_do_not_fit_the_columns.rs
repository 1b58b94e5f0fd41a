use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::insert_into(users::table)
        .values(posts::table.select((posts::id, posts::user_id)))
        .into_columns((users::id, users::name))
        .execute(&mut conn);
}
