//! End to end: the `quarry` binary on temporary folders and SQLite files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh working folder for one test, deleted when the test ends.
struct WorkDir(PathBuf);

impl std::ops::Deref for WorkDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for WorkDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn workdir(name: &str) -> WorkDir {
    let dir = std::env::temp_dir().join(format!("quarry-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the work folder");
    WorkDir(dir)
}

/// Runs `quarry args..` in `dir`, without `DATABASE_URL` from the environment.
fn quarry(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run quarry")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and expects success, returning stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let o = quarry(dir, args);
    assert!(o.status.success(), "quarry {args:?} failed: {}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

/// Writes a migration folder by hand (as `generate` then an editor would).
fn write_migration(dir: &Path, name: &str, up: &str, down: Option<&str>) {
    let m = dir.join("migrations").join(name);
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::write(m.join("up.sql"), up).expect("write up.sql");
    if let Some(down) = down {
        std::fs::write(m.join("down.sql"), down).expect("write down.sql");
    }
}

#[test]
fn setup_generate_run_list_revert_redo_and_print_schema() {
    let dir = workdir("cycle");
    std::fs::write(dir.join("quarry.toml"), "database_url = \"app.db\"\nschema_file = \"schema.rs\"\n").expect("toml");
    let out = ok(&dir, &["setup"]);
    assert!(out.contains("Set up `app.db`"), "{out}");
    assert!(dir.join("app.db").is_file() && dir.join("migrations").is_dir());

    let out = ok(&dir, &["migration", "generate", "create_notes"]);
    let created: Vec<_> = std::fs::read_dir(dir.join("migrations")).expect("read").collect();
    assert_eq!(created.len(), 1, "{out}");
    let generated = created.into_iter().next().expect("one").expect("entry").path();
    let folder = generated.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
    assert!(folder.ends_with("_create_notes") && folder.len() == "YYYY-MM-DD-HHMMSS_create_notes".len(), "{folder}");
    assert!(generated.join("up.sql").is_file() && generated.join("down.sql").is_file());
    std::fs::write(generated.join("up.sql"), "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);")
        .expect("write");
    std::fs::write(generated.join("down.sql"), "DROP TABLE notes;").expect("write");
    write_migration(
        &dir,
        "9999-01-01-000000_add_author",
        "ALTER TABLE notes ADD COLUMN author TEXT;",
        Some("ALTER TABLE notes DROP COLUMN author;"),
    );

    let o = quarry(&dir, &["migration", "pending"]);
    assert_eq!(o.status.code(), Some(1), "pending exits 1 when some are");
    assert_eq!(stdout(&o).lines().count(), 2);

    let out = ok(&dir, &["migration", "run"]);
    assert!(out.contains(&format!("Ran {folder}")) && out.contains("Ran 9999-01-01-000000_add_author"), "{out}");
    assert_eq!(ok(&dir, &["migration", "pending"]), "", "none pending: exit 0");
    let schema = std::fs::read_to_string(dir.join("schema.rs")).expect("schema_file written after run");
    assert!(schema.contains("        author -> Nullable<Text>,"), "{schema}");

    let list = ok(&dir, &["migration", "list"]);
    assert_eq!(list, format!("[X] {folder}\n[X] 9999-01-01-000000_add_author\n"));

    assert!(ok(&dir, &["migration", "revert"]).contains("Reverted 9999-01-01-000000_add_author"));
    assert_eq!(ok(&dir, &["migration", "list"]), format!("[X] {folder}\n[ ] 9999-01-01-000000_add_author\n"));
    assert!(!std::fs::read_to_string(dir.join("schema.rs")).expect("read").contains("author"), "rewritten");

    // redo reverts the last applied one and runs it again, not the pending one after it.
    let out = ok(&dir, &["migration", "redo"]);
    assert!(out.contains(&format!("Reverted {folder}")) && out.contains(&format!("Ran {folder}")), "{out}");
    assert!(!out.contains("add_author"), "{out}");

    let printed = ok(&dir, &["print-schema"]);
    assert_eq!(printed, std::fs::read_to_string(dir.join("schema.rs")).expect("read"));
    assert!(
        printed.contains("quarry::table! {\n    notes (id) {\n        id -> Integer,\n        body -> Text,\n"),
        "{printed}"
    );
}

#[test]
fn a_failing_migration_is_one_line_and_leaves_the_previous_version() {
    let dir = workdir("failing");
    write_migration(&dir, "2026-01-01-000000_a", "CREATE TABLE a (id INTEGER PRIMARY KEY);", Some("DROP TABLE a;"));
    write_migration(&dir, "2026-01-02-000000_b", "CREATE TABLE b (id INTEGER PRIMARY KEY);\nNOT SQL;", None);
    let o = quarry(&dir, &["--database-url", "x.db", "migration", "run"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: migration `2026-01-02-000000_b` failed in up.sql"), "{err}");
    assert!(stdout(&o).contains("Ran 2026-01-01-000000_a"), "the first one stays applied");
    let list = ok(&dir, &["--database-url", "x.db", "migration", "list"]);
    assert_eq!(list, "[X] 2026-01-01-000000_a\n[ ] 2026-01-02-000000_b\n");
    let schema = ok(&dir, &["--database-url", "x.db", "print-schema"]);
    assert!(schema.contains("    a (id) {") && !schema.contains("    b (id) {"), "{schema}");
}

#[test]
fn verbose_prints_each_statement_with_its_time() {
    let dir = workdir("verbose");
    write_migration(
        &dir,
        "2026-01-01-000000_a",
        "CREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO a VALUES (1),\n  (2);",
        Some("DROP TABLE a;"),
    );
    let o = quarry(&dir, &["--database-url", "v.db", "migration", "run", "--verbose"]);
    assert!(o.status.success() && stdout(&o).contains("Ran 2026-01-01-000000_a"), "{}", stderr(&o));
    // On stderr, so `print-schema -v > schema.rs` writes only the schema.
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    let at =
        |needle: &str| lines.iter().position(|l| l.ends_with(needle)).unwrap_or_else(|| panic!("{needle} in\n{err}"));
    // The migration's statements, each on one line with its time, in order.
    let (create, insert) =
        (at("ms  CREATE TABLE a (id INTEGER PRIMARY KEY);"), at("ms  INSERT INTO a VALUES (1), (2);"));
    assert!(create < insert, "{err}");
    assert!(lines[create].trim_start().split(' ').next().is_some_and(|ms| ms.parse::<f64>().is_ok()), "{err}");
    let o = quarry(&dir, &["--database-url", "v.db", "print-schema", "-v"]);
    assert!(stdout(&o).starts_with("// @generated") && !stdout(&o).contains(" ms  "), "{}", stdout(&o));
    // Without the flag: none of it.
    let o = quarry(&dir, &["--database-url", "v.db", "migration", "redo"]);
    assert!(!stderr(&o).contains(" ms  ") && !stdout(&o).contains(" ms  "), "{}", stderr(&o));
    // A failure is printed too, with the error.
    write_migration(&dir, "2026-01-02-000000_b", "CREATE TABLE b (id INTEGER PRIMARY KEY);\nNOT SQL;", None);
    let o = quarry(&dir, &["-v", "--database-url", "v.db", "migration", "run"]);
    assert!(stderr(&o).lines().any(|l| l.contains("NOT SQL;  -- failed: ")), "{}", stderr(&o));
}

#[test]
fn mistakes_are_one_clear_line_and_a_nonzero_exit() {
    let dir = workdir("mistakes");
    for (args, expected) in [
        (&["migration", "run"][..], "error: no database URL: pass --database-url, set DATABASE_URL"),
        (&["--database-url", "m.db", "migration", "run"][..], "error: cannot read the migrations folder `migrations`"),
        (&["migration", "generate", "Bad Name"][..], "error: `Bad Name` is not a migration name"),
        (&["--database-url", "m.db", "migration", "revert"][..], "error: cannot read the migrations folder"),
    ] {
        let o = quarry(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.starts_with(expected) && err.lines().count() == 1, "{args:?}: {err}");
    }
    write_migration(&dir, "2026-01-01-000000_no_down", "CREATE TABLE t (id INTEGER PRIMARY KEY);", None);
    std::fs::create_dir_all(dir.join("migrations/2026-01-02-000000_empty")).expect("mkdir");
    let o = quarry(&dir, &["--database-url", "m.db", "migration", "run"]);
    assert!(stderr(&o).contains("2026-01-02-000000_empty` is not a migration: it has no up.sql"), "{}", stderr(&o));
    std::fs::remove_dir(dir.join("migrations/2026-01-02-000000_empty")).expect("rmdir");
    ok(&dir, &["--database-url", "m.db", "migration", "run"]);
    let o = quarry(&dir, &["--database-url", "m.db", "migration", "revert"]);
    assert_eq!(stderr(&o), "error: migration `2026-01-01-000000_no_down` has no down.sql, so it cannot be reverted\n");
    std::fs::write(dir.join("quarry.toml"), "databse_url = \"m.db\"\n").expect("toml");
    let o = quarry(&dir, &["migration", "list"]);
    assert!(stderr(&o).starts_with("error: unknown key `databse_url` in `quarry.toml`"), "{}", stderr(&o));
}

#[test]
fn database_reset_recreates_the_file_from_the_migrations() {
    let dir = workdir("reset");
    write_migration(
        &dir,
        "2026-01-01-000000_a",
        "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);",
        Some("DROP TABLE a;"),
    );
    let url = dir.join("r.db");
    let url = url.to_str().expect("utf-8");
    ok(&dir, &["--database-url", url, "migration", "run"]);
    let mut conn = <quarry::sqlite::SqliteConnection as quarry::prelude::Connection>::establish(url).expect("open");
    quarry::prelude::Connection::batch_execute(
        &mut conn,
        "INSERT INTO a (v) VALUES ('x'); CREATE TABLE stray (id INTEGER);",
    )
    .expect("write");
    drop(conn);
    let out = ok(&dir, &["--database-url", url, "database", "reset"]);
    assert!(out.contains("Deleted") && out.contains("Ran 2026-01-01-000000_a"), "{out}");
    let schema = ok(&dir, &["--database-url", url, "print-schema"]);
    assert!(!schema.contains("stray"), "{schema}");
    // DATABASE_URL is read when no flag is given.
    let o = Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(["migration", "list"])
        .current_dir(&dir)
        .env("DATABASE_URL", url)
        .output()
        .expect("run");
    assert_eq!(stdout(&o), "[X] 2026-01-01-000000_a\n");
}

#[test]
fn an_older_migration_added_later_still_runs() {
    let dir = workdir("merge");
    write_migration(&dir, "2026-01-02-000000_b", "CREATE TABLE b (id INTEGER PRIMARY KEY);", Some("DROP TABLE b;"));
    ok(&dir, &["--database-url", "g.db", "migration", "run"]);
    // A branch merged afterwards brings a migration dated before the applied one.
    write_migration(&dir, "2026-01-01-000000_a", "CREATE TABLE a (id INTEGER PRIMARY KEY);", Some("DROP TABLE a;"));
    assert_eq!(ok(&dir, &["--database-url", "g.db", "migration", "run"]), "Ran 2026-01-01-000000_a\n");
    assert_eq!(
        ok(&dir, &["--database-url", "g.db", "migration", "list"]),
        "[X] 2026-01-01-000000_a\n[X] 2026-01-02-000000_b\n"
    );
    // revert undoes the one that ran last, not the one with the greatest name.
    assert_eq!(ok(&dir, &["--database-url", "g.db", "migration", "revert"]), "Reverted 2026-01-01-000000_a\n");
}

#[test]
fn diff_schema_rebuilds_a_referenced_table_without_touching_the_rows_that_point_at_it() {
    let dir = workdir("diff-referenced");
    write_migration(
        &dir,
        "2026-01-01-000000_start",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE);
         INSERT INTO users VALUES (1, 'Ann'); INSERT INTO posts VALUES (1, 1), (2, 1);",
        None,
    );
    let args = ["--database-url", "r.db", "migration", "generate", "x", "--diff-schema", "--schema-file", "s.rs"];
    // users.name becomes nullable: a rebuild of a table that posts reference.
    std::fs::write(
        dir.join("s.rs"),
        "quarry::table! { users (id) { id -> Integer, name -> Nullable<Text>, } }
         quarry::table! { posts (id) { id -> Integer, user_id -> Integer, } }
         quarry::joinable!(posts -> users (user_id));",
    )
    .expect("write");
    let o = quarry(&dir, &args);
    assert!(stderr(&o).starts_with("error: the database has pending migrations"), "{}", stderr(&o));
    ok(&dir, &["--database-url", "r.db", "migration", "run"]);
    ok(&dir, &args);
    let generated = std::fs::read_dir(dir.join("migrations"))
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("_x"))
        .expect("generated");
    let up = std::fs::read_to_string(generated.join("up.sql")).expect("up.sql");
    assert!(up.starts_with(quarry::migration::FOREIGN_KEYS_OFF), "{up}");
    ok(&dir, &["--database-url", "r.db", "migration", "run"]);
    let schema = ok(&dir, &["--database-url", "r.db", "print-schema"]);
    assert!(schema.contains("        name -> Nullable<Text>,"), "{schema}");
    let mut conn = <quarry::sqlite::SqliteConnection as quarry::prelude::Connection>::establish(
        dir.join("r.db").to_str().expect("utf-8"),
    )
    .expect("open");
    #[derive(quarry::QueryableByName)]
    struct Count {
        #[quarry(sql_type = quarry::sql_types::BigInt)]
        n: i64,
    }
    let posts: Vec<Count> =
        quarry::prelude::RunQueryDsl::load(quarry::sql_query("SELECT COUNT(*) AS n FROM posts"), &mut conn)
            .expect("count");
    assert_eq!(posts.iter().map(|c| c.n).sum::<i64>(), 2, "the rebuild of users did not cascade to posts");
}

#[test]
fn diff_schema_writes_the_migration_that_makes_the_database_match_and_undoes_it() {
    let dir = workdir("diff");
    write_migration(
        &dir,
        "2026-01-01-000000_start",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));
         CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT 'untitled',
             score INTEGER NOT NULL CHECK (score >= 0), slug TEXT UNIQUE);
         CREATE INDEX notes_body ON notes (body);
         CREATE VIEW long_notes AS SELECT id, body FROM notes WHERE length(body) > 3;
         INSERT INTO users (id, name) VALUES (1, 'Ann');
         INSERT INTO notes (id, body, score) VALUES (1, 'kept', 5);",
        Some("DROP TABLE notes; DROP TABLE posts; DROP TABLE users;"),
    );
    fn with<'a>(args: &[&'a str]) -> Vec<&'a str> {
        [&["--database-url", "d.db"][..], args].concat()
    }
    ok(&dir, &with(&["migration", "run"]));
    let before = ok(&dir, &with(&["print-schema"]));

    // What the developer wants now: notes.score becomes a nullable BIGINT (a rebuild), users gains a
    // nullable column (ALTER TABLE), posts goes, tags arrives with a foreign key.
    let wanted = r#"// @generated by `quarry print-schema`: change the migrations, then print it again.

