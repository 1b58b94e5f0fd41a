use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = users::table.for_update().left_join(posts::table);
}
