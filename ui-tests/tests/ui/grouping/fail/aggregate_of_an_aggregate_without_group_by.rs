use quarry::dsl::{count_star, sum};
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = posts::table.select(sum(count_star()));
}
