use quarry::prelude::*;
use quarry::sql_types::Date;

quarry::table! { docs (id) { id -> Integer, data -> Json, } }

fn main() {
    // JSON has no dates: a field reads as Text, Integer, BigInt, Double or Bool.
    let _ = docs::table.select(docs::data.json_get::<Date>("born"));
}
