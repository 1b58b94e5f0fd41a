use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // UPDATE .. FROM reads the rows that have a match: a LEFT JOIN of the target has no UPDATE form.
    let _ = quarry::update(posts::table.left_join(users::table)).set(posts::title.eq("x"));
}
