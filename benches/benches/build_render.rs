//! Building a query and rendering it to SQL with its bind values (`debug_query(..).to_string()` in both
//! libraries), for a trivial, a medium and a large query, Quarry against Diesel 2.3, for SQLite and for
//! PostgreSQL; plus the floor of formatting the medium query's SQL by hand.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use quarry::prelude::*;

// The large query needs a fourth table; both libraries get the same four.
quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
}
quarry::table! {
    posts (id) {
        id -> Integer,
        user_id -> Integer,
        title -> Text,
        body -> Nullable<Text>,
        published -> Bool,
    }
}
quarry::table! {
    comments (id) {
        id -> Integer,
        post_id -> Integer,
        body -> Text,
    }
}
quarry::table! {
    tags (id) {
        id -> Integer,
        post_id -> Integer,
        label -> Text,
    }
}
quarry::joinable!(posts -> users (user_id));
quarry::joinable!(comments -> posts (post_id));
quarry::joinable!(tags -> posts (post_id));
quarry::allow_tables_to_appear_in_same_query!(users, posts, comments, tags);

/// The three queries, rendered for one backend.
macro_rules! quarry_queries {
    ($module:ident, $db:ty) => {
        mod $module {
            use super::*;

            pub fn trivial(id: i32) -> String {
                quarry::debug_query::<$db, _>(&posts::table.find(id)).to_string()
            }

            pub fn medium(name: &str, min_id: i32) -> String {
                let q = users::table
                    .select((users::id, users::name, users::hair_color))
                    .filter(users::name.like(name))
                    .filter(users::id.gt(min_id))
                    .order((users::name.asc(), users::id.desc()))
                    .limit(50);
                quarry::debug_query::<$db, _>(&q).to_string()
            }

            pub fn large(name: &str, min_id: i32) -> String {
                let q = posts::table
                    .inner_join(users::table)
                    .inner_join(comments::table)
                    .inner_join(tags::table)
                    .select((posts::id, posts::title, users::name, comments::body, tags::label))
                    .filter(users::name.like(name))
                    .filter(users::id.gt(min_id))
                    .filter(users::hair_color.is_not_null())
                    .filter(posts::published.eq(true))
                    .filter(posts::title.ne("draft"))
                    .filter(posts::id.between(min_id, 10_000))
                    .filter(comments::body.like("%great%"))
                    .filter(comments::id.lt(1_000_000))
                    .filter(tags::label.eq_any(["rust", "sql", "orm"]))
                    .filter(tags::id.ge(1).or(tags::label.eq("pinned")))
                    .order((posts::id.desc(), comments::id.asc()))
                    .limit(100);
                quarry::debug_query::<$db, _>(&q).to_string()
            }
        }
    };
}
quarry_queries!(q_sqlite, quarry::sqlite::Sqlite);
quarry_queries!(q_pg, quarry::pg::Pg);

mod peer {
    include!("common/diesel_schema.rs");

    /// The same three queries in Diesel, for one backend.
    macro_rules! diesel_queries {
        ($module:ident, $db:ty) => {
            pub mod $module {
                // Diesel's traits share method names with Quarry's, so Diesel's side lives in this module.
                use super::*;
                use diesel::prelude::*;

                pub fn trivial(id: i32) -> String {
                    diesel::debug_query::<$db, _>(&posts::table.find(id)).to_string()
                }

                pub fn medium(name: &str, min_id: i32) -> String {
                    let q = users::table
                        .select((users::id, users::name, users::hair_color))
                        .filter(users::name.like(name))
                        .filter(users::id.gt(min_id))
                        .order((users::name.asc(), users::id.desc()))
                        .limit(50);
                    diesel::debug_query::<$db, _>(&q).to_string()
                }

                pub fn large(name: &str, min_id: i32) -> String {
                    let q = posts::table
                        .inner_join(users::table)
                        .inner_join(comments::table)
                        .inner_join(tags::table)
                        .select((posts::id, posts::title, users::name, comments::body, tags::label))
                        .filter(users::name.like(name))
                        .filter(users::id.gt(min_id))
                        .filter(users::hair_color.is_not_null())
                        .filter(posts::published.eq(true))
                        .filter(posts::title.ne("draft"))
                        .filter(posts::id.between(min_id, 10_000))
                        .filter(comments::body.like("%great%"))
                        .filter(comments::id.lt(1_000_000))
                        .filter(tags::label.eq_any(["rust", "sql", "orm"]))
                        .filter(tags::id.ge(1).or(tags::label.eq("pinned")))
                        .order((posts::id.desc(), comments::id.asc()))
                        .limit(100);
                    diesel::debug_query::<$db, _>(&q).to_string()
                }
            }
        };
    }
    diesel_queries!(sqlite, diesel::sqlite::Sqlite);
    diesel_queries!(pg, diesel::pg::Pg);
}

