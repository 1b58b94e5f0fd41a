use quarry::prelude::*;
use quarry_ui_tests::users;

#[derive(Selectable)]
#[quarry(tabel_name = users)]
struct User {
    id: i32,
}

fn main() {}
