//! The backend-neutral form of a bound value, borrowed from the user's data.

/// One bound value, as handed to the driver. Text and bytes are borrowed, never copied here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BindValue<'a> {
    /// SQL NULL.
    Null,
    /// A boolean.
    Bool(bool),
    /// A 16-bit integer.
    SmallInt(i16),
    /// A 32-bit integer.
    Integer(i32),
    /// A 64-bit integer.
    BigInt(i64),
    /// A 32-bit float.
    Float(f32),
    /// A 64-bit float.
    Double(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Binary(&'a [u8]),
}
