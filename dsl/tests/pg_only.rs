//! The SQL only PostgreSQL has (`ilike`, `distinct_on`, row locks), run on the server. On SQLite these do
//! not compile: the ui cases in `ui-tests/tests/ui/backend/fail/` pin each error.

mod common;

use common::backends::pg_seeded_db;
use common::*;
use quarry::pg::{Pg, PgConnection};
use quarry::prelude::*;
use quarry::result::{DatabaseErrorKind, Error};

#[test]
fn ilike_ignores_case_and_not_ilike_is_its_opposite() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let ids: Vec<i32> = users::table.filter(users::name.ilike("a%")).select(users::id).load(&mut conn).unwrap();
    assert_eq!(ids, [1]);
    let like: Vec<i32> = users::table.filter(users::name.like("a%")).select(users::id).load(&mut conn).unwrap();
    assert!(like.is_empty(), "LIKE is case-sensitive on PostgreSQL");
    let mut others: Vec<i32> =
        users::table.filter(users::name.not_ilike("A%")).select(users::id).load(&mut conn).unwrap();
    others.sort();
    assert_eq!(others, [2, 3]);
    // In a boxed query built for PostgreSQL, and in a subquery.
    let mut q = users::table.select(users::name).into_boxed::<Pg>();
    q = q.filter(users::name.ilike("%Y"));
    assert_eq!(q.load::<String>(&mut conn).unwrap(), ["Cy"]);
    let titles: Vec<String> = posts::table
        .filter(posts::user_id.eq_any(users::table.filter(users::name.ilike("bo")).select(users::id)))
        .select(posts::title)
        .load(&mut conn)
        .unwrap();
    assert_eq!(titles, ["Red hair"]);
}

#[test]
fn distinct_on_keeps_the_first_row_of_each_key() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let q = posts::table
        .distinct_on(posts::user_id)
        .order((posts::user_id, posts::id.desc()))
        .select((posts::user_id, posts::title));
    assert_eq!(
        quarry::debug_query::<Pg, _>(&q).sql().unwrap(),
        r#"SELECT DISTINCT ON ("posts"."user_id") "posts"."user_id", "posts"."title" FROM "posts" ORDER BY "posts"."user_id", "posts"."id" DESC"#
    );
    let latest: Vec<(i32, String)> = q.load(&mut conn).unwrap();
    assert_eq!(latest, [(1, "Again".to_string()), (2, "Red hair".to_string()), (3, "Black".to_string())]);
    // Boxed, it keeps its DISTINCT ON.
    let boxed = posts::table
        .distinct_on(posts::user_id)
        .order((posts::user_id, posts::id))
        .select(posts::id)
        .into_boxed::<Pg>();
    assert_eq!(boxed.load::<i32>(&mut conn).unwrap(), [1, 3, 4]);
    // An ORDER BY that does not start with the key is refused by the server: an `Err`, never a panic.
    let err = posts::table.distinct_on(posts::user_id).order(posts::id).select(posts::id).load::<i32>(&mut conn);
    assert!(matches!(err, Err(Error::DatabaseError(..))), "{err:?}");
}

quarry::table! {
    jobs (id) {
        id -> Integer,
        done -> Bool,
    }
}

/// Two connections to a table of their own, committed (row locks are between transactions), dropped
/// however the test ends.
struct Jobs {
    url: String,
    schema: String,
}

impl Jobs {
    fn new() -> Option<Jobs> {
        pg_seeded_db()?;
        let url = std::env::var("PG_DATABASE_URL").ok()?;
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let schema = format!("quarry_locks_{}_{nanos}", std::process::id());
        PgConnection::establish(&url)
            .unwrap()
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; CREATE TABLE {schema}.jobs (id INTEGER PRIMARY KEY, done BOOLEAN NOT NULL);
                 INSERT INTO {schema}.jobs SELECT g, FALSE FROM generate_series(1, 3) g;"
            ))
            .unwrap();
        Some(Jobs { url, schema })
    }

    fn connect(&self) -> PgConnection {
        let mut conn = PgConnection::establish(&self.url).unwrap();
        conn.batch_execute(&format!("SET search_path TO {}", self.schema)).unwrap();
        conn
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.url) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

/// The next job no other worker holds.
macro_rules! next_job {
    () => {
        jobs::table.filter(jobs::done.eq(false)).order(jobs::id).limit(1).for_update().skip_locked()
    };
}

