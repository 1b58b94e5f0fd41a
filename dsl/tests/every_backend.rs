//! The same queries on every backend: each test body runs on SQLite and on PostgreSQL (when
//! `PG_DATABASE_URL` is set), with rows and errors asserted the same way.

mod common;

use common::*;
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error};

on_every_backend! {
    fn select_filter_order_limit(conn) {
        let names: Vec<String> =
            users::table.filter(users::id.gt(1)).order(users::name.desc()).select(users::name).load(conn)?;
        assert_eq!(names, ["Cy", "Bo"]);
        let first: User = users::table.order(users::id).first(conn)?;
        assert_eq!(first, User { id: 1, name: "Ann".into(), hair_color: None });
        let page: Vec<i32> = users::table.select(users::id).order(users::id).limit(2).offset(1).load(conn)?;
        assert_eq!(page, [2, 3]);
        let skipped: Vec<i32> = users::table.select(users::id).order(users::id).offset(2).load(conn)?;
        assert_eq!(skipped, [3]);
        Ok(())
    }

    fn nullable_columns_and_booleans(conn) {
        let colored: Vec<(String, Option<String>)> = users::table
            .filter(users::hair_color.is_not_null())
            .order(users::id)
            .select((users::name, users::hair_color))
            .load(conn)?;
        assert_eq!(colored, [("Bo".to_owned(), Some("red".to_owned())), ("Cy".to_owned(), Some("black".to_owned()))]);
        let published: i64 = posts::table.filter(posts::published.eq(true)).count().get_result(conn)?;
        assert_eq!(published, 3);
        Ok(())
    }

    fn insert_update_delete_with_returning(conn) {
        let id: i32 = quarry::insert_into(users::table)
            .values(NewUser { name: "Di", hair_color: Some("blue") })
            .returning(users::id)
            .get_result(conn)?;
        assert_eq!(id, 4);
        let changed = quarry::update(users::table.find(id)).set(users::name.eq("Dee")).execute(conn)?;
        assert_eq!(changed, 1);
        let dee: User = users::table.find(id).get_result(conn)?;
        assert_eq!(dee.name, "Dee");
        let rows = vec![NewUser { name: "E", hair_color: None }, NewUser { name: "F", hair_color: None }];
        assert_eq!(quarry::insert_into(users::table).values(&rows).execute(conn)?, 2);
        assert_eq!(quarry::delete(users::table.filter(users::id.gt(3))).execute(conn)?, 3);
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 3);
        Ok(())
    }

    fn joins_and_left_joins(conn) {
        let pairs: Vec<(String, String)> = users::table
            .inner_join(posts::table)
            .filter(posts::published.eq(true))
            .order(posts::id)
            .select((users::name, posts::title))
            .load(conn)?;
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[0], ("Ann".to_owned(), "Hello".to_owned()));
        quarry::insert_into(users::table).values((users::id.eq(9), users::name.eq("Nobody"))).execute(conn)?;
        let left: Vec<(String, Option<String>)> = users::table
            .left_join(posts::table)
            .filter(users::id.eq(9))
            .select((users::name, posts::title.nullable()))
            .load(conn)?;
        assert_eq!(left, [("Nobody".to_owned(), None)]);
        Ok(())
    }

    fn aggregates_and_group_by(conn) {
        let per_user: Vec<(i32, i64)> = posts::table
            .group_by(posts::user_id)
            .select((posts::user_id, quarry::dsl::count(posts::id)))
            .order(posts::user_id)
            .load(conn)?;
        assert_eq!(per_user, [(1, 2), (2, 1), (3, 1)]);
        let max: Option<i32> = posts::table.select(quarry::dsl::max(posts::id)).get_result(conn)?;
        assert_eq!(max, Some(4));
        Ok(())
    }

    fn eq_any_short_and_long(conn) {
        let some: Vec<i32> = users::table.filter(users::id.eq_any([1, 3])).select(users::id).order(users::id).load(conn)?;
        assert_eq!(some, [1, 3]);
        let many: Vec<i32> = (-1000..1000).collect();
        let all: i64 = users::table.filter(users::id.eq_any(&many)).count().get_result(conn)?;
        assert_eq!(all, 3);
        let none: i64 = users::table.filter(users::id.eq_any(Vec::<i32>::new())).count().get_result(conn)?;
        assert_eq!(none, 0);
        Ok(())
    }

    fn transactions_roll_back_and_nest(conn) {
        let result: Result<(), Error> = conn.transaction(|conn| {
            quarry::delete(posts::table).execute(conn)?;
            Err(Error::RollbackTransaction)
        });
        assert!(result.is_err());
        assert_eq!(posts::table.count().get_result::<i64>(conn)?, 4);
        conn.transaction(|conn| {
            quarry::delete(posts::table.find(4)).execute(conn)?;
            let inner: Result<(), Error> = conn.transaction(|conn| {
                quarry::delete(posts::table).execute(conn)?;
                Err(Error::RollbackTransaction)
            });
            assert!(inner.is_err());
            Ok::<_, Error>(())
        })?;
        assert_eq!(posts::table.count().get_result::<i64>(conn)?, 3);
        Ok(())
    }

    fn constraint_errors_have_their_kind(conn) {
        // Each in a (nested) transaction: on PostgreSQL a failed statement spoils the transaction it is
        // in, here the test's own, until rolled back to a savepoint.
        let dup = conn.transaction(|conn| {
            quarry::insert_into(users::table).values((users::id.eq(1), users::name.eq("again"))).execute(conn)
        });
        assert!(matches!(dup, Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))), "{dup:?}");
        let orphan = conn.transaction(|conn| {
            quarry::insert_into(posts::table)
                .values((posts::user_id.eq(77), posts::title.eq("x"), posts::published.eq(false)))
                .execute(conn)
        });
        assert!(matches!(orphan, Err(Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _))), "{orphan:?}");
        let missing = conn.transaction(|conn| quarry::insert_into(posts::table).values(posts::title.eq("x")).execute(conn));
        assert!(matches!(missing, Err(Error::DatabaseError(DatabaseErrorKind::NotNullViolation, _))), "{missing:?}");
        // The connection goes on.
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 3);
        Ok(())
    }

    fn a_batch_past_the_bind_limit_inserts_whole(conn) {
        // 3 values a row: past SQLite's 32,766 and PostgreSQL's 65,535 values per statement.
        let rows: Vec<_> = (100..30_100)
            .map(|i| (users::id.eq(i), users::name.eq(format!("u{i}")), users::hair_color.eq(None::<String>)))
            .collect();
        assert_eq!(quarry::insert_into(users::table).values(&rows).execute(conn)?, 30_000);
        assert_eq!(users::table.count().get_result::<i64>(conn)?, 30_003);
        Ok(())
    }

    fn load_iter_streams_rows(conn) {
        let ids: Vec<i32> =
            users::table.select(users::id).order(users::id).load_iter(conn)?.collect::<Result<_, _>>()?;
        assert_eq!(ids, [1, 2, 3]);
        Ok(())
    }

    fn nul_bytes_in_values_round_trip(conn) {
        // PostgreSQL's text cannot hold NUL: there it is the server's Err, never a cut value.
        let result = quarry::update(users::table.find(1)).set(users::name.eq("a\0b")).execute(conn);
        match result {
            Ok(_) => assert_eq!(users::table.find(1).select(users::name).get_result::<String>(conn)?, "a\0b"),
            Err(e) => assert!(e.to_string().contains("0x00"), "{e}"),
        }
        Ok(())
    }
}

