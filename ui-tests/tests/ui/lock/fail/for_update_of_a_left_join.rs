use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // PostgreSQL cannot lock the rows of the nullable side of an outer join.
    let _ = users::table.left_join(posts::table).for_update();
}
