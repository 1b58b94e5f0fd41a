quarry::table! {
    users (user_id) {
        id -> Integer,
        name -> Text,
    }
}

fn main() {}
