use quarry::dsl::{count_star, max};
use quarry::sql_types::BigInt;
use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // `CAST(posts.id AS BIGINT) + COUNT(*)` holds an aggregate: MAX of it is an aggregate inside one.
    let _ = posts::table.group_by(posts::user_id).select(max(posts::id.cast::<BigInt>() + count_star()));
}
