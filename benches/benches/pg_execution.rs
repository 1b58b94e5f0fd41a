//! Execution on PostgreSQL: the same work through Quarry, Diesel 2.3 (libpq, built from source), SQLx 0.9
//! (on a current-thread tokio runtime) and the `postgres` crate by hand (statements prepared once: the
//! near-raw floor), against the server `PG_DATABASE_URL` names (the local one by default), in a schema of
//! the benchmark's own with 10,000 users and 5,000 posts.

use criterion::Criterion;
use quarry::pg::PgConnection;
use quarry::prelude::*;
use quarry_benches::{POSTS, USERS, posts, users};

const SCHEMA: &str = "quarry_bench";

/// Diesel's side of each group (its traits share method names with Quarry's).
mod d {
    include!("common/diesel_schema.rs");

    use diesel::prelude::*;

    #[derive(Queryable)]
    pub struct DUser {
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    #[derive(Insertable)]
    #[diesel(table_name = users)]
    #[diesel(treat_none_as_default_value = false)]
    pub struct DNewUser<'a> {
        pub name: &'a str,
        pub hair_color: Option<&'a str>,
    }

    pub fn connect(url: &str) -> PgConnection {
        PgConnection::establish(url).expect("diesel")
    }

    pub fn load_users(d: &mut PgConnection) -> Vec<DUser> {
        users::table.load(d).expect("load")
    }

    pub fn find_user(d: &mut PgConnection, id: i32) -> DUser {
        users::table.find(id).get_result(d).expect("find")
    }

