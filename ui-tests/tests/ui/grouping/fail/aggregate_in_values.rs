use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::insert_into(users::table).values(users::id.eq(count_star().cast::<quarry::sql_types::Integer>())).execute(&mut conn);
}
