use quarry::prelude::*;

#[derive(DbEnum)]
enum Status {
    Todo,
    Blocked(String),
}

fn main() {}