#[test]
fn for_update_skip_locked_hands_each_job_to_one_worker() {
    let Some(jobs) = Jobs::new() else { return };
    let (mut a, mut b) = (jobs.connect(), jobs.connect());
    a.transaction(|a| {
        let first: (i32, bool) = next_job!().first(a)?;
        assert_eq!(first.0, 1);
        // While `a` holds job 1, `b` skips it and gets job 2; then NOWAIT on job 1 fails at once.
        b.transaction(|b| {
            let second: (i32, bool) = next_job!().first(b)?;
            assert_eq!(second.0, 2);
            quarry::update(jobs::table.find(second.0)).set(jobs::done.eq(true)).execute(b)?;
            Ok::<_, Error>(())
        })?;
        let held = jobs::table.find(1).for_update().no_wait().first::<(i32, bool)>(&mut b);
        let Err(Error::DatabaseError(kind, info)) = held else { panic!("{held:?}") };
        assert_eq!(kind, DatabaseErrorKind::Locked, "{info:?}");
        let shared = jobs::table.find(1).for_share().skip_locked().load::<(i32, bool)>(&mut b)?;
        assert!(shared.is_empty(), "FOR SHARE waits for (or skips) a FOR UPDATE lock");
        quarry::update(jobs::table.find(first.0)).set(jobs::done.eq(true)).execute(a)?;
        Ok::<_, Error>(())
    })
    .unwrap();
    // Both jobs were done once; the third is still there, and lockable again.
    let mut c = jobs.connect();
    let left: Vec<i32> = jobs::table.filter(jobs::done.eq(false)).select(jobs::id).load(&mut c).unwrap();
    assert_eq!(left, [3]);
    for q in [
        quarry::debug_query::<Pg, _>(&jobs::table.for_no_key_update()).sql().unwrap(),
        quarry::debug_query::<Pg, _>(&jobs::table.for_key_share().no_wait()).sql().unwrap(),
    ] {
        assert!(q.ends_with(" FOR NO KEY UPDATE") || q.ends_with(" FOR KEY SHARE NOWAIT"), "{q}");
    }
}

/// What may be locked runs on the server: rows of an inner join, with any select clause of plain columns
/// before or after the lock, boxed or not (aggregates, DISTINCT, GROUP BY and LEFT JOINs do not compile:
/// ui `lock`).
#[test]
fn rows_of_an_inner_join_are_locked_whatever_columns_are_selected() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let plain: Vec<String> =
        users::table.inner_join(posts::table).select(posts::title).order(posts::id).load(&mut conn).unwrap();
    assert!(!plain.is_empty());
    conn.transaction(|c| {
        let joined: Vec<String> =
            users::table.inner_join(posts::table).select(posts::title).order(posts::id).for_update().load(c)?;
        assert_eq!(joined, plain);
        let after: Vec<String> =
            users::table.for_no_key_update().inner_join(posts::table).select(posts::title).order(posts::id).load(c)?;
        assert_eq!(after, plain);
        let names: Vec<String> = users::table.for_share().select(users::name).order(users::id).load(c)?;
        assert_eq!(names.len(), users::table.count().get_result::<i64>(c)? as usize);
        // Boxed after the lock, filters and a select of plain columns are added at run time.
        let mut boxed = users::table.for_update().into_boxed::<Pg>().select(users::name);
        for id in [1, 2] {
            boxed = boxed.or_filter(users::id.eq(id));
        }
        let boxed: Vec<String> = boxed.order(users::id).load(c)?;
        assert_eq!(boxed, names[..2]);
        Ok::<_, Error>(())
    })
    .unwrap();
}

quarry::table! {
    events (id) {
        id -> Integer,
        data -> Jsonb,
        extra -> Nullable<Jsonb>,
    }
}

