//! Dynamic queries: `into_boxed()` with filters and order chosen at run time, as a search form does.

mod common;

use common::*;
use quarry::dsl::count_star;
use quarry::expression::BoxableExpression;
use quarry::prelude::*;
use quarry::sql_types::{Bool, Integer, Text};

/// A search form: every field is optional.
#[derive(Default)]
struct UserSearch<'a> {
    name_like: Option<&'a str>,
    hair_colors: Option<Vec<&'a str>>,
    min_id: Option<i32>,
    newest_first: bool,
    page: Option<(i64, i64)>,
}

fn search<'a, DB>(form: &UserSearch<'a>) -> users::BoxedQuery<'a, DB> {
    let mut q = users::table.into_boxed();
    if let Some(pattern) = form.name_like {
        q = q.filter(users::name.like(pattern));
    }
    if let Some(colors) = &form.hair_colors {
        q = q.filter(users::hair_color.eq_any(colors.iter().map(|c| Some(*c)).collect::<Vec<_>>()));
    }
    if let Some(min) = form.min_id {
        q = q.filter(users::id.ge(min));
    }
    q = if form.newest_first { q.order(users::id.desc()) } else { q.order(users::id.asc()) };
    if let Some((per_page, page)) = form.page {
        q = q.limit(per_page).offset(per_page * page);
    }
    q
}

on_every_backend! {
    fn an_empty_form_loads_everything(conn) {
        let q = search(&UserSearch::default());
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" ORDER BY "users"."id" ASC"#
        );
        assert_eq!(q.load::<User>(conn)?, vec![ann(), bo(), cy()]);
        Ok(())
    }

    fn each_filled_field_adds_its_condition(conn) {
        let form = UserSearch { name_like: Some("%o%"), min_id: Some(2), newest_first: true, ..Default::default() };
        // Built for SQLite to show SQLite's text, then again for the backend under test.
        assert_eq!(
            debug(&search::<quarry::sqlite::Sqlite>(&form)),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" WHERE "users"."name" LIKE ? AND "users"."id" >= ? ORDER BY "users"."id" DESC -- binds: ["%o%", 2]"#
        );
        assert_eq!(search(&form).load::<User>(conn)?, vec![bo()]);

        let form = UserSearch { hair_colors: Some(vec!["red", "black"]), newest_first: true, ..Default::default() };
        let q = search(&form);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" WHERE "users"."hair_color" IN (?, ?) ORDER BY "users"."id" DESC"#
        );
        assert_eq!(q.load::<User>(conn)?, vec![cy(), bo()]);
        Ok(())
    }

    fn paginated_search(conn) {
        let page = |n| search(&UserSearch { page: Some((2, n)), ..Default::default() });
        assert_eq!(
            sql(&page(1)),
            r#"SELECT "users"."id", "users"."name", "users"."hair_color" FROM "users" ORDER BY "users"."id" ASC LIMIT 2 OFFSET 2"#
        );
        assert_eq!(page(0).load::<User>(conn)?, vec![ann(), bo()]);
        assert_eq!(page(1).load::<User>(conn)?, vec![cy()]);
        assert!(page(2).load::<User>(conn)?.is_empty());
        Ok(())
    }

    fn a_boxed_join_filters_on_both_tables(conn) {
        let mut q = users::table.inner_join(posts::table).select((users::name, posts::title)).into_boxed();
        let only_published = true;
        if only_published {
            q = q.filter(posts::published.eq(true));
        }
        q = q.or_filter(users::name.eq("Ann")).then_order_by(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE ("posts"."published" = ? OR "users"."name" = ?) ORDER BY "posts"."id""#
        );
        let rows: Vec<(String, String)> = q.load(conn)?;
        assert_eq!(rows.len(), 4);
        Ok(())
    }

    fn clauses_set_before_boxing_are_kept(conn) {
        let q = users::table.select(users::name).filter(users::id.gt(1)).order(users::name.desc()).limit(1).into_boxed();
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name" FROM "users" WHERE "users"."id" > ? ORDER BY "users"."name" DESC LIMIT 1"#
        );
        assert_eq!(q.filter(users::name.ne("Cy")).load::<String>(conn)?, ["Bo"]);
        Ok(())
    }
}

/// A sort key named by a form field, as a search page's `?sort=` parameter.
fn sort_key<DB>(field: &str, descending: bool) -> Box<dyn BoxableExpression<users::table, DB, SqlType = ()>> {
    match (field, descending) {
        ("name", false) => Box::new(users::name.asc()),
        ("name", true) => Box::new(users::name.desc()),
        (_, false) => Box::new(users::id.asc()),
        (_, true) => Box::new(users::id.desc()),
    }
}

