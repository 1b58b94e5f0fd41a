//! `RunQueryDsl`: `load`, `get_result(s)`, `first` and `execute` on every query.

use super::Connection;
use crate::backend::RunsOn;
use crate::deserialize::FromSqlRow;
use crate::query::LimitOne;
use crate::query::{AsQuery, Limited, Query, QueryDsl, RunnableQuery};
use crate::render::{QueryFragment, QueryId};
use crate::result::{Error, QueryResult};

/// A Rust type that rows of query `Q` can be read into, `Q` being a query that can run on its own (its
/// WHERE clause names only its FROM clause's tables) on backend `DB` (it uses no SQL `DB` lacks). One bound
/// on `load`, so each mistake is one error. `ST` is `Q`'s SQL type, a parameter only so that the error
/// message can name it.
#[diagnostic::on_unimplemented(
    message = "a row of SQL type `{ST}` cannot be read into a Rust `{Self}`",
    label = "one field per selected column, in order; a `Nullable` one needs an `Option`"
)]
pub trait LoadRow<Q, ST, DB: crate::backend::Backend>: FromSqlRow<ST, DB> {
    /// Runs `query` on `conn` and reads at most `max_rows` rows (where the bound is known to hold).
    #[doc(hidden)]
    fn load_rows<C: Connection<Backend = DB>>(conn: &mut C, query: &Q, max_rows: usize) -> QueryResult<Vec<Self>>
    where
        Q: QueryFragment + QueryId;

    /// Runs `query` on `conn` and returns its rows' iterator.
    #[doc(hidden)]
    fn load_iter<'c, C: Connection<Backend = DB>>(conn: &'c mut C, query: &Q) -> QueryResult<C::RowIter<'c, Self>>
    where
        Q: QueryFragment + QueryId,
        Self: 'c;
}
impl<U, Q, ST, DB> LoadRow<Q, ST, DB> for U
where
    Q: Query<SqlType = ST> + RunnableQuery + RunsOn<DB>,
    DB: crate::backend::Backend,
    U: FromSqlRow<ST, DB>,
{
    fn load_rows<C: Connection<Backend = DB>>(conn: &mut C, query: &Q, max_rows: usize) -> QueryResult<Vec<Self>>
    where
        Q: QueryFragment + QueryId,
    {
        conn.load_rows::<Q, U, ST>(query, max_rows)
    }

    fn load_iter<'c, C: Connection<Backend = DB>>(conn: &'c mut C, query: &Q) -> QueryResult<C::RowIter<'c, Self>>
    where
        Q: QueryFragment + QueryId,
        Self: 'c,
    {
        conn.load_iter_rows::<Q, U, ST>(query)
    }
}

/// A statement that can run on connection `Conn`: it reads only its own tables and uses only SQL `Conn`'s
/// backend has. The one bound of [`RunQueryDsl::execute`].
pub trait Executable<Conn: Connection>: QueryFragment + QueryId + RunnableQuery + RunsOn<Conn::Backend> {}
impl<Conn: Connection, Q: QueryFragment + QueryId + RunnableQuery + RunsOn<Conn::Backend>> Executable<Conn> for Q {}

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
    fn execute(self, conn: &mut Conn) -> QueryResult<usize> where Conn: Connection, Self: Executable<Conn> {
        conn.execute_returning_count(&self)
    }

    /// Runs the query and reads every row into a `U`.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)")?;
    /// # conn.batch_execute("INSERT INTO users (name, hair_color) VALUES ('Ann', NULL), ('Bo', 'red')")?;
    /// let rows: Vec<(i32, String, Option<String>)> = users::table.order(users::id).load(&mut conn)?;
    /// assert_eq!(rows, [(1, "Ann".into(), None), (2, "Bo".into(), Some("red".into()))]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn load<U: LoadRow<Self::Query, <Self::Query as Query>::SqlType, Conn::Backend>>(
        self,
        conn: &mut Conn,
    ) -> QueryResult<Vec<U>>
    where
        Conn: Connection,
        Self: AsQuery,
    {
        U::load_rows(conn, &self.as_query(), usize::MAX)
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
    fn load_iter<'c, U: LoadRow<Self::Query, <Self::Query as Query>::SqlType, Conn::Backend> + 'c>(
        self,
        conn: &'c mut Conn,
    ) -> QueryResult<Conn::RowIter<'c, U>>
    where
        Conn: Connection,
        Self: AsQuery,
    {
        U::load_iter(conn, &self.as_query())
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
    fn get_results<U: LoadRow<Self::Query, <Self::Query as Query>::SqlType, Conn::Backend>>(
        self,
        conn: &mut Conn,
    ) -> QueryResult<Vec<U>>
    where
        Conn: Connection,
        Self: AsQuery,
    {
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
    fn get_result<U: LoadRow<Self::Query, <Self::Query as Query>::SqlType, Conn::Backend>>(
        self,
        conn: &mut Conn,
    ) -> QueryResult<U>
    where
        Conn: Connection,
        Self: AsQuery,
    {
        U::load_rows(conn, &self.as_query(), 1)?.pop().ok_or(Error::NotFound)
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
    fn first<U: LoadRow<Limited<Self, LimitOne>, <Limited<Self, LimitOne> as Query>::SqlType, Conn::Backend>>(
        self,
        conn: &mut Conn,
    ) -> QueryResult<U>
    where
        Conn: Connection,
        Self: QueryDsl,
        Limited<Self, LimitOne>: Query + QueryFragment + QueryId,
    {
        U::load_rows(conn, &self.limit_one(), 1)?.pop().ok_or(Error::NotFound)
    }
}

// Implemented for the statements only (and by `table!` for each table), not for every type, so that
// `Vec::first` and the like stay reachable on a `Vec` of rows.
impl<F, S, W, O, L, Of, D, G, H, Lk, Conn> RunQueryDsl<Conn>
    for crate::query::SelectStatement<F, S, W, O, L, Of, D, G, H, Lk>
{
}
impl<ST, QS, DB, Conn> RunQueryDsl<Conn> for crate::query::BoxedSelectStatement<'_, ST, QS, DB> {}
impl<Op, L, R, Conn> RunQueryDsl<Conn> for crate::query::Combination<Op, L, R> {}
impl<T, V, R, C, Conn> RunQueryDsl<Conn> for crate::query::InsertStatement<T, V, R, C> {}
impl<T, W, C, R, Conn> RunQueryDsl<Conn> for crate::query::UpdateStatement<T, W, C, R> {}
impl<T, W, R, Conn> RunQueryDsl<Conn> for crate::query::DeleteStatement<T, W, R> {}
impl<B, Conn> RunQueryDsl<Conn> for crate::query::SqlQuery<B> {}
impl<T, N, Conn> RunQueryDsl<Conn> for crate::query::Alias<T, N> {}
