use quarry::dsl::sum;
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = users::table.select(sum(users::name));
}
