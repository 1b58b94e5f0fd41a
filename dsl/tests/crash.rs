//! Crash safety: a child process writes in a loop (small transactions and batches big enough to be
//! split into several statements) and is killed with SIGKILL at a random point, 20 times, alternating
//! the default rollback journal and `ConcurrentSetup`'s WAL with synchronous = NORMAL. After each kill,
//! every commit the child reported is there, no batch is there in part, and `integrity_check` is ok.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use quarry::prelude::*;
use quarry::result::QueryResult;
use quarry::sqlite::{ConcurrentSetup, SqliteConnection};

quarry::table! { entries (id) { id -> BigInt, batch -> BigInt, payload -> Text, } }
quarry::table! { totals (id) { id -> Integer, entries -> BigInt, } }

const CHILD_ENV: &str = "QUARRY_CRASH_CHILD_DB";
/// Rows of a big batch: 2 values each, past SQLite's 32,766 values per statement.
const BIG_BATCH: i64 = 20_000;

fn open(path: &str, wal: bool) -> QueryResult<SqliteConnection> {
    let mut conn = SqliteConnection::establish(path).expect("open the database");
    if wal {
        ConcurrentSetup::default().apply(&mut conn)?;
    } else {
        conn.batch_execute("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL")?;
    }
    Ok(conn)
}

/// The child: commits batches numbered from where the database stands, reporting each after its commit.
#[test]
#[ignore = "the child process of `sigkill_at_random_points_loses_no_reported_commit`"]
fn crash_child_writer() -> QueryResult<()> {
    let Ok(path) = std::env::var(CHILD_ENV) else { return Ok(()) };
    let wal = std::env::var("QUARRY_CRASH_WAL").is_ok();
    let mut conn = open(&path, wal)?;
    let mut batch: i64 =
        entries::table.select(quarry::dsl::max(entries::batch)).get_result::<Option<i64>>(&mut conn)?.unwrap_or(0);
    let mut next_id: i64 =
        entries::table.select(quarry::dsl::max(entries::id)).get_result::<Option<i64>>(&mut conn)?.unwrap_or(0) + 1;
    let stdout = std::io::stdout();
    loop {
        batch += 1;
        let size = if batch % 7 == 0 { BIG_BATCH } else { 1 + batch % 5 };
        let rows: Vec<_> = (0..size)
            .map(|i| {
                (
                    entries::id.eq(next_id + i),
                    entries::batch.eq(batch),
                    entries::payload.eq(format!("row {i} of {batch}")),
                )
            })
            .collect();
        conn.transaction(|conn| {
            quarry::insert_into(entries::table).values(&rows).execute(conn)?;
            quarry::update(totals::table.find(1)).set(totals::entries.eq(totals::entries + size)).execute(conn)
        })?;
        next_id += size;
        let mut out = stdout.lock();
        use std::io::Write;
        writeln!(out, "committed {batch} {size}").and_then(|()| out.flush()).expect("report to the parent");
    }
}

/// A small pseudo-random sequence (xorshift), seeded from the clock: each run kills at other points.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn sigkill_at_random_points_loses_no_reported_commit() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::temp_dir().join(format!("quarry-crash-{}.db", std::process::id()));
    let path_text = path.to_str().expect("a UTF-8 temp path").to_owned();
    let remove = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{path_text}{suffix}"));
        }
    };
    remove();
    {
        let mut conn = open(&path_text, false)?;
        conn.batch_execute(
            "CREATE TABLE entries (id BIGINT PRIMARY KEY, batch BIGINT NOT NULL, payload TEXT NOT NULL);
             CREATE TABLE totals (id INTEGER PRIMARY KEY, entries BIGINT NOT NULL);
             INSERT INTO totals VALUES (1, 0);",
        )?;
    }
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    let mut reported: Vec<(i64, i64)> = Vec::new();
    for run in 0..20 {
        let wal = run % 2 == 1;
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args(["--ignored", "--exact", "crash_child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path_text)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if wal {
            command.env("QUARRY_CRASH_WAL", "1");
        } else {
            // Back to the rollback journal, while no other connection is open.
            open(&path_text, false)?;
        }
        let mut child = command.spawn()?;
        let stdout = child.stdout.take().expect("piped");
        let lines =
            std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<String>>());
        // Let it commit a few batches, then kill it at a random moment.
        std::thread::sleep(Duration::from_millis(50 + rng.below(250)));
        child.kill()?;
        let status = child.wait()?;
        assert!(!status.success(), "run {run}: the child was killed, not finished ({status})");
        for line in lines.join().expect("the reader thread") {
            let mut words = line.split_whitespace().skip(1).map(str::parse::<i64>);
            if let (Some(Ok(batch)), Some(Ok(size))) = (words.next(), words.next()) {
                reported.push((batch, size));
            }
        }
        let mut conn = open(&path_text, false)?;
        #[derive(QueryableByName)]
        struct Check {
            #[quarry(sql_type = quarry::sql_types::Text)]
            integrity_check: String,
        }
        let check: Vec<Check> = quarry::sql_query("PRAGMA integrity_check").load(&mut conn)?;
        assert_eq!(check.iter().map(|c| c.integrity_check.as_str()).collect::<Vec<_>>(), ["ok"], "run {run}");
        let per_batch: Vec<(i64, i64)> = entries::table
            .group_by(entries::batch)
            .select((entries::batch, quarry::dsl::count_star()))
            .order(entries::batch)
            .load(&mut conn)?;
        for &(batch, size) in &reported {
            assert!(
                per_batch.contains(&(batch, size)),
                "run {run}: reported batch {batch} ({size} rows) is not all there"
            );
        }
        for &(batch, rows) in &per_batch {
            let expected = if batch % 7 == 0 { BIG_BATCH } else { 1 + batch % 5 };
            assert_eq!(rows, expected, "run {run}: batch {batch} is there in part");
        }
        let total: i64 = totals::table.find(1).select(totals::entries).get_result(&mut conn)?;
        assert_eq!(
            total,
            per_batch.iter().map(|(_, rows)| rows).sum::<i64>(),
            "run {run}: the counter and the rows disagree"
        );
    }
    assert!(reported.len() >= 20, "the children committed only {} batches in all", reported.len());
    assert!(reported.iter().any(|&(_, size)| size == BIG_BATCH), "no big batch was committed");
    remove();
    Ok(())
}
