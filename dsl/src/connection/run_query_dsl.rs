//! `RunQueryDsl`: `load`, `get_result(s)`, `first` and `execute` on every query.

use super::Connection;
use crate::deserialize::FromSqlRow;
use crate::query::LimitOne;
use crate::query::{AsQuery, Query, QueryDsl, SelectStatement};
use crate::render::{QueryFragment, QueryId};
use crate::result::{Error, QueryResult};

/// Runs queries on a connection `Conn`. Implemented for every type; each method asks for what it needs.
pub trait RunQueryDsl<Conn>: Sized {
    /// Runs an INSERT, UPDATE, DELETE (or any statement) and returns how many rows it changed.
    fn execute(self, conn: &mut Conn) -> QueryResult<usize>
    where
        Conn: Connection,
        Self: QueryFragment + QueryId,
    {
        conn.execute_returning_count(&self)
    }

    /// Runs the query and reads every row into a `U`.
    fn load<U: FromSqlRow<<Self::Query as Query>::SqlType, Conn::Backend>>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Conn: Connection,
        Self: AsQuery,
    {
        conn.load_rows::<_, U, _>(&self.as_query(), usize::MAX)
    }

    /// The same as [`load`](RunQueryDsl::load).
    fn get_results<U: FromSqlRow<<Self::Query as Query>::SqlType, Conn::Backend>>(
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
    fn get_result<U: FromSqlRow<<Self::Query as Query>::SqlType, Conn::Backend>>(
        self,
        conn: &mut Conn,
    ) -> QueryResult<U>
    where
        Conn: Connection,
        Self: AsQuery,
    {
        conn.load_rows::<_, U, _>(&self.as_query(), 1)?.pop().ok_or(Error::NotFound)
    }

    /// Adds `LIMIT 1` and reads the row; [`Error::NotFound`] when there is none.
    fn first<U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Conn: Connection,
        Self: QueryDsl,
        SelectStatement<Self::From, Self::Selection, Self::Where, Self::Order, LimitOne, Self::Offset, Self::Distinct>:
            Query + QueryFragment + QueryId,
        U: FromSqlRow<
                <SelectStatement<
                    Self::From,
                    Self::Selection,
                    Self::Where,
                    Self::Order,
                    LimitOne,
                    Self::Offset,
                    Self::Distinct,
                > as Query>::SqlType,
                Conn::Backend,
            >,
    {
        self.limit_one().get_result(conn)
    }
}

impl<T, Conn> RunQueryDsl<Conn> for T {}
