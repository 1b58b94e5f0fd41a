//! PostgreSQL only: connecting (URLs, key=value strings, clear errors), what the server reports about a
//! refused statement, and a connection whose backend was terminated. Run when `PG_DATABASE_URL` is set.

mod common;

use common::backends::pg_seeded_db;
use common::*;
use quarry::pg::PgConnection;
use quarry::prelude::*;
use quarry::result::{ConnectionError, DatabaseErrorKind, Error};

fn url() -> Option<String> {
    // `pg_seeded_db` prints the line saying the tests are skipped.
    pg_seeded_db()?;
    std::env::var("PG_DATABASE_URL").ok()
}

#[test]
fn urls_and_key_value_strings_connect() {
    let Some(url) = url() else { return };
    PgConnection::establish(&url).expect("the URL");
    let postgresql = url.replacen("postgres://", "postgresql://", 1);
    PgConnection::establish(&postgresql).expect("postgresql://");
    // The same server as key=value pairs, when the URL is a plain `postgres://user@host:port/db`.
    if let Some((user, rest)) = url.strip_prefix("postgres://").and_then(|r| r.split_once('@'))
        && let Some((host_port, db)) = rest.split_once('/')
    {
        let (host, port) = host_port.split_once(':').unwrap_or((host_port, "5432"));
        let db = db.split('?').next().unwrap_or(db);
        if !user.contains(':') {
            PgConnection::establish(&format!(
                "host={host} port={port} user={user} dbname={db} application_name=quarry-tests"
            ))
            .expect("key=value pairs");
        }
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    let mut conn = PgConnection::establish(&format!("{url}{separator}options=-c%20search_path%3Dquarry_nowhere"))
        .expect("options");
    #[derive(QueryableByName)]
    struct Path {
        #[quarry(sql_type = quarry::sql_types::Text)]
        search_path: String,
    }
    let path: Vec<Path> = quarry::sql_query("SHOW search_path").load(&mut conn).unwrap();
    assert_eq!(path[0].search_path, "quarry_nowhere", "the options reached the server");
}

#[test]
fn each_connection_failure_is_an_error_naming_it() {
    if url().is_none() {
        return;
    }
    let bad = PgConnection::establish("postgres://[::1:5432/test").unwrap_err();
    assert!(matches!(bad, ConnectionError::InvalidConnectionUrl(_)), "{bad}");
    let unreachable = PgConnection::establish("postgres://postgres@127.0.0.1:1/test?connect_timeout=2").unwrap_err();
    assert!(unreachable.to_string().contains("refused"), "{unreachable}");
    let no_db = PgConnection::establish("postgres://postgres@127.0.0.1:5432/quarry_no_such_db").unwrap_err();
    assert!(no_db.to_string().contains("quarry_no_such_db"), "{no_db}");
    for with_secret in [
        "postgres://postgres:s3cret@127.0.0.1:1/test",
        "postgres://127.0.0.1:1/test?password=s3cret",
        "host=127.0.0.1 port=1 password='s3 cret' dbname=test",
        "host=127.0.0.1 port=bad password=s3cret",
    ] {
        let e = PgConnection::establish(with_secret).unwrap_err();
        assert!(!e.to_string().contains("s3"), "the password is not repeated: {e}");
    }
}

#[test]
fn a_refused_statement_names_its_constraint_table_and_sqlstate() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let err = conn
        .transaction(|c| quarry::insert_into(users::table).values((users::id.eq(1), users::name.eq("x"))).execute(c))
        .unwrap_err();
    let Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = err else { panic!("{err:?}") };
    assert_eq!(info.sqlstate(), Some("23505"));
    assert_eq!(info.constraint_name(), Some("users_pkey"));
    assert_eq!(info.table_name(), Some("users"));
    assert!(info.message().contains("Key (id)=(1)"), "the server's detail is kept: {}", info.message());
}

#[test]
fn nul_in_sql_text_and_too_many_binds_are_errors() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let nul = quarry::sql_query("DELETE FROM users\0 WHERE id = 2").execute(&mut conn).unwrap_err();
    assert!(nul.to_string().contains("NUL"), "{nul}");
    let binds = quarry::sql_query("SELECT id FROM users WHERE id = $1")
        .bind::<quarry::sql_types::Integer, _>(1)
        .bind::<quarry::sql_types::Integer, _>(2)
        .execute(&mut conn)
        .unwrap_err();
    assert!(binds.to_string().contains("2 values for 1 parameters"), "{binds}");
    assert_eq!(users::table.count().get_result::<i64>(&mut conn).unwrap(), 3);
}