quarry::table! {
    notes (id) {
        id -> Integer,
        body -> Text,
        score -> Nullable<BigInt>,
        slug -> Nullable<Text>,
    }
}

quarry::table! {
    tags (id) {
        id -> Integer,
        user_id -> Integer,
        label -> Text,
    }
}

quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        bio -> Nullable<Text>,
    }
}

quarry::joinable!(tags -> users (user_id));
quarry::allow_tables_to_appear_in_same_query!(notes, tags, users);
"#;
    std::fs::write(dir.join("wanted.rs"), wanted).expect("write");
    let out = ok(&dir, &with(&["migration", "generate", "evolve", "--diff-schema", "--schema-file", "wanted.rs"]));
    assert!(out.contains("_evolve/up.sql"), "{out}");
    ok(&dir, &with(&["migration", "run"]));
    assert_eq!(ok(&dir, &with(&["print-schema"])), wanted, "the database now matches the file");

    let o = quarry(&dir, &with(&["migration", "generate", "again", "--diff-schema", "--schema-file", "wanted.rs"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the database already matches `wanted.rs`"), "{}", stderr(&o));

    // The rebuilt table kept its row.
    let mut conn = <quarry::sqlite::SqliteConnection as quarry::prelude::Connection>::establish(
        dir.join("d.db").to_str().expect("utf-8"),
    )
    .expect("open");
    #[derive(quarry::QueryableByName)]
    struct Note {
        #[quarry(sql_type = quarry::sql_types::Text)]
        body: String,
    }
    let notes: Vec<Note> =
        quarry::prelude::RunQueryDsl::load(quarry::sql_query("SELECT body FROM notes"), &mut conn).expect("read notes");
    assert_eq!(notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), ["kept"]);
    // And its index.
    let index: Vec<Note> = quarry::prelude::RunQueryDsl::load(
        quarry::sql_query(
            "SELECT name AS body FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'notes' ORDER BY name",
        ),
        &mut conn,
    )
    .expect("read indexes");
    assert_eq!(index.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), ["notes_body", "notes_slug_unique"]);
    // And its column default.
    quarry::prelude::Connection::batch_execute(&mut conn, "INSERT INTO notes (id) VALUES (2)").expect("insert");
    let defaulted: Vec<Note> =
        quarry::prelude::RunQueryDsl::load(quarry::sql_query("SELECT body FROM notes WHERE id = 2"), &mut conn)
            .expect("read");
    assert_eq!(defaulted.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), ["untitled"]);
    quarry::prelude::Connection::batch_execute(&mut conn, "DELETE FROM notes WHERE id = 2").expect("delete");
    // And its UNIQUE constraint.
    quarry::prelude::Connection::batch_execute(&mut conn, "UPDATE notes SET slug = 'a' WHERE id = 1").expect("update");
    let dup = quarry::prelude::Connection::batch_execute(&mut conn, "INSERT INTO notes (id, slug) VALUES (3, 'a')");
    assert!(dup.is_err(), "the slug stays unique");
    // The view on the rebuilt table still works.
    let long: Vec<Note> =
        quarry::prelude::RunQueryDsl::load(quarry::sql_query("SELECT body FROM long_notes"), &mut conn).expect("view");
    assert_eq!(long.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), ["kept"]);
    // And its CHECK constraint.
    let negative = quarry::prelude::Connection::batch_execute(&mut conn, "UPDATE notes SET score = -1 WHERE id = 1");
    assert!(negative.is_err(), "the score stays checked");
    drop(conn);

    ok(&dir, &with(&["migration", "revert"]));
    assert_eq!(ok(&dir, &with(&["print-schema"])), before, "down.sql restores the previous schema");
}

