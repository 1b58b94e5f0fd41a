//! Errors: everything that can go wrong between building a query and reading its rows.

use std::error::Error as StdError;
use std::fmt;

/// A boxed error from user code or a conversion.
pub type BoxError = Box<dyn StdError + Send + Sync>;

/// What went wrong running a query.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The query returned no row where one was expected (`get_result`, `first`).
    NotFound,
    /// Returned from a transaction closure to roll it back without another error.
    RollbackTransaction,
    /// The database refused the statement.
    DatabaseError(DatabaseErrorKind, Box<DatabaseErrorInfo>),
    /// A value read from the database does not fit the Rust type asked for.
    DeserializationError(BoxError),
    /// A Rust value could not be turned into a SQL value.
    SerializationError(BoxError),
    /// The query could not be rendered to SQL (for example an update with no column to set).
    QueryBuilderError(BoxError),
    /// A transaction could not be committed, rolled back or released; the connection is now unusable.
    BrokenTransactionManager(String),
}

/// Which constraint or condition made the database refuse a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DatabaseErrorKind {
    /// A UNIQUE or PRIMARY KEY constraint.
    UniqueViolation,
    /// A FOREIGN KEY constraint.
    ForeignKeyViolation,
    /// A NOT NULL constraint.
    NotNullViolation,
    /// A CHECK constraint.
    CheckViolation,
    /// The database is busy (another connection holds a lock) and the busy timeout ran out.
    Busy,
    /// A table is locked by another statement of this connection.
    Locked,
    /// The database or connection is read-only.
    ReadOnly,
    /// The connection was closed.
    ClosedConnection,
    /// A serializable transaction could not be serialized (PostgreSQL 40001): retry it.
    SerializationFailure,
    /// A deadlock was detected and this transaction was chosen to fail (PostgreSQL 40P01): retry it.
    Deadlock,
    /// The statement was canceled (PostgreSQL 57014: a statement timeout or a cancel request).
    QueryCanceled,
    /// Any other refusal; the message says more.
    Unknown,
}

/// What the database said about a refused statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseErrorInfo {
    message: String,
    sql: Option<String>,
    code: i32,
    sqlstate: Option<String>,
    constraint: Option<String>,
    table: Option<String>,
    column: Option<String>,
}

impl DatabaseErrorInfo {
    /// Builds the information from the database's message, its error code and the statement's SQL.
    pub fn new(message: impl Into<String>, code: i32, sql: Option<String>) -> Self {
        Self { message: message.into(), sql, code, sqlstate: None, constraint: None, table: None, column: None }
    }

    /// The same error with what a server reports beside its message: the SQLSTATE code and the names
    /// of the constraint, table and column involved (PostgreSQL sends them; SQLite does not).
    pub fn with_details(
        mut self,
        sqlstate: Option<String>,
        constraint: Option<String>,
        table: Option<String>,
        column: Option<String>,
    ) -> Self {
        (self.sqlstate, self.constraint, self.table, self.column) = (sqlstate, constraint, table, column);
        self
    }

    /// The SQLSTATE code (`23505`), where the database reports one.
    pub fn sqlstate(&self) -> Option<&str> {
        self.sqlstate.as_deref()
    }

    /// The constraint the statement violated, where the database names it.
    pub fn constraint_name(&self) -> Option<&str> {
        self.constraint.as_deref()
    }

    /// The table involved, where the database names it.
    pub fn table_name(&self) -> Option<&str> {
        self.table.as_deref()
    }

    /// The column involved, where the database names it.
    pub fn column_name(&self) -> Option<&str> {
        self.column.as_deref()
    }
    /// The database's own message.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The SQL of the refused statement, when known.
    pub fn sql(&self) -> Option<&str> {
        self.sql.as_deref()
    }
    /// The database's (extended) error code.
    pub fn code(&self) -> i32 {
        self.code
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound => f.write_str("the query returned no row"),
            Error::RollbackTransaction => f.write_str("the transaction was rolled back on request"),
            Error::DatabaseError(kind, info) => {
                write!(f, "{}: {}", kind.describe(), info.message)?;
                if let Some(sql) = &info.sql {
                    write!(f, " (in `{}`)", excerpt(sql))?;
                }
                Ok(())
            }
            Error::DeserializationError(e) => write!(f, "cannot read a value: {e}"),
            Error::SerializationError(e) => write!(f, "cannot write a value: {e}"),
            Error::QueryBuilderError(e) => write!(f, "cannot build the query: {e}"),
            Error::BrokenTransactionManager(e) => write!(f, "the transaction state is broken: {e}"),
        }
    }
}

