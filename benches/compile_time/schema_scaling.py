#!/usr/bin/env python3
"""How compile time grows with the schema: generates a crate with N tables of 12 columns, a
`joinable!` chain, one `allow_tables_to_appear_in_same_query!` over all of them and 10 joins, then times
`cargo build` of that crate alone (Quarry itself is built once beforehand and reused).

    python3 benches/compile_time/schema_scaling.py 20 50 100

Prints one line per N: tables, seconds, seconds per table.
"""
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, "target", "schema-scaling")
TYPES = ["Integer", "Text", "Nullable<Text>", "BigInt", "Double", "Bool"]


def generate(n: int) -> str:
    out = ["#![allow(dead_code, missing_docs)]", "use quarry::prelude::*;", ""]
    for t in range(n):
        cols = ["            id -> Integer,", "            parent_id -> Integer,"]
        cols += [f"            c{c} -> {TYPES[c % len(TYPES)]}," for c in range(10)]
        out.append("quarry::table! {\n    t%d (id) {\n%s\n    }\n}" % (t, "\n".join(cols)))
    for t in range(1, n):
        out.append(f"quarry::joinable!(t{t} -> t{t - 1} (parent_id));")
    out.append("quarry::allow_tables_to_appear_in_same_query!(%s);" % ", ".join(f"t{t}" for t in range(n)))
    out.append("pub fn queries(conn: &mut quarry::sqlite::SqliteConnection) -> quarry::result::QueryResult<usize> {")
    out.append("    let mut n = 0;")
    for q in range(10):
        a = (q * 7) % (n - 1) + 1
        out.append(
            f"    n += t{a}::table.inner_join(t{a - 1}::table).filter(t{a}::c0.eq(1)).select((t{a}::id, t{a - 1}::c1))"
            f".load::<(i32, String)>(conn)?.len();"
        )
    out.append("    Ok(n)\n}")
    return "\n".join(out) + "\n"


def build(n: int) -> float:
    crate = os.path.join(WORK, f"schema_{n}")
    shutil.rmtree(crate, ignore_errors=True)
    os.makedirs(os.path.join(crate, "src"))
    with open(os.path.join(crate, "Cargo.toml"), "w") as f:
        f.write(
            f'[package]\nname = "schema_{n}"\nversion = "0.0.0"\nedition = "2024"\n\n'
            f'[dependencies]\nquarry = {{ path = "{os.path.join(ROOT, "dsl")}" }}\n\n[workspace]\n'
        )
    with open(os.path.join(crate, "src", "lib.rs"), "w") as f:
        f.write(generate(n))
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(WORK, "target"))
    # Build the dependencies (Quarry, SQLite) first, so only the schema crate is timed.
    subprocess.run(["cargo", "build", "-q", "-p", "quarry"], cwd=crate, env=env, check=True)
    start = time.monotonic()
    subprocess.run(["cargo", "build", "-q"], cwd=crate, env=env, check=True)
    return time.monotonic() - start


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [20, 50, 100]
    for n in sizes:
        secs = build(n)
        print(f"{n:4d} tables  {secs:6.2f} s  {secs / n * 1000:6.1f} ms/table", flush=True)


if __name__ == "__main__":
    main()
