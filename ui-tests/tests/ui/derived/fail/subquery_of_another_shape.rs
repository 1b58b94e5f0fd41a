use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}

fn main() {
    // Selects (Integer, Text), but the shape declares (Integer, BigInt).
    let titles = posts::table.select((posts::user_id, posts::title));
    let _ = post_counts::table.from_query(titles);
}
