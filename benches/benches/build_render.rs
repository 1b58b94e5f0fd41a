//! Building a query and rendering it to SQL, against the floor of writing the same SQL by hand.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use quarry::prelude::*;
use quarry::sqlite::Sqlite;
use quarry_benches::{posts, users};

fn medium_query(name: &str, min_id: i32) -> String {
    let q = users::table
        .select((users::id, users::name, users::hair_color))
        .filter(users::name.like(name))
        .filter(users::id.gt(min_id))
        .order((users::name.asc(), users::id.desc()))
        .limit(50);
    quarry::debug_query::<Sqlite, _>(&q).sql().expect("renders")
}

fn trivial_query() -> String {
    quarry::debug_query::<Sqlite, _>(&posts::table.find(7)).sql().expect("renders")
}

fn hand_written(name: &str, min_id: i32) -> String {
    // The floor: the same SQL text, written directly (the values would be bound, not printed).
    let _ = (name, min_id);
    format!(
        "SELECT {}, {}, {} FROM {} WHERE {} LIKE ? AND {} > ? ORDER BY {} ASC, {} DESC LIMIT {}",
        r#""users"."id""#,
        r#""users"."name""#,
        r#""users"."hair_color""#,
        r#""users""#,
        r#""users"."name""#,
        r#""users"."id""#,
        r#""users"."name""#,
        r#""users"."id""#,
        50
    )
}

fn build_and_render(c: &mut Criterion) {
    assert_eq!(medium_query("A%", 3), hand_written("A%", 3));
    let mut group = c.benchmark_group("build_and_render");
    group.bench_function("trivial/quarry", |b| b.iter(trivial_query));
    group.bench_function("medium/quarry", |b| b.iter(|| medium_query(black_box("A%"), black_box(3))));
    group.bench_function("medium/hand_written_format", |b| b.iter(|| hand_written(black_box("A%"), black_box(3))));
    group.finish();
}

criterion_group!(benches, build_and_render);
criterion_main!(benches);
