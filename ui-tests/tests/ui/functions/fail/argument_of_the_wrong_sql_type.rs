use quarry::prelude::*;
use quarry::sql_types::*;
use quarry_ui_tests::*;

quarry::define_sql_function! { fn upper(text: Text) -> Text; }

fn main() {
    let _ = users::table.select(upper(users::id));
}