#[test]
fn jsonb_values_round_trip_and_its_operators_query_them() {
    use serde_json::{Value, json};
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute("CREATE TABLE events (id INTEGER PRIMARY KEY, data JSONB NOT NULL, extra JSONB)").unwrap();
    let login = json!({"kind": "login", "user": "ann", "tags": ["a", "b"], "n": 1.5});
    let logout = json!({"kind": "logout", "user": "bo"});
    quarry::insert_into(events::table)
        .values(&vec![
            (events::id.eq(1), events::data.eq(&login), events::extra.eq(None::<Value>)),
            (events::id.eq(2), events::data.eq(&logout), events::extra.eq(Some(json!([1, 2])))),
        ])
        .execute(&mut conn)
        .unwrap();
    let back: Vec<(Value, Option<Value>)> =
        events::table.order(events::id).select((events::data, events::extra)).load(&mut conn).unwrap();
    assert_eq!(back, [(login.clone(), None), (logout, Some(json!([1, 2])))]);
    // As text, from a `&str` bind.
    quarry::insert_into(events::table)
        .values((events::id.eq(3), events::data.eq(r#"{"kind":"login","user":"cy"}"#)))
        .execute(&mut conn)
        .unwrap();
    let text: String = events::table.find(3).select(events::data).get_result(&mut conn).unwrap();
    assert_eq!(text, r#"{"kind": "login", "user": "cy"}"#, "the server's own form");

    let users: Vec<Option<String>> = events::table
        .filter(events::data.contains(json!({"kind": "login"})))
        .order(events::id)
        .select(events::data.retrieve_as_text("user"))
        .load(&mut conn)
        .unwrap();
    assert_eq!(users, [Some("ann".to_string()), Some("cy".to_string())]);
    let tags: Option<Value> =
        events::table.find(1).select(events::data.retrieve_as_object("tags")).get_result(&mut conn).unwrap();
    assert_eq!(tags, Some(json!(["a", "b"])));
    let missing: Option<String> =
        events::table.find(2).select(events::data.retrieve_as_text("tags")).get_result(&mut conn).unwrap();
    assert_eq!(missing, None);
    let with_tags: Vec<i32> =
        events::table.filter(events::data.has_key("tags")).select(events::id).load(&mut conn).unwrap();
    assert_eq!(with_tags, [1]);
    let within: Vec<i32> = events::table
        .filter(events::data.is_contained_by(json!({"kind": "logout", "user": "bo", "extra": true})))
        .select(events::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(within, [2]);
    // On a nullable column, and with a key holding quotes, NUL-free but hostile.
    let nulls: Vec<i32> =
        events::table.filter(events::extra.contains(json!([2]))).select(events::id).load(&mut conn).unwrap();
    assert_eq!(nulls, [2]);
    let odd: Vec<i32> = events::table
        .filter(events::data.has_key("'); DROP TABLE events; --"))
        .select(events::id)
        .load(&mut conn)
        .unwrap();
    assert!(odd.is_empty());
}

/// A SET value may hold PostgreSQL's own SQL (a `jsonb` operator here): it is checked where the statement
/// runs, as a query is (on SQLite it does not compile: ui `backend/ilike_in_a_set_clause_on_sqlite`).
#[test]
fn set_values_may_use_postgres_sql_in_updates_and_upserts() {
    use serde_json::json;
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        r#"CREATE TABLE events (id INTEGER PRIMARY KEY, data JSONB NOT NULL, extra JSONB);
           INSERT INTO events VALUES (1, '{"tags": ["a"], "user": "ann"}', NULL)"#,
    )
    .unwrap();
    let n = quarry::update(events::table.find(1))
        .set(events::extra.eq(events::data.retrieve_as_object("tags")))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(n, 1);
    let extra: Option<serde_json::Value> = events::table.find(1).select(events::extra).get_result(&mut conn).unwrap();
    assert_eq!(extra, Some(json!(["a"])));
    quarry::insert_into(events::table)
        .values((events::id.eq(1), events::data.eq(json!({}))))
        .on_conflict(events::id)
        .do_update()
        .set(events::extra.eq(events::data.retrieve_as_object("user")))
        .execute(&mut conn)
        .unwrap();
    let extra: Option<serde_json::Value> = events::table.find(1).select(events::extra).get_result(&mut conn).unwrap();
    assert_eq!(extra, Some(json!("ann")), "the row's own data, not the excluded one's");
    // An optional change too, checked where it runs like the rest (a jsonb operator; an array column).
    let change = Some(events::extra.eq(events::data.retrieve_as_object("user")));
    quarry::update(events::table.find(1)).set(change).execute(&mut conn).unwrap();
    conn.batch_execute(
        "CREATE TABLE tagged (id INTEGER PRIMARY KEY, tags TEXT[] NOT NULL); INSERT INTO tagged VALUES (1, '{}')",
    )
    .unwrap();
    quarry::table! {
        tagged (id) {
            id -> Integer,
            tags -> Array<Text>,
        }
    }
    let tags = Some(tagged::tags.eq(vec!["a".to_owned(), "b".to_owned()]));
    quarry::update(tagged::table.find(1)).set(tags).execute(&mut conn).unwrap();
    let back: Vec<String> = tagged::table.find(1).select(tagged::tags).get_result(&mut conn).unwrap();
    assert_eq!(back, ["a", "b"]);
}

quarry::table! {
    words (id) {
        id -> Integer,
        word -> Text,
        blob -> Binary,
        score -> Double,
    }
}

#[test]
fn eq_any_binds_one_array_whatever_the_length() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let q = users::table.filter(users::id.eq_any(vec![1, 3])).select(users::name);
    assert_eq!(
        quarry::debug_query::<Pg, _>(&q).to_string(),
        r#"SELECT "users"."name" FROM "users" WHERE "users"."id" = ANY($1) -- binds: ["{1,3}"]"#
    );
    let q = users::table.filter(users::id.ne_all([2])).select(users::id);
    assert!(quarry::debug_query::<Pg, _>(&q).sql().unwrap().ends_with(r#""users"."id" <> ALL($1)"#));
    assert_eq!(q.load::<i32>(&mut conn).unwrap(), [1, 3]);
    // 100,000 values: one parameter (the protocol allows 65,535), one prepared statement for any length.
    let many: Vec<i32> = (1..=100_000).collect();
    let n: i64 = users::table.filter(users::id.eq_any(&many)).count().get_result(&mut conn).unwrap();
    assert_eq!(n, 3);
    let before = conn.stats().prepares;
    for len in [1, 2, 17, 1000] {
        let _: Vec<i32> =
            users::table.filter(users::id.eq_any(&many[..len])).select(users::id).load(&mut conn).unwrap();
    }
    assert_eq!(conn.stats().prepares - before, 1, "one statement for every length");
    // NULL in the list: as with IN, `NOT IN (.., NULL)` is never true.
    let colors: Vec<Option<&str>> = vec![Some("red"), None];
    let some: Vec<i32> =
        users::table.filter(users::hair_color.eq_any(&colors)).select(users::id).load(&mut conn).unwrap();
    assert_eq!(some, [2]);
    let none: Vec<i32> =
        users::table.filter(users::hair_color.ne_all(&colors)).select(users::id).load(&mut conn).unwrap();
    assert!(none.is_empty());
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Whatever the text (quotes, backslashes, braces, commas, `NULL`, unicode), bytes and floats, an
        /// `eq_any` list matches exactly the rows holding one of its values.
        #[test]
        fn an_eq_any_array_matches_exactly_its_values(
            rows in proptest::collection::vec(("[^\u{0}]{0,12}|NULL|\\{\\}|\"|\\\\", proptest::collection::vec(any::<u8>(), 0..6), any::<f64>()), 1..12),
            pick in proptest::collection::vec(any::<bool>(), 12),
        ) {
            let Some(mut conn) = pg_seeded_db() else { return Ok(()) };
            conn.batch_execute("CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT NOT NULL, blob BYTEA NOT NULL, score DOUBLE PRECISION NOT NULL)").unwrap();
            let values: Vec<_> = rows
                .iter()
                .enumerate()
                .map(|(i, (w, b, s))| (words::id.eq(i as i32), words::word.eq(w.as_str()), words::blob.eq(b.as_slice()), words::score.eq(*s)))
                .collect();
            quarry::insert_into(words::table).values(&values).execute(&mut conn).unwrap();
            let chosen: Vec<usize> = (0..rows.len()).filter(|i| pick[*i]).collect();
            let expect = |same: &dyn Fn(usize, usize) -> bool| -> Vec<i32> {
                (0..rows.len()).filter(|i| chosen.iter().any(|c| same(*i, *c))).map(|i| i as i32).collect()
            };
            let by_word: Vec<&str> = chosen.iter().map(|i| rows[*i].0.as_str()).collect();
            let got: Vec<i32> = words::table.filter(words::word.eq_any(&by_word)).order(words::id).select(words::id).load(&mut conn).unwrap();
            prop_assert_eq!(got, expect(&|i, c| rows[i].0 == rows[c].0));
            let by_blob: Vec<&[u8]> = chosen.iter().map(|i| rows[*i].1.as_slice()).collect();
            let got: Vec<i32> = words::table.filter(words::blob.eq_any(&by_blob)).order(words::id).select(words::id).load(&mut conn).unwrap();
            prop_assert_eq!(got, expect(&|i, c| rows[i].1 == rows[c].1));
            let by_score: Vec<f64> = chosen.iter().map(|i| rows[*i].2).collect();
            let got: Vec<i32> = words::table.filter(words::score.eq_any(&by_score)).order(words::id).select(words::id).load(&mut conn).unwrap();
            // PostgreSQL's NaN equals NaN (unlike IEEE), and -0 equals 0.
            prop_assert_eq!(got, expect(&|i, c| rows[i].2 == rows[c].2 || (rows[i].2.is_nan() && rows[c].2.is_nan())));
        }
    }
}

quarry::table! {
    articles (id) {
        id -> Integer,
        tags -> Array<Text>,
        scores -> Nullable<Array<Integer>>,
        took -> Interval,
    }
}

#[test]
fn arrays_and_intervals_round_trip_and_the_array_operators_query_them() {
    use quarry::pg::data_types::PgInterval;
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, tags TEXT[] NOT NULL, scores INTEGER[], took INTERVAL NOT NULL)",
    )
    .unwrap();
    let odd =
        vec!["a \"quoted\" tag".to_string(), "back\\slash".into(), "NULL".into(), "{braces},".into(), "ünï".into()];
    let took = PgInterval::new(1_500_000, 2, 14);
    quarry::insert_into(articles::table)
        .values(&vec![
            (
                articles::id.eq(1),
                articles::tags.eq(odd.clone()),
                articles::scores.eq(Some(vec![3, -1])),
                articles::took.eq(took),
            ),
            (
                articles::id.eq(2),
                articles::tags.eq(vec!["rust".to_string()]),
                articles::scores.eq(None::<Vec<i32>>),
                articles::took.eq(PgInterval::from_days(-3)),
            ),
            (
                articles::id.eq(3),
                articles::tags.eq(Vec::<String>::new()),
                articles::scores.eq(Some(vec![])),
                articles::took.eq(PgInterval::default()),
            ),
        ])
        .execute(&mut conn)
        .unwrap();
    let rows: Vec<(i32, Vec<String>, Option<Vec<i32>>, PgInterval)> =
        articles::table.order(articles::id).load(&mut conn).unwrap();
    assert_eq!(rows[0], (1, odd.clone(), Some(vec![3, -1]), took));
    assert_eq!(rows[1], (2, vec!["rust".to_string()], None, PgInterval::from_days(-3)));
    assert_eq!(rows[2], (3, vec![], Some(vec![]), PgInterval::default()));
    let with: Vec<i32> =
        articles::table.filter(articles::tags.contains(vec!["NULL"])).select(articles::id).load(&mut conn).unwrap();
    assert_eq!(with, [1], "the string NULL is an element, not a NULL");
    let within: Vec<i32> = articles::table
        .filter(articles::tags.is_contained_by(vec!["rust", "go"]))
        .order(articles::id)
        .select(articles::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(within, [2, 3]);
    let overlap: Vec<i32> = articles::table
        .filter(articles::scores.overlaps_with(vec![-1, 7]))
        .select(articles::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(overlap, [1]);
    let long: Vec<i32> = articles::table
        .filter(articles::took.gt(PgInterval::from_days(1)))
        .select(articles::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(long, [1]);
    // A NULL element or a two-dimensional array read into a Vec: an error naming it.
    conn.batch_execute("UPDATE articles SET tags = ARRAY['x', NULL] WHERE id = 2; UPDATE articles SET scores = '{{1,2},{3,4}}' WHERE id = 3").unwrap();
    let err = articles::table.find(2).select(articles::tags).get_result::<Vec<String>>(&mut conn).unwrap_err();
    assert!(err.to_string().contains("element 2 of the array is NULL"), "{err}");
    let err = articles::table.find(3).select(articles::scores).get_result::<Option<Vec<i32>>>(&mut conn).unwrap_err();
    assert!(err.to_string().contains("2 dimensions"), "{err}");
}

quarry::table! {
    moods (id) {
        id -> Integer,
        mood -> Nullable<Text>,
        nick -> Text,
    }
}

/// A `Text` column over an enum or a domain reads and binds as text: an enum (the server turns a bound
/// string into a label, and refuses one the enum lacks), a domain over text. `print-schema` declares an
/// enum whose name does not map back from Rust this way, and every domain.
#[test]
fn enum_and_domain_columns_read_and_bind_as_text() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE DOMAIN nickname AS TEXT CHECK (length(VALUE) < 10);
         CREATE TABLE moods (id INTEGER PRIMARY KEY, mood mood, nick nickname NOT NULL);",
    )
    .unwrap();
    quarry::insert_into(moods::table)
        .values(&vec![
            (moods::id.eq(1), moods::mood.eq(Some("ok")), moods::nick.eq("a")),
            (moods::id.eq(2), moods::mood.eq(None), moods::nick.eq("b")),
        ])
        .execute(&mut conn)
        .unwrap();
    let rows: Vec<(i32, Option<String>, String)> = moods::table.order(moods::id).load(&mut conn).unwrap();
    assert_eq!(rows, [(1, Some("ok".to_string()), "a".to_string()), (2, None, "b".to_string())]);
    let ok: Vec<i32> =
        moods::table.filter(moods::mood.eq_any(vec!["ok", "sad"])).select(moods::id).load(&mut conn).unwrap();
    assert_eq!(ok, [1]);
    let err = conn.transaction(|c| {
        quarry::insert_into(moods::table)
            .values((moods::id.eq(3), moods::mood.eq(Some("angry")), moods::nick.eq("c")))
            .execute(c)
    });
    assert!(err.unwrap_err().to_string().contains("angry"));
}

/// `auth.users` beside `public.users`: two tables to the compiler (exact identity includes the schema),
/// each written with its schema.
mod auth {
    quarry::table! {
        quarry_auth.users (id) {
            id -> Integer,
            email -> Text,
        }
    }
}

/// A third `users`, in a schema of its own too.
mod billing {
    quarry::table! {
        quarry_billing.users (id) {
            id -> Integer,
            plan -> Text,
        }
    }
}

#[test]
fn tables_in_another_schema_are_written_with_it() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        "CREATE SCHEMA quarry_auth; CREATE TABLE quarry_auth.users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
         INSERT INTO quarry_auth.users VALUES (2, 'bo@example.com'), (9, 'nobody@example.com');",
    )
    .unwrap();
    let q = auth::users::table.filter(auth::users::id.eq(2)).select(auth::users::email);
    assert_eq!(
        quarry::debug_query::<Pg, _>(&q).sql().unwrap(),
        r#"SELECT "quarry_auth"."users"."email" FROM "quarry_auth"."users" WHERE "quarry_auth"."users"."id" = $1"#
    );
    assert_eq!(q.load::<String>(&mut conn).unwrap(), ["bo@example.com"]);
    // Beside the `users` of the search path in one query, one of the two takes an alias, as in SQL
    // (both would be exposed as `users`).
    let accounts = quarry::alias!(auth::users as accounts);
    let both: Vec<(String, String)> = users::table
        .inner_join(accounts.on(accounts.field(auth::users::id).eq(users::id)))
        .select((users::name, accounts.field(auth::users::email)))
        .load(&mut conn)
        .unwrap();
    assert_eq!(both, [("Bo".to_string(), "bo@example.com".to_string())]);
    // In a subquery too: inside one on `quarry_auth.users`, `"users"` is that table, so the outer `users`
    // is reached through an alias of the inner one (unaliased, it does not compile: ui
    // `subquery_hiding_the_outer_table_of_the_same_name`).
    let with_account: Vec<String> = users::table
        .filter(quarry::dsl::exists(accounts.filter(accounts.field(auth::users::id).eq(users::id))))
        .select(users::name)
        .load(&mut conn)
        .unwrap();
    assert_eq!(with_account, ["Bo"]);
    // A subquery that names only its own table needs no alias.
    let ids: Vec<i32> = users::table
        .filter(users::id.eq_any(auth::users::table.select(auth::users::id)))
        .select(users::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(ids, [2]);
    // Two tables written with their schemas never clash by name: they join with no alias, and inside a
    // subquery on `users` the outer `quarry_auth.users` is named by its schema.
    conn.batch_execute(
        "CREATE SCHEMA quarry_billing; CREATE TABLE quarry_billing.users (id INTEGER PRIMARY KEY, plan TEXT NOT NULL);
         INSERT INTO quarry_billing.users VALUES (2, 'pro');",
    )
    .unwrap();
    let plans: Vec<(String, String)> = auth::users::table
        .inner_join(billing::users::table.on(billing::users::id.eq(auth::users::id)))
        .select((auth::users::email, billing::users::plan))
        .load(&mut conn)
        .unwrap();
    assert_eq!(plans, [("bo@example.com".to_string(), "pro".to_string())]);
    let known: Vec<i32> = auth::users::table
        .filter(quarry::dsl::exists(users::table.filter(users::id.eq(auth::users::id))))
        .select(auth::users::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(known, [2], "9 is no user of the search path");
    let n = quarry::update(auth::users::table.find(9))
        .set(auth::users::email.eq("x@example.com"))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(n, 1);
    let all: Vec<(i32, String)> = auth::users::table.order(auth::users::id).load(&mut conn).unwrap();
    assert_eq!(all[1], (9, "x@example.com".to_string()));
}

/// A struct of PostgreSQL-only types: `check_for_backend(Pg)` (Diesel's attribute) checks its fields
/// against PostgreSQL rather than the first backend built in (SQLite here, which has no arrays).
#[derive(Queryable, Selectable, Debug, PartialEq)]
#[quarry(table_name = articles, check_for_backend(quarry::pg::Pg))]
struct Article {
    id: i32,
    tags: Vec<String>,
    scores: Option<Vec<i32>>,
    took: quarry::pg::data_types::PgInterval,
}

#[test]
fn a_selectable_struct_of_postgres_types_checks_against_postgres() {
    use quarry::pg::data_types::PgInterval;
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, tags TEXT[] NOT NULL, scores INTEGER[], took INTERVAL NOT NULL);
         INSERT INTO articles VALUES (1, '{a,b}', NULL, '1 day');",
    )
    .unwrap();
    let article: Article = articles::table.select(Article::as_select()).first(&mut conn).unwrap();
    assert_eq!(
        article,
        Article { id: 1, tags: vec!["a".into(), "b".into()], scores: None, took: PgInterval::from_days(1) }
    );
}

quarry::table! {
    stamps (id) {
        id -> Integer,
        at -> Timestamp,
    }
}

/// `now` is the UTC wall clock on PostgreSQL too, whatever the session's time zone: read back, and in a
/// comparison with a `timestamp` column that holds UTC times (what binding a `NaiveDateTime` of
/// `Utc::now()` stores), as on SQLite.
#[test]
fn now_and_today_are_utc_whatever_the_session_time_zone() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        "SET LOCAL TIME ZONE 'Asia/Tokyo'; CREATE TABLE stamps (id INTEGER PRIMARY KEY, at TIMESTAMP NOT NULL)",
    )
    .unwrap();
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let clock = chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0).unwrap().naive_utc();
    let hour = chrono::TimeDelta::try_hours(1).unwrap();
    quarry::insert_into(stamps::table)
        .values(&vec![(stamps::id.eq(1), stamps::at.eq(clock - hour)), (stamps::id.eq(2), stamps::at.eq(clock + hour))])
        .execute(&mut conn)
        .unwrap();
    let past: Vec<i32> =
        stamps::table.filter(stamps::at.lt(quarry::dsl::now)).select(stamps::id).load(&mut conn).unwrap();
    assert_eq!(past, [1], "a session nine hours ahead of UTC must not move `now`");
    let (at, day): (chrono::NaiveDateTime, chrono::NaiveDate) =
        quarry::select((quarry::dsl::now, quarry::dsl::today)).get_result(&mut conn).unwrap();
    assert!((clock - at).num_seconds().abs() < 120, "now is {at}, the clock {clock}");
    assert_eq!(day, at.date());
}