fn hand_written(name: &str, min_id: i32) -> String {
    // The floor: the medium query's text and binds, formatted directly (asserted equal below).
    format!(
        "SELECT {}, {}, {} FROM {} WHERE {} LIKE ? AND {} > ? ORDER BY {} ASC, {} DESC LIMIT {} -- binds: [{:?}, {}]",
        r#""users"."id""#,
        r#""users"."name""#,
        r#""users"."hair_color""#,
        r#""users""#,
        r#""users"."name""#,
        r#""users"."id""#,
        r#""users"."name""#,
        r#""users"."id""#,
        50,
        name,
        min_id,
    )
}

fn build_and_render(c: &mut Criterion) {
    assert_eq!(q_sqlite::medium("A%", 3), hand_written("A%", 3));
    // Print each rendering once, so a reader can see the two libraries produce the same statements.
    for (label, ours, theirs) in [
        ("trivial", q_sqlite::trivial(7), peer::sqlite::trivial(7)),
        ("medium", q_sqlite::medium("A%", 3), peer::sqlite::medium("A%", 3)),
        ("large", q_sqlite::large("A%", 3), peer::sqlite::large("A%", 3)),
        ("trivial (pg)", q_pg::trivial(7), peer::pg::trivial(7)),
        ("large (pg)", q_pg::large("A%", 3), peer::pg::large("A%", 3)),
    ] {
        println!("{label}\n  quarry: {ours}\n  diesel: {theirs}");
    }
    let mut group = c.benchmark_group("build_and_render");
    group.bench_function("trivial/quarry", |b| b.iter(|| q_sqlite::trivial(black_box(7))));
    group.bench_function("trivial/diesel", |b| b.iter(|| peer::sqlite::trivial(black_box(7))));
    group.bench_function("medium/quarry", |b| b.iter(|| q_sqlite::medium(black_box("A%"), black_box(3))));
    group.bench_function("medium/diesel", |b| b.iter(|| peer::sqlite::medium(black_box("A%"), black_box(3))));
    group.bench_function("medium/hand_written_format", |b| b.iter(|| hand_written(black_box("A%"), black_box(3))));
    group.bench_function("large/quarry", |b| b.iter(|| q_sqlite::large(black_box("A%"), black_box(3))));
    group.bench_function("large/diesel", |b| b.iter(|| peer::sqlite::large(black_box("A%"), black_box(3))));
    group.finish();
    let mut group = c.benchmark_group("build_and_render_pg");
    group.bench_function("trivial/quarry", |b| b.iter(|| q_pg::trivial(black_box(7))));
    group.bench_function("trivial/diesel", |b| b.iter(|| peer::pg::trivial(black_box(7))));
    group.bench_function("medium/quarry", |b| b.iter(|| q_pg::medium(black_box("A%"), black_box(3))));
    group.bench_function("medium/diesel", |b| b.iter(|| peer::pg::medium(black_box("A%"), black_box(3))));
    group.bench_function("large/quarry", |b| b.iter(|| q_pg::large(black_box("A%"), black_box(3))));
    group.bench_function("large/diesel", |b| b.iter(|| peer::pg::large(black_box("A%"), black_box(3))));
    group.finish();
}

criterion_group!(benches, build_and_render);
criterion_main!(benches);
