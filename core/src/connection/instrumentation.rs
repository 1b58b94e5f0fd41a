//! Instrumentation: a hook on a connection that sees what it does (opened, each statement started and
//! finished with its SQL, binds, duration, rows and error, each transaction begun and ended), so that
//! what an ORM hides can be logged, timed and counted. Set per connection
//! ([`Connection::set_instrumentation`](super::Connection::set_instrumentation)) or for every connection
//! opened from then on ([`set_default_instrumentation`]).
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use quarry::connection::instrumentation::Event;
//! use quarry::prelude::*;
//! use quarry::sqlite::SqliteConnection;
//!
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let log = seen.clone();
//! let mut conn = SqliteConnection::establish(":memory:")?;
//! conn.set_instrumentation(move |event: &Event<'_>| {
//!     if let Event::StatementFinished { sql, rows, .. } = event {
//!         log.lock().unwrap().push(format!("{sql} -> {rows}"));
//!     }
//! });
//! conn.batch_execute("CREATE TABLE t (x INTEGER)")?;
//! quarry::sql_query("INSERT INTO t VALUES (1), (2)").execute(&mut conn)?;
//! assert_eq!(*seen.lock().unwrap(), ["CREATE TABLE t (x INTEGER) -> 0", "INSERT INTO t VALUES (1), (2) -> 2"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A connection with no hook pays one branch per statement: the SQL text, the clock and the event are
//! only made for a hook.

use std::sync::RwLock;
use std::time::{Duration, Instant};

use crate::result::{ConnectionError, Error};

/// What a connection did.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A connection was opened (`error: None`) or failed to open. `url` is the one given, its password
    /// hidden. Seen by the default instrumentation only (a connection's own is set after it opens).
    Connected {
        /// The connection string, password hidden.
        url: &'a str,
        /// How long opening took.
        duration: Duration,
        /// Why it failed.
        error: Option<&'a ConnectionError>,
    },
    /// A statement is about to run.
    StatementStarted {
        /// Its SQL.
        sql: &'a str,
        /// How many values are bound to it.
        binds: usize,
        /// True when it was prepared (compiled) for this run rather than found in the connection's
        /// statement cache.
        prepared: bool,
    },
    /// A statement finished (or failed before it ran, `error` saying why).
    StatementFinished {
        /// Its SQL (empty when it failed before its SQL was known).
        sql: &'a str,
        /// How many values were bound to it.
        binds: usize,
        /// From just before it was sent to the last row read (for `load_iter`, to the iterator's end).
        duration: Duration,
        /// The rows it returned (a query, RETURNING), else the rows it changed (INSERT, UPDATE, DELETE).
        /// `load_iter`: the rows read before it ended. On PostgreSQL a `batch_execute` text is one
        /// statement (sent in one round trip), with 0 rows.
        rows: u64,
        /// Why it failed.
        error: Option<&'a Error>,
    },
    /// The server sent a notice or a warning while a statement ran (PostgreSQL: `RAISE NOTICE` in a
    /// function, a deprecated setting), reported after that statement's `StatementFinished` (at most 100
    /// between two reports).
    Notice {
        /// `NOTICE`, `WARNING`, `INFO`, `LOG` or `DEBUG`.
        severity: &'a str,
        /// The server's text.
        message: &'a str,
    },
    /// A transaction began: `depth` 1 for the outermost, more for a savepoint inside it.
    TransactionBegun {
        /// 1 for `BEGIN`, 2 and on for savepoints.
        depth: u32,
    },
    /// A transaction (or savepoint) was committed (released).
    TransactionCommitted {
        /// As in `TransactionBegun`.
        depth: u32,
    },
    /// A transaction (or savepoint) was rolled back.
    TransactionRolledBack {
        /// As in `TransactionBegun`.
        depth: u32,
    },
}

