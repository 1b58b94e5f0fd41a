use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // `title` is neither grouped nor aggregated.
    let _ = posts::table.into_boxed().group_by(posts::user_id).select((posts::user_id, posts::title));
}
