//! `RunQueryDsl`: `load`, `get_result(s)`, `first` and `execute` on every query.

use super::Connection;
use crate::backend::{Backend, RunsOn};
use crate::deserialize::{FromSqlRow, Named, RowNames, RowType, Unnamed};
use crate::query::LimitOne;
use crate::query::{AsQuery, Limited, Query, QueryDsl, RunnableQuery};
use crate::render::{QueryFragment, QueryId};
use crate::result::{Error, QueryResult};

/// Reads rows of SQL type `ST` into `U` on backend `DB`. Implemented for the
/// [`RowType::Names`](crate::deserialize::RowType) of `ST`, so that where the select clause names the row
/// type (`User::as_select()`) the compiler infers `U` from it; elsewhere any `U` that reads the columns
/// will do, and the caller names it.
#[diagnostic::on_unimplemented(
    message = "a row of SQL type `{ST}` cannot be read into a Rust `{U}`",
    label = "one field per selected column, in order; a `Nullable` one needs an `Option`; `as_select()` reads into its struct"
)]
pub trait LoadRow<U, ST, DB: Backend>: Sized {
    /// Runs `query` on `conn` and reads at most `max_rows` rows (where the bound is known to hold).
    #[doc(hidden)]
    fn load_rows<C: Connection<Backend = DB>, Q: Query<SqlType = ST> + QueryFragment + QueryId + RunsOn<DB>>(
        conn: &mut C,
        query: &Q,
        max_rows: usize,
    ) -> QueryResult<Vec<U>>;

    /// Runs `query` on `conn` and returns its rows' iterator.
    #[doc(hidden)]
    fn load_iter<'c, C: Connection<Backend = DB>, Q: Query<SqlType = ST> + QueryFragment + QueryId + RunsOn<DB>>(
        conn: &'c mut C,
        query: &Q,
    ) -> QueryResult<C::RowIter<'c, U>>
    where
        U: 'c;
}

/// `Self` and `T` are one type: a bound the compiler infers `T` from.
#[doc(hidden)]
pub trait Is<T> {}
impl<T> Is<T> for T {}

// Where the select clause names the row type, `U` is that type: the compiler infers it from this impl.
// (`T: Is<U>` rather than `Named<U>` in the header, so that another `U` fails inside the impl and is
// reported as this trait's message rather than as a list of impls.)
#[diagnostic::do_not_recommend]
impl<T: Is<U>, U: FromSqlRow<ST, DB>, ST, DB: Backend> LoadRow<U, ST, DB> for Named<T> {
    fn load_rows<C: Connection<Backend = DB>, Q: Query<SqlType = ST> + QueryFragment + QueryId + RunsOn<DB>>(
        conn: &mut C,
        query: &Q,
        max_rows: usize,
    ) -> QueryResult<Vec<U>> {
        conn.load_rows::<Q, U, ST>(query, max_rows)
    }

    fn load_iter<'c, C: Connection<Backend = DB>, Q: Query<SqlType = ST> + QueryFragment + QueryId + RunsOn<DB>>(
        conn: &'c mut C,
        query: &Q,
    ) -> QueryResult<C::RowIter<'c, U>>
    where
        U: 'c,
    {
        conn.load_iter_rows::<Q, U, ST>(query)
    }
}

// Elsewhere any type that reads the columns.
#[diagnostic::do_not_recommend]
impl<U: FromSqlRow<ST, DB>, ST, DB: Backend> LoadRow<U, ST, DB> for Unnamed {
    fn load_rows<C: Connection<Backend = DB>, Q: Query<SqlType = ST> + QueryFragment + QueryId + RunsOn<DB>>(
        conn: &mut C,
        query: &Q,
        max_rows: usize,
    ) -> QueryResult<Vec<U>> {
        Named::<U>::load_rows(conn, query, max_rows)
    }

    fn load_iter<'c, C: Connection<Backend = DB>, Q: Query<SqlType = ST> + QueryFragment + QueryId + RunsOn<DB>>(
        conn: &'c mut C,
        query: &Q,
    ) -> QueryResult<C::RowIter<'c, U>>
    where
        U: 'c,
    {
        Named::<U>::load_iter(conn, query)
    }
}

/// A connection that can run statement `Q`: `Q` reads only its own tables (its WHERE clause names only
/// the tables it reads) and uses only SQL the connection's backend has. The one bound of
/// [`RunQueryDsl::execute`]; on the connection rather than the statement, so that the compiler reports a
/// failed check of the statement in the check's own words.
pub trait CanExecute<Q>: Connection {
    /// Runs `query` and returns how many rows it changed.
    #[doc(hidden)]
    fn execute_statement(&mut self, query: &Q) -> QueryResult<usize>;
}
impl<Conn: Connection, Q: QueryFragment + QueryId + RunnableQuery + CanRunOn<Conn::Backend>> CanExecute<Q> for Conn {
    fn execute_statement(&mut self, query: &Q) -> QueryResult<usize> {
        self.execute_returning_count(query)
    }
}

