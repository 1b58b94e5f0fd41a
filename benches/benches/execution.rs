//! Execution against the same SQLite file, the same work through Quarry, Diesel 2.3 and rusqlite
//! (`prepare_cached`, the near-raw floor), in one criterion group per task.

use criterion::{Criterion, criterion_group, criterion_main};
use diesel::SqliteConnection as DieselConn;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_benches::{POSTS, USERS, bench_db, posts, sqlite_pragmas, users};

mod d {
    include!("common/diesel_schema.rs");

    // Diesel's traits share method names with Quarry's, so the Diesel side of every group lives here.
    use diesel::prelude::*;

    #[derive(Queryable)]
    pub struct DUser {
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    #[derive(Insertable)]
    #[diesel(table_name = users)]
    pub struct DNewUser<'a> {
        pub name: &'a str,
        pub hair_color: Option<&'a str>,
    }

    pub fn load_users(d: &mut SqliteConnection) -> Vec<DUser> {
        users::table.load(d).expect("load")
    }

    pub fn find_user(d: &mut SqliteConnection, id: i32) -> DUser {
        users::table.find(id).get_result(d).expect("find")
    }

    pub fn medium_join(d: &mut SqliteConnection) -> Vec<(i32, String, Option<String>)> {
        users::table
            .left_join(posts::table)
            .select((users::id, users::name, posts::title.nullable()))
            .filter(users::id.gt(100))
            .filter(users::name.like("user 1%"))
            .order((users::name.asc(), users::id.desc()))
            .limit(1000)
            .load(d)
            .expect("load")
    }

