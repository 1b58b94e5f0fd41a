use quarry::prelude::*;

#[derive(Insertable)]
struct NewUser {
    name: String,
}

fn main() {}
