use quarry::pg::{Pg, PgConnection};
use quarry::prelude::*;

quarry::table! { users (id) { id -> Integer, name -> Text, } }
quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }
quarry::allow_tables_to_appear_in_same_query!(users, posts);

#[allow(dead_code)]
fn run(conn: &mut PgConnection) -> quarry::result::QueryResult<()> {
    let _: Vec<i32> = users::table.filter(users::name.ilike("a%")).select(users::id).load(conn)?;
    let _: Vec<(i32, i32)> = posts::table.distinct_on(posts::user_id).order((posts::user_id, posts::id.desc())).load(conn)?;
    let _: (i32, String) = users::table.order(users::id).for_update().skip_locked().first(conn)?;
    let authors = users::table.filter(users::name.not_ilike("b%")).select(users::id);
    posts::table.filter(posts::user_id.eq_any(authors)).execute(conn)?;
    // A boxed query for PostgreSQL takes PostgreSQL's SQL.
    let mut q: quarry::query::BoxedSelectStatement<'_, _, _, Pg, _, _> = users::table.for_share().into_boxed();
    q = q.filter(users::name.ilike("%x%"));
    let _: Vec<(i32, String)> = q.load(conn)?;
    Ok(())
}

fn main() {}
