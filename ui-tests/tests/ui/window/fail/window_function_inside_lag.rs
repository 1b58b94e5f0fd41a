use quarry::dsl::{lag, rank};
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = posts::table.select(lag(rank().window_order(posts::id)).window_order(posts::id));
}
