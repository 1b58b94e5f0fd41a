//! Rows read without a type annotation, as a Diesel user writes them: where the select clause names the
//! row type (`User::as_select()`, `Option::<Post>::as_select()`, tuples of them), `load`, `load_iter`,
//! `get_result(s)`, `first` and `returning(..as_returning())` infer it. Every `let` below is
//! unannotated on purpose; the assertions compare with typed values, so a wrong inference fails to
//! compile.

mod common;

use common::*;
use quarry::prelude::*;

on_every_backend! {
    fn load_and_first_infer_the_struct(conn) {
        let users = users::table.order(users::id).select(User::as_select()).load(conn)?;
        assert_eq!(users.len(), 3);
        assert_eq!(users[0], User { id: 1, name: "Ann".into(), hair_color: None });

        let first = users::table.order(users::id.desc()).select(User::as_select()).first(conn)?;
        assert_eq!(first, User { id: 3, name: "Cy".into(), hair_color: Some("black".into()) });

        let bo = users::table.find(2).select(User::as_select()).get_result(conn)?;
        assert_eq!(bo.name, "Bo");

        let all = posts::table.filter(posts::published.eq(true)).select(Post::as_select()).get_results(conn)?;
        assert_eq!(all.iter().map(|p| p.id).collect::<Vec<_>>(), [1, 3, 4]);
        Ok(())
    }

    fn optional_and_missing_rows(conn) {
        let none = users::table.find(99).select(User::as_select()).first(conn).optional()?;
        assert_eq!(none, None::<User>);
        Ok(())
    }

    fn tuples_of_structs_and_left_joins(conn) {
        let pairs = users::table
            .inner_join(posts::table)
            .order(posts::id)
            .select((User::as_select(), Post::as_select()))
            .load(conn)?;
        assert_eq!(pairs.len(), 4);
        let (user, post): &(User, Post) = &pairs[2];
        assert_eq!((user.id, post.id), (2, 3));

        quarry::insert_into(users::table).values((users::id.eq(9), users::name.eq("Nobody"))).execute(conn)?;
        let left = users::table
            .left_join(posts::table)
            .filter(users::id.ge(3))
            .order(users::id)
            .select((User::as_select(), Option::<Post>::as_select()))
            .load(conn)?;
        assert_eq!(left.len(), 2);
        assert_eq!(left[0].1.as_ref().map(|p| p.title.as_str()), Some("Black"));
        assert_eq!(left[1].0.name, "Nobody");
        assert!(left[1].1.is_none());
        Ok(())
    }

    fn load_iter_infers_the_struct(conn) {
        let mut names = Vec::new();
        for user in users::table.order(users::id).select(User::as_select()).load_iter(conn)? {
            names.push(user?.name);
        }
        assert_eq!(names, ["Ann", "Bo", "Cy"]);
        Ok(())
    }

    fn returning_as_returning_infers_the_struct(conn) {
        let di = quarry::insert_into(users::table)
            .values(NewUser { name: "Di", hair_color: None })
            .returning(User::as_returning())
            .get_result(conn)?;
        assert_eq!(di, User { id: 4, name: "Di".into(), hair_color: None });
        let renamed = quarry::update(users::table.filter(users::id.ge(3)))
            .set(users::hair_color.eq("grey"))
            .returning(User::as_returning())
            .get_results(conn)?;
        assert_eq!(renamed.len(), 2);
        assert!(renamed.iter().all(|u| u.hair_color.as_deref() == Some("grey")));
        let gone = quarry::delete(users::table.find(4)).returning(User::as_returning()).get_result(conn)?;
        assert_eq!(gone.name, "Di");
        Ok(())
    }

    fn boxed_queries_and_subqueries_infer_too(conn) {
        let mut query = users::table.select(User::as_select()).into_boxed();
        query = query.filter(users::hair_color.is_not_null()).order(users::id);
        let colored = query.load(conn)?;
        assert_eq!(colored.iter().map(|u| u.id).collect::<Vec<_>>(), [2, 3]);

        let authors = users::table
            .filter(users::id.eq_any(posts::table.filter(posts::published.eq(false)).select(posts::user_id)))
            .select(User::as_select())
            .load(conn)?;
        assert_eq!(authors.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["Ann"]);
        Ok(())
    }

    fn an_annotation_still_picks_among_plain_columns(conn) {
        // Plain columns name no Rust type: the annotation picks one, a tuple or a `Queryable` struct.
        let row: (i32, String, Option<String>) = users::table.find(1).first(conn)?;
        let user: User = users::table.find(1).first(conn)?;
        assert_eq!((row.0, row.1), (user.id, user.name));
        // A struct beside a plain column names no whole row type either: annotated, it reads.
        let mixed: Vec<(User, String)> =
            users::table.inner_join(posts::table).order(posts::id).select((User::as_select(), posts::title)).load(conn)?;
        assert_eq!((mixed[0].0.id, mixed[0].1.as_str()), (1, "Hello"));
        Ok(())
    }
}
