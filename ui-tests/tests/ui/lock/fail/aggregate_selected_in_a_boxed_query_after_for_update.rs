use quarry::prelude::*;
use quarry::dsl::count_star;

quarry::table! { jobs (id) { id -> Integer, owner -> Integer, } }

fn main() {
    let q = jobs::table.for_update().into_boxed::<quarry::pg::Pg>();
    let _ = q.select(count_star());
}
