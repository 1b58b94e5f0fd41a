use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // ON is evaluated per pair of rows, before any aggregate: COUNT(*) cannot stand there.
    let _ = users::table.inner_join(posts::table.on(posts::user_id.eq(users::id).and(count_star().gt(1))));
}
