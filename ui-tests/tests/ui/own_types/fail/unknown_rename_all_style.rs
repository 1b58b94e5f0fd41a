use quarry::prelude::*;

#[derive(DbEnum)]
#[quarry(rename_all = "Title Case")]
enum Status {
    Todo,
}

fn main() {}
