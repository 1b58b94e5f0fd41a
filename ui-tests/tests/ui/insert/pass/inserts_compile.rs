use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let rows = vec![NewUser { name: "Ann", hair_color: None }];
    let _ = quarry::insert_into(users::table).values(&rows).execute(&mut conn);
    let _ = quarry::insert_into(users::table).values(&rows[0]).execute(&mut conn);
    let _: quarry::result::QueryResult<i32> = quarry::insert_into(users::table)
        .values((users::name.eq("Bo"), users::hair_color.eq(Some("red"))))
        .returning(users::id)
        .get_result(&mut conn);
    let _ = quarry::insert_into(users::table).values(vec![users::name.eq("a"), users::name.eq("b")]).execute(&mut conn);
}
