//! `TracingInstrumentation` (feature `tracing`): a span per statement with its SQL, an event in it with
//! the rows, an ERROR event for a failure; checked with a subscriber that writes down what it is given.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use quarry::connection::instrumentation::TracingInstrumentation;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Writes each span and event as a line: `span quarry.statement sql=.. binds=..`, `DEBUG in 1: rows=..`.
#[derive(Default, Clone)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
    current: Arc<Mutex<Vec<u64>>>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() != "duration_us" {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields(String::new());
        span.record(&mut fields);
        self.lines.lock().unwrap().push(format!("span {id} {}{}", span.metadata().name(), fields.0));
        Id::from_u64(id)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let inside = self.current.lock().unwrap().last().map_or("none".to_owned(), u64::to_string);
        self.lines.lock().unwrap().push(format!("{} in {inside}:{}", event.metadata().level(), fields.0));
    }
    fn enter(&self, span: &Id) {
        self.current.lock().unwrap().push(span.into_u64());
    }
    fn exit(&self, _: &Id) {
        self.current.lock().unwrap().pop();
    }
}

#[test]
fn each_statement_is_a_span_with_an_event_and_a_failure_is_an_error() {
    let recorder = Recorder::default();
    let lines = recorder.lines.clone();
    tracing::subscriber::with_default(recorder, || {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.set_instrumentation(TracingInstrumentation::default());
        conn.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        quarry::sql_query("INSERT INTO t VALUES (1), (2)").execute(&mut conn).unwrap();
        assert!(conn.batch_execute("SELECT nope FROM t").is_err());
    });
    let lines = lines.lock().unwrap();
    assert_eq!(
        lines[..4],
        [
            "span 1 quarry.statement sql=\"CREATE TABLE t (x INTEGER)\" binds=0 prepared=true",
            "DEBUG in 1: message=statement finished rows=0",
            "span 2 quarry.statement sql=\"INSERT INTO t VALUES (1), (2)\" binds=0 prepared=true",
            "DEBUG in 2: message=statement finished rows=2",
        ],
        "{lines:#?}"
    );
    assert_eq!(lines.len(), 6, "{lines:#?}");
    assert!(lines[4].starts_with("span 3 quarry.statement sql=\"SELECT nope FROM t\""), "{lines:#?}");
    assert!(
        lines[5].starts_with("ERROR in 3: message=statement failed rows=0 error=") && lines[5].contains("nope"),
        "{lines:#?}"
    );
}
