//! Execution on PostgreSQL: the same work through Quarry, Diesel 2.3 (libpq, built from source), SQLx 0.9
//! (on a current-thread tokio runtime) and the `postgres` crate by hand (statements prepared once: the
//! near-raw floor), against the server `PG_DATABASE_URL` names (the local one by default), in a schema of
//! the benchmark's own with 10,000 users and 5,000 posts.

use criterion::{Criterion, criterion_group, criterion_main};
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

fn checksum(id: i32, name: &str, hair: &Option<String>) -> usize {
    id as usize + name.len() + hair.as_ref().map_or(0, String::len)
}

fn groups(c: &mut Criterion) {
    let (mut q, mut p) = setup();
    let separator = if url().contains('?') { '&' } else { '?' };
    let scoped = format!("{}{separator}options=-c%20search_path%3D{SCHEMA}", url());
    let mut dc = d::connect(&scoped);
    let mut xc = x::Sqlx::connect(&scoped);

    let mut g = c.benchmark_group("pg_load_10k_users");
    g.bench_function("quarry", |b| {
        b.iter(|| {
            let rows: Vec<User> = users::table.load(&mut q).expect("load");
            rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
        })
    });
    g.bench_function("diesel", |b| {
        b.iter(|| d::load_users(&mut dc).iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>())
    });
    g.bench_function("sqlx", |b| {
        b.iter(|| xc.load_users().iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>())
    });
    let stmt = p.prepare("SELECT id, name, hair_color FROM users").expect("prepare");
    g.bench_function("postgres", |b| {
        b.iter(|| {
            // Into the same owned structs as the others.
            let rows: Vec<User> = p
                .query(&stmt, &[])
                .expect("load")
                .iter()
                .map(|r| User { id: r.get(0), name: r.get(1), hair_color: r.get(2) })
                .collect();
            rows.iter().map(|u| checksum(u.id, &u.name, &u.hair_color)).sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pg_find_by_pk");
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
            let u = d::find_user(&mut dc, next());
            checksum(u.id, &u.name, &u.hair_color)
        })
    });
    g.bench_function("sqlx", |b| {
        b.iter(|| {
            let u = xc.find_user(next());
            checksum(u.id, &u.name, &u.hair_color)
        })
    });
    let stmt = p.prepare("SELECT id, name, hair_color FROM users WHERE id = $1").expect("prepare");
    g.bench_function("postgres", |b| {
        b.iter(|| {
            let r = p.query_one(&stmt, &[&next()]).expect("find");
            let u = User { id: r.get(0), name: r.get(1), hair_color: r.get(2) };
            checksum(u.id, &u.name, &u.hair_color)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pg_medium_left_join");
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
    g.bench_function("diesel", |b| b.iter(|| d::medium_join(&mut dc).len()));
    g.bench_function("sqlx", |b| b.iter(|| xc.medium_join().len()));
    let stmt = p
        .prepare(
            "SELECT users.id, users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id \
             WHERE users.id > $1 AND users.name LIKE $2 ORDER BY users.name ASC, users.id DESC LIMIT 1000",
        )
        .expect("prepare");
    g.bench_function("postgres", |b| {
        b.iter(|| {
            let rows = p.query(&stmt, &[&100_i32, &"user 1%"]).expect("load");
            let rows: Vec<(i32, String, Option<String>)> =
                rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
            rows.len()
        })
    });
    g.finish();

    let names: Vec<String> = (0..100).map(|i| format!("new user {i}")).collect();
    let mut g = c.benchmark_group("pg_insert_100_in_transaction");
    g.bench_function("quarry", |b| {
        let rows: Vec<_> =
            names.iter().map(|n| (users::name.eq(n.as_str()), users::hair_color.eq(None::<&str>))).collect();
        b.iter(|| q.transaction(|q| quarry::insert_into(users::table).values(&rows).execute(q)).expect("insert"))
    });
    g.bench_function("diesel", |b| {
        let rows: Vec<d::DNewUser<'_>> = names.iter().map(|n| d::DNewUser { name: n, hair_color: None }).collect();
        b.iter(|| d::insert_users(&mut dc, &rows))
    });
    g.bench_function("sqlx", |b| b.iter(|| xc.insert_users(&names)));
    let mut sql = String::from("INSERT INTO users (name, hair_color) VALUES ");
    for i in 0..100 {
        sql.push_str(&format!("{}(${}, ${})", if i > 0 { ", " } else { "" }, 2 * i + 1, 2 * i + 2));
    }
    let stmt = p.prepare(&sql).expect("prepare");
    g.bench_function("postgres", |b| {
        let none: Option<&str> = None;
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            names.iter().flat_map(|n| [n as &(dyn postgres::types::ToSql + Sync), &none]).collect();
        b.iter(|| {
            let mut t = p.transaction().expect("begin");
            let n = t.execute(&stmt, &params).expect("insert");
            t.commit().expect("commit");
            n
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pg_update_by_pk");
    g.bench_function("quarry", |b| {
        b.iter(|| {
            quarry::update(users::table.find(next())).set(users::name.eq("renamed")).execute(&mut q).expect("update")
        })
    });
    g.bench_function("diesel", |b| b.iter(|| d::rename_user(&mut dc, next())));
    g.bench_function("sqlx", |b| b.iter(|| xc.rename_user(next())));
    let stmt = p.prepare("UPDATE users SET name = $1 WHERE id = $2").expect("prepare");
    g.bench_function("postgres", |b| b.iter(|| p.execute(&stmt, &[&"renamed", &next()]).expect("update")));
    g.finish();

    // 100,000 rows, each run rolled back so the table keeps its size: COPY against the same rows as
    // batched INSERTs (Quarry splits them at PostgreSQL's 65,535 binds), and COPY by hand.
    let bulk: Vec<String> = (0..100_000).map(|i| format!("bulk user {i}")).collect();
    let rows: Vec<_> = bulk
        .iter()
        .enumerate()
        .map(|(i, n)| (users::name.eq(n.as_str()), users::hair_color.eq((i % 2 == 0).then_some("black"))))
        .collect();
    let mut g = c.benchmark_group("pg_copy_100k_users");
    g.sample_size(10);
    g.bench_function("quarry_copy_from", |b| {
        b.iter(|| {
            let mut n = 0;
            let _ = q.transaction(|q| {
                n = quarry::copy_from(users::table).from_insertable(&rows).execute(q)?;
                Err::<(), _>(quarry::result::Error::RollbackTransaction)
            });
            assert_eq!(n, 100_000);
        })
    });
    g.bench_function("quarry_batched_insert", |b| {
        b.iter(|| {
            let mut n = 0;
            let _ = q.transaction(|q| {
                n = quarry::insert_into(users::table).values(&rows).execute(q)?;
                Err::<(), _>(quarry::result::Error::RollbackTransaction)
            });
            assert_eq!(n, 100_000);
        })
    });
    g.bench_function("diesel_copy_from", |b| {
        let rows: Vec<d::DNewUser<'_>> = bulk
            .iter()
            .enumerate()
            .map(|(i, n)| d::DNewUser { name: n, hair_color: (i % 2 == 0).then_some("black") })
            .collect();
        b.iter(|| assert_eq!(d::copy_users(&mut dc, &rows), 100_000))
    });
    g.bench_function("postgres_copy_text", |b| {
        use std::io::Write;
        b.iter(|| {
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
        })
    });
    g.finish();

    PgConnection::establish(&url())
        .expect("connect")
        .batch_execute(&format!("DROP SCHEMA {SCHEMA} CASCADE"))
        .expect("drop");
}

criterion_group!(benches, groups);
criterion_main!(benches);
