use quarry::prelude::*;
use quarry_ui_tests::users;

#[derive(Queryable, Selectable)]
#[quarry(table_name = users)]
struct User {
    id: i32,
    name: i32,
}

fn main() {}
