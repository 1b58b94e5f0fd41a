use quarry::prelude::*;

#[derive(DbEnum)]
#[quarry(sql_type = Bool)]
enum Switch {
    On,
    Off,
}

fn main() {}
