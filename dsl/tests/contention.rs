//! Contention: 16 threads × 1,000 mixed reads, writes and read-modify-write transactions through an
//! r2d2 pool on one file database. With the documented setup (`ConcurrentSetup`: WAL, synchronous =
//! NORMAL, a long busy timeout, `BEGIN IMMEDIATE`) no operation fails and no update is lost.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use quarry::prelude::*;
use quarry::r2d2::{ConnectionManager, Pool};
use quarry::result::Error;
use quarry::sqlite::{ConcurrentSetup, SqliteConnection};

quarry::table! { accounts (id) { id -> Integer, balance -> BigInt, } }
quarry::table! { events (id) { id -> Integer, thread -> Integer, step -> Integer, } }

const THREADS: i32 = 16;
const STEPS: i32 = 1_000;
const ACCOUNTS: i32 = 100;

struct TempDb(std::path::PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

#[test]
fn sixteen_threads_through_a_pool_see_no_error_and_lose_no_update() -> Result<(), Box<dyn std::error::Error>> {
    let db = TempDb(std::env::temp_dir().join(format!("quarry-contention-{}.db", std::process::id())));
    drop(TempDb(db.0.clone()));
    let manager = ConnectionManager::<SqliteConnection>::new(db.0.to_str().expect("a UTF-8 temp path"));
    let pool = Pool::builder()
        .max_size(THREADS as u32)
        .connection_customizer(Box::new(ConcurrentSetup::default()))
        .build(manager)?;
    {
        let mut conn = pool.get()?;
        conn.batch_execute(
            "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance BIGINT NOT NULL);
             CREATE TABLE events (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL, step INTEGER NOT NULL);",
        )?;
        let rows: Vec<_> = (1..=ACCOUNTS).map(|id| (accounts::id.eq(id), accounts::balance.eq(0_i64))).collect();
        quarry::insert_into(accounts::table).values(rows).execute(&mut *conn)?;
    }
    let increments = Arc::new(AtomicI64::new(0));
    let inserts = Arc::new(AtomicI64::new(0));
    let errors: Arc<Mutex<Vec<Error>>> = Arc::default();
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let (pool, increments, inserts, errors) =
                (pool.clone(), increments.clone(), inserts.clone(), errors.clone());
            std::thread::spawn(move || {
                for step in 0..STEPS {
                    let id = (thread * 7_919 + step * 104_729).rem_euclid(ACCOUNTS) + 1;
                    let mut conn = pool.get().expect("a pooled connection");
                    let conn = &mut *conn;
                    let outcome = match step % 10 {
                        0..=4 => accounts::table.find(id).select(accounts::balance).get_result::<i64>(conn).map(drop),
                        5 | 6 => quarry::insert_into(events::table)
                            .values((events::thread.eq(thread), events::step.eq(step)))
                            .execute(conn)
                            .map(|_| {
                                inserts.fetch_add(1, Ordering::Relaxed);
                            }),
                        // Read, then write what was read plus one: a lost update would show in the sum.
                        7 | 8 => conn
                            .transaction(|conn| {
                                let balance: i64 =
                                    accounts::table.find(id).select(accounts::balance).get_result(conn)?;
                                quarry::update(accounts::table.find(id))
                                    .set(accounts::balance.eq(balance + 1))
                                    .execute(conn)
                            })
                            .map(|_| {
                                increments.fetch_add(1, Ordering::Relaxed);
                            }),
                        _ => quarry::update(accounts::table.find(id))
                            .set(accounts::balance.eq(accounts::balance + 1))
                            .execute(conn)
                            .map(|_| {
                                increments.fetch_add(1, Ordering::Relaxed);
                            }),
                    };
                    if let Err(e) = outcome {
                        errors.lock().expect("no thread panicked holding it").push(e);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a worker panicked");
    }
    let errors = std::mem::take(&mut *errors.lock().unwrap());
    assert!(errors.is_empty(), "{} operations failed, the first: {}", errors.len(), errors[0]);
    let mut conn = pool.get()?;
    let total: Option<i64> = accounts::table.select(quarry::dsl::sum(accounts::balance)).get_result(&mut *conn)?;
    assert_eq!(total, Some(increments.load(Ordering::Relaxed)), "an update was lost");
    assert_eq!(total, Some(i64::from(THREADS * STEPS * 3 / 10)));
    let logged: i64 = events::table.count().get_result(&mut *conn)?;
    assert_eq!(logged, inserts.load(Ordering::Relaxed));
    Ok(())
}
