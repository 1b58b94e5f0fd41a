use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = users::table.select(users::id).union(posts::table.select(posts::title));
}
