//! Dynamic queries: `into_boxed()` with filters and order chosen at run time, as a search form does.

mod common;

use common::*;
use quarry::prelude::*;

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
