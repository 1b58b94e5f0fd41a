use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::{posts, users};

#[derive(AsChangeset)]
#[quarry(table_name = users)]
struct Rename {
    name: String,
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::update(posts::table).set(&Rename { name: "x".into() }).execute(&mut conn);
}
