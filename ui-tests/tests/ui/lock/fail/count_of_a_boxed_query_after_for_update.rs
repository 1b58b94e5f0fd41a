use quarry::prelude::*;

quarry::table! { jobs (id) { id -> Integer, owner -> Integer, } }

fn main() {
    // Boxing keeps the lock's rules: the count's row is no table row.
    let q = jobs::table.for_update().into_boxed::<quarry::pg::Pg>();
    let _ = q.filter(jobs::owner.eq(1)).count();
}
