use quarry::prelude::*;
use quarry_ui_tests::*;

#[derive(Queryable, Identifiable)]
#[quarry(table_name = users)]
struct Author {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

fn main() {
    let author = Author { id: 1, name: "Ann".into(), hair_color: None };
    let _ = Post::belonging_to(&author);
}
