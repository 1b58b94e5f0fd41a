use quarry::prelude::*;

#[derive(DbEnum)]
#[quarry(table_name = users)]
enum Status {
    Todo,
}

fn main() {}
