use quarry::prelude::*;
use quarry_ui_tests::users;

#[derive(Insertable)]
#[quarry(table_name = users)]
struct NewUser {
    name: String,
    // Both fields would write `name`.
    #[quarry(column_name = name)]
    display_name: String,
}

fn main() {}