quarry::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        starts -> Time,
        at -> Timestamp,
        payload -> Nullable<Json>,
    }
}

/// The same table on both backends (`TEXT` columns hold SQLite's dates; PostgreSQL has its own types).
fn create_events<C: Connection>(conn: &mut C, postgres: bool) -> quarry::result::QueryResult<()> {
    conn.batch_execute(if postgres {
        "CREATE TABLE events (id INTEGER PRIMARY KEY, day DATE NOT NULL, starts TIME NOT NULL, at TIMESTAMP NOT NULL, payload JSONB)"
    } else {
        "CREATE TABLE events (id INTEGER PRIMARY KEY, day TEXT NOT NULL, starts TEXT NOT NULL, at TEXT NOT NULL, payload JSON)"
    })
}

on_every_backend! {
    fn dates_times_and_json_round_trip(conn) {
        use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
        let postgres = std::any::type_name_of_val(conn).contains("Pg");
        create_events(conn, postgres)?;
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let starts = NaiveTime::from_hms_micro_opt(14, 30, 5, 250_000).unwrap();
        let at = NaiveDateTime::new(NaiveDate::from_ymd_opt(1969, 7, 20).unwrap(), starts);
        let payload = serde_json::json!({"tags": ["a", "b"], "n": 5, "x": 1.5});
        quarry::insert_into(events::table)
            .values((events::id.eq(1), events::day.eq(day), events::starts.eq(starts), events::at.eq(at), events::payload.eq(Some(&payload))))
            .execute(conn)?;
        let row: (NaiveDate, NaiveTime, NaiveDateTime, Option<serde_json::Value>) =
            events::table.select((events::day, events::starts, events::at, events::payload)).first(conn)?;
        assert_eq!(row, (day, starts, at, Some(payload)));
        // Compared in SQL, as dates.
        let later: i64 = events::table.filter(events::day.gt(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())).count().get_result(conn)?;
        assert_eq!(later, 1);
        let t: (time::Date, time::Time, time::PrimitiveDateTime) = events::table.select((events::day, events::starts, events::at)).first(conn)?;
        assert_eq!((t.0.year(), t.1.microsecond(), t.2.year()), (2026, 250_000, 1969));
        Ok(())
    }
}

