//! `#[quarry::auto_type]`: helper functions that return queries with the type written for them, used as
//! Diesel users write them, run on every backend.

mod common;

use common::*;
use quarry::dsl::{count_star, max, random};
use quarry::prelude::*;

#[quarry::auto_type]
fn published_by(name: &str) -> _ {
    posts::table
        .inner_join(users::table)
        .filter(users::name.eq(name))
        .filter(posts::published.eq(true))
        .select(posts::title)
}

#[quarry::auto_type]
fn titles_after(id: i32) -> _ {
    let newest_first = posts::id.desc();
    posts::table
        .filter(posts::id.gt(id).and(posts::body.is_not_null()))
        .order(newest_first)
        .select(posts::title)
        .limit(10)
}

#[quarry::auto_type]
fn prolific_authors() -> _ {
    posts::table.group_by(posts::user_id).select((posts::user_id, count_star())).having(count_star().gt(1))
}

#[quarry::auto_type]
fn named_like(pattern: String, ids: Vec<i32>) -> _ {
    users::table.filter(users::name.like(pattern).or(users::id.eq_any(ids))).select(users::id).order_by(users::id.asc())
}

#[quarry::auto_type]
fn users_by_id(ids: Vec<i32>) -> _ {
    users::table.filter(users::id.eq_any(ids)).select(User::as_select()).order(users::id)
}

#[quarry::auto_type]
fn second_post_shuffled_with_others_after(first: i32) -> _ {
    let after = 2;
    posts::table.filter(posts::id.gt(after).or(posts::id.eq(first))).select(posts::id).order(random())
}

#[quarry::auto_type]
fn post_two_count() -> _ {
    posts::table.find(2).count()
}

#[quarry::auto_type]
fn newest_post_id() -> _ {
    posts::table.select(max(posts::id)).single_value()
}

#[quarry::auto_type]
fn with_a_left_join() -> _ {
    users::table
        .left_join(posts::table.on(posts::user_id.eq(users::id).and(posts::published.eq(true))))
        .select((users::name, posts::title.nullable()))
}

// Helpers that call helpers: `type_alias` names each one's type after it.
#[quarry::auto_type(type_alias)]
fn has_colored_hair() -> _ {
    users::hair_color.is_not_null().and(users::hair_color.ne("none"))
}

#[quarry::auto_type(type_alias)]
fn colored_users() -> _ {
    users::table.filter(has_colored_hair()).select(users::name).order(users::id)
}

#[quarry::auto_type]
fn colored_users_with_posts() -> _ {
    let published_only = posts::published.eq(true);
    colored_users().filter(users::id.eq_any(posts::table.filter(published_only).select(posts::user_id)))
}

/// The types can be named, stored and passed on: what `auto_type` is for.
struct Searches {
    by_ann: published_by_type,
}
#[allow(non_camel_case_types)]
type published_by_type = quarry::dsl::Select<
    quarry::dsl::Filter<
        quarry::dsl::Filter<
            quarry::dsl::InnerJoin<posts::table, users::table>,
            quarry::dsl::Eq<users::name, &'static str>,
        >,
        quarry::dsl::Eq<posts::published, bool>,
    >,
    posts::title,
>;

on_every_backend! {
    fn helpers_with_written_types_run(conn) {
        assert_eq!(published_by("Ann").load::<String>(conn)?, ["Hello"]);
        assert_eq!(titles_after(1).load::<String>(conn)?, ["Red hair"]);
        assert_eq!(prolific_authors().load::<(i32, i64)>(conn)?, [(1, 2)]);
        assert_eq!(named_like("C%".into(), vec![1]).load::<i32>(conn)?, [1, 3]);
        assert_eq!(users::table.filter(users::id.nullable().eq(newest_post_id())).count().get_result::<i64>(conn)?, 0);
        let mut rows = with_a_left_join().load::<(String, Option<String>)>(conn)?;
        rows.sort();
        assert_eq!(rows, [("Ann".into(), Some("Hello".into())), ("Bo".into(), Some("Red hair".into())), ("Cy".into(), Some("Black".into()))]);
        // A helper's query goes on: more filters, boxing.
        let more = published_by("Ann").filter(posts::id.lt(100)).into_boxed();
        assert_eq!(more.load::<String>(conn)?, ["Hello"]);
        assert_eq!(colored_users_with_posts().load::<String>(conn)?, ["Bo", "Cy"]);
        let mut ids = second_post_shuffled_with_others_after(1).load::<i32>(conn)?;
        ids.sort();
        assert_eq!(ids, [1, 3, 4]);
        assert_eq!(post_two_count().get_result::<i64>(conn)?, 1);
        let found = users_by_id(vec![2, 3]).load(conn)?;
        assert_eq!(found.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["Bo", "Cy"]);
        let kept: colored_users = colored_users();
        assert_eq!(kept.load::<String>(conn)?, ["Bo", "Cy"]);
        let stored = Searches { by_ann: published_by("Ann") };
        assert_eq!(stored.by_ann.load::<String>(conn)?, ["Hello"]);
        Ok(())
    }
}