on_every_backend! {
    fn boxed_expressions_built_in_a_loop(conn) {
        // Conditions from a list of (field, value) pairs, joined with OR, then AND with a fixed one.
        let wanted = [("name", "Ann"), ("hair_color", "red"), ("name", "Nobody")];
        let mut any: Option<Box<dyn BoxableExpression<users::table, _, SqlType = Bool>>> = None;
        for (field, value) in wanted {
            let one: Box<dyn BoxableExpression<users::table, _, SqlType = Bool>> = match field {
                "name" => Box::new(users::name.eq(value)),
                _ => Box::new(users::hair_color.eq(value)),
            };
            any = Some(match any {
                None => one,
                Some(before) => Box::new(before.or(one)),
            });
        }
        let condition = any.expect("three conditions");
        let q = users::table.filter(condition).filter(users::id.lt(10)).order(sort_key("name", true)).select(users::name);
        assert_eq!(
            sql(&q),
            r#"SELECT "users"."name" FROM "users" WHERE (("users"."name" = ? OR "users"."hair_color" = ?) OR "users"."name" = ?) AND "users"."id" < ? ORDER BY "users"."name" DESC"#
        );
        assert_eq!(q.load::<String>(conn)?, ["Bo", "Ann"]);
        Ok(())
    }

    fn a_sort_key_and_a_select_clause_chosen_at_run_time(conn) {
        for (field, descending, expected) in [("name", false, [1, 2, 3]), ("id", true, [3, 2, 1])] {
            let ids: Vec<i32> =
                users::table.select(users::id).order(sort_key(field, descending)).load(conn)?;
            assert_eq!(ids, expected);
        }
        // Two select clauses of one row type, picked by a flag; into a boxed query too.
        for shout in [false, true] {
            let selection: Box<dyn BoxableExpression<users::table, _, SqlType = (Integer, Text)>> = if shout {
                Box::new((users::id, quarry::dsl::upper(users::name)))
            } else {
                Box::new((users::id, users::name))
            };
            let rows: Vec<(i32, String)> =
                users::table.select(selection).into_boxed().order(users::id).limit(1).load(conn)?;
            assert_eq!(rows, [(1, if shout { "ANN" } else { "Ann" }.to_owned())]);
        }
        Ok(())
    }
}

on_every_backend! {
    fn a_grouped_query_boxed_then_filtered_ordered_and_restricted(conn) {
        let mut q = posts::table.group_by(posts::user_id).select((posts::user_id, count_star())).into_boxed();
        // Clauses chosen at run time after boxing: WHERE rows, HAVING groups, ORDER BY a grouped key.
        for published_only in [true] {
            if published_only {
                q = q.filter(posts::published.eq(true));
            }
        }
        q = q.having(count_star().ge(1)).order(posts::user_id.desc());
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."user_id", COUNT(*) FROM "posts" WHERE "posts"."published" = ? GROUP BY "posts"."user_id" HAVING COUNT(*) >= ? ORDER BY "posts"."user_id" DESC"#
        );
        let rows: Vec<(i32, i64)> = q.load(conn)?;
        assert_eq!(rows, [(3, 1), (2, 1), (1, 1)]);
        // A HAVING given before boxing is kept, and more join it with AND.
        let busy: Vec<i32> = posts::table
            .group_by(posts::user_id)
            .having(count_star().gt(0))
            .select(posts::user_id)
            .into_boxed()
            .having(count_star().gt(1))
            .load(conn)?;
        assert_eq!(busy, [1]);
        Ok(())
    }

    fn select_and_count_after_boxing(conn) {
        let mut q = users::table.into_boxed();
        q = q.filter(users::id.gt(1));
        let names: Vec<String> = q.select(users::name).order(users::id).load(conn)?;
        assert_eq!(names, ["Bo", "Cy"]);
        let n: i64 = users::table.into_boxed().filter(users::hair_color.is_not_null()).count().get_result(conn)?;
        assert_eq!(n, 2);
        Ok(())
    }
}

on_every_backend! {
    fn group_by_after_boxing(conn) {
        // Filters chosen at run time, then the grouping, its select clause, HAVING and ORDER BY.
        let mut q = posts::table.into_boxed();
        let excluded: Option<i32> = Some(4);
        if let Some(id) = excluded {
            q = q.filter(posts::id.ne(id));
        }
        let q = q
            .group_by(posts::user_id)
            .select((posts::user_id, count_star()))
            .having(count_star().ge(1))
            .order(posts::user_id.desc());
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."user_id", COUNT(*) FROM "posts" WHERE "posts"."id" <> ? GROUP BY "posts"."user_id" HAVING COUNT(*) >= ? ORDER BY "posts"."user_id" DESC"#
        );
        assert_eq!(q.load::<(i32, i64)>(conn)?, [(2, 1), (1, 2)]);

        // An ORDER BY given before `group_by` was not checked against the grouping: an `Err` naming it,
        // before anything reaches the database.
        let q = posts::table.into_boxed().order(posts::title).group_by(posts::user_id).select(posts::user_id);
        let err = q.load::<i32>(conn);
        assert!(matches!(&err, Err(quarry::result::Error::QueryBuilderError(e)) if e.to_string().contains("an ORDER BY before `group_by`")), "{err:?}");
        Ok(())
    }
}
