use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::{posts, users};

#[derive(Queryable, Selectable)]
#[quarry(table_name = users)]
struct User {
    id: i32,
    name: String,
}

#[derive(Selectable)]
#[quarry(table_name = posts)]
struct PostWithAuthor {
    title: String,
    #[quarry(embed)]
    author: User,
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = posts::table.select(PostWithAuthor::as_select()).load(&mut conn);
}
