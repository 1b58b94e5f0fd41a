quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        name -> Text,
    }
}

fn main() {}