#[test]
fn migrations_generated_within_one_second_sort_in_the_order_they_were_made() {
    let dir = workdir("same-second");
    ok(&dir, &["--database-url", "app.db", "setup"]);
    for name in ["create_users", "create_posts", "add_comments"] {
        ok(&dir, &["--database-url", "app.db", "migration", "generate", name]);
    }
    let mut folders: Vec<String> = std::fs::read_dir(dir.join("migrations"))
        .expect("the migrations folder")
        .map(|e| e.expect("an entry").file_name().into_string().expect("UTF-8"))
        .collect();
    folders.sort();
    let names: Vec<&str> = folders.iter().map(|f| &f[18..]).collect();
    assert_eq!(names, ["create_users", "create_posts", "add_comments"], "{folders:?}");
    let versions: Vec<&str> = folders.iter().map(|f| &f[..17]).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
}

#[test]
fn setup_writes_a_commented_quarry_toml_once() {
    let dir = workdir("toml");
    ok(&dir, &["--database-url", "app.db", "setup"]);
    let toml = std::fs::read_to_string(dir.join("quarry.toml")).expect("setup wrote quarry.toml");
    assert!(toml.contains("database_url = \"app.db\""), "{toml}");
    assert!(toml.contains("# migrations_dir = \"migrations\""), "{toml}");
    assert!(toml.contains("# schema_file"), "{toml}");
    // It is read back: no --database-url needed now.
    ok(&dir, &["migration", "list"]);
    // And never overwritten.
    std::fs::write(dir.join("quarry.toml"), "database_url = \"other.db\"\n").unwrap();
    ok(&dir, &["--database-url", "app.db", "setup"]);
    assert_eq!(std::fs::read_to_string(dir.join("quarry.toml")).unwrap(), "database_url = \"other.db\"\n");
}