impl DatabaseErrorKind {
    fn describe(self) -> &'static str {
        match self {
            DatabaseErrorKind::UniqueViolation => "unique constraint violated",
            DatabaseErrorKind::ForeignKeyViolation => "foreign key constraint violated",
            DatabaseErrorKind::NotNullViolation => "not-null constraint violated",
            DatabaseErrorKind::CheckViolation => "check constraint violated",
            DatabaseErrorKind::Busy => "database is busy",
            DatabaseErrorKind::Locked => "table is locked",
            DatabaseErrorKind::ReadOnly => "database is read-only",
            DatabaseErrorKind::ClosedConnection => "connection is closed",
            DatabaseErrorKind::SerializationFailure => "could not serialize the transaction",
            DatabaseErrorKind::Deadlock => "deadlock detected",
            DatabaseErrorKind::QueryCanceled => "statement canceled",
            DatabaseErrorKind::Unknown => "database error",
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::DeserializationError(e) | Error::SerializationError(e) | Error::QueryBuilderError(e) => Some(&**e),
            _ => None,
        }
    }
}

/// The result of running a query.
pub type QueryResult<T> = Result<T, Error>;

/// Why a connection could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionError {
    /// The URL or path is not one this backend understands (it is named in the message).
    InvalidConnectionUrl(String),
    /// The database could not be opened (the message names the path and the reason).
    BadConnection(String),
    /// Setting up the new connection (pragmas) failed.
    CouldntSetupConfiguration(String),
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionError::InvalidConnectionUrl(m) => write!(f, "invalid database URL: {m}"),
            ConnectionError::BadConnection(m) => write!(f, "cannot open the database: {m}"),
            ConnectionError::CouldntSetupConfiguration(m) => write!(f, "cannot configure the connection: {m}"),
        }
    }
}

impl StdError for ConnectionError {}

/// The result of opening a connection.
pub type ConnectionResult<T> = Result<T, ConnectionError>;

/// Turns "no row" into `None`: `users.find(9).first::<User>(&mut conn).optional()?`.
pub trait OptionalExtension<T> {
    /// `Ok(None)` for [`Error::NotFound`], other errors unchanged.
    ///
    /// ```
    /// # use quarry::prelude::*;
    /// # use quarry::sqlite::SqliteConnection;
    /// # quarry::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)")?;
    /// # conn.batch_execute("INSERT INTO users (name, hair_color) VALUES ('Ann', NULL), ('Bo', 'red')")?;
    /// let ann = users::table.select(users::name).find(1).first::<String>(&mut conn).optional()?;
    /// assert_eq!(ann.as_deref(), Some("Ann"));
    /// let none = users::table.select(users::name).find(9).first::<String>(&mut conn).optional()?;
    /// assert_eq!(none, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn optional(self) -> QueryResult<Option<T>>;
}

impl<T> OptionalExtension<T> for QueryResult<T> {
    fn optional(self) -> QueryResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The longest SQL text an error message quotes whole; longer text (a 100,000-row INSERT) is cut there.
pub const MAX_QUOTED_SQL: usize = 1_000;

/// `sql` as an error message quotes it: whole up to [`MAX_QUOTED_SQL`] bytes, else its start and how
/// much was left out.
pub fn excerpt(sql: &str) -> std::borrow::Cow<'_, str> {
    if sql.len() <= MAX_QUOTED_SQL {
        return sql.into();
    }
    let mut end = MAX_QUOTED_SQL;
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} ... ({} more bytes)", &sql[..end], sql.len() - end).into()
}

/// What kind of mistake made a query impossible to build or send ([`Error::QueryBuilderError`]), for code
/// that matches on it: `err.build_error_kind() == Some(BuildErrorKind::SeveralStatements)`. The message
/// says the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// SQL text (`sql_query`, a raw statement) holds several statements where one runs: give them to
    /// `batch_execute`. (On PostgreSQL the server finds it, so inside a transaction the transaction is
    /// then aborted, as after any refused statement.)
    SeveralStatements,
    /// SQL text holds no statement at all: only blanks, comments and `;`.
    NoStatement,
    /// SQL text holds a NUL byte, which neither database reads past.
    NulInSql,
    /// The number of values bound differs from the number of parameters the SQL has (`sql_query`).
    BindCount,
    /// One row or statement needs more bound values than one statement may have.
    TooManyBinds,
    /// `BEGIN`, `COMMIT`, `ROLLBACK` or a savepoint written by hand inside a `transaction` call, which
    /// Quarry ends itself.
    TransactionControl,
    /// An UPDATE or an upsert's DO UPDATE with nothing to set (every `Option` field `None`).
    NothingToSet,
    /// A row of `copy_from` that COPY cannot carry (SQL instead of a value, a default, a NUL byte, another
    /// shape than the first row).
    CopyRow,
    /// A query this backend (or Quarry) cannot write as asked: a recursive subquery reading a subquery in
    /// FROM, two CTEs of one name, a value of a kind the backend cannot bind, ...
    Unsupported,
    /// A migration refused before or after it ran (the message says why; nothing of it is kept).
    Migration,
    /// Anything else; the message says what.
    Other,
}

/// The error inside [`Error::QueryBuilderError`] when Quarry refused to build or send a query: its
/// [`kind`](Self::kind) and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryBuildError {
    kind: BuildErrorKind,
    message: String,
}

