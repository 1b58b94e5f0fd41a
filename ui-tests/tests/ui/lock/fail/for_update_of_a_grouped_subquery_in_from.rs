use quarry::dsl::count_star;
use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}

fn main() {
    // PostgreSQL locks the subquery's rows, which are groups here.
    let counts = posts::table.group_by(posts::user_id).select((posts::user_id, count_star()));
    let _ = post_counts::table.from_query(counts).for_update();
}
