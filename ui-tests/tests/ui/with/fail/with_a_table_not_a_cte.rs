use quarry::dsl::with;
use quarry_ui_tests::*;

fn main() {
    // A CTE is a table shape bound to a query: `shape::table.as_cte(query)`.
    let _ = with(users::table).query(posts::table);
}
