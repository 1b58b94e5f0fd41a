use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // RETURNING reads only the table written (SQLite refuses the FROM tables there).
    let _ = quarry::update(posts::table.inner_join(users::table)).set(posts::title.eq(users::name)).returning(users::name);
}