quarry::table! {
    tokens (id) {
        id -> Uuid,
        owner -> Nullable<Uuid>,
        label -> Text,
    }
}

on_every_backend! {
    fn uuids_round_trip_and_compare(conn) {
        let postgres = std::any::type_name_of_val(conn).contains("Pg");
        conn.batch_execute(if postgres {
            "CREATE TABLE tokens (id UUID PRIMARY KEY, owner UUID, label TEXT NOT NULL)"
        } else {
            "CREATE TABLE tokens (id BLOB PRIMARY KEY, owner BLOB, label TEXT NOT NULL)"
        })?;
        let a = uuid::Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
        let b = uuid::Uuid::from_u128(1);
        quarry::insert_into(tokens::table)
            .values(vec![
                (tokens::id.eq(a), tokens::owner.eq(Some(b)), tokens::label.eq("a")),
                (tokens::id.eq(b), tokens::owner.eq(None::<uuid::Uuid>), tokens::label.eq("b")),
            ])
            .execute(conn)?;
        let found: (uuid::Uuid, Option<uuid::Uuid>) =
            tokens::table.filter(tokens::id.eq(a)).select((tokens::id, tokens::owner)).get_result(conn)?;
        assert_eq!(found, (a, Some(b)));
        let many: Vec<uuid::Uuid> = (0..300).map(uuid::Uuid::from_u128).collect();
        let labels: Vec<String> = tokens::table.filter(tokens::id.eq_any(&many)).select(tokens::label).load(conn)?;
        assert_eq!(labels, ["b"]);
        Ok(())
    }
}

#[test]
fn a_uuid_stored_as_text_by_another_program_reads_on_sqlite() -> quarry::result::QueryResult<()> {
    let conn = &mut seeded_db();
    conn.batch_execute(
        "CREATE TABLE tokens (id TEXT PRIMARY KEY, owner TEXT, label TEXT NOT NULL);
         INSERT INTO tokens VALUES ('67E55044-10B1-426F-9247-BB680E5FE0C8', '{00000000-0000-0000-0000-000000000001}', 'x'),
                                   ('not a uuid', NULL, 'y');",
    )?;
    let ids: Vec<(uuid::Uuid, Option<uuid::Uuid>)> =
        tokens::table.filter(tokens::label.eq("x")).select((tokens::id, tokens::owner)).load(conn)?;
    assert_eq!(
        ids,
        [(uuid::Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8), Some(uuid::Uuid::from_u128(1)))]
    );
    let bad = tokens::table.filter(tokens::label.eq("y")).select(tokens::id).load::<uuid::Uuid>(conn).unwrap_err();
    assert!(bad.to_string().contains("not a UUID"), "{bad}");
    Ok(())
}

