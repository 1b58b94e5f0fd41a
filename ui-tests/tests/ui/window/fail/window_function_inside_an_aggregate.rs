use quarry::dsl::{max, row_number};
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = posts::table.select(max(row_number().over()));
}
