use quarry::prelude::*;

#[derive(AsExpression)]
struct Rgb(u8, u8, u8);

fn main() {}