#[test]
fn a_terminated_backend_is_an_error_on_the_next_query_not_a_hang() {
    let Some(url) = url() else { return };
    let mut victim = PgConnection::establish(&url).unwrap();
    let mut killer = PgConnection::establish(&url).unwrap();
    #[derive(QueryableByName)]
    struct Pid {
        #[quarry(sql_type = quarry::sql_types::Integer)]
        pid: i32,
    }
    let pid: Vec<Pid> = quarry::sql_query("SELECT pg_backend_pid() AS pid").load(&mut victim).unwrap();
    killer.batch_execute(&format!("SELECT pg_terminate_backend({})", pid[0].pid)).unwrap();
    let err = quarry::select(1.into_sql::<quarry::sql_types::Integer>()).get_result::<i32>(&mut victim).unwrap_err();
    assert!(matches!(err, Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)), "{err:?}");
    let again = victim.batch_execute("SELECT 1").unwrap_err();
    assert!(matches!(again, Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)), "{again:?}");
}

#[test]
fn numeric_values_read_as_the_nearest_float() {
    let Some(mut conn) = pg_seeded_db() else { return };
    #[derive(QueryableByName)]
    struct Value {
        #[quarry(sql_type = quarry::sql_types::Double)]
        v: f64,
    }
    for text in ["0", "-1.5", "12345678.9", "0.0001234", "100000000000000000000", "-0.00000001", "9999.9999", "1e-20"] {
        let rows: Vec<Value> = quarry::sql_query(format!("SELECT '{text}'::numeric AS v")).load(&mut conn).unwrap();
        assert_eq!(rows[0].v, text.parse::<f64>().unwrap(), "{text}");
    }
}

#[test]
fn the_transaction_builder_sets_isolation_and_read_only() {
    let Some(url) = url() else { return };
    let mut conn = PgConnection::establish(&url).unwrap();
    #[derive(QueryableByName)]
    struct Setting {
        #[quarry(sql_type = quarry::sql_types::Text)]
        transaction_isolation: String,
    }
    let level = conn
        .build_transaction()
        .serializable()
        .read_only()
        .deferrable()
        .run(|c| quarry::sql_query("SHOW transaction_isolation").load::<Setting>(c))
        .unwrap();
    assert_eq!(level[0].transaction_isolation, "serializable");
    let write =
        conn.build_transaction().read_only().run(|c| c.batch_execute("CREATE TEMPORARY TABLE nope (x INTEGER)"));
    assert!(matches!(write, Err(Error::DatabaseError(DatabaseErrorKind::ReadOnly, _))), "{write:?}");
    // Inside a transaction, options cannot apply to a savepoint.
    let nested: Result<(), Error> = conn.transaction(|c| c.build_transaction().serializable().run(|_| Ok(())));
    assert!(nested.is_err());
}

#[test]
fn a_pool_replaces_a_connection_whose_backend_was_terminated() {
    let Some(url) = url() else { return };
    use quarry::r2d2::{ConnectionManager, Pool};
    let pool = Pool::builder().max_size(1).build(ConnectionManager::<PgConnection>::new(url.clone())).unwrap();
    #[derive(QueryableByName)]
    struct Pid {
        #[quarry(sql_type = quarry::sql_types::Integer)]
        pid: i32,
    }
    let first: Vec<Pid> = quarry::sql_query("SELECT pg_backend_pid() AS pid").load(&mut *pool.get().unwrap()).unwrap();
    PgConnection::establish(&url)
        .unwrap()
        .batch_execute(&format!("SELECT pg_terminate_backend({})", first[0].pid))
        .unwrap();
    // The pool's check on checkout finds it closed and opens another.
    let second: Vec<Pid> = quarry::sql_query("SELECT pg_backend_pid() AS pid").load(&mut *pool.get().unwrap()).unwrap();
    assert_ne!(first[0].pid, second[0].pid);
}

#[test]
fn a_failed_statement_swallowed_inside_a_transaction_makes_it_fail_not_commit_nothing() {
    let Some(url) = url() else { return };
    let mut conn = PgConnection::establish(&url).unwrap();
    conn.batch_execute("CREATE TEMPORARY TABLE kept (id INTEGER PRIMARY KEY)").unwrap();
    let result: Result<(), Error> = conn.transaction(|c| {
        c.batch_execute("INSERT INTO kept VALUES (1)")?;
        // PostgreSQL aborts the block here; the closure ignores the error and returns Ok.
        let _ = c.batch_execute("INSERT INTO kept VALUES (1)");
        Ok(())
    });
    assert!(
        matches!(&result, Err(Error::BrokenTransactionManager(m)) if m.contains("nothing was committed")),
        "{result:?}"
    );
    assert!(!conn.is_in_transaction());
    #[derive(QueryableByName)]
    struct Count {
        #[quarry(sql_type = quarry::sql_types::BigInt)]
        n: i64,
    }
    let n: Vec<Count> = quarry::sql_query("SELECT count(*) AS n FROM kept").load(&mut conn).unwrap();
    assert_eq!(n[0].n, 0);
}

