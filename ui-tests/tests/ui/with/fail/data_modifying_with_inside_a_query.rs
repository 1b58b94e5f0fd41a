use quarry::dsl::with;
use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! { moved (id) { id -> Integer, } }

fn main() {
    // PostgreSQL runs a data-modifying CTE only in a WITH clause that begins the whole statement.
    let gone = quarry::delete(posts::table.filter(posts::published.eq(false))).returning(posts::id);
    let inner = with(moved::table.as_cte(gone)).query(moved::table.select(moved::id));
    let _ = posts::table.select(posts::id).union(inner);
}
