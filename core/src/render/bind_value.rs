//! The backend-neutral form of a bound value, borrowed from the user's data.

/// One bound value, as handed to the driver. Text and bytes are borrowed, never copied here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BindValue<'a> {
    /// SQL NULL.
    Null,
    /// A boolean.
    Boolean(bool),
    /// A 16-bit integer.
    I16(i16),
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A 32-bit float.
    F32(f32),
    /// A 64-bit float.
    F64(f64),
    /// Text.
    Str(&'a str),
    /// Bytes.
    Bytes(&'a [u8]),
}