quarry::table! {
    moved (id) {
        id -> Integer,
        title -> Text,
    }
}
quarry::table! {
    archive (id) {
        id -> Integer,
        title -> Text,
    }
}
quarry::allow_tables_to_appear_in_same_query!(posts, moved, archive);

/// A data-modifying CTE: the DELETE's RETURNING rows feed the INSERT in one statement, so a post is moved
/// to the archive or stays where it was, never both nor neither. On SQLite this does not compile
/// (`ui/with/fail/data_modifying_cte_on_sqlite`).
#[test]
fn a_delete_in_with_feeds_an_insert() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute("CREATE TABLE archive (id INTEGER PRIMARY KEY, title TEXT NOT NULL)").unwrap();
    let q =
        quarry::dsl::with(moved::table.as_cte(
            quarry::delete(posts::table.filter(posts::published.eq(false))).returning((posts::id, posts::title)),
        ))
        .query(quarry::insert_into(archive::table).values(moved::table.select((moved::id, moved::title))));
    assert_eq!(
        quarry::debug_query::<Pg, _>(&q).sql().unwrap(),
        r#"WITH "moved"("id", "title") AS (DELETE FROM "posts" WHERE "posts"."published" = $1 RETURNING "posts"."id", "posts"."title") INSERT INTO "archive" ("id", "title") SELECT "moved"."id", "moved"."title" FROM "moved""#
    );
    assert_eq!(q.execute(&mut conn).unwrap(), 1);
    let archived: Vec<(i32, String)> = archive::table.load(&mut conn).unwrap();
    assert_eq!(archived, [(2, "Again".to_string())]);
    assert_eq!(posts::table.count().get_result::<i64>(&mut conn).unwrap(), 3);

    // An UPDATE in WITH whose rows the statement reads back, and an INSERT .. RETURNING likewise.
    let renamed = quarry::dsl::with(
        moved::table.as_cte(
            quarry::update(posts::table.filter(posts::user_id.eq(1)))
                .set(posts::title.eq("Renamed"))
                .returning((posts::id, posts::title)),
        ),
    )
    .query(moved::table.select(moved::title));
    assert_eq!(renamed.load::<String>(&mut conn).unwrap(), ["Renamed"]);
    let added = quarry::dsl::with(
        moved::table.as_cte(
            quarry::insert_into(archive::table)
                .values((archive::id.eq(9), archive::title.eq("Nine")))
                .returning((archive::id, archive::title)),
        ),
    )
    .query(moved::table.select(moved::id));
    assert_eq!(added.get_result::<i32>(&mut conn).unwrap(), 9);
    // A failing write in WITH (a duplicate key) is an `Err`, and the statement wrote nothing.
    let again = quarry::dsl::with(
        moved::table.as_cte(
            quarry::insert_into(archive::table)
                .values((archive::id.eq(9), archive::title.eq("Nine again")))
                .returning((archive::id, archive::title)),
        ),
    )
    .query(moved::table.select(moved::id));
    let err = again.load::<i32>(&mut conn);
    assert!(matches!(err, Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))), "{err:?}");
}

