#!/usr/bin/env python3
"""Compile time against Diesel 2.3: the same user crate written for each library, built from clean.

The crate has a 100-table schema (12 columns each), a `joinable!` chain, one
`allow_tables_to_appear_in_same_query!` over all tables and 200 typical queries (filters, find, joins,
LEFT JOIN, order/limit, count, insert, update). For each library the script times, in a fresh target
directory:

1. the library alone from clean (`cargo build -p quarry` / `cargo build -p diesel`, debug), SQLite bundled
   in both;
2. the user crate on top of the already built library (what a user pays at each schema change).

    python3 benches/compile_time/versus_diesel.py [tables] [queries] [runs] [sqlite|postgres]

Each library is measured `runs` times (default 3), alternating, and the medians are printed.

With `postgres`, each library is built for PostgreSQL alone: `quarry` with `default-features = false,
features = ["postgres"]` (its own protocol code over `postgres-protocol`), Diesel with `postgres` and
`pq-sys`'s `bundled_without_openssl` (libpq compiled from source, as the execution benches build it; a
system libpq would spare Diesel that C build), and the queries run on `PgConnection`.

Versions come from the workspace's Cargo.lock (Diesel 2.3 with its default features, i.e. its 32-column
limit, plus `sqlite`). A clean build of `quarry` compiles `quarry-core` (the DSL) beside SQLite's C code.
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, "target", "versus-diesel")
# c0 Integer, c1 Text, c2 Nullable<Text>, c3 BigInt, c4 Double, c5 Bool, then again.
TYPES = ["Integer", "Text", "Nullable<Text>", "BigInt", "Double", "Bool"]

LIBS = {
    "quarry": {
        "dep": f'quarry = {{ path = "{os.path.join(ROOT, "dsl")}" }}',
        "prelude": "use quarry::prelude::*;",
        "conn": "quarry::sqlite::SqliteConnection",
        "result": "quarry::result::QueryResult<usize>",
        "update": "quarry::update",
        "insert": "quarry::insert_into",
    },
    "diesel": {
        # Diesel's default features (its 32-column limit, as the issue states the target) plus `sqlite`;
        # bundled SQLite as Quarry has it, so both builds compile the same C code.
        "dep": 'diesel = { version = "2.3", features = ["sqlite"] }\n'
        'libsqlite3-sys = { version = "*", features = ["bundled"] }',
        "prelude": "use diesel::prelude::*;",
        "conn": "diesel::sqlite::SqliteConnection",
        "result": "diesel::QueryResult<usize>",
        "update": "diesel::update",
        "insert": "diesel::insert_into",
    },
}

# The same two libraries built for PostgreSQL only.
PG_LIBS = {
    "quarry": dict(
        LIBS["quarry"],
        dep=f'quarry = {{ path = "{os.path.join(ROOT, "dsl")}", default-features = false, features = ["postgres"] }}',
        conn="quarry::pg::PgConnection",
    ),
    "diesel": dict(
        LIBS["diesel"],
        dep='diesel = { version = "2.3", features = ["postgres"] }\n'
        'pq-sys = { version = "0.7", features = ["bundled_without_openssl"] }',
        conn="diesel::pg::PgConnection",
    ),
}


def query(i: int, n: int, lib: dict) -> str:
    a = (i * 37) % (n - 1) + 1  # a table with a parent (a - 1)
    t, p = f"t{a}", f"t{a - 1}"
    kind = i % 8
    if kind == 0:
        return f"{t}::table.filter({t}::c0.eq({i})).select(({t}::id, {t}::c1)).load::<(i32, String)>(conn)?.len()"
    if kind == 1:
        return f"{t}::table.find({i}).select({t}::c1).load::<String>(conn)?.len()"
    if kind == 2:
        return (
            f"{t}::table.inner_join({p}::table).filter({t}::c0.eq(1)).filter({p}::c5.eq(true))"
            f".select(({t}::id, {p}::c1)).load::<(i32, String)>(conn)?.len()"
        )
    if kind == 3:
        return (
            f"{t}::table.left_join({p}::table).select(({t}::id, {p}::c1.nullable()))"
            f".load::<(i32, Option<String>)>(conn)?.len()"
        )
    if kind == 4:
        return (
            f"{t}::table.filter({t}::c2.is_not_null()).order(({t}::c3.desc(), {t}::id.asc())).limit(10)"
            f".select(({t}::c3, {t}::c2)).load::<(i64, Option<String>)>(conn)?.len()"
        )
    if kind == 5:
        return f"{t}::table.filter({t}::c5.eq(true)).count().get_result::<i64>(conn)? as usize"
    if kind == 6:
        return f'{lib["update"]}({t}::table.find({i})).set(({t}::c1.eq("x"), {t}::c4.eq(1.5))).execute(conn)?'
    return (
        f'{lib["insert"]}({t}::table).values(({t}::parent_id.eq(1), {t}::c0.eq({i}), {t}::c1.eq("y")))'
        f".execute(conn)?"
    )


def generate(name: str, n: int, queries: int) -> str:
    lib = LIBS[name]
    out = ["#![allow(dead_code, missing_docs, unused_qualifications)]", lib["prelude"], ""]
    for t in range(n):
        cols = ["            id -> Integer,", "            parent_id -> Integer,"]
        cols += [f"            c{c} -> {TYPES[c % len(TYPES)]}," for c in range(10)]
        out.append("%s::table! {\n    t%d (id) {\n%s\n    }\n}" % (name, t, "\n".join(cols)))
    for t in range(1, n):
        out.append(f"{name}::joinable!(t{t} -> t{t - 1} (parent_id));")
    out.append(f"{name}::allow_tables_to_appear_in_same_query!(%s);" % ", ".join(f"t{t}" for t in range(n)))
    out.append(f'pub fn queries(conn: &mut {lib["conn"]}) -> {lib["result"]} {{')
    out.append("    let mut n = 0;")
    for i in range(queries):
        out.append(f"    n += {query(i, n, lib)};")
    out.append("    Ok(n)\n}")
    return "\n".join(out) + "\n"


def timed(args, cwd, env) -> float:
    start = time.monotonic()
    subprocess.run(args, cwd=cwd, env=env, check=True)
    return time.monotonic() - start


def measure(name: str, n: int, queries: int) -> tuple:
    crate = os.path.join(WORK, name)
    shutil.rmtree(crate, ignore_errors=True)  # a fresh target directory: the build is from clean
    os.makedirs(os.path.join(crate, "src"))
    with open(os.path.join(crate, "Cargo.toml"), "w") as f:
        f.write(
            f'[package]\nname = "user_{name}"\nversion = "0.0.0"\nedition = "2024"\n\n'
            f'[dependencies]\n{LIBS[name]["dep"]}\n\n[workspace]\n'
        )
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(crate, "Cargo.lock"))
    with open(os.path.join(crate, "src", "lib.rs"), "w") as f:
        f.write(generate(name, n, queries))
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(crate, "target"))
    subprocess.run(["cargo", "fetch", "-q"], cwd=crate, env=env, check=True)
    library = timed(["cargo", "build", "-q", "-p", name], crate, env)
    user = timed(["cargo", "build", "-q"], crate, env)
    return library, user


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    queries = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    backend = sys.argv[4] if len(sys.argv) > 4 else "sqlite"
    if backend == "postgres":
        LIBS.update(PG_LIBS)
    elif backend != "sqlite":
        sys.exit(f"the backend is sqlite or postgres, not {backend}")
    samples = {name: [] for name in LIBS}
    for _ in range(runs):
        for name in LIBS:
            samples[name].append(measure(name, n, queries))
    results = {
        name: (statistics.median(s[0] for s in runs_), statistics.median(s[1] for s in runs_))
        for name, runs_ in samples.items()
    }
    print(
        f"{backend}: {n} tables x 12 columns, {queries} queries, debug builds, {os.cpu_count()} cores, "
        f"median of {runs}"
    )
    print(f"{'':8} {'library (clean)':>16} {'user crate':>12}   all runs (library / user)")
    for name, (library, user) in results.items():
        every = ", ".join(f"{lib:.1f}/{usr:.1f}" for lib, usr in samples[name])
        print(f"{name:8} {library:14.1f} s {user:10.1f} s   {every}")
    (ql, qu), (dl, du) = results["quarry"], results["diesel"]
    print(f"{'ratio':8} {ql / dl:15.2f}x {qu / du:11.2f}x  (quarry / diesel)")


if __name__ == "__main__":
    main()
