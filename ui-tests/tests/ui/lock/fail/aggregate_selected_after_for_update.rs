use quarry::prelude::*;
use quarry::dsl::max;

quarry::table! { jobs (id) { id -> Integer, owner -> Integer, } }

fn main() {
    let _ = jobs::table.for_update().select(max(jobs::id));
}
