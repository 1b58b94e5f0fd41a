use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = users::table.select(users::name.assume_not_null());
}
