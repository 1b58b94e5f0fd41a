use quarry::prelude::*;
use quarry::sql_types::Integer;
use quarry_ui_tests::*;

fn main() {
    // `json_get` reads JSON documents: `Json` or `Jsonb` columns, not `Text`.
    let _ = users::table.select(users::name.json_get::<Integer>("age"));
}
