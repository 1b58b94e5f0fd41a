use quarry::prelude::*;
use quarry_ui_tests::*;

// A method `auto_type` has no type name for: bind it with a written type instead.
#[quarry::auto_type]
fn ids_as_text() -> _ {
    users::table.select(users::id.cast::<quarry::sql_types::Text>())
}

fn main() {
    let _ = ids_as_text();
}
