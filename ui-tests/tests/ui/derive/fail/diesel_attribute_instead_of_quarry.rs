use quarry::prelude::*;
#[allow(unused_imports)]
use quarry_ui_tests::*;

// Diesel's spelling: Quarry's derives read `#[quarry(..)]`.
#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct DieselUser {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

fn main() {}
