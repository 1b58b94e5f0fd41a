use quarry::dsl::{count_star, max};
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = posts::table.group_by(posts::user_id).having(max(count_star()).gt(1)).select(posts::user_id);
}
