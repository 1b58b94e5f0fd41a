//! Upserts: INSERT ... ON CONFLICT DO NOTHING / DO UPDATE, their SQL and what they change.

mod common;

use common::*;
use quarry::insert_into;
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error};
use quarry::upsert::excluded;

fn user(id: i32, name: &str, hair_color: Option<&str>) -> User {
    User { id, name: name.into(), hair_color: hair_color.map(Into::into) }
}

#[derive(AsChangeset)]
#[quarry(table_name = users)]
struct MaybeName<'a> {
    name: Option<&'a str>,
}

quarry::table! {
    memberships (team, member) {
        team -> Integer,
        member -> Integer,
        role -> Text,
    }
}

#[test]
fn the_target_may_be_a_composite_key() -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = quarry::sqlite::SqliteConnection::establish(":memory:")?;
    conn.batch_execute(
        "CREATE TABLE memberships (team INTEGER, member INTEGER, role TEXT NOT NULL, PRIMARY KEY (team, member))",
    )?;
    for role in ["player", "captain"] {
        insert_into(memberships::table)
            .values((memberships::team.eq(1), memberships::member.eq(7), memberships::role.eq(role)))
            .on_conflict((memberships::team, memberships::member))
            .do_update()
            .set(memberships::role.eq(excluded(memberships::role)))
            .execute(&mut conn)?;
    }
    let rows: Vec<(i32, i32, String)> = memberships::table.load(&mut conn)?;
    assert_eq!(rows, [(1, 7, "captain".to_string())]);
    Ok(())
}

on_every_backend! {
    fn do_nothing_skips_the_conflicting_row_and_inserts_the_others(conn) {
        let rows = vec![(users::id.eq(1), users::name.eq("Not Ann")), (users::id.eq(4), users::name.eq("Di"))];
        let q = insert_into(users::table).values(&rows).on_conflict(users::id).do_nothing();
        assert_eq!(sql(&q), r#"INSERT INTO "users" ("id", "name") VALUES (?, ?), (?, ?) ON CONFLICT ("id") DO NOTHING"#);
        assert_eq!(q.execute(conn)?, 1, "only the new row is inserted");
        let users = users::table.order(users::id).load::<User>(conn)?;
        assert_eq!(users[0], ann());
        assert_eq!(users[3], user(4, "Di", None));
        Ok(())
    }

    fn without_on_conflict_the_same_insert_is_a_unique_violation(conn) {
        let result = insert_into(users::table).values((users::id.eq(1), users::name.eq("Again"))).execute(conn);
        assert!(matches!(result, Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))), "{result:?}");
        Ok(())
    }

    fn on_conflict_do_nothing_without_a_target_skips_any_unique_violation(conn) {
        let q = insert_into(users::table).values((users::id.eq(2), users::name.eq("Not Bo"))).on_conflict_do_nothing();
        assert_eq!(sql(&q), r#"INSERT INTO "users" ("id", "name") VALUES (?, ?) ON CONFLICT DO NOTHING"#);
        assert_eq!(q.execute(conn)?, 0);
        assert_eq!(users::table.order(users::id).load::<User>(conn)?[1], bo());
        Ok(())
    }

    fn do_update_sets_the_conflicting_row_from_excluded_values(conn) {
        let rows = vec![
            (users::id.eq(2), users::name.eq("Bob"), users::hair_color.eq(Some("grey"))),
            (users::id.eq(5), users::name.eq("Eve"), users::hair_color.eq(None::<&str>)),
        ];
        let q = insert_into(users::table)
            .values(&rows)
            .on_conflict(users::id)
            .do_update()
            .set((users::name.eq(excluded(users::name)), users::hair_color.eq(excluded(users::hair_color))));
        assert_eq!(
            sql(&q),
            r#"INSERT INTO "users" ("id", "name", "hair_color") VALUES (?, ?, ?), (?, ?, ?) ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name", "hair_color" = excluded."hair_color""#
        );
        assert_eq!(q.execute(conn)?, 2, "one row updated, one inserted");
        let users = users::table.order(users::id).load::<User>(conn)?;
        assert_eq!(users, vec![ann(), user(2, "Bob", Some("grey")), user(3, "Cy", Some("black")), user(5, "Eve", None)]);
        Ok(())
    }

    fn do_update_takes_values_and_changeset_structs_and_keeps_other_columns(conn) {
        // A plain value: the conflicting row's name becomes "Ann 2"; its hair colour is left alone.
        insert_into(users::table)
            .values((users::id.eq(3), users::name.eq("ignored"), users::hair_color.eq(Some("ignored"))))
            .on_conflict(users::id)
            .do_update()
            .set(users::name.eq("Cy 2"))
            .execute(conn)?;
        assert_eq!(users::table.order(users::id).load::<User>(conn)?[2], user(3, "Cy 2", Some("black")));

        // A whole `AsChangeset` struct.
        let replacement = user(1, "Ann 2", Some("blue"));
        insert_into(users::table)
            .values((users::id.eq(1), users::name.eq("ignored")))
            .on_conflict(users::id)
            .do_update()
            .set(&replacement)
            .execute(conn)?;
        assert_eq!(users::table.order(users::id).load::<User>(conn)?[0], replacement);
        Ok(())
    }

    fn an_upsert_returns_the_rows_it_inserted_or_updated(conn) {
        let names: Vec<(i32, String)> = insert_into(users::table)
            .values(vec![(users::id.eq(1), users::name.eq("Ann 2")), (users::id.eq(7), users::name.eq("Gus"))])
            .on_conflict(users::id)
            .do_update()
            .set(users::name.eq(excluded(users::name)))
            .returning((users::id, users::name))
            .get_results(conn)?;
        assert_eq!(names, [(1, "Ann 2".to_string()), (7, "Gus".to_string())]);
        Ok(())
    }

    fn an_upsert_of_the_same_shape_is_rendered_once(conn) {
        let before = conn.stats();
        for (id, name) in [(1, "A"), (2, "B"), (9, "C")] {
            insert_into(users::table)
                .values((users::id.eq(id), users::name.eq(name)))
                .on_conflict(users::id)
                .do_update()
                .set(users::name.eq(excluded(users::name)))
                .execute(conn)?;
        }
        assert_eq!(conn.stats().renders - before.renders, 1);
        let names: Vec<String> = users::table.select(users::name).order(users::id).load(conn)?;
        assert_eq!(names, ["A", "B", "Cy", "C"]);
        Ok(())
    }

    fn a_changeset_of_only_none_fields_is_an_error_naming_the_problem(conn) {
        let result = insert_into(users::table)
            .values((users::id.eq(1), users::name.eq("x")))
            .on_conflict(users::id)
            .do_update()
            .set(&MaybeName { name: None })
            .execute(conn);
        match result {
            Err(Error::QueryBuilderError(e)) => assert!(e.to_string().contains("DO UPDATE has no column to set"), "{e}"),
            other => panic!("expected a query builder error, got {other:?}"),
        }
        assert_eq!(users::table.order(users::id).load::<User>(conn)?[0], ann(), "nothing was written");
        Ok(())
    }
}
