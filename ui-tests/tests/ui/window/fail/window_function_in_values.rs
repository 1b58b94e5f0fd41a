use quarry::dsl::*;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::insert_into(posts::table).values(posts::user_id.eq(row_number().over().cast::<quarry::sql_types::Integer>())).execute(&mut conn);
}
