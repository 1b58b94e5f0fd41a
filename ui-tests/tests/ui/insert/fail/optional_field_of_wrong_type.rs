use quarry::prelude::*;
use quarry_ui_tests::users;

#[derive(Insertable)]
#[quarry(table_name = users)]
struct NewUser {
    name: Option<i32>,
}

fn main() {}
