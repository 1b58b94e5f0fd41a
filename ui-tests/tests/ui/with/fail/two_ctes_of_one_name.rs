use quarry::dsl::with;
use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! { ids (id) { id -> Integer, } }

fn main() {
    // Both CTEs would be named "ids".
    let _ = with(ids::table.as_cte(users::table.select(users::id)))
        .with(ids::table.as_cte(posts::table.select(posts::id)))
        .query(ids::table);
}
