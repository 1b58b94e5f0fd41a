use quarry::prelude::*;

#[derive(QueryableByName)]
struct Named {
    name: String,
}

fn main() {}
