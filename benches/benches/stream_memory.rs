//! Streams rows with `load_iter` and reports the process's peak resident memory (VmHWM) after
//! 100,000 and after 1,000,000 rows: the iterator holds one row at a time, so the peak must stay flat.
//!
//! `cargo bench -p quarry-benches --bench stream_memory`

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
