use quarry::dsl::{count_star, max};

fn main() {
    let _ = quarry::select(max(count_star()));
}
