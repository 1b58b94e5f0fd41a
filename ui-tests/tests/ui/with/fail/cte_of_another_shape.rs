use quarry::dsl::with;
use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! { ids (id) { id -> Integer, } }

fn main() {
    // `ids` has one Integer column; the query selects text.
    let _ = with(ids::table.as_cte(users::table.select(users::name))).query(ids::table);
}
