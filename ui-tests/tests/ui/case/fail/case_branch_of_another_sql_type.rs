use quarry::dsl::case_when;
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    let _ = users::table.select(case_when(users::id.gt(1), users::name).otherwise(0));
}
