//! Running one test body on every backend: `on_every_backend!` writes each test once per backend, on
//! SQLite always and on PostgreSQL when `PG_DATABASE_URL` names a server (else it prints one line saying
//! how to run them). Each PostgreSQL test runs in its own schema inside a transaction that is never
//! committed, so the tests run in parallel and leave nothing behind.

use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use quarry::pg::PgConnection;
use quarry::prelude::*;

/// The demo schema in PostgreSQL's words (SERIAL keys, real booleans).
pub const PG_DEMO_SCHEMA: &str = "
CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
CREATE TABLE posts (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT,
    published BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE comments (
    id SERIAL PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL
);";

/// The seed rows of `seeded_db`, valid on both backends.
pub const SEED: &str = "
INSERT INTO users (id, name, hair_color) VALUES (1, 'Ann', NULL), (2, 'Bo', 'red'), (3, 'Cy', 'black');
INSERT INTO posts (id, user_id, title, body, published) VALUES
    (1, 1, 'Hello', 'first post', TRUE), (2, 1, 'Again', NULL, FALSE),
    (3, 2, 'Red hair', 'about hair', TRUE), (4, 3, 'Black', NULL, TRUE);";

static SKIPPED: Once = Once::new();
static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

/// A connection to the server `PG_DATABASE_URL` names, inside a test transaction, with the demo schema
/// in a schema of its own; `None` (and one printed line) when the variable is not set.
pub fn pg_db() -> Option<PgConnection> {
    let Ok(url) = std::env::var("PG_DATABASE_URL") else {
        // Written to stderr directly: the test harness captures `eprintln!` of passing tests.
        SKIPPED.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped: the PostgreSQL runs of these tests (set PG_DATABASE_URL=postgres://user@host/db to run them)"
            );
        });
        return None;
    };
    let mut conn = PgConnection::establish(&url).unwrap_or_else(|e| panic!("PG_DATABASE_URL is set but: {e}"));
    conn.begin_test_transaction().expect("begin the test transaction");
    // Unique across processes sharing one server (CI containers may reuse process ids): the clock too.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let schema = format!("quarry_test_{}_{nanos}_{}", std::process::id(), SCHEMAS.fetch_add(1, Ordering::Relaxed));
    conn.batch_execute(&format!("CREATE SCHEMA {schema}; SET LOCAL search_path TO {schema};"))
        .expect("a schema for the test");
    conn.batch_execute(PG_DEMO_SCHEMA).expect("create the demo schema");
    Some(conn)
}

/// The demo schema with its seed rows, on PostgreSQL.
pub fn pg_seeded_db() -> Option<PgConnection> {
    let mut conn = pg_db()?;
    conn.batch_execute(SEED).expect("seed the demo data");
    // The seed gave explicit ids: the sequences go on after them.
    conn.batch_execute(
        "SELECT setval('users_id_seq', 3); SELECT setval('posts_id_seq', 4); SELECT setval('comments_id_seq', 1, false);",
    )
    .expect("move the sequences past the seed");
    Some(conn)
}

/// Writes each test once for SQLite and once for PostgreSQL: `fn name(conn) { body }`, with `conn` a
/// seeded connection (`&mut SqliteConnection`, then `&mut PgConnection`).
#[macro_export]
macro_rules! on_every_backend {
    ($(#[$attr:meta])* fn $name:ident($conn:ident) $body:block $($rest:tt)*) => {
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() -> quarry::result::QueryResult<()> {
                let $conn = &mut $crate::common::seeded_db();
                $body
            }

            #[test]
            fn postgres() -> quarry::result::QueryResult<()> {
                let Some(mut conn) = $crate::common::backends::pg_seeded_db() else { return Ok(()) };
                let $conn = &mut conn;
                $body
            }
        }
        $crate::on_every_backend!($($rest)*);
    };
    () => {};
}

/// What differs between the backends in a shared test: the SQL text a query renders there.
pub trait BackendSql {
    /// True on PostgreSQL.
    fn is_postgres(&self) -> bool;
    /// The SQL text `query` renders on this connection's backend.
    fn sql_of<Q: quarry::render::QueryFragment>(&self, query: &Q) -> String;
}
impl BackendSql for quarry::sqlite::SqliteConnection {
    fn is_postgres(&self) -> bool {
        false
    }
    fn sql_of<Q: quarry::render::QueryFragment>(&self, query: &Q) -> String {
        quarry::render::render_sql(query, &quarry::sqlite::Sqlite).expect("renders")
    }
}
impl BackendSql for PgConnection {
    fn is_postgres(&self) -> bool {
        true
    }
    fn sql_of<Q: quarry::render::QueryFragment>(&self, query: &Q) -> String {
        quarry::render::render_sql(query, &quarry::pg::Pg).expect("renders")
    }
}
