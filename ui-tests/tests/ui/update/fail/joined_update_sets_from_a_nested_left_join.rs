use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // `comments` is LEFT JOINed further in: its body may be NULL, so this join cannot be a write's FROM.
    let _ = quarry::update(users::table.inner_join(posts::table.left_join(comments::table)))
        .set(users::name.eq(comments::body));
}
