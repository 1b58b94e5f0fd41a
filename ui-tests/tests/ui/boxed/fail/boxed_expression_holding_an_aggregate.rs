use quarry::expression::BoxableExpression;
use quarry::prelude::*;
use quarry::sql_types::Bool;
use quarry::sqlite::{Sqlite, SqliteConnection};
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let b: Box<dyn BoxableExpression<users::table, Sqlite, SqlType = Bool>> = Box::new(quarry::dsl::count_star().gt(1));
    let _ = users::table.filter(b).load::<User>(&mut conn);
}
