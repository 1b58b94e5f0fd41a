//! The process-wide default instrumentation: every connection opened while it is set gets a hook from
//! it, and it sees each connection opened or failing to open. (Its own test binary: the default is
//! global.)

use std::sync::Mutex;

use quarry::connection::instrumentation::{Event, Instrumentation, set_default_instrumentation};
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn make() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: &Event<'_>| {
        let line = match event {
            Event::Connected { url, error, .. } => {
                format!("connected {url} {}", error.map_or("ok".to_owned(), |e| e.to_string()))
            }
            Event::StatementFinished { sql, .. } => format!("ran {sql}"),
            _ => return,
        };
        SEEN.lock().unwrap().push(line);
    }))
}

#[test]
fn connections_opened_while_a_default_is_set_report_to_it() {
    set_default_instrumentation(Some(make));
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.batch_execute("SELECT 1").unwrap();
    let missing = SqliteConnection::establish("file:/no/such/dir/x.db?mode=ro");
    assert!(missing.is_err());
    let pg = std::env::var("PG_DATABASE_URL").ok().map(|url| {
        let bad = url.replacen("postgres://", "postgres://nobody_here:s3cret@", 1).replacen("@127.0.0.1", "", 1);
        (quarry::pg::PgConnection::establish(&url).map(|_| ()), quarry::pg::PgConnection::establish(&bad).map(|_| ()))
    });
    set_default_instrumentation(None);
    let mut quiet = SqliteConnection::establish(":memory:").unwrap();
    quiet.batch_execute("SELECT 2").unwrap();

    let seen = std::mem::take(&mut *SEEN.lock().unwrap());
    // Opening runs `PRAGMA foreign_keys = ON`, which the hook sees too.
    assert_eq!(seen[..3], ["ran PRAGMA foreign_keys = ON", "connected :memory: ok", "ran SELECT 1"]);
    assert!(seen[3].starts_with("connected file:/no/such/dir/x.db?mode=ro ") && !seen[3].ends_with(" ok"), "{seen:?}");
    if let Some((good, bad)) = pg {
        assert!(good.is_ok() && bad.is_err());
        assert!(seen[4].starts_with("connected postgres://") && seen[4].ends_with(" ok"), "{seen:?}");
        assert!(
            seen[5].contains("nobody_here:***@") && !seen[5].contains("s3cret"),
            "the password is hidden: {seen:?}"
        );
        assert_eq!(seen.len(), 6, "{seen:?}");
    } else {
        assert_eq!(seen.len(), 4, "{seen:?}");
    }
}