impl QueryBuildError {
    /// What kind of mistake it is.
    pub fn kind(&self) -> BuildErrorKind {
        self.kind
    }
    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for QueryBuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for QueryBuildError {}

/// Why a value could not be read: the database sent a value of another type than the Rust type reads
/// (`expected an integer, found a TEXT value`). [`ColumnError::expected`] and [`ColumnError::found`]
/// give its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMismatch {
    expected: String,
    found: String,
    shown: String,
}

impl TypeMismatch {
    /// A value of type `found` (the backend's name: SQLite's storage class `TEXT`, PostgreSQL's type
    /// `int4`), shown in the message as `shown`, where `expected` was wanted.
    #[doc(hidden)]
    pub fn new(expected: &str, found: &str, shown: String) -> Self {
        TypeMismatch { expected: expected.to_owned(), found: found.to_owned(), shown }
    }
    /// What the Rust type reads (`an integer`, `a date`).
    pub fn expected(&self) -> &str {
        &self.expected
    }
    /// The type of the value the database sent, in the backend's words (`TEXT`, `int4`).
    pub fn found(&self) -> &str {
        &self.found
    }
}

impl fmt::Display for TypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.shown)
    }
}

impl StdError for TypeMismatch {}

/// Why a value could not be read: it was NULL, and the Rust type reading it is not an `Option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnexpectedNull;

impl fmt::Display for UnexpectedNull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unexpected NULL (read a nullable column into an Option)")
    }
}

impl StdError for UnexpectedNull {}

/// A value that could not be read ([`Error::DeserializationError`]): which column of the row, and why.
#[derive(Debug)]
pub struct ColumnError {
    index: usize,
    name: Option<String>,
    source: BoxError,
}

impl ColumnError {
    /// The column's position in the row, from 0.
    pub fn index(&self) -> usize {
        self.index
    }
    /// The column's name, where the database gives one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// Why the value could not be read (`expected a date, found a PostgreSQL text value`, ..).
    pub fn reason(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.source
    }
    /// The value was of another type: what the Rust type reads (`an integer`), else `None`.
    pub fn expected(&self) -> Option<&str> {
        self.source.downcast_ref::<TypeMismatch>().map(TypeMismatch::expected)
    }
    /// The value was of another type: its type in the backend's words (`TEXT`, `int4`), else `None`.
    pub fn found(&self) -> Option<&str> {
        self.source.downcast_ref::<TypeMismatch>().map(TypeMismatch::found)
    }
    /// The value was NULL and the Rust type reading it is no `Option`.
    pub fn is_unexpected_null(&self) -> bool {
        self.source.is::<UnexpectedNull>()
    }
}

impl fmt::Display for ColumnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column `{}` (#{}): {}", self.name.as_deref().unwrap_or("?"), self.index + 1, self.source)
    }
}

// Its message already holds the reason (`reason()`): no `source`, so an error chain says it once.
impl StdError for ColumnError {}

impl Error {
    /// The kind of a [`QueryBuilderError`](Error::QueryBuilderError) Quarry raised; `None` for any other
    /// error.
    pub fn build_error_kind(&self) -> Option<BuildErrorKind> {
        match self {
            Error::QueryBuilderError(e) => e.downcast_ref::<QueryBuildError>().map(QueryBuildError::kind),
            _ => None,
        }
    }

    /// The column a [`DeserializationError`](Error::DeserializationError) is about, where it is one
    /// column's value that could not be read.
    pub fn column_error(&self) -> Option<&ColumnError> {
        match self {
            Error::DeserializationError(e) => e.downcast_ref::<ColumnError>(),
            _ => None,
        }
    }
}

/// A [`QueryBuilderError`](Error::QueryBuilderError) of kind `kind`.
#[doc(hidden)]
pub fn build_error(kind: BuildErrorKind, message: impl Into<String>) -> Error {
    Error::QueryBuilderError(Box::new(QueryBuildError { kind, message: message.into() }))
}

/// The error for SQL text holding several statements where one runs (each backend finds it its way).
#[doc(hidden)]
pub fn several_statements(sql: &str) -> Error {
    build_error(
        BuildErrorKind::SeveralStatements,
        format!(
            "the SQL `{}` holds more than one statement; a query runs one (use `batch_execute` for several)",
            excerpt(sql)
        ),
    )
}

/// The error for SQL text holding no statement.
#[doc(hidden)]
pub fn no_statement(sql: &str) -> Error {
    build_error(BuildErrorKind::NoStatement, format!("the SQL `{}` holds no statement", excerpt(sql)))
}

/// A [`DeserializationError`](Error::DeserializationError) about column `index` (named `name`).
#[doc(hidden)]
pub fn column_error(index: usize, name: Option<&str>, source: BoxError) -> Error {
    Error::DeserializationError(Box::new(ColumnError { index, name: name.map(str::to_owned), source }))
}

/// A message as a boxed error, for the `*Error(BoxError)` variants.
#[doc(hidden)]
pub fn msg(message: impl Into<String>) -> BoxError {
    message.into().into()
}
