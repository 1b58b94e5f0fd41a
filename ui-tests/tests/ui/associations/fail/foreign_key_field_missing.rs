use quarry::prelude::*;
use quarry_ui_tests::*;

#[derive(Queryable, Associations)]
#[quarry(table_name = posts, belongs_to(User))]
struct Headline {
    id: i32,
    title: String,
}

fn main() {
    let _ = posts::table;
}