    pub fn medium_join(d: &mut PgConnection) -> Vec<(i32, String, Option<String>)> {
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

    pub fn insert_users(d: &mut PgConnection, rows: &[DNewUser<'_>]) -> usize {
        d.transaction::<_, diesel::result::Error, _>(|d| diesel::insert_into(users::table).values(rows).execute(d))
            .expect("insert")
    }

    pub fn rename_user(d: &mut PgConnection, id: i32) -> usize {
        diesel::update(users::table.find(id)).set(users::name.eq("renamed")).execute(d).expect("update")
    }

    /// COPY of `rows`, rolled back.
    pub fn copy_users(d: &mut PgConnection, rows: &[DNewUser<'_>]) -> usize {
        let mut n = 0;
        let _ = d.transaction::<(), diesel::result::Error, _>(|d| {
            n = diesel::copy_from(users::table).from_insertable(rows).execute(d)?;
            Err(diesel::result::Error::RollbackTransaction)
        });
        n
    }
}

/// SQLx's side: the same queries, prepared and cached by SQLx, each awaited on a current-thread runtime.
mod x {
    use sqlx::{Connection, Row};

    pub struct Sqlx {
        pub rt: tokio::runtime::Runtime,
        pub conn: sqlx::PgConnection,
        /// The 100-row INSERT's SQL, written once.
        insert_sql: String,
    }

    #[derive(sqlx::FromRow)]
    pub struct XUser {
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    impl Sqlx {
        pub fn connect(url: &str) -> Sqlx {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            let conn = rt.block_on(sqlx::PgConnection::connect(url)).expect("sqlx");
            let mut insert_sql = String::from("INSERT INTO users (name, hair_color) VALUES ");
            for i in 0..100 {
                insert_sql.push_str(&format!("{}(${}, ${})", if i > 0 { ", " } else { "" }, 2 * i + 1, 2 * i + 2));
            }
            Sqlx { rt, conn, insert_sql }
        }

        pub fn load_users(&mut self) -> Vec<XUser> {
            self.rt
                .block_on(
                    sqlx::query_as::<_, XUser>("SELECT id, name, hair_color FROM users").fetch_all(&mut self.conn),
                )
                .expect("load")
        }

        pub fn find_user(&mut self, id: i32) -> XUser {
            self.rt
                .block_on(
                    sqlx::query_as::<_, XUser>("SELECT id, name, hair_color FROM users WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut self.conn),
                )
                .expect("find")
        }

        pub fn medium_join(&mut self) -> Vec<(i32, String, Option<String>)> {
            let rows = self
                .rt
                .block_on(
                    sqlx::query(
                        "SELECT users.id, users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id \
                         WHERE users.id > $1 AND users.name LIKE $2 ORDER BY users.name ASC, users.id DESC LIMIT 1000",
                    )
                    .bind(100_i32)
                    .bind("user 1%")
                    .fetch_all(&mut self.conn),
                )
                .expect("load");
            rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect()
        }

        /// The 100 `names` in one INSERT, in a transaction.
        pub fn insert_users(&mut self, names: &[String]) -> u64 {
            assert_eq!(names.len(), 100);
            let sql = self.insert_sql.as_str();
            self.rt.block_on(async {
                let mut t = self.conn.begin().await.expect("begin");
                // Built from placeholders only.
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for n in names {
                    q = q.bind(n.as_str()).bind(None::<&str>);
                }
                let n = q.execute(&mut *t).await.expect("insert").rows_affected();
                t.commit().await.expect("commit");
                n
            })
        }

        pub fn rename_user(&mut self, id: i32) -> u64 {
            self.rt
                .block_on(
                    sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
                        .bind("renamed")
                        .bind(id)
                        .execute(&mut self.conn),
                )
                .expect("update")
                .rows_affected()
        }
    }
}

fn url() -> String {
    std::env::var("PG_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// The schema, seeded once, and a Quarry and a `postgres` connection whose search path is it.
fn setup() -> (PgConnection, postgres::Client) {
    let url = url();
    let mut admin = PgConnection::establish(&url).expect("connect");
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}; SET search_path TO {SCHEMA};
             CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT);
             CREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                                 title TEXT NOT NULL, body TEXT, published BOOLEAN NOT NULL DEFAULT FALSE);
             INSERT INTO users (name, hair_color) SELECT 'user ' || i,
                 CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN 'black' ELSE 'brown' END FROM generate_series(1, {USERS}) i;
             INSERT INTO posts (user_id, title, published) SELECT (i * 7) % {USERS} + 1, 'post ' || i, i % 2 = 0
                 FROM generate_series(1, {POSTS}) i;
             ANALYZE users; ANALYZE posts;"
        ))
        .expect("seed");
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{SCHEMA}");
    let q = PgConnection::establish(&scoped).expect("quarry");
    let p = postgres::Client::connect(&scoped, postgres::NoTls).expect("postgres");
    (q, p)
}

#[derive(Queryable, Selectable)]
#[quarry(table_name = users)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

/// Runs `write` in a transaction that is then rolled back, so the table keeps its size; checks it wrote
/// the 100,000 rows.
fn rolled_back(
    q: &mut PgConnection,
    write: impl FnOnce(&mut PgConnection) -> quarry::result::QueryResult<usize>,
) -> usize {
    let mut n = 0;
    let _ = q.transaction(|q| {
        n = write(q)?;
        Err::<(), _>(quarry::result::Error::RollbackTransaction)
    });
    assert_eq!(n, 100_000);
    n
}

fn checksum(id: i32, name: &str, hair: &Option<String>) -> usize {
    id as usize + name.len() + hair.as_ref().map_or(0, String::len)
}

/// One library's side of a group: runs the work once, returns something derived from it.
type Work<'a> = (&'static str, Box<dyn FnMut() -> usize + 'a>);

/// How the groups run: through criterion (its statistics, one library after the other), or in rounds
/// where the libraries take turns (`-- --rounds N`), so that a machine whose speed drifts during the run
/// favours none of them.
enum Runner<'c> {
    Criterion(&'c mut Criterion),
    Rounds(usize),
}

impl Runner<'_> {
    fn group(&mut self, name: &str, samples: Option<usize>, mut work: Vec<Work<'_>>) {
        match self {
            Runner::Criterion(c) => {
                let mut g = c.benchmark_group(name);
                if let Some(n) = samples {
                    g.sample_size(n);
                }
                for (label, f) in &mut work {
                    g.bench_function(*label, |b| b.iter(&mut *f));
                }
                g.finish();
            }
            Runner::Rounds(rounds) => {
                // Per round, each library's mean time per run over about 0.25 s, the order rotated from
                // round to round; then each library's median over the rounds.
                let mut means: Vec<Vec<f64>> = vec![Vec::new(); work.len()];
                for round in 0..*rounds {
                    for k in 0..work.len() {
                        let i = (k + round) % work.len();
                        let f = &mut work[i].1;
                        std::hint::black_box(f());
                        let started = std::time::Instant::now();
                        let mut runs = 0u32;
                        while started.elapsed() < std::time::Duration::from_millis(250) || runs < 2 {
                            std::hint::black_box(f());
                            runs += 1;
                        }
                        means[i].push(started.elapsed().as_secs_f64() / f64::from(runs));
                    }
                }
                let median = |v: &mut Vec<f64>| {
                    v.sort_by(f64::total_cmp);
                    v[v.len() / 2]
                };
                let medians: Vec<f64> = means.iter_mut().map(median).collect();
                let line: Vec<String> = work
                    .iter()
                    .zip(&medians)
                    .map(|((label, _), m)| format!("{label} {:.1} µs ({:.2}x)", m * 1e6, medians[0] / m))
                    .collect();
                println!("{name}: {}  [first / each, median of {rounds} rounds]", line.join(", "));
            }
        }
    }
}

fn groups(runner: &mut Runner<'_>) {
    let (q, p) = setup();
    let separator = if url().contains('?') { '&' } else { '?' };
    let scoped = format!("{}{separator}options=-c%20search_path%3D{SCHEMA}", url());
    // Each library's connection, shared by its side of every group.
    let q = std::cell::RefCell::new(q);
    let p = std::cell::RefCell::new(p);
    let dc = std::cell::RefCell::new(d::connect(&scoped));
    let xc = std::cell::RefCell::new(x::Sqlx::connect(&scoped));
    let id = std::cell::Cell::new(0);
    let next = || {
        id.set(id.get() % USERS + 1);
        id.get()
    };

    let stmt = p.borrow_mut().prepare("SELECT id, name, hair_color FROM users").expect("prepare");
    runner.group(
        "pg_load_10k_users",
        None,
        vec![
            (
                "quarry",
                Box::new(|| {
                    let rows: Vec<User> = users::table.load(&mut *q.borrow_mut()).expect("load");
                    rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    let rows = d::load_users(&mut dc.borrow_mut());
                    rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    let rows = xc.borrow_mut().load_users();
                    rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
                }),
            ),
            (
                "postgres",
                Box::new(|| {
                    // Into the same owned structs as the others.
                    let rows: Vec<User> = p
                        .borrow_mut()
                        .query(&stmt, &[])
                        .expect("load")
                        .iter()
                        .map(|r| User { id: r.get(0), name: r.get(1), hair_color: r.get(2) })
                        .collect();
                    rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
                }),
            ),
        ],
    );

    let stmt = p.borrow_mut().prepare("SELECT id, name, hair_color FROM users WHERE id = $1").expect("prepare");
    runner.group(
        "pg_find_by_pk",
        None,
        vec![
            (
                "quarry",
                Box::new(|| {
                    let u: User = users::table.find(next()).get_result(&mut *q.borrow_mut()).expect("find");
                    checksum(u.id, &u.name, &u.hair_color)
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    let u = d::find_user(&mut dc.borrow_mut(), next());
                    checksum(u.id, &u.name, &u.hair_color)
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    let u = xc.borrow_mut().find_user(next());
                    checksum(u.id, &u.name, &u.hair_color)
                }),
            ),
            (
                "postgres",
                Box::new(|| {
                    let r = p.borrow_mut().query_one(&stmt, &[&next()]).expect("find");
                    let u = User { id: r.get(0), name: r.get(1), hair_color: r.get(2) };
                    checksum(u.id, &u.name, &u.hair_color)
                }),
            ),
        ],
    );

    let stmt = p
        .borrow_mut()
        .prepare(
            "SELECT users.id, users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id \
             WHERE users.id > $1 AND users.name LIKE $2 ORDER BY users.name ASC, users.id DESC LIMIT 1000",
        )
        .expect("prepare");
    runner.group(
        "pg_medium_left_join",
        None,
        vec![
            (
                "quarry",
                Box::new(|| {
                    let rows: Vec<(i32, String, Option<String>)> = users::table
                        .left_join(posts::table)
                        .select((users::id, users::name, posts::title.nullable()))
                        .filter(users::id.gt(100))
                        .filter(users::name.like("user 1%"))
                        .order((users::name.asc(), users::id.desc()))
                        .limit(1000)
                        .load(&mut *q.borrow_mut())
                        .expect("load");
                    rows.len()
                }),
            ),
            ("diesel", Box::new(|| d::medium_join(&mut dc.borrow_mut()).len())),
            ("sqlx", Box::new(|| xc.borrow_mut().medium_join().len())),
            (
                "postgres",
                Box::new(|| {
                    let rows = p.borrow_mut().query(&stmt, &[&100_i32, &"user 1%"]).expect("load");
                    let rows: Vec<(i32, String, Option<String>)> =
                        rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
                    rows.len()
                }),
            ),
        ],
    );

    let names: Vec<String> = (0..100).map(|i| format!("new user {i}")).collect();
    let quarry_rows: Vec<_> =
        names.iter().map(|n| (users::name.eq(n.as_str()), users::hair_color.eq(None::<&str>))).collect();
    let diesel_rows: Vec<d::DNewUser<'_>> = names.iter().map(|n| d::DNewUser { name: n, hair_color: None }).collect();
    let mut sql = String::from("INSERT INTO users (name, hair_color) VALUES ");
    for i in 0..100 {
        sql.push_str(&format!("{}(${}, ${})", if i > 0 { ", " } else { "" }, 2 * i + 1, 2 * i + 2));
    }
    let stmt = p.borrow_mut().prepare(&sql).expect("prepare");
    let none: Option<&str> = None;
    let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
        names.iter().flat_map(|n| [n as &(dyn postgres::types::ToSql + Sync), &none]).collect();
    runner.group(
        "pg_insert_100_in_transaction",
        None,
        vec![
            (
                "quarry",
                Box::new(|| {
                    q.borrow_mut()
                        .transaction(|q| quarry::insert_into(users::table).values(&quarry_rows).execute(q))
                        .expect("insert")
                }),
            ),
            ("diesel", Box::new(|| d::insert_users(&mut dc.borrow_mut(), &diesel_rows))),
            ("sqlx", Box::new(|| xc.borrow_mut().insert_users(&names) as usize)),
            (
                "postgres",
                Box::new(|| {
                    let mut p = p.borrow_mut();
                    let mut t = p.transaction().expect("begin");
                    let n = t.execute(&stmt, &params).expect("insert");
                    t.commit().expect("commit");
                    n as usize
                }),
            ),
        ],
    );

    let stmt = p.borrow_mut().prepare("UPDATE users SET name = $1 WHERE id = $2").expect("prepare");
    runner.group(
        "pg_update_by_pk",
        None,
        vec![
            (
                "quarry",
                Box::new(|| {
                    quarry::update(users::table.find(next()))
                        .set(users::name.eq("renamed"))
                        .execute(&mut *q.borrow_mut())
                        .expect("update")
                }),
            ),
            ("diesel", Box::new(|| d::rename_user(&mut dc.borrow_mut(), next()))),
            ("sqlx", Box::new(|| xc.borrow_mut().rename_user(next()) as usize)),
            ("postgres", Box::new(|| p.borrow_mut().execute(&stmt, &[&"renamed", &next()]).expect("update") as usize)),
        ],
    );

    // 100,000 rows, each run rolled back so the table keeps its size: COPY against the same rows as
    // batched INSERTs (Quarry splits them at PostgreSQL's 65,535 binds), and COPY by hand.
    let bulk: Vec<String> = (0..100_000).map(|i| format!("bulk user {i}")).collect();
    let rows: Vec<_> = bulk
        .iter()
        .enumerate()
        .map(|(i, n)| (users::name.eq(n.as_str()), users::hair_color.eq((i % 2 == 0).then_some("black"))))
        .collect();
    let diesel_bulk: Vec<d::DNewUser<'_>> = bulk
        .iter()
        .enumerate()
        .map(|(i, n)| d::DNewUser { name: n, hair_color: (i % 2 == 0).then_some("black") })
        .collect();
    runner.group(
        "pg_copy_100k_users",
        Some(10),
        vec![
            (
                "quarry_copy_from",
                Box::new(|| {
                    rolled_back(&mut q.borrow_mut(), |q| {
                        quarry::copy_from(users::table).from_insertable(&rows).execute(q)
                    })
                }),
            ),
            (
                "quarry_batched_insert",
                Box::new(|| {
                    rolled_back(&mut q.borrow_mut(), |q| quarry::insert_into(users::table).values(&rows).execute(q))
                }),
            ),
            (
                "diesel_copy_from",
                Box::new(|| {
                    let n = d::copy_users(&mut dc.borrow_mut(), &diesel_bulk);
                    assert_eq!(n, 100_000);
                    n
                }),
            ),
            (
                "postgres_copy_text",
                Box::new(|| {
                    use std::io::Write;
                    let mut p = p.borrow_mut();
                    let mut t = p.transaction().expect("begin");
                    let mut w = t.copy_in("COPY users (name, hair_color) FROM STDIN").expect("copy");
                    let mut line = String::new();
                    for (i, n) in bulk.iter().enumerate() {
                        line.clear();
                        line.push_str(n);
                        line.push_str(if i % 2 == 0 { "\tblack\n" } else { "\t\\N\n" });
                        w.write_all(line.as_bytes()).expect("write");
                    }
                    assert_eq!(w.finish().expect("finish"), 100_000);
                    t.rollback().expect("rollback");
                    100_000
                }),
            ),
        ],
    );

    PgConnection::establish(&url())
        .expect("connect")
        .batch_execute(&format!("DROP SCHEMA {SCHEMA} CASCADE"))
        .expect("drop");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    match args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)?.parse().ok()) {
        Some(rounds) => groups(&mut Runner::Rounds(rounds)),
        None => {
            let mut c = Criterion::default().configure_from_args();
            groups(&mut Runner::Criterion(&mut c));
            c.final_summary();
        }
    }
}
