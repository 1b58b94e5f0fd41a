use quarry::prelude::*;

#[derive(DbEnum)]
struct Status {
    name: String,
}

fn main() {}
