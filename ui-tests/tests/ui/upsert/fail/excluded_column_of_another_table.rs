use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry::upsert::excluded;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = quarry::insert_into(users::table)
        .values(users::name.eq("Ann"))
        .on_conflict(users::id)
        .do_update()
        .set(users::name.eq(excluded(posts::title)))
        .execute(&mut conn);
}
