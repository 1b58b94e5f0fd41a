use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = users::table.filter(users::id.eq_any(posts::table.select(posts::title)));
}
