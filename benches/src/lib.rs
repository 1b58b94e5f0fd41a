//! The demo schema and a seeded benchmark database, shared by the benchmarks.
#![allow(missing_docs)] // generated schema items, documented by the schema file itself

include!("../../schema.rs");

use std::path::{Path, PathBuf};

use quarry::prelude::*;

/// Users and posts in the benchmark database.
pub const USERS: i32 = 10_000;
pub const POSTS: i32 = 5_000;

/// A benchmark's database file; dropping it deletes the file and its `-wal`/`-shm` companions, so runs
/// do not leave gigabytes in the temp directory.
pub struct BenchDb(PathBuf);

impl std::ops::Deref for BenchDb {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = self.0.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }
}

/// Creates a file database with the demo schema, 10,000 users and 5,000 posts, in WAL mode with
/// `synchronous = OFF` so that fsync is not what is measured.
pub fn bench_db(name: &str) -> BenchDb {
    let path = std::env::temp_dir().join(format!("quarry-bench-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = path.to_str().expect("utf-8 temp path");
    let mut conn = quarry::sqlite::SqliteConnection::establish(url).expect("create the bench database");
    conn.batch_execute(include_str!("../../migrations/2026-11-25-000000_create_demo_tables/up.sql")).expect("schema");
    conn.batch_execute(&format!(
        "{pragmas}
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {USERS})
         INSERT INTO users (id, name, hair_color)
             SELECT i, 'user ' || i, CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN 'black' ELSE 'brown' END FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {POSTS})
         INSERT INTO posts (id, user_id, title, body, published)
             SELECT i, (i * 7) % {USERS} + 1, 'post ' || i, NULL, i % 2 FROM n;",
        pragmas = sqlite_pragmas()
    ))
    .expect("seed");
    BenchDb(path)
}

/// The pragmas every benchmark connection sets, so the three libraries do the same work: Quarry turns
/// foreign keys on by default, Diesel and rusqlite leave them off.
pub fn sqlite_pragmas() -> &'static str {
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;"
}
