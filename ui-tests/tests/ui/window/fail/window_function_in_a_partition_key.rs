use quarry::dsl::{rank, row_number};
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = posts::table.select(row_number().partition_by(rank().window_order(posts::id)));
}
