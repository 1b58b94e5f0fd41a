use quarry::prelude::*;

quarry::table! { users (id) { id -> Integer, name -> Text, starred -> Bool, } }

fn main() {
    let _ = quarry::update(users::table).set(users::starred.eq(users::name.ilike("a%")));
}
