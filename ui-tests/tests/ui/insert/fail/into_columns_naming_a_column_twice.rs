use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // `name` twice: an INSERT fills each column once.
    let _ = quarry::insert_into(users::table)
        .values(posts::table.select((posts::title, posts::title)))
        .into_columns((users::name, users::name));
}
