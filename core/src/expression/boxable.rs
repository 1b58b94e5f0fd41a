//! `BoxableExpression` (Diesel's name): an expression chosen at run time, behind a `Box<dyn ..>` that
//! keeps what the compiler checked — the table it reads (`QS`), the backend it runs on (`DB`) and its SQL
//! type — so a search form's filters and sort keys can be built in loops and `match`es.
//!
//! ```
//! # use quarry::prelude::*;
//! # use quarry::sqlite::{Sqlite, SqliteConnection};
//! # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
//! use quarry::expression::BoxableExpression;
//! use quarry::sql_types::Bool;
//!
//! let wanted: [Option<&str>; 2] = [Some("Ann"), None];
//! let mut condition: Box<dyn BoxableExpression<users::table, Sqlite, SqlType = Bool>> =
//!     Box::new(users::id.gt(0));
//! if let Some(name) = wanted[0] {
//!     condition = Box::new(condition.and(users::name.eq(name)));
//! }
//! let sort: Box<dyn BoxableExpression<users::table, Sqlite, SqlType = ()>> = match "name" {
//!     "name" => Box::new(users::name.asc()),
//!     _ => Box::new(users::id.desc()),
//! };
//! let q = users::table.filter(condition).order(sort).select(users::id);
//! assert_eq!(
//!     quarry::debug_query::<Sqlite, _>(&q).sql().unwrap(),
//!     r#"SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."name" = ? ORDER BY "users"."name" ASC"#
//! );
//! ```

use super::grouping::kind::Plain;
use super::{AppearsOn, Expression, NoGroupBy, NonAggregate, SelectNullability, ValidGrouping};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

/// An expression that reads only the tables of `QS`, runs on `DB`, and holds no aggregate or window
/// function, usable as `Box<dyn BoxableExpression<QS, DB, SqlType = ST>>` wherever an expression of
/// `ST` on a query over `QS` is: `filter`, `order`, `select`, inside `and`/`or`, and boxed again.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be boxed as an expression on `{QS}` for `{DB}`",
    label = "it must read only `{QS}`'s tables, use SQL `{DB}` has, and hold no aggregate or window function"
)]
pub trait BoxableExpression<QS, DB>: Expression + QueryFragment {}

impl<QS, DB, T> BoxableExpression<QS, DB> for T where
    T: Expression + AppearsOn<QS> + SelectNullability<QS> + NonAggregate + RunsOn<DB>
{
}

/// The grouping kind of a boxed expression: its columns are no longer known, so it counts as a plain
/// column (it may not stand beside an aggregate without GROUP BY, nor in a grouped query).
#[derive(Debug)]
pub struct BoxedColumns;

macro_rules! boxed_expression {
    ($($bounds:tt)*) => {
        impl<'a, QS, DB, ST> Expression for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {
            type SqlType = ST;
        }
        impl<'a, QS, DB, ST> QueryFragment for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                (**self).walk(out)
            }
        }
        // Chosen at run time: cached by SQL text.
        impl<'a, QS, DB, ST> QueryId for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
        #[diagnostic::do_not_recommend]
        impl<'a, QS, DB, ST> AppearsOn<QS> for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {}
        #[diagnostic::do_not_recommend]
        impl<'a, QS, DB, ST> SelectNullability<QS> for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {}
        #[diagnostic::do_not_recommend]
        impl<'a, QS, DB, ST> NonAggregate for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {}
        #[diagnostic::do_not_recommend]
        impl<'a, QS, DB, ST> RunsOn<DB> for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {}
        impl<'a, QS, DB, ST> ValidGrouping<NoGroupBy> for Box<dyn BoxableExpression<QS, DB, SqlType = ST> + 'a $($bounds)*> {
            type Kind = Plain<BoxedColumns>;
        }
    };
}
boxed_expression!();
boxed_expression!(+ Send);