    pub fn insert_users(d: &mut SqliteConnection, rows: &[DNewUser<'_>]) -> usize {
        d.transaction::<_, diesel::result::Error, _>(|d| diesel::insert_into(users::table).values(rows).execute(d))
            .expect("insert")
    }

    pub fn rename_user(d: &mut SqliteConnection, id: i32) -> usize {
        diesel::update(users::table.find(id)).set(users::name.eq("renamed")).execute(d).expect("update")
    }
}

use d::{DNewUser, DUser};

#[derive(Queryable, Selectable)]
#[quarry(table_name = users)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

struct RUser {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

fn checksum(id: i32, name: &str, hair: &Option<String>) -> usize {
    id as usize + name.len() + hair.as_ref().map_or(0, String::len)
}

fn open_all(path: &std::path::Path) -> (SqliteConnection, DieselConn, rusqlite::Connection) {
    open_each([path; 3])
}

/// Quarry, Diesel and rusqlite connections to the three paths, in that order.
fn open_each(paths: [&std::path::Path; 3]) -> (SqliteConnection, DieselConn, rusqlite::Connection) {
    let url = |i: usize| paths[i].to_str().expect("utf-8 path");
    let mut q = SqliteConnection::establish(url(0)).expect("quarry");
    q.batch_execute(sqlite_pragmas()).expect("pragmas");
    let mut d = <DieselConn as diesel::Connection>::establish(url(1)).expect("diesel");
    diesel::connection::SimpleConnection::batch_execute(&mut d, sqlite_pragmas()).expect("pragmas");
    let r = rusqlite::Connection::open(paths[2]).expect("rusqlite");
    r.execute_batch(sqlite_pragmas()).expect("pragmas");
    (q, d, r)
}

fn load_all_users(c: &mut Criterion) {
    let path = bench_db("load");
    let (mut q, mut d, r) = open_all(&path);
    let mut g = c.benchmark_group("load_10k_users");
    g.bench_function("quarry", |b| {
        b.iter(|| {
            let rows: Vec<User> = users::table.load(&mut q).expect("load");
            assert_eq!(rows.len(), USERS as usize);
            rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
        })
    });
    g.bench_function("diesel", |b| {
        b.iter(|| {
            let rows: Vec<DUser> = d::load_users(&mut d);
            assert_eq!(rows.len(), USERS as usize);
            rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
        })
    });
    g.bench_function("rusqlite", |b| {
        b.iter(|| {
            let mut stmt = r.prepare_cached("SELECT id, name, hair_color FROM users").expect("prepare");
            let rows: Vec<RUser> = stmt
                .query_map([], |row| Ok(RUser { id: row.get(0)?, name: row.get(1)?, hair_color: row.get(2)? }))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            assert_eq!(rows.len(), USERS as usize);
            rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
        })
    });
    g.finish();
}

fn find_by_primary_key(c: &mut Criterion) {
    let path = bench_db("find");
    let (mut q, mut d, r) = open_all(&path);
    let mut g = c.benchmark_group("find_by_pk");
    let mut id = 0;
    let mut next = move || {
        id = id % USERS + 1;
        id
    };
    g.bench_function("quarry", |b| {
        b.iter(|| {
            let u: User = users::table.find(next()).get_result(&mut q).expect("find");
            checksum(u.id, &u.name, &u.hair_color)
        })
    });
    g.bench_function("diesel", |b| {
        b.iter(|| {
            let u: DUser = d::find_user(&mut d, next());
            checksum(u.id, &u.name, &u.hair_color)
        })
    });
    g.bench_function("rusqlite", |b| {
        b.iter(|| {
            let mut stmt = r.prepare_cached("SELECT id, name, hair_color FROM users WHERE id = ?1").expect("prepare");
            let u = stmt
                .query_row([next()], |row| Ok(RUser { id: row.get(0)?, name: row.get(1)?, hair_color: row.get(2)? }))
                .expect("find");
            checksum(u.id, &u.name, &u.hair_color)
        })
    });
    g.finish();
}

fn medium_join(c: &mut Criterion) {
    let path = bench_db("join");
    let (mut q, mut d, r) = open_all(&path);
    let mut g = c.benchmark_group("medium_left_join");
    g.bench_function("quarry", |b| {
        b.iter(|| {
            let rows: Vec<(i32, String, Option<String>)> = users::table
                .left_join(posts::table)
                .select((users::id, users::name, posts::title.nullable()))
                .filter(users::id.gt(100))
                .filter(users::name.like("user 1%"))
                .order((users::name.asc(), users::id.desc()))
                .limit(1000)
                .load(&mut q)
                .expect("load");
            rows.len()
        })
    });
    g.bench_function("diesel", |b| b.iter(|| d::medium_join(&mut d).len()));
    g.bench_function("rusqlite", |b| {
        b.iter(|| {
            let mut stmt = r
                .prepare_cached(
                    "SELECT users.id, users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id \
                     WHERE users.id > ?1 AND users.name LIKE ?2 ORDER BY users.name ASC, users.id DESC LIMIT 1000",
                )
                .expect("prepare");
            let rows: Vec<(i32, String, Option<String>)> = stmt
                .query_map(rusqlite::params![100, "user 1%"], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            rows.len()
        })
    });
    g.finish();
}

/// Times `iters` runs of `insert` (100 rows each); every 100 runs, untimed, `cleanup` deletes the rows
/// inserted, so the table stays between 10,000 and 20,000 users instead of growing by millions of rows
/// (and gigabytes) over a run, which would make the library measured last write into a bigger file.
fn timed_inserts<C>(
    iters: u64,
    conn: &mut C,
    mut insert: impl FnMut(&mut C),
    mut cleanup: impl FnMut(&mut C, &str),
) -> std::time::Duration {
    let mut total = std::time::Duration::ZERO;
    for i in 1..=iters {
        let start = std::time::Instant::now();
        insert(conn);
        total += start.elapsed();
        if i % 100 == 0 {
            // Foreign keys off for the DELETE: the new users have no posts, and with them on SQLite would
            // scan `posts` (no index on `user_id`) once per deleted user.
            cleanup(
                conn,
                &format!("PRAGMA foreign_keys = OFF; DELETE FROM users WHERE id > {USERS}; PRAGMA foreign_keys = ON;"),
            );
        }
    }
    total
}

fn insert_100_in_a_transaction(c: &mut Criterion) {
    // One database per library: each run inserts millions of rows, so on a shared file the library
    // measured last would write into a table and a WAL the others had grown.
    let paths = ["quarry", "diesel", "rusqlite"].map(|lib| bench_db(&format!("insert-{lib}")));
    let (mut q, mut d, mut r) = open_each([&paths[0], &paths[1], &paths[2]]);
    let names: Vec<String> = (0..100).map(|i| format!("new user {i}")).collect();
    let mut g = c.benchmark_group("insert_100_in_transaction");
    // The rows exist before the timed part in all three, as the names do for rusqlite: what is measured is
    // inserting them, not building a Vec (whose 3 KB allocation also makes glibc consolidate its free
    // lists on every run).
    #[derive(Insertable)]
    #[quarry(table_name = users)]
    struct NewUser<'a> {
        name: &'a str,
        hair_color: Option<&'a str>,
    }
    let rows: Vec<NewUser<'_>> = names.iter().map(|n| NewUser { name: n, hair_color: Some("red") }).collect();
    let d_rows: Vec<DNewUser<'_>> = names.iter().map(|n| DNewUser { name: n, hair_color: Some("red") }).collect();
    g.bench_function("quarry", |b| {
        b.iter_custom(|iters| {
            timed_inserts(
                iters,
                &mut q,
                |q| {
                    q.transaction::<_, quarry::result::Error, _>(|q| {
                        quarry::insert_into(users::table).values(&rows).execute(q)
                    })
                    .expect("insert");
                },
                |q, sql| q.batch_execute(sql).expect("cleanup"),
            )
        })
    });
    g.bench_function("diesel", |b| {
        b.iter_custom(|iters| {
            timed_inserts(
                iters,
                &mut d,
                |d| {
                    d::insert_users(d, &d_rows);
                },
                |d, sql| diesel::connection::SimpleConnection::batch_execute(d, sql).expect("cleanup"),
            )
        })
    });
    // The hand-written batch: one multi-row INSERT, as Quarry sends (Diesel on SQLite sends one per row).
    let batch_sql = format!("INSERT INTO users (name, hair_color) VALUES {}", vec!["(?, ?)"; names.len()].join(", "));
    g.bench_function("rusqlite", |b| {
        b.iter_custom(|iters| {
            timed_inserts(
                iters,
                &mut r,
                |r| {
                    let tx = r.transaction().expect("begin");
                    {
                        let mut stmt = tx.prepare_cached(&batch_sql).expect("prepare");
                        let params = names.iter().flat_map(|n| [n.as_str(), "red"]);
                        stmt.execute(rusqlite::params_from_iter(params)).expect("insert");
                    }
                    tx.commit().expect("commit");
                },
                |r, sql| r.execute_batch(sql).expect("cleanup"),
            )
        })
    });
    g.finish();
}

fn update_by_primary_key(c: &mut Criterion) {
    let path = bench_db("update");
    let (mut q, mut d, r) = open_all(&path);
    let mut g = c.benchmark_group("update_by_pk");
    let mut id = 0;
    let mut next = move || {
        id = id % POSTS + 1;
        id
    };
    g.bench_function("quarry", |b| {
        b.iter(|| {
            quarry::update(users::table.find(next())).set(users::name.eq("renamed")).execute(&mut q).expect("update")
        })
    });
    g.bench_function("diesel", |b| b.iter(|| d::rename_user(&mut d, next())));
    g.bench_function("rusqlite", |b| {
        b.iter(|| {
            let mut stmt = r.prepare_cached("UPDATE users SET name = ?1 WHERE id = ?2").expect("prepare");
            stmt.execute(rusqlite::params!["renamed", next()]).expect("update")
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    load_all_users,
    find_by_primary_key,
    medium_join,
    insert_100_in_a_transaction,
    update_by_primary_key
);
criterion_main!(benches);