/// An INSERT of no rows after a CTE that writes can neither be skipped (the CTE must run) nor written: an
/// `Err` saying so, before anything is sent.
#[test]
fn an_empty_insert_after_a_writing_cte_is_an_error() {
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute("CREATE TABLE archive (id INTEGER PRIMARY KEY, title TEXT NOT NULL)").unwrap();
    let none: Vec<
        (quarry::expression::Eq<archive::id, quarry::expression::Operand<quarry::sql_types::Integer, i32>>,),
    > = Vec::new();
    let q = quarry::dsl::with(moved::table.as_cte(quarry::delete(posts::table).returning((posts::id, posts::title))))
        .query(quarry::insert_into(archive::table).values(&none));
    let err = q.execute(&mut conn);
    assert!(matches!(&err, Err(Error::QueryBuilderError(e)) if e.to_string().contains("has no rows")), "{err:?}");
    assert_eq!(posts::table.count().get_result::<i64>(&mut conn).unwrap(), 4, "nothing ran");
}

/// A long query cancelled from another thread fails with `QueryCanceled`, and the connection goes on.
#[test]
fn a_cancel_token_stops_a_running_query_and_the_connection_stays_usable() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let token = conn.cancel_token().expect("the server gives a cancel key");
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        token.cancel_query()
    });
    let started = std::time::Instant::now();
    let err = conn.transaction(|c| quarry::sql_query("SELECT pg_sleep(30)").execute(c)).unwrap_err();
    assert!(
        matches!(err, quarry::result::Error::DatabaseError(quarry::result::DatabaseErrorKind::QueryCanceled, _)),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "cancelled, not waited out");
    canceller.join().unwrap().unwrap();
    let n: i64 = users::table.count().get_result(&mut conn).unwrap();
    assert_eq!(n, 3, "the connection goes on");
    // A cancel when nothing runs does nothing.
    conn.cancel_token().unwrap().cancel_query().unwrap();
    let n: i64 = users::table.count().get_result(&mut conn).unwrap();
    assert_eq!(n, 3);
}

