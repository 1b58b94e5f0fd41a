use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    // Plain columns name no Rust type (a tuple or a `Queryable` struct would do): annotate.
    let rows = users::table.select((users::id, users::name)).load(&mut conn).unwrap();
    println!("{}", rows.len());
}
