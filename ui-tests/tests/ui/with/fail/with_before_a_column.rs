use quarry::dsl::with;
use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! { ids (id) { id -> Integer, } }

fn main() {
    // The statement after WITH must be a query or a write, not an expression.
    let _ = with(ids::table.as_cte(users::table.select(users::id))).query(users::id);
}
