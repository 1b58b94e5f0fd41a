// The demo database's schema: users, their posts, and comments on posts.
// Written by hand for now; `quarry print-schema` will generate it once the CLI exists.

quarry::table! {
    /// People who write posts and comments.
    users (id) {
        id -> Integer,
        name -> Text,
        /// Optional: not everyone says.
        hair_color -> Nullable<Text>,
    }
}

quarry::table! {
    /// Articles written by users.
    posts (id) {
        id -> Integer,
        user_id -> Integer,
        title -> Text,
        body -> Nullable<Text>,
        published -> Bool,
    }
}

quarry::table! {
    /// Comments left on posts.
    comments (id) {
        id -> Integer,
        post_id -> Integer,
        user_id -> Integer,
        body -> Text,
    }
}

quarry::joinable!(posts -> users (user_id));
quarry::joinable!(comments -> posts (post_id));
quarry::joinable!(comments -> users (user_id));
quarry::allow_tables_to_appear_in_same_query!(users, posts, comments);
