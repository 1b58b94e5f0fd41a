use quarry::prelude::*;

#[derive(DbEnum)]
#[quarry(sql_type = quarry::sql_types::Integer)]
enum Priority {
    Low = 1,
    #[quarry(rename = "high")]
    High = 9,
}

fn main() {}
