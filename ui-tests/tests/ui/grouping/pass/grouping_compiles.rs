use quarry::dsl::{avg, count, count_star, max, sum};
use quarry::prelude::*;
use quarry::sqlite::SqliteConnection;
use quarry_ui_tests::*;

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _: quarry::result::QueryResult<Vec<(i32, i64, Option<i64>, Option<f64>, Option<String>)>> = posts::table
        .group_by(posts::user_id)
        .having(count_star().gt(0))
        .select((posts::user_id, count(posts::id), sum(posts::id), avg(posts::id), max(posts::title)))
        .order(posts::user_id)
        .load(&mut conn);
    let _: quarry::result::QueryResult<Vec<(String, i64)>> =
        users::table.left_join(posts::table).group_by(users::id).select((users::name, count(posts::id))).load(&mut conn);
}

/// A window function over a grouped query's rows may take an aggregate: the window runs over the groups.
#[allow(dead_code)]
fn windows_over_groups() {
    use quarry::dsl::{count_star, lag, sum};
    let _ = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, lag(count_star()).window_order(posts::user_id), sum(count_star()).over()));
}

/// An aggregate's argument is any column, whatever the GROUP BY groups by (an expression too).
#[allow(dead_code)]
fn aggregates_under_an_expression_grouping() {
    use quarry::dsl::{count, lower, max};
    let _ = users::table.group_by(lower(users::name)).select(count(users::id));
    let _ = posts::table.group_by(posts::user_id + 1).select(max(posts::title));
}
