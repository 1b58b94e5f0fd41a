use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = users::table.filter(quarry::dsl::sql::<quarry::sql_types::Bool>("").bind::<quarry::sql_types::Integer, _>(posts::id)).load::<User>(&mut conn);
}
