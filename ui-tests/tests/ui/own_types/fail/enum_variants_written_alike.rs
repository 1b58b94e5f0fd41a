use quarry::prelude::*;

#[derive(DbEnum)]
enum Status {
    Done,
    #[quarry(rename = "done")]
    Finished,
}

fn main() {}
