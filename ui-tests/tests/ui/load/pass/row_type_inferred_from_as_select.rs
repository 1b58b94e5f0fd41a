//! The select clause names the row type: no annotation on any of these.
use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn run(conn: &mut SqliteConnection) -> QueryResult<()> {
    let users = users::table.select(User::as_select()).load(conn)?;
    let first = users::table.select(User::as_select()).first(conn)?;
    let one = users::table.find(1).select(User::as_select()).get_result(conn)?;
    let pairs = users::table.inner_join(posts::table).select((User::as_select(), Post::as_select())).load(conn)?;
    let left = users::table.left_join(posts::table).select((User::as_select(), Option::<Post>::as_select())).load(conn)?;
    let boxed = users::table.select(User::as_select()).into_boxed().load(conn)?;
    let mut names = Vec::new();
    for user in users::table.select(User::as_select()).load_iter(conn)? {
        names.push(user?.name);
    }
    let inserted = quarry::insert_into(users::table).values(users::name.eq("Ann")).returning(User::as_returning()).get_result(conn)?;
    println!("{} {} {} {} {:?} {} {names:?} {}", users.len(), first.name, one.id, pairs.len(), left[0].1.as_ref().map(|p| p.id), boxed.len(), inserted.id);
    Ok(())
}

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = run(&mut conn);
}