#[test]
fn raw_transaction_statements_are_followed_and_transaction_refuses_to_nest_in_them() {
    let Some(url) = url() else { return };
    let mut conn = PgConnection::establish(&url).unwrap();
    conn.batch_execute("START TRANSACTION").unwrap();
    assert!(conn.is_in_transaction());
    let nested: Result<(), Error> = conn.transaction(|_| Ok(()));
    assert!(matches!(&nested, Err(Error::BrokenTransactionManager(m)) if m.contains("raw SQL")), "{nested:?}");
    conn.batch_execute("COMMIT AND CHAIN").unwrap();
    assert!(conn.is_in_transaction(), "AND CHAIN opens the next block");
    conn.batch_execute("/* done */ ROLLBACK").unwrap();
    assert!(!conn.is_in_transaction());
    // A failed raw BEGIN; bad statement leaves an aborted block, which is seen.
    assert!(conn.batch_execute("BEGIN; SELECT no_such_column FROM pg_class").is_err());
    assert!(conn.is_in_transaction());
    conn.batch_execute("ROLLBACK").unwrap();
    assert!(!conn.is_in_transaction());
    conn.transaction(|c| c.batch_execute("SELECT 1")).unwrap();
}

#[test]
fn a_null_first_does_not_fix_the_parameter_type_for_later_values() {
    let Some(mut conn) = pg_seeded_db() else { return };
    use quarry::sql_types::{Double, Nullable};
    let run = |conn: &mut PgConnection, v: Option<f64>| {
        quarry::select(v.into_sql::<Nullable<Double>>()).get_result::<Option<f64>>(conn)
    };
    // The first run leaves the parameter to the server, which types a bare `$1` as text.
    assert_eq!(run(&mut conn, None).unwrap(), None);
    assert_eq!(run(&mut conn, Some(1.5)).unwrap(), Some(1.5));
    assert_eq!(run(&mut conn, None).unwrap(), None);
}

/// TLS with rustls against the local server (Debian's: `ssl = on`, a self-signed certificate for
/// `localhost`): `require` encrypts, `verify-full` checks the chain and the name, `verify-ca` the chain.
#[test]
fn tls_connections_encrypt_and_verify_as_sslmode_says() {
    let Some(url) = url() else { return };
    let cert = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
    let separator = if url.contains('?') { '&' } else { '?' };
    #[derive(QueryableByName)]
    struct Ssl {
        #[quarry(sql_type = quarry::sql_types::Bool)]
        ssl: bool,
    }
    let encrypted = |conn: &mut PgConnection| -> bool {
        quarry::sql_query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").load::<Ssl>(conn).unwrap()[0].ssl
    };
    let mut plain = PgConnection::establish(&format!("{url}{separator}sslmode=disable")).expect("sslmode=disable");
    assert!(!encrypted(&mut plain));
    let mut required = PgConnection::establish(&format!("{url}{separator}sslmode=require")).expect("sslmode=require");
    assert!(encrypted(&mut required), "require encrypts");
    if std::fs::metadata(cert).is_err() || !url.contains("127.0.0.1") {
        return; // the checks below need Debian's certificate for `localhost` and a server on this machine
    }
    let local = url.replacen("127.0.0.1", "localhost", 1);
    let mut full = PgConnection::establish(&format!("{local}{separator}sslmode=verify-full&sslrootcert={cert}"))
        .expect("verify-full with the right CA and name");
    assert!(encrypted(&mut full));
    let wrong_name =
        PgConnection::establish(&format!("{url}{separator}sslmode=verify-full&sslrootcert={cert}")).unwrap_err();
    assert!(wrong_name.to_string().to_lowercase().contains("certificate"), "{wrong_name}");
    let mut ca_only = PgConnection::establish(&format!("{url}{separator}sslmode=verify-ca&sslrootcert={cert}"))
        .expect("verify-ca does not check the name");
    assert!(encrypted(&mut ca_only));
    let no_root = PgConnection::establish(&format!("{url}{separator}sslmode=verify-full")).unwrap_err();
    assert!(no_root.to_string().contains("sslrootcert"), "{no_root}");
    let wrong_ca = PgConnection::establish(&format!(
        "{local}{separator}sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt"
    ));
    assert!(wrong_ca.is_err(), "a certificate no root signs is refused");
}

/// `sql_query("COMMIT")` inside a transaction call is refused before it runs, as `batch_execute`'s is.
#[test]
fn raw_sql_that_would_end_the_transaction_is_refused_inside_one() {
    let Some(mut conn) = pg_seeded_db() else { return };
    let err = conn
        .transaction(|c| {
            quarry::sql_query("UPDATE users SET name = 'x' WHERE id = 1").execute(c)?;
            quarry::sql_query("COMMIT").execute(c)
        })
        .unwrap_err();
    assert!(err.to_string().contains("`COMMIT` ends or begins a transaction"), "{err}");
    let name: String = users::table.find(1).select(users::name).get_result(&mut conn).unwrap();
    assert_eq!(name, "Ann", "the update was rolled back with the transaction");
}
