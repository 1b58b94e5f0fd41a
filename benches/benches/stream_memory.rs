//! Streams rows with `load_iter` and reports the process's peak resident memory (VmHWM) after
//! 100,000 and after 1,000,000 rows: the iterator holds one row at a time, so the peak must stay flat.
//!
//! `cargo bench -p quarry-benches --bench stream_memory` (SQLite, in memory), `.. -- pg` (PostgreSQL, the
//! server `PG_DATABASE_URL` names or the local one: rows read from a portal a slice at a time). Peak memory
//! is per process, so each backend runs in its own.

use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! {
    numbers (id) {
        id -> BigInt,
        label -> Text,
    }
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().any(|a| a == "--list") {
        return Ok(());
    }
    if std::env::args().any(|a| a == "pg") {
        return postgres();
    }
    let mut conn = SqliteConnection::establish(":memory:")?;
    conn.batch_execute(
        "CREATE TABLE numbers (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
         INSERT INTO numbers SELECT i, 'label number ' || i FROM n;",
    )?;
    let before = peak_kib();
    for limit in [100_000_i64, 1_000_000] {
        let mut count = 0_u64;
        let mut bytes = 0_usize;
        for row in numbers::table.limit(limit).load_iter::<(i64, String)>(&mut conn)? {
            let (_, label) = row?;
            count += 1;
            bytes += label.len();
        }
        println!(
            "load_iter over {count:>9} rows ({bytes} bytes of text): peak RSS {} KiB (was {} KiB before streaming)",
            peak_kib(),
            before
        );
    }
    // The contrast that shows the measure is sensitive: `load` keeps every row at once.
    let all: Vec<(i64, String)> = numbers::table.load(&mut conn)?;
    println!("load into a Vec of {:>9} rows: peak RSS {} KiB", all.len(), peak_kib());
    Ok(())
}

/// The same on PostgreSQL: 1,000,000 rows in a temporary table, streamed through a portal.
fn postgres() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("PG_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let mut conn = quarry::pg::PgConnection::establish(&url)?;
    conn.batch_execute(
        "CREATE TEMPORARY TABLE numbers (id BIGINT PRIMARY KEY, label TEXT NOT NULL);
         INSERT INTO numbers SELECT i, 'label number ' || i FROM generate_series(1, 1000000) AS i;",
    )?;
    let before = peak_kib();
    for limit in [100_000_i64, 1_000_000] {
        let mut count = 0_u64;
        let mut bytes = 0_usize;
        for row in numbers::table.limit(limit).load_iter::<(i64, String)>(&mut conn)? {
            let (_, label) = row?;
            count += 1;
            bytes += label.len();
        }
        println!(
            "PostgreSQL: load_iter over {count:>9} rows ({bytes} bytes of text): peak RSS {} KiB (was {} KiB before)",
            peak_kib(),
            before
        );
    }
    let all: Vec<(i64, String)> = numbers::table.load(&mut conn)?;
    println!("PostgreSQL: load into a Vec of {:>9} rows: peak RSS {} KiB", all.len(), peak_kib());
    Ok(())
}