/// A PostgreSQL database of the test's own (`PG_DATABASE_URL`'s server, a fresh name), dropped at the end.
struct PgDatabase {
    url: String,
}

impl PgDatabase {
    fn new(tag: &str) -> Option<PgDatabase> {
        let Ok(base) = std::env::var("PG_DATABASE_URL") else {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped: the CLI's PostgreSQL test (set PG_DATABASE_URL to run it)");
            return None;
        };
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let (server, _) = base.rsplit_once('/').expect("PG_DATABASE_URL is a postgres:// URL with a database");
        Some(PgDatabase { url: format!("{server}/quarry_cli_{tag}_{}_{nanos}", std::process::id()) })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (server, name) = self.url.rsplit_once('/').expect("a URL");
        use quarry::prelude::*;
        if let Ok(mut admin) = quarry::pg::PgConnection::establish(&format!("{server}/postgres")) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

#[test]
fn on_postgres_setup_creates_the_database_and_migrations_print_schema_and_reset_work() {
    let Some(db) = PgDatabase::new("cycle") else { return };
    let dir = workdir("pg-cycle");
    std::fs::write(dir.join("quarry.toml"), format!("database_url = {:?}\nschema_file = \"schema.rs\"\n", db.url))
        .expect("toml");
    let out = ok(&dir, &["setup"]);
    assert!(out.contains("Created the database `quarry_cli_cycle_"), "{out}");
    assert!(!ok(&dir, &["setup"]).contains("Created"), "a second setup finds it");
    write_migration(
        &dir,
        "2026-11-30-000001_create_users",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
         CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(80) NOT NULL, mood mood, joined TIMESTAMPTZ NOT NULL DEFAULT now());",
        Some("DROP TABLE users; DROP TYPE mood;"),
    );
    write_migration(
        &dir,
        "2026-11-30-000002_create_posts",
        "CREATE TABLE posts (id BIGSERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
             tags TEXT[] NOT NULL DEFAULT '{}', score NUMERIC(10, 2), body JSONB, took INTERVAL, uid UUID, raw BYTEA);
         CREATE TABLE post_tags (post_id BIGINT NOT NULL CONSTRAINT tag_of_post REFERENCES posts (id), tag TEXT NOT NULL, PRIMARY KEY (post_id, tag));",
        Some("DROP TABLE post_tags; DROP TABLE posts;"),
    );
    let out = ok(&dir, &["migration", "run"]);
    assert!(
        out.contains("Ran 2026-11-30-000001_create_users") && out.contains("Ran 2026-11-30-000002_create_posts"),
        "{out}"
    );
    let schema = std::fs::read_to_string(dir.join("schema.rs")).expect("schema_file written after run");
    assert_eq!(schema, ok(&dir, &["print-schema"]));
    for expected in [
        "// Enum `mood` (\"sad\", \"ok\", \"happy\"): `sql_types::Mood`, read and written by `#[derive(DbEnum)] #[quarry(sql_type = sql_types::Mood)]`.",
        "pub mod sql_types {\n    /// `mood` in the database.\n    #[derive(quarry::SqlType)]\n    pub struct Mood;\n}\n",
        "quarry::table! {\n    use super::sql_types::Mood;\n    users (id) {\n        id -> Integer,\n        name -> Text,\n        mood -> Nullable<Mood>,\n        joined -> Timestamptz,\n",
        "    posts (id) {\n        id -> BigInt,\n        user_id -> Integer,\n        tags -> Array<Text>,\n        score -> Nullable<Numeric>,\n        body -> Nullable<Jsonb>,\n        took -> Nullable<Interval>,\n        uid -> Nullable<Uuid>,\n        raw -> Nullable<Binary>,\n",
        "    post_tags (post_id, tag) {",
        "quarry::joinable!(post_tags -> posts (post_id));",
        "quarry::joinable!(posts -> users (user_id));",
        "quarry::allow_tables_to_appear_in_same_query!(post_tags, posts, users);",
    ] {
        assert!(schema.contains(expected), "{expected}\nin\n{schema}");
    }
    assert!(!schema.contains("__quarry_migrations"), "{schema}");
    let only = ok(&dir, &["print-schema", "--only", "users"]);
    assert!(only.contains("users (id)") && !only.contains("posts (id)"), "{only}");

