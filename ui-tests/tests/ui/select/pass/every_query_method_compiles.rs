use quarry::dsl::not;
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _: quarry::result::QueryResult<Vec<(i32, Option<String>)>> = users::table
        .select((users::id, users::hair_color))
        .filter(users::name.like("A%").and(not(users::id.eq(3))))
        .or_filter(users::hair_color.is_null())
        .filter(users::id.eq_any([1, 2, 3]))
        .filter(users::id.between(1, 10))
        .order(users::name.asc())
        .then_order_by(users::id.desc())
        .limit(10)
        .offset(5)
        .distinct()
        .load(&mut conn);
    let _: quarry::result::QueryResult<User> = users::table.find(1).select(User::as_select()).first(&mut conn);
    let _: quarry::result::QueryResult<i64> = users::table.count().get_result(&mut conn);
    let _: quarry::result::QueryResult<Vec<Option<String>>> =
        users::table.select(users::name.nullable()).filter(users::hair_color.eq(users::name.nullable())).load(&mut conn);
    dsl_names(&mut conn);
}

fn dsl_names(conn: &mut SqliteConnection) {
    use quarry_ui_tests::users::dsl::*;
    let _: quarry::result::QueryResult<Vec<i32>> = users.select(id * 2 + 1).filter(name.ne("x")).load(conn);
}
