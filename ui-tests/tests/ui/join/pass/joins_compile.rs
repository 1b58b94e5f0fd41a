use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _: quarry::result::QueryResult<Vec<(User, Post)>> = users::table.inner_join(posts::table).load(&mut conn);
    let _: quarry::result::QueryResult<Vec<(User, Option<Post>)>> = users::table.left_join(posts::table).load(&mut conn);
    let _: quarry::result::QueryResult<Vec<(String, Option<String>)>> =
        users::table.left_join(posts::table).select((users::name, posts::title.nullable())).load(&mut conn);
    let managers = quarry::alias!(users as managers);
    let _: quarry::result::QueryResult<Vec<(String, String)>> = users::table
        .inner_join(managers.on(managers.field(users::id).eq(users::id)))
        .select((users::name, managers.field(users::name)))
        .load(&mut conn);
}