/// Notices the server sends (`RAISE NOTICE`) reach the instrumentation after their statement.
#[test]
fn server_notices_are_reported_to_the_instrumentation() {
    use quarry::connection::instrumentation::Event;
    let Some(mut conn) = pg_seeded_db() else { return };
    conn.batch_execute(
        "CREATE FUNCTION shout(n integer) RETURNS integer AS $$ BEGIN RAISE NOTICE 'row %', n; RETURN n; END $$ LANGUAGE plpgsql",
    )
    .unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    conn.set_instrumentation(move |event: &Event<'_>| match event {
        Event::Notice { severity, message } => log.lock().unwrap().push(format!("{severity}: {message}")),
        Event::StatementFinished { .. } => log.lock().unwrap().push("finished".to_owned()),
        _ => {}
    });
    conn.batch_execute("DO $$ BEGIN RAISE WARNING 'careful'; END $$").unwrap();
    #[derive(QueryableByName)]
    struct N {
        #[quarry(sql_type = quarry::sql_types::Integer)]
        n: i32,
    }
    let rows: Vec<N> = quarry::sql_query("SELECT shout(g) AS n FROM generate_series(1, 2) g").load(&mut conn).unwrap();
    assert_eq!(rows.iter().map(|r| r.n).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(*seen.lock().unwrap(), ["finished", "WARNING: careful", "finished", "NOTICE: row 1", "NOTICE: row 2"]);
    // Streamed rows too: the notices after the iterator's end.
    seen.lock().unwrap().clear();
    let streamed: Vec<N> = quarry::sql_query("SELECT shout(g) AS n FROM generate_series(1, 3) g")
        .load_iter(&mut conn)
        .unwrap()
        .collect::<quarry::result::QueryResult<_>>()
        .unwrap();
    assert_eq!(streamed.len(), 3);
    assert_eq!(*seen.lock().unwrap(), ["finished", "NOTICE: row 1", "NOTICE: row 2", "NOTICE: row 3"]);
}

