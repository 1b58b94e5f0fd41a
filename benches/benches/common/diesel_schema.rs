// The Diesel declaration of the benchmark schema (the demo tables, plus `tags` for the large query),
// included by each bench that measures Diesel. Diesel reads a table only if it is declared.
diesel::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
}
diesel::table! {
    posts (id) {
        id -> Integer,
        user_id -> Integer,
        title -> Text,
        body -> Nullable<Text>,
        published -> Bool,
    }
}
diesel::table! {
    comments (id) {
        id -> Integer,
        post_id -> Integer,
        body -> Text,
    }
}
diesel::table! {
    tags (id) {
        id -> Integer,
        post_id -> Integer,
        label -> Text,
    }
}
diesel::joinable!(posts -> users (user_id));
diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(tags -> posts (post_id));
diesel::allow_tables_to_appear_in_same_query!(users, posts, comments, tags);