    // A failing migration: one line, nothing of it left, the earlier ones still applied.
    write_migration(&dir, "2026-11-30-000003_broken", "CREATE TABLE half (id INT); SELECT 1/0;", None);
    let o = quarry(&dir, &["migration", "run"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("2026-11-30-000003_broken") && stderr(&o).contains("division by zero"),
        "{}",
        stderr(&o)
    );
    assert!(!ok(&dir, &["print-schema"]).contains("half"), "rolled back");
    std::fs::remove_dir_all(dir.join("migrations/2026-11-30-000003_broken")).expect("remove");

    assert!(ok(&dir, &["migration", "revert"]).contains("Reverted 2026-11-30-000002_create_posts"));
    assert!(!std::fs::read_to_string(dir.join("schema.rs")).expect("read").contains("posts"));
    let out = ok(&dir, &["migration", "redo"]);
    assert!(
        out.contains("Reverted 2026-11-30-000001_create_users") && out.contains("Ran 2026-11-30-000001_create_users"),
        "{out}"
    );

    // reset: drop, create, run everything.
    let out = ok(&dir, &["database", "reset"]);
    assert!(
        out.contains("Dropped and created the database") && out.contains("Ran 2026-11-30-000002_create_posts"),
        "{out}"
    );
    assert_eq!(
        ok(&dir, &["migration", "list"]),
        "[X] 2026-11-30-000001_create_users\n[X] 2026-11-30-000002_create_posts\n"
    );
    // --diff-schema writes PostgreSQL's ALTER TABLEs: a column added, one dropped, a type and a
    // nullability changed, a new table referencing an old one; run, printed back, reverted.
    let printed = std::fs::read_to_string(dir.join("schema.rs")).expect("schema.rs");
    let edited = printed
        .replace("        name -> Text,\n", "        name -> Nullable<Text>,\n        bio -> Nullable<Text>,\n")
        .replace("        raw -> Nullable<Binary>,\n", "")
        .replace("        score -> Nullable<Numeric>,\n", "        score -> Nullable<Double>,\n")
        .replace("quarry::joinable!(post_tags -> posts (post_id));\n", "")
        .replacen(
            "\nquarry::joinable!",
            "\nquarry::table! {\n    likes (id) {\n        id -> Integer,\n        post_id -> BigInt,\n    }\n}\n\nquarry::joinable!(likes -> posts (post_id));\nquarry::joinable!",
            1,
        );
    std::fs::write(dir.join("schema.rs"), &edited).expect("edit schema.rs");
    let out = ok(&dir, &["migration", "generate", "evolve", "--diff-schema"]);
    let folder = std::fs::read_dir(dir.join("migrations"))
        .expect("read")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with("_evolve"))
        .unwrap_or_else(|| panic!("no evolve folder: {out}"));
    let up = std::fs::read_to_string(folder.join("up.sql")).expect("up.sql");
    for expected in [
        "CREATE TABLE \"likes\" (\n    \"id\" INTEGER PRIMARY KEY NOT NULL,\n    \"post_id\" BIGINT NOT NULL REFERENCES \"posts\" (\"id\")\n);",
        "ALTER TABLE \"users\" ALTER COLUMN \"name\" DROP NOT NULL;",
        "ALTER TABLE \"users\" ADD COLUMN \"bio\" TEXT;",
        "ALTER TABLE \"posts\" DROP COLUMN \"raw\";",
        "ALTER TABLE \"posts\" ALTER COLUMN \"score\" TYPE DOUBLE PRECISION USING \"score\"::DOUBLE PRECISION;",
        // A key dropped by the name the database gave it (not PostgreSQL's default `post_tags_post_id_fkey`).
        "ALTER TABLE \"post_tags\" DROP CONSTRAINT \"tag_of_post\";",
    ] {
        assert!(up.contains(expected), "{expected}\nin\n{up}");
    }
    let down = std::fs::read_to_string(folder.join("down.sql")).expect("down.sql");
    assert!(down.contains("ALTER TABLE \"post_tags\" ADD CONSTRAINT \"tag_of_post\" FOREIGN KEY"), "{down}");
    ok(&dir, &["migration", "run"]);
    let after = std::fs::read_to_string(dir.join("schema.rs")).expect("rewritten");
    for expected in [
        "        bio -> Nullable<Text>,",
        "        score -> Nullable<Double>,",
        "    likes (id) {",
        "quarry::joinable!(likes -> posts (post_id));",
    ] {
        assert!(after.contains(expected), "{expected}\nin\n{after}");
    }
    assert!(!after.contains("raw ->") && !after.contains("joinable!(post_tags"), "{after}");
    let o = quarry(&dir, &["migration", "generate", "again", "--diff-schema"]);
    assert!(stderr(&o).contains("nothing to generate"), "the printed schema matches: {}", stderr(&o));
    assert!(ok(&dir, &["migration", "revert"]).contains("_evolve"));
    let reverted = std::fs::read_to_string(dir.join("schema.rs")).expect("rewritten");
    assert!(reverted.contains("        raw -> Nullable<Binary>,") && !reverted.contains("likes"), "{reverted}");
    assert!(reverted.contains("quarry::joinable!(post_tags -> posts (post_id));"), "{reverted}");
    // --schema reads another schema.
    let other = ok(&dir, &["print-schema", "--schema", "pg_catalog", "--only", "pg_am"]);
    assert!(other.contains("pg_am"), "{other}");
    write_migration(
        &dir,
        "2026-11-30-000004_auth",
        "CREATE SCHEMA auth; CREATE TABLE auth.accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
        Some("DROP SCHEMA auth CASCADE;"),
    );
    ok(&dir, &["migration", "run"]);
    let auth = ok(&dir, &["print-schema", "--schema", "auth"]);
    assert!(auth.contains("    auth.accounts (id) {\n        id -> Integer,\n        email -> Text,\n"), "{auth}");
    assert!(!auth.contains("users"), "only the schema asked for: {auth}");
}
