use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // `name` twice in one row.
    let _ = quarry::insert_into(users::table).values((users::name.eq("Ann"), users::hair_color.eq("red"), users::name.eq("Bo")));
}