/// Receives a connection's [`Event`]s. Any `FnMut(&Event<'_>) + Send` closure is one.
pub trait Instrumentation: Send {
    /// Called for each event, on the thread that uses the connection, before the call that caused it returns.
    fn on_event(&mut self, event: &Event<'_>);
}

impl<F: FnMut(&Event<'_>) + Send> Instrumentation for F {
    fn on_event(&mut self, event: &Event<'_>) {
        self(event)
    }
}

/// Makes the instrumentation of each new connection.
pub type MakeInstrumentation = fn() -> Option<Box<dyn Instrumentation>>;

static DEFAULT: RwLock<Option<MakeInstrumentation>> = RwLock::new(None);

/// Gives every connection opened from now on (in any thread) the instrumentation `make` returns; `None`
/// stops it. Connections already open keep theirs. `make` also sees their [`Event::Connected`].
pub fn set_default_instrumentation(make: Option<MakeInstrumentation>) {
    // A panic elsewhere while the lock was held leaves a plain value behind: take it over.
    *DEFAULT.write().unwrap_or_else(std::sync::PoisonError::into_inner) = make;
}

/// The hook of one connection (none unless set), and what the backends call to report to it.
#[derive(Default)]
pub struct InstrumentationSlot(Option<Box<dyn Instrumentation>>);

impl std::fmt::Debug for InstrumentationSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "InstrumentationSlot(set)" } else { "InstrumentationSlot(none)" })
    }
}

impl InstrumentationSlot {
    /// The default instrumentation's, for a new connection.
    pub fn from_default() -> Self {
        let make = *DEFAULT.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        InstrumentationSlot(make.and_then(|make| make()))
    }

    /// Sets the hook.
    pub fn set(&mut self, hook: Box<dyn Instrumentation>) {
        self.0 = Some(hook);
    }

    /// Removes the hook and gives it back.
    pub fn take(&mut self) -> Option<Box<dyn Instrumentation>> {
        self.0.take()
    }

    /// True when a hook is set: only then is an event worth making.
    #[inline]
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Reports `event` to the hook, if any.
    #[inline]
    pub fn emit(&mut self, event: &Event<'_>) {
        if let Some(hook) = &mut self.0 {
            hook.on_event(event);
        }
    }

    /// Reports [`Event::Connected`] for a connection opened from `url` (its password hidden here), begun
    /// at `start`.
    pub fn connected(&mut self, url: &str, start: Instant, error: Option<&ConnectionError>) {
        if self.is_set() {
            let url = hide_password(url);
            self.emit(&Event::Connected { url: &url, duration: start.elapsed(), error });
        }
    }
}

/// The error a statement is reported with when a panic (in a row's conversion, say) cut it short.
#[doc(hidden)]
pub fn panicked() -> Error {
    Error::DeserializationError("a panic (in a row's conversion) cut the statement short".into())
}

/// Reports [`Event::Connected`] through a fresh default instrumentation for a connection that failed to
/// open (there is no connection to hold it).
pub fn report_failed_connection(url: &str, start: Instant, error: &ConnectionError) {
    InstrumentationSlot::from_default().connected(url, start, Some(error));
}

/// `url` with its password replaced by `***`: a URL's `user:password@` and `password=` parameter, and
/// `password=..` among key=value pairs (spaces around `=` and quoted values too).
pub fn hide_password(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let authority = match authority.rfind('@') {
            Some(at) => match authority[..at].find(':') {
                Some(colon) => format!("{}:***{}", &authority[..colon], &authority[at..]),
                None => authority.to_owned(),
            },
            None => authority.to_owned(),
        };
        let tail = match tail.split_once('?') {
            Some((path, query)) => {
                let pairs: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                        _ => pair.to_owned(),
                    })
                    .collect();
                format!("{path}?{}", pairs.join("&"))
            }
            None => tail.to_owned(),
        };
        return format!("{scheme}://{authority}{tail}");
    }
    // key=value pairs: `password`, optional spaces, `=`, optional spaces, then a word or a quoted value.
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(at) = rest.find("password") {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = &rest[at + "password".len()..];
        let after_key = after.trim_start();
        let Some(value) = after_key.strip_prefix('=').filter(|_| before_ok) else {
            out.push_str(&rest[..at + "password".len()]);
            rest = after;
            continue;
        };
        let value = value.trim_start();
        let end = if let Some(quoted) = value.strip_prefix('\'') {
            // Up to the closing quote (a backslash escapes the next character).
            let mut chars = quoted.char_indices();
            let mut close = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '\'' => {
                        close = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            1 + close
        } else {
            value.find(char::is_whitespace).unwrap_or(value.len())
        };
        out.push_str(&rest[..at]);
        out.push_str("password=***");
        rest = &value[end.min(value.len())..];
    }
    out.push_str(rest);
    out
}

