use quarry::prelude::*;
use quarry_ui_tests::*;

fn main() {
    // Table rows may be locked, whatever is selected of them, and through an inner join.
    let _ = users::table.for_update().select(users::name).skip_locked();
    let _ = users::table.select((users::id, users::name)).for_share().no_wait();
    let _ = users::table.inner_join(posts::table).for_no_key_update();
    let _ = users::table.for_update().inner_join(posts::table).select(posts::title);
    let _ = users::table.for_update().filter(users::name.eq("a")).order(users::id).limit(1);
    let _ = locked_page(1).limit(10);
    // A lock chosen at run time: the unlocked branch takes the locked one's type (its rules only take away).
    for lock in [true, false] {
        let q = if lock { users::table.for_update().into_boxed::<quarry::pg::Pg>() } else { users::table.into_boxed().into() };
        let _ = q.filter(users::id.eq(1)).select(users::name);
    }
}


// A boxed query keeps its lock in its type: a function can return one, and selects table rows after it.
fn locked_page(owner: i32) -> users::BoxedQuery<'static, quarry::pg::Pg, (quarry::sql_types::Integer,), quarry::query::lock::RowsLocked> {
    users::table.for_update().into_boxed().filter(users::id.eq(owner)).select((users::id,))
}
