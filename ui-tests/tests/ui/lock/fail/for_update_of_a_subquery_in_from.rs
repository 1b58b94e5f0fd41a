use quarry::prelude::*;
use quarry_ui_tests::*;

quarry::table! {
    titled (id) {
        id -> Integer,
        title -> Text,
    }
}

fn main() {
    // A subquery in FROM is a WITH query, whose rows PostgreSQL's FOR UPDATE would skip without a word.
    let rows = posts::table.filter(posts::published.eq(true)).select((posts::id, posts::title));
    let _ = users::table.inner_join(titled::table.from_query(rows).on(titled::id.eq(users::id))).for_update();
}
