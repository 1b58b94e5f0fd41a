use quarry::prelude::*;
use quarry_ui_tests::*;

// `auto_type` writes the return type: the function says `-> _`.
#[quarry::auto_type]
fn all_users() -> users::table {
    users::table
}

fn main() {
    let _ = all_users().select(users::id);
}