/// `target_session_attrs` (libpq's): a server that is not of the kind asked for is passed over, and an
/// error says which kind none was.
#[test]
fn target_session_attrs_picks_a_server_of_the_kind_asked_for() {
    let Ok(url) = std::env::var("PG_DATABASE_URL") else { return };
    let sep = if url.contains('?') { '&' } else { '?' };
    let connect = |query: &str| PgConnection::establish(&format!("{url}{sep}{query}"));
    let read_only = "options=-c%20default_transaction_read_only%3Don";
    let err = connect(&format!("{read_only}&target_session_attrs=read-write")).unwrap_err().to_string();
    assert!(err.contains("not read-write (target_session_attrs)"), "{err}");
    assert!(connect(&format!("{read_only}&target_session_attrs=read-only")).is_ok());
    assert!(connect("target_session_attrs=read-write").is_ok());
    assert!(connect("target_session_attrs=read-only").unwrap_err().to_string().contains("not read-only"));
    assert!(connect("target_session_attrs=primary").is_ok());
    assert!(connect("target_session_attrs=standby").unwrap_err().to_string().contains("not a standby"));
    assert!(connect("target_session_attrs=prefer-standby").is_ok(), "a primary when no standby answers");
    let err = connect("target_session_attrs=writable").unwrap_err().to_string();
    assert!(err.contains("target_session_attrs `writable`"), "{err}");
}

