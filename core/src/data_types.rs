//! Rust types for SQL values that no common Rust type holds exactly.

/// A PostgreSQL `interval`: months, days and microseconds, kept apart as the server keeps them (a month is
/// not a fixed number of days, nor a day of hours across a daylight-saving change). Diesel's name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PgInterval {
    /// Microseconds (hours, minutes, seconds and their fractions).
    pub microseconds: i64,
    /// Days.
    pub days: i32,
    /// Months (and years, as twelve months).
    pub months: i32,
}

impl PgInterval {
    /// An interval of `months`, `days` and `microseconds`.
    pub fn new(microseconds: i64, days: i32, months: i32) -> Self {
        PgInterval { microseconds, days, months }
    }

    /// `n` microseconds.
    pub fn from_microseconds(n: i64) -> Self {
        PgInterval::new(n, 0, 0)
    }

    /// `n` days.
    pub fn from_days(n: i32) -> Self {
        PgInterval::new(0, n, 0)
    }

    /// `n` months.
    pub fn from_months(n: i32) -> Self {
        PgInterval::new(0, 0, n)
    }
}