/// A query that uses only SQL backend `DB` has: [`RunsOn`] behind a blanket impl, which keeps the
/// compiler's report of a failed check to the SQL the backend lacks.
pub trait CanRunOn<DB>: RunsOn<DB> {}
impl<DB, Q: RunsOn<DB>> CanRunOn<DB> for Q {}

/// A connection that can run query `Q` and read its rows into `U`: `Q` runs on its own (its WHERE clause
/// names only its FROM clause's tables) and uses only SQL the connection's backend has, and `U` reads its
/// rows (or is the type its select clause names: `User::as_select()` reads `User`s, inferred). The one
/// bound of [`RunQueryDsl::load`] and its kin, so each mistake is one error. On the connection rather
/// than the query, so that the compiler reports a failed check of the query in the check's own words.
pub trait CanLoad<Q, U>: Connection {
    /// Runs `query` and reads at most `max_rows` rows (where the bound is known to hold).
    #[doc(hidden)]
    fn load_rows_of(&mut self, query: Q, max_rows: usize) -> QueryResult<Vec<U>>;

    /// Runs `query` and returns its rows' iterator.
    #[doc(hidden)]
    fn load_iter_of<'c>(&'c mut self, query: Q) -> QueryResult<Self::RowIter<'c, U>>
    where
        U: 'c;
}

impl<Conn, Q, U> CanLoad<Q, U> for Conn
where
    Conn: Connection,
    Q: AsQuery<Query: Query<SqlType: RowType> + RunnableQuery + CanRunOn<Conn::Backend>>,
    RowNames<Q::Query>: LoadRow<U, <Q::Query as Query>::SqlType, Conn::Backend>,
{
    fn load_rows_of(&mut self, query: Q, max_rows: usize) -> QueryResult<Vec<U>> {
        RowNames::<Q::Query>::load_rows(self, &query.as_query(), max_rows)
    }

    fn load_iter_of<'c>(&'c mut self, query: Q) -> QueryResult<Conn::RowIter<'c, U>>
    where
        U: 'c,
    {
        RowNames::<Q::Query>::load_iter(self, &query.as_query())
    }
}

/// Runs queries on a connection `Conn`. Implemented for tables and every statement (select, boxed, set
/// operations, insert, update, delete, `sql_query`, aliases); each method asks for what it needs.
pub trait RunQueryDsl<Conn>: Sized {
    /// Runs an INSERT, UPDATE, DELETE (or any statement) and returns how many rows it changed.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)")?;
    /// let n = quarry::insert_into(users::table).values(users::name.eq("Ann")).execute(&mut conn)?;
    /// assert_eq!(n, 1);
    /// let n = quarry::update(users::table).set(users::hair_color.eq("red")).execute(&mut conn)?;
    /// assert_eq!(n, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    // One line, so that an error about the statement quotes one line of this signature.
    #[rustfmt::skip]
    fn execute(self, conn: &mut Conn) -> QueryResult<usize> where Conn: CanExecute<Self> {
        conn.execute_statement(&self)
    }

