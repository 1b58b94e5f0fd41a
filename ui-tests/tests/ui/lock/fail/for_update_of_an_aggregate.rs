use quarry::prelude::*;
use quarry::dsl::count_star;

quarry::table! { jobs (id) { id -> Integer, owner -> Integer, } }

fn main() {
    let _ = jobs::table.select(count_star()).for_update();
}
