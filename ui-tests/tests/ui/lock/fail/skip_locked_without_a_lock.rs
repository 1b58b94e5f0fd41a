use quarry::prelude::*;

quarry::table! { jobs (id) { id -> Integer, done -> Bool, } }

fn main() {
    let _ = jobs::table.filter(jobs::done.eq(false)).skip_locked();
}
