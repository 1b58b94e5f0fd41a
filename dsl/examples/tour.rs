//! A tour of Quarry: create a database, insert, query, update in a transaction, and print each
//! statement's SQL with its bound values and the rows it returned.
//!
//! `cargo run --example tour` runs it on embedded SQLite. Given a PostgreSQL URL (as its argument or in
//! `DATABASE_URL`), `cargo run --example tour -- postgres://postgres@127.0.0.1:5432/test` runs the same
//! tour there, in a schema of its own inside a transaction that is rolled back at the end.

use quarry::pg::{Pg, PgConnection};
use quarry::prelude::*;
use quarry::result::Error;
use quarry::sqlite::{Sqlite, SqliteConnection};
use quarry::{debug_query, delete, insert_into, update};

include!("../../schema.rs");

#[derive(Queryable, Selectable, Identifiable)]
#[quarry(table_name = users)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

#[derive(Insertable)]
#[quarry(table_name = users)]
struct NewUser<'a> {
    name: &'a str,
    hair_color: Option<&'a str>,
}

#[derive(Queryable, Selectable, Associations)]
#[quarry(table_name = posts, belongs_to(User))]
struct Post {
    id: i32,
    user_id: i32,
    title: String,
    published: bool,
}

/// Prints a statement the way it runs on backend `DB`: SQL, then the bound values.
fn show<DB: quarry::backend::Backend, Q: quarry::render::QueryFragment + quarry::backend::RunsOn<DB>>(
    label: &str,
    query: &Q,
) {
    println!("\n-- {label}\n{}", debug_query::<DB, _>(query));
}

/// The demo schema in PostgreSQL's words (the migrations are SQLite's).
const PG_SCHEMA: &str = "
CREATE SCHEMA quarry_tour; SET LOCAL search_path TO quarry_tour;
CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
CREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL,
                    body TEXT, published BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE comments (id SERIAL PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id),
                       user_id INTEGER NOT NULL REFERENCES users (id), body TEXT NOT NULL);";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).or_else(|| std::env::var("DATABASE_URL").ok());
    if let Some(url) = url.filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://")) {
        let mut conn = PgConnection::establish(&url)?;
        println!("database: {url} (PostgreSQL; everything is rolled back at the end)");
        conn.begin_test_transaction()?;
        conn.batch_execute(PG_SCHEMA)?;
        return tour!(conn, Pg);
    }
    let path = std::env::temp_dir().join("quarry-tour.db");
    let _ = std::fs::remove_file(&path);
    let url = path.to_str().ok_or("the temp dir's path is not UTF-8")?;
    let mut conn = SqliteConnection::establish(url)?;
    println!("database: {url}");
    // The repository's migrations, compiled into the program and applied in a transaction each.
    let applied = quarry::migration::MigrationHarness::run_pending_migrations(
        &mut conn,
        quarry::embed_migrations!("../migrations"),
    )?;
    println!("migrations applied: {}", applied.join(", "));
    tour!(conn, Sqlite)
}

/// The tour itself, written once and expanded for each backend's connection.
#[macro_export]
macro_rules! tour {
    ($conn:ident, $db:ty) => {{
        let mut conn = $conn;

        let people = [
            NewUser { name: "Ann", hair_color: None },
            NewUser { name: "Bo", hair_color: Some("red") },
            NewUser { name: "Cy", hair_color: Some("black") },
        ];
        let insert = insert_into(users::table).values(&people[..]);
        show::<$db, _>("insert three users in one statement", &insert);
        println!("=> {} rows", insert.execute(&mut conn)?);

        let new_post = insert_into(posts::table)
            .values((posts::user_id.eq(2), posts::title.eq("Red hair, a history"), posts::published.eq(false)))
            .returning(posts::id);
        show::<$db, _>("insert a post and read back its id", &new_post);
        let post_id: i32 = new_post.get_result(&mut conn)?;
        println!("=> id {post_id}");

        let query =
            users::table.select(User::as_select()).filter(users::hair_color.is_not_null()).order(users::name.desc());
        show::<$db, _>("users with a hair color, by name", &query);
        for user in query.load::<User>(&mut conn)? {
            println!("=> #{} {} (hair: {})", user.id, user.name, user.hair_color.as_deref().unwrap_or("unknown"));
        }

        let names = users::table.select((users::id, users::name)).filter(users::name.like("%o%").or(users::id.eq(1)));
        show::<$db, _>("a tuple of columns with LIKE and OR", &names);
        println!("=> {:?}", names.load::<(i32, String)>(&mut conn)?);

        let count = users::table.filter(users::hair_color.is_null()).count();
        show::<$db, _>("count users without a hair color", &count);
        println!("=> {}", count.get_result::<i64>(&mut conn)?);

        let bo: User = users::table.find(2).first(&mut conn)?;
        show::<$db, _>("find by primary key", &users::table.find(2).limit_one());
        println!("=> #{} {}", bo.id, bo.name);

        // Update in a transaction: the post is published and its author renamed together, or not at all.
        conn.transaction::<_, Error, _>(|conn| {
            let publish = update(posts::table.find(post_id)).set(posts::published.eq(true));
            show::<$db, _>("publish the post (in a transaction)", &publish);
            println!("=> {} row", publish.execute(conn)?);
            let rename = update(&bo).set(users::name.eq("Bob"));
            show::<$db, _>("rename its author (same transaction)", &rename);
            println!("=> {} row", rename.execute(conn)?);
            Ok(())
        })?;

        // A transaction that fails changes nothing.
        let failed: Result<(), Error> = conn.transaction(|conn| {
            delete(posts::table).execute(conn)?;
            Err(Error::RollbackTransaction)
        });
        println!("\n-- a transaction that deletes every post, then rolls back\n=> {failed:?}");

        let posts_query = posts::table.select(Post::as_select()).order(posts::id);
        show::<$db, _>("posts after both transactions", &posts_query);
        for post in posts_query.load::<Post>(&mut conn)? {
            println!("=> #{} {:?} published: {}", post.id, post.title, post.published);
        }
        let bob: String = users::table.find(2).select(users::name).first(&mut conn)?;
        println!("\n-- user 2 is now called {bob}");

        // Upsert: inserting a post with an id that exists updates that post instead of failing.
        let upsert = insert_into(posts::table)
            .values((posts::id.eq(post_id), posts::user_id.eq(2), posts::title.eq("Red hair, the sequel")))
            .on_conflict(posts::id)
            .do_update()
            .set(posts::title.eq(quarry::upsert::excluded(posts::title)));
        show::<$db, _>("insert or update a post (upsert)", &upsert);
        println!("=> {} row", upsert.execute(&mut conn)?);

        // Eager loading: every user with their posts, in two queries however many users there are.
        insert_into(posts::table)
            .values(vec![
                (posts::user_id.eq(1), posts::title.eq("Hello"), posts::published.eq(true)),
                (posts::user_id.eq(1), posts::title.eq("Again"), posts::published.eq(false)),
            ])
            .execute(&mut conn)?;
        let users: Vec<User> = users::table.select(User::as_select()).order(users::id).load(&mut conn)?;
        let children = Post::belonging_to(&users).select(Post::as_select()).order(posts::id);
        show::<$db, _>("the users' posts, for every user at once", &children);
        for (user, posts) in users.with_children(&mut conn, |posts| posts.select(Post::as_select()).order(posts::id))? {
            let titles: Vec<&str> = posts.iter().map(|p: &Post| p.title.as_str()).collect();
            println!("=> {} wrote {titles:?}", user.name);
        }
        Ok(())
    }};
}
