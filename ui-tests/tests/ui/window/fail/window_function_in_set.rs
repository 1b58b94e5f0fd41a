use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::update(users::table).set(users::name.eq(rank().over().cast::<quarry::sql_types::Text>())).execute(&mut conn);
}
