use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // UNION takes two SELECTs, not a DELETE with RETURNING.
    let _ = users::table.select(users::id).union(quarry::delete(users::table).returning(users::id));
}