    /// Runs the query and reads every row into a `U`. When the select clause names the row type
    /// (`User::as_select()`, `(User::as_select(), Option::<Post>::as_select())`), `U` is inferred from it;
    /// plain columns name none, and the caller says which type reads them (a tuple, a `Queryable`
    /// struct).
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)")?;
    /// # conn.batch_execute("INSERT INTO users (name, hair_color) VALUES ('Ann', NULL), ('Bo', 'red')")?;
    /// #[derive(Queryable, Selectable)]
    /// #[quarry(table_name = users)]
    /// struct User { id: i32, name: String }
    ///
    /// let users = users::table.order(users::id).select(User::as_select()).load(&mut conn)?;
    /// assert_eq!(users[1].name, "Bo");
    /// let rows: Vec<(i32, String, Option<String>)> = users::table.order(users::id).load(&mut conn)?;
    /// assert_eq!(rows, [(1, "Ann".into(), None), (2, "Bo".into(), Some("red".into()))]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    // One line, so that an error quotes the bound.
    #[rustfmt::skip]
    fn load<U>(self, conn: &mut Conn) -> QueryResult<Vec<U>> where Conn: CanLoad<Self, U> {
        conn.load_rows_of(self, usize::MAX)
    }

    /// Runs the query and returns an iterator over its rows, decoded one at a time as they are read: memory
    /// stays flat however many rows there are. The connection is borrowed until the iterator is dropped.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
    /// let mut conn = SqliteConnection::establish(":memory:")?;
    /// conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users (name) VALUES ('Ann'), ('Bo')")?;
    /// let mut total = 0;
    /// for id in users::table.select(users::id).load_iter::<i32>(&mut conn)? {
    ///     total += id?;
    /// }
    /// assert_eq!(total, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    // One line, so that an error quotes the bound.
    #[rustfmt::skip]
    fn load_iter<'c, U: 'c>(self, conn: &'c mut Conn) -> QueryResult<Conn::RowIter<'c, U>> where Conn: CanLoad<Self, U> {
        conn.load_iter_of(self)
    }

    /// The same as [`load`](RunQueryDsl::load).
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)")?;
    /// # conn.batch_execute("INSERT INTO users (name, hair_color) VALUES ('Ann', NULL), ('Bo', 'red')")?;
    /// let names: Vec<String> = users::table.select(users::name).order(users::id.desc()).get_results(&mut conn)?;
    /// assert_eq!(names, ["Bo", "Ann"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    // One line, so that an error quotes the bound.
    #[rustfmt::skip]
    fn get_results<U>(self, conn: &mut Conn) -> QueryResult<Vec<U>> where Conn: CanLoad<Self, U> {
        self.load(conn)
    }

    /// Runs the query and reads its first row; [`Error::NotFound`] when it returns none.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)")?;
    /// # conn.batch_execute("INSERT INTO users (name, hair_color) VALUES ('Ann', NULL), ('Bo', 'red')")?;
    /// let n: i64 = users::table.count().get_result(&mut conn)?;
    /// assert_eq!(n, 2);
    /// let bo: (i32, String, Option<String>) = users::table.find(2).get_result(&mut conn)?;
    /// assert_eq!(bo, (2, "Bo".into(), Some("red".into())));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    // One line, so that an error quotes the bound.
    #[rustfmt::skip]
    fn get_result<U>(self, conn: &mut Conn) -> QueryResult<U> where Conn: CanLoad<Self, U> {
        conn.load_rows_of(self, 1)?.pop().ok_or(Error::NotFound)
    }

    /// Adds `LIMIT 1` and reads the row; [`Error::NotFound`] when there is none.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)")?;
    /// # conn.batch_execute("INSERT INTO users (name, hair_color) VALUES ('Ann', NULL), ('Bo', 'red')")?;
    /// let name: String = users::table.select(users::name).order(users::name.desc()).first(&mut conn)?;
    /// assert_eq!(name, "Bo");
    /// let missing = users::table.find(9).first::<(i32, String, Option<String>)>(&mut conn);
    /// assert!(matches!(missing, Err(quarry::result::Error::NotFound)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    // One line, so that an error quotes the bound.
    #[rustfmt::skip]
    fn first<U>(self, conn: &mut Conn) -> QueryResult<U> where Self: FirstDsl, Conn: CanLoad<Self::One, U> {
        conn.load_rows_of(self.limit_one_row(), 1)?.pop().ok_or(Error::NotFound)
    }
}

/// A query `first` can limit to one row: a select statement or a table, or a WITH statement before one.
pub trait FirstDsl {
    /// The query with `LIMIT 1`.
    type One;
    /// Adds `LIMIT 1`.
    #[doc(hidden)]
    fn limit_one_row(self) -> Self::One;
}
impl<Q: QueryDsl> FirstDsl for Q {
    type One = Limited<Q, LimitOne>;
    fn limit_one_row(self) -> Self::One {
        self.limit_one()
    }
}

// Implemented for the statements only (and by `table!` for each table), not for every type, so that
// `Vec::first` and the like stay reachable on a `Vec` of rows.
impl<F, S, W, O, L, Of, D, G, H, Lk, Conn> RunQueryDsl<Conn>
    for crate::query::SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
{
}
impl<ST, QS, DB, G, Lk, Conn> RunQueryDsl<Conn> for crate::query::BoxedSelectStatement<'_, ST, QS, DB, G, Lk> {}
impl<Op, L, R, Conn> RunQueryDsl<Conn> for crate::query::Combination<Op, L, R> {}
impl<T, V, R, C, S, Conn> RunQueryDsl<Conn> for crate::query::InsertStatement<T, V, R, C, S> {}
impl<T, W, C, R, Conn> RunQueryDsl<Conn> for crate::query::UpdateStatement<T, W, C, R> {}
impl<T, W, R, Conn> RunQueryDsl<Conn> for crate::query::DeleteStatement<T, W, R> {}
impl<B, Conn> RunQueryDsl<Conn> for crate::query::SqlQuery<B> {}
impl<T, N, Conn> RunQueryDsl<Conn> for crate::query::Alias<T, N> {}
impl<C, S, Conn> RunQueryDsl<Conn> for crate::query::WithQuery<C, S> {}
