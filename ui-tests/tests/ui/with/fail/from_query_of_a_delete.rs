use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! { ids (id) { id -> Integer, } }

fn main() {
    // A subquery in FROM reads rows; a DELETE cannot stand there.
    let gone = quarry::delete(users::table.filter(users::id.eq(1))).returning(users::id);
    let _ = ids::table.from_query(gone);
}
