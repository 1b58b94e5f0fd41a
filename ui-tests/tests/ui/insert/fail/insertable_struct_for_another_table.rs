use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let new = NewUser { name: "Ann", hair_color: None };
    let _ = quarry::insert_into(posts::table).values(&new).execute(&mut conn);
}
