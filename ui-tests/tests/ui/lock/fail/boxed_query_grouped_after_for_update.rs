use quarry::prelude::*;

quarry::table! { jobs (id) { id -> Integer, owner -> Integer, } }

fn main() {
    let q = jobs::table.for_update().into_boxed::<quarry::pg::Pg>();
    let _ = q.group_by(jobs::owner);
}
