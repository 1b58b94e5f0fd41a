//! What an application's data layer does with its structs beyond queries, on every backend:
//! `save_changes`, and eager loading of relations.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::Error;

on_every_backend! {
    fn save_changes_writes_the_record_and_returns_the_row_as_stored(conn) {
        let mut bo: User = users::table.find(2).first(conn)?;
        bo.name = "Bob".into();
        bo.hair_color = None;
        let saved: User = bo.save_changes(conn)?;
        // `None` is skipped by AsChangeset (Diesel's rule): the stored colour stays.
        assert_eq!(saved, User { id: 2, name: "Bob".into(), hair_color: Some("red".into()) });
        let stored: User = users::table.find(2).first(conn)?;
        assert_eq!(stored, saved);
        // Into another type that reads the row: the columns as the database has them.
        let (id, name, _): (i32, String, Option<String>) = saved.save_changes(conn)?;
        assert_eq!((id, name.as_str()), (2, "Bob"));
        // A record whose row is gone: NotFound, and nothing written.
        quarry::delete(posts::table.filter(posts::user_id.eq(3))).execute(conn)?;
        let cy: User = users::table.find(3).first(conn)?;
        quarry::delete(&cy).execute(conn)?;
        let err = cy.save_changes::<User, _>(conn).unwrap_err();
        assert!(matches!(err, Error::NotFound), "{err}");
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 2);
        Ok(())
    }
}
