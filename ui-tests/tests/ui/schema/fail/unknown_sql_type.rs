quarry::table! {
    users (id) {
        id -> Integer,
        name -> Strng,
    }
}

fn main() {}
