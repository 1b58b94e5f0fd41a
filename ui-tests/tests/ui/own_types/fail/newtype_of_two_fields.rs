use quarry::prelude::*;

#[derive(DbNewType)]
struct Point(i32, i32);

fn main() {}