on_every_backend! {
    fn returning_as_returning_reads_structs(conn) {
        let inserted: Vec<User> = quarry::insert_into(users::table)
            .values(vec![NewUser { name: "Di", hair_color: None }, NewUser { name: "Ed", hair_color: Some("grey") }])
            .returning(User::as_returning())
            .get_results(conn)?;
        assert_eq!(inserted.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["Di", "Ed"]);
        let updated: User =
            quarry::update(users::table.find(inserted[0].id)).set(users::name.eq("Dee")).returning(User::as_returning()).get_result(conn)?;
        assert_eq!(updated.name, "Dee");
        Ok(())
    }
}

quarry::table! {
    logins (id) {
        id -> Integer,
        at -> Timestamptz,
    }
}

on_every_backend! {
    fn instants_with_zones_round_trip_and_compare_as_instants(conn) {
        use chrono::{DateTime, FixedOffset, TimeZone, Utc};
        let postgres = std::any::type_name_of_val(conn).contains("Pg");
        conn.batch_execute(if postgres {
            "CREATE TABLE logins (id INTEGER PRIMARY KEY, at TIMESTAMPTZ NOT NULL)"
        } else {
            "CREATE TABLE logins (id INTEGER PRIMARY KEY, at TEXT NOT NULL)"
        })?;
        // 10:00 in Paris (+02:00) is before 09:00 in London (+00:00) of the same day.
        let paris = FixedOffset::east_opt(2 * 3600).unwrap().with_ymd_and_hms(2026, 6, 1, 10, 0, 0).unwrap().with_timezone(&Utc);
        let london = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap() + chrono::Duration::microseconds(250);
        quarry::insert_into(logins::table)
            .values(vec![(logins::id.eq(1), logins::at.eq(london)), (logins::id.eq(2), logins::at.eq(paris))])
            .execute(conn)?;
        let ordered: Vec<(i32, DateTime<Utc>)> = logins::table.order(logins::at).load(conn)?;
        assert_eq!(ordered, [(2, paris), (1, london)]);
        let after: i64 = logins::table.filter(logins::at.gt(paris)).count().get_result(conn)?;
        assert_eq!(after, 1);
        // The same instants with the `time` crate, bound with an offset of their own.
        let read: Vec<time::OffsetDateTime> = logins::table.select(logins::at).order(logins::at).load(conn)?;
        assert_eq!(read[1].unix_timestamp_nanos(), i128::from(london.timestamp_micros()) * 1_000);
        let paris_time = time::OffsetDateTime::from_unix_timestamp(paris.timestamp())
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        let after: i64 = logins::table.filter(logins::at.gt(paris_time)).count().get_result(conn)?;
        assert_eq!(after, 1);
        Ok(())
    }
}

#[test]
fn instants_written_with_other_offsets_by_other_programs_read_on_sqlite() -> quarry::result::QueryResult<()> {
    use chrono::{TimeZone, Utc};
    let conn = &mut seeded_db();
    conn.batch_execute(
        "CREATE TABLE logins (id INTEGER PRIMARY KEY, at NOT NULL); -- no type: each value kept as written
         INSERT INTO logins VALUES (1, '2026-06-01T10:00:00+02:00'), (2, '2026-06-01 08:00:00Z'), (3, '2026-06-01 08:00:00'), (4, 1780300800);",
    )?;
    let read: Vec<chrono::DateTime<Utc>> = logins::table.select(logins::at).order(logins::id).load(conn)?;
    let eight = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
    assert_eq!(read[..3], [eight, eight, eight]);
    assert_eq!(read[3], Utc.timestamp_opt(1_780_300_800, 0).unwrap());
    let with_time: Vec<time::OffsetDateTime> = logins::table.select(logins::at).order(logins::id).load(conn)?;
    assert!(with_time[..3].iter().all(|t| t.unix_timestamp() == eight.timestamp()), "{with_time:?}");
    Ok(())
}

on_every_backend! {
    fn a_constraint_error_names_the_table_and_column(conn) {
        // A post without its title (in a savepoint: the failure must not spoil PostgreSQL's test transaction).
        let err = conn
            .transaction(|c| quarry::insert_into(posts::table).values((posts::id.eq(99), posts::user_id.eq(1))).execute(c))
            .unwrap_err();
        let Error::DatabaseError(DatabaseErrorKind::NotNullViolation, info) = err else { panic!("{err:?}") };
        assert_eq!((info.table_name(), info.column_name()), (Some("posts"), Some("title")));
        Ok(())
    }
}

