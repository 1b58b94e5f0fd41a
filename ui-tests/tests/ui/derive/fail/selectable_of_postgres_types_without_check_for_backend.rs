use quarry::prelude::*;

quarry::table! { articles (id) { id -> Integer, tags -> Array<Text>, } }

#[derive(Queryable, Selectable)]
#[quarry(table_name = articles)]
struct Article {
    id: i32,
    tags: Vec<String>,
}

fn main() {}
