use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // The values may read the joined tables, `users` here, but not `comments`.
    let _ = quarry::update(posts::table.inner_join(users::table)).set(posts::title.eq(comments::body));
}
