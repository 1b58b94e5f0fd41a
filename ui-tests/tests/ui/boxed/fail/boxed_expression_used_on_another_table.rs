use quarry::expression::BoxableExpression;
use quarry::prelude::*;
use quarry::sql_types::Bool;
use quarry::sqlite::{Sqlite, SqliteConnection};
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let b: Box<dyn BoxableExpression<users::table, Sqlite, SqlType = Bool>> = Box::new(users::id.gt(1));
    let _ = posts::table.filter(b).load::<Post>(&mut conn);
}