/// A number read by name, for reading a column of another type.
#[derive(Debug, QueryableByName)]
struct Count {
    #[quarry(sql_type = quarry::sql_types::BigInt)]
    #[allow(dead_code)]
    n: i64,
}

on_every_backend! {
    /// Errors Quarry raises before the database runs anything carry a kind code can match on, the same
    /// on every backend; a value that cannot be read names its column for code too.
    fn errors_carry_a_kind_and_a_column_for_code_to_match(conn) {
        use common::backends::BackendSql;
        use quarry::result::BuildErrorKind;
        let sql = if conn.is_postgres() { "DELETE FROM users WHERE id = $1 OR id = $2" } else { "DELETE FROM users WHERE id = ? OR id = ?" };
        let err = quarry::sql_query(sql).bind::<quarry::sql_types::Integer, _>(1).execute(conn).unwrap_err();
        assert_eq!(err.build_error_kind(), Some(BuildErrorKind::BindCount), "{err}");
        let err = conn.transaction(|c| quarry::sql_query("COMMIT").execute(c)).unwrap_err();
        assert_eq!(err.build_error_kind(), Some(BuildErrorKind::TransactionControl), "{err}");
        let unchanged = (false).then(|| users::name.eq("x"));
        let err = quarry::update(users::table).set(unchanged).execute(conn).unwrap_err();
        assert_eq!(err.build_error_kind(), Some(BuildErrorKind::NothingToSet), "{err}");
        // Ann's hair colour is NULL, read as if it could not be.
        let err =
            users::table.select(users::hair_color.assume_not_null()).filter(users::id.eq(1)).get_result::<String>(conn);
        let err = err.unwrap_err();
        let column = err.column_error().unwrap_or_else(|| panic!("a column's error: {err}"));
        assert_eq!((column.index(), column.name()), (0, Some("hair_color")));
        assert!(column.is_unexpected_null(), "{err}");
        assert_eq!((column.expected(), column.found()), (None, None));
        // A name read as a number: what was expected and what came, in the backend's words.
        let err = quarry::sql_query("SELECT name AS n FROM users").load::<Count>(conn).unwrap_err();
        let column = err.column_error().unwrap_or_else(|| panic!("a column's error: {err}"));
        let found = if conn.is_postgres() { "text" } else { "TEXT" };
        assert_eq!((column.name(), column.expected(), column.found()), (Some("n"), Some("an integer"), Some(found)));
        assert!(!column.is_unexpected_null());
        assert!(err.to_string().contains("expected an integer, found a"), "{err}");
        assert_eq!(Error::NotFound.build_error_kind(), None);
        Ok(())
    }
}

/// A struct whose field is an `Option` for a column that admits no NULL.
#[derive(Debug, PartialEq, Queryable, Selectable, QueryableByName)]
#[quarry(table_name = users)]
struct MaybeNamed {
    id: i32,
    name: Option<String>,
}

on_every_backend! {
    /// A NOT NULL column reads into an `Option` too (always `Some`), in a tuple, alone or in a struct.
    fn a_column_that_admits_no_null_reads_into_an_option(conn) {
        let pairs: Vec<(Option<i32>, Option<String>)> =
            users::table.select((users::id, users::name)).order(users::id).limit(2).load(conn)?;
        assert_eq!(pairs, [(Some(1), Some("Ann".to_owned())), (Some(2), Some("Bo".to_owned()))]);
        let name: Option<String> = users::table.select(users::name).filter(users::id.eq(2)).get_result(conn)?;
        assert_eq!(name.as_deref(), Some("Bo"));
        let first = users::table.select(MaybeNamed::as_select()).order(users::id).first(conn)?;
        assert_eq!(first, MaybeNamed { id: 1, name: Some("Ann".to_owned()) });
        let by_name: Vec<MaybeNamed> = quarry::sql_query("SELECT id, name FROM users ORDER BY id").load(conn)?;
        assert_eq!(by_name[0], first);
        Ok(())
    }
}
