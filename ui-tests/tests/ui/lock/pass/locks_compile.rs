use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // Table rows may be locked, whatever is selected of them, and through an inner join.
    let _ = users::table.for_update().select(users::name).skip_locked();
    let _ = users::table.select((users::id, users::name)).for_share().no_wait();
    let _ = users::table.inner_join(posts::table).for_no_key_update();
    let _ = users::table.for_update().inner_join(posts::table).select(posts::title);
    let _ = users::table.for_update().filter(users::name.eq("a")).order(users::id).limit(1);
}

quarry::table! {
    published (id) {
        id -> Integer,
        title -> Text,
    }
}

/// The rows of a subquery in FROM that are table rows may be locked through it.
#[allow(dead_code)]
fn lock_through_a_subquery() {
    let rows = posts::table.filter(posts::published.eq(true)).select((posts::id, posts::title));
    let _ = published::table.from_query(rows).for_update();
}
