use quarry::prelude::*;
use quarry_ui_tests::*;

#[derive(Queryable, Associations)]
#[quarry(table_name = posts, belongs_to(User))]
struct UserPost {
    id: i32,
    user_id: i32,
    title: String,
}

fn main() {
    let posts: Vec<UserPost> = Vec::new();
    let other_posts: Vec<Post> = Vec::new();
    let _ = posts.grouped_by(&other_posts);
}