/// `hostaddr` beside `host` (libpq's): the address is reached, the name is kept for messages and TLS.
#[test]
fn hostaddr_beside_host_reaches_the_address() {
    let Ok(url) = std::env::var("PG_DATABASE_URL") else { return };
    let sep = if url.contains('?') { '&' } else { '?' };
    let mut conn = PgConnection::establish(&format!("{url}{sep}hostaddr=127.0.0.1")).unwrap();
    let one: i32 = quarry::select(1.into_sql::<quarry::sql_types::Integer>()).get_result(&mut conn).unwrap();
    assert_eq!(one, 1);
    // A name in hostaddr is refused; an address no server listens on is named with the host.
    let err = PgConnection::establish(&format!("{url}{sep}hostaddr=localhost")).unwrap_err().to_string();
    assert!(err.contains("not an IP address"), "{err}");
    let err = PgConnection::establish("host=db.example hostaddr=127.0.0.1 port=1 user=x connect_timeout=2")
        .unwrap_err()
        .to_string();
    assert!(err.contains("db.example (127.0.0.1):1"), "{err}");
}

/// A list of byte strings binds as one `bytea[]` (the shared table's `BYTEA`).
#[test]
fn binary_values_in_a_list_bind_as_one_bytea_array() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let value = b"a\0b".to_vec();
    let list = vec![b"xy".to_vec(), b"a\0b".to_vec()];
    let query = quarry::select(value.clone().into_sql::<quarry::sql_types::Binary>().eq_any(list.clone()));
    assert!(quarry::debug_query::<Pg, _>(&query).sql().unwrap().contains("= ANY($2)"));
    assert!(query.get_result::<bool>(&mut conn).unwrap());
    let missing = quarry::select(b"zz".to_vec().into_sql::<quarry::sql_types::Binary>().eq_any(list));
    assert!(!missing.get_result::<bool>(&mut conn).unwrap());
}