/// Instrumentation that reports each statement slower than `threshold`, with its SQL and duration (a
/// failed one too, whatever its time), to `report`: `conn.set_instrumentation(slow_statements(
/// Duration::from_millis(100), |sql, took| eprintln!("slow ({took:?}): {sql}")))`.
pub fn slow_statements(
    threshold: Duration,
    mut report: impl FnMut(&str, Duration, Option<&Error>) + Send + 'static,
) -> impl Instrumentation {
    move |event: &Event<'_>| {
        if let Event::StatementFinished { sql, duration, error, .. } = event
            && (*duration >= threshold || error.is_some())
        {
            report(sql, *duration, *error);
        }
    }
}

/// Instrumentation that writes to [`tracing`](https://docs.rs/tracing) (feature `tracing`): each
/// statement is a span `quarry.statement` (target `quarry`) with its `sql` and `binds`, closed when it
/// finishes, with a DEBUG event inside it carrying `rows` and `duration_us`, or an ERROR event with the
/// error; connections opened and transactions begun and ended are DEBUG events (a failed connection an
/// ERROR). `conn.set_instrumentation(TracingInstrumentation::default())`, or for every connection:
/// `set_default_instrumentation(Some(|| Some(Box::new(TracingInstrumentation::default()))))`.
#[cfg(feature = "tracing")]
#[derive(Debug, Default)]
pub struct TracingInstrumentation {
    /// The span of the statement running.
    span: Option<tracing::Span>,
}

#[cfg(feature = "tracing")]
impl Instrumentation for TracingInstrumentation {
    fn on_event(&mut self, event: &Event<'_>) {
        match *event {
            Event::StatementStarted { sql, binds, prepared } => {
                self.span = Some(tracing::debug_span!(target: "quarry", "quarry.statement", sql, binds, prepared));
            }
            Event::StatementFinished { sql, binds, duration, rows, error } => {
                // A statement that failed before it started has no span yet: one for it alone.
                let span = self
                    .span
                    .take()
                    .unwrap_or_else(|| tracing::debug_span!(target: "quarry", "quarry.statement", sql, binds));
                let _entered = span.enter();
                let duration_us = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
                match error {
                    Some(error) => tracing::error!(target: "quarry", rows, duration_us, %error, "statement failed"),
                    None => tracing::debug!(target: "quarry", rows, duration_us, "statement finished"),
                }
            }
            Event::Connected { url, duration, error } => {
                let duration_us = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
                match error {
                    Some(error) => tracing::error!(target: "quarry", url, duration_us, %error, "connection failed"),
                    None => tracing::debug!(target: "quarry", url, duration_us, "connection opened"),
                }
            }
            Event::Notice { severity, message } => tracing::info!(target: "quarry", severity, message, "server notice"),
            Event::TransactionBegun { depth } => tracing::debug!(target: "quarry", depth, "transaction begun"),
            Event::TransactionCommitted { depth } => tracing::debug!(target: "quarry", depth, "transaction committed"),
            Event::TransactionRolledBack { depth } => {
                tracing::debug!(target: "quarry", depth, "transaction rolled back")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::hide_password;

    #[test]
    fn passwords_are_hidden_in_urls_and_pairs() {
        assert_eq!(hide_password("postgres://ann:s3cret@db:5432/app"), "postgres://ann:***@db:5432/app");
        assert_eq!(hide_password("postgres://ann@db/app"), "postgres://ann@db/app");
        assert_eq!(hide_password("postgres://db/app?user=x"), "postgres://db/app?user=x");
        assert_eq!(hide_password("host=db password=s3cret user=ann"), "host=db password=*** user=ann");
        assert_eq!(hide_password("app.db"), "app.db");
        // The forms the connection string parser takes: a URL parameter, spaces, a quoted value.
        assert_eq!(
            hide_password("postgres://ann@db/app?password=s3cret&sslmode=require"),
            "postgres://ann@db/app?password=***&sslmode=require"
        );
        assert_eq!(hide_password("host=db password = s3cret user=ann"), "host=db password=*** user=ann");
        assert_eq!(hide_password("host=db password='a b\\' c' dbname=x"), "host=db password=*** dbname=x");
        assert_eq!(hide_password("passwordless=1 host=db"), "passwordless=1 host=db");
    }
}
