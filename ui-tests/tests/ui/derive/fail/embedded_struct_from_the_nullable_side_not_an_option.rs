use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::{posts, users};

#[derive(Queryable, Selectable)]
#[quarry(table_name = posts)]
struct Post {
    id: i32,
    title: String,
}

#[derive(Selectable)]
#[quarry(table_name = users)]
struct UserWithPost {
    name: String,
    #[quarry(embed)]
    post: Post,
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.left_join(posts::table).select(UserWithPost::as_select()).load(&mut conn);
}
