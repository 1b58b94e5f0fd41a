use quarry::prelude::*;

#[derive(DbEnum)]
#[quarry(sql_type = quarry::sql_types::SmallInt)]
enum Priority {
    Low = 1,
    Huge = 100_000,
}

fn main() {}
