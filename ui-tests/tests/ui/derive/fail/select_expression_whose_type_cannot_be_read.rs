use quarry::prelude::*;

#[derive(Selectable)]
#[quarry(table_name = quarry_ui_tests::users)]
struct Shouting {
    #[quarry(select_expression = quarry_ui_tests::users::name.cast::<quarry::sql_types::Text>())]
    name: String,
}

fn main() {}
