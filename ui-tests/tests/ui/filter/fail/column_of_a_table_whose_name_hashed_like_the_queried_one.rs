// `r__x_` and `wvbcq` had the same 32-bit name hash, which once made them one table to the compiler.
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;

quarry::table! { #[sql_name = "r__x_"] rx (id) { id -> Integer, } }
quarry::table! { wvbcq (id) { id -> Integer, } }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _ = wvbcq::table.filter(rx::id.eq(1)).load::<(i32,)>(&mut conn);
}
