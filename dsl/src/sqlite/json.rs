//! Reading a `Json` column whatever SQLite stored in it: JSON text, an INTEGER or REAL (SQLite's JSON
//! functions store a bare number as one: `json_extract('{"n":5}', '$.n')`), or a BLOB in SQLite's
//! binary JSONB format (`jsonb(..)`). Each is turned into the JSON text `json(..)` would give, exactly:
//! integers as written, reals in the shortest form that reads back as the same `f64`.

use std::fmt::Write;

use super::types::SqliteValue;
use crate::deserialize::DeserializeResult;
use crate::result::BoxError;

/// Nesting deeper than this in a JSONB blob is refused rather than recursed into (SQLite's own
/// limit is 1,000).
const MAX_DEPTH: usize = 1_000;

/// The value's JSON text, borrowed when SQLite stored text.
pub(crate) fn json_text<'a>(value: &SqliteValue<'a>) -> DeserializeResult<std::borrow::Cow<'a, str>> {
    if value.is_integer() {
        return Ok(value.read_i64()?.to_string().into());
    }
    if value.is_real() {
        let mut text = String::new();
        push_real(&mut text, value.read_f64()?)?;
        return Ok(text.into());
    }
    if value.is_blob() {
        let mut text = String::new();
        let blob = value.read_blob()?;
        let end = decode(blob, 0, &mut text, 0)?;
        if end != blob.len() {
            return Err(not_jsonb(format!("{} bytes follow the value", blob.len() - end)));
        }
        return Ok(text.into());
    }
    value.read_str().map(Into::into)
}

fn push_real(text: &mut String, v: f64) -> DeserializeResult<()> {
    if !v.is_finite() {
        return Err(format!("the REAL value {v} has no JSON form").into());
    }
    // `{:?}` writes the shortest text that reads back as the same f64 (`0.1`, `1e300`, `3.0`).
    let _ = write!(text, "{v:?}");
    Ok(())
}

#[cold]
fn not_jsonb(why: impl std::fmt::Display) -> BoxError {
    format!("the BLOB is not SQLite JSONB: {why}").into()
}

/// Appends the JSON text of the element at `at`, and returns where the next element starts.
fn decode(blob: &[u8], at: usize, out: &mut String, depth: usize) -> DeserializeResult<usize> {
    if depth > MAX_DEPTH {
        return Err(not_jsonb(format!("nested more than {MAX_DEPTH} deep")));
    }
    let header = *blob.get(at).ok_or_else(|| not_jsonb("it ends where a value should start"))?;
    let (size, start) = match header >> 4 {
        n @ 0..=11 => (usize::from(n), at + 1),
        n => {
            let width = 1usize << (n - 12);
            let bytes = blob.get(at + 1..at + 1 + width).ok_or_else(|| not_jsonb("a size is cut short"))?;
            let size = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            (usize::try_from(size).map_err(|_| not_jsonb("a size is too large"))?, at + 1 + width)
        }
    };
    let end =
        start.checked_add(size).filter(|&e| e <= blob.len()).ok_or_else(|| not_jsonb("a value runs past its end"))?;
    let payload = &blob[start..end];
    let text = || std::str::from_utf8(payload).map_err(|_| not_jsonb("a text is not UTF-8"));
    let kind = header & 0x0f;
    if kind <= 2 && size != 0 {
        return Err(not_jsonb("a null, true or false carries a payload"));
    }
    match kind {
        0 => out.push_str("null"),
        1 => out.push_str("true"),
        2 => out.push_str("false"),
        // INT and FLOAT hold canonical JSON number text.
        3 | 5 => {
            let number = text()?;
            let valid = if kind == 3 { is_json_integer(number) } else { is_json_number(number) };
            if !valid {
                return Err(not_jsonb(format!("`{number}` is not a JSON number")));
            }
            out.push_str(number);
        }
        4 => push_int5(out, text()?)?,
        6 => push_float5(out, text()?)?,
        8 => push_escaped_json_string(out, text()?)?,
        7 | 10 => push_json_string(out, text()?),
        9 => push_json_string(out, &unescape_json5(text()?)?),
        11 | 12 => {
            let (open, close) = if header & 0x0f == 11 { ('[', ']') } else { ('{', '}') };
            out.push(open);
            let mut next = start;
            let mut i = 0;
            while next < end {
                if i > 0 {
                    out.push(if open == '{' && i % 2 == 1 { ':' } else { ',' });
                }
                if open == '{' && i % 2 == 0 && !matches!(blob[next] & 0x0f, 7..=10) {
                    return Err(not_jsonb("an object key is not text"));
                }
                next = decode(&blob[..end], next, out, depth + 1)?;
                i += 1;
            }
            if open == '{' && i % 2 == 1 {
                return Err(not_jsonb("an object key has no value"));
            }
            out.push(close);
        }
        kind => return Err(not_jsonb(format!("element type {kind} is reserved"))),
    }
    Ok(end)
}

/// `-?(0|[1-9][0-9]*)`.
fn is_json_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'))
}

/// A JSON number: an integer, then an optional fraction and exponent.
fn is_json_number(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    is_json_integer(whole)
        && fraction.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)))
}

/// JSON5 integers: an optional sign, then decimal digits or `0x` and hexadecimal digits (`-0x1F`).
fn push_int5(out: &mut String, text: &str) -> DeserializeResult<()> {
    let bad = || not_jsonb(format!("`{text}` is not an integer"));
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (digits, radix) = match unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (unsigned, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(bad());
    }
    let value = i128::from_str_radix(digits, radix).map_err(|_| bad())?;
    let value = if negative { value.checked_neg().ok_or_else(bad)? } else { value };
    let _ = write!(out, "{value}");
    Ok(())
}

/// JSON5 reals: `.5`, `5.`, `+1.5`, `Infinity`, `NaN`.
fn push_float5(out: &mut String, text: &str) -> DeserializeResult<()> {
    let unsigned = text.trim_start_matches('+');
    let v: f64 = match unsigned.trim_start_matches('-') {
        "Infinity" | "Inf" => f64::INFINITY,
        "NaN" => f64::NAN,
        _ => unsigned.parse().map_err(|_| not_jsonb(format!("`{text}` is not a number")))?,
    };
    push_real(out, if unsigned.starts_with('-') && !v.is_sign_negative() { -v } else { v })
}

/// Appends a TEXTJ payload (JSON's escapes already in it) as a JSON string literal, checking each escape.
fn push_escaped_json_string(out: &mut String, text: &str) -> DeserializeResult<()> {
    out.push('"');
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next().ok_or_else(|| not_jsonb("a text ends in a backslash"))?;
                out.push('\\');
                out.push(escaped);
                match escaped {
                    '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => {}
                    'u' => {
                        for _ in 0..4 {
                            let h = chars.next().filter(char::is_ascii_hexdigit);
                            out.push(h.ok_or_else(|| not_jsonb("a \\u escape lacks four hex digits"))?);
                        }
                    }
                    other => return Err(not_jsonb(format!("`\\{other}` is not a JSON escape"))),
                }
            }
            '"' => out.push_str("\\\""),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(())
}

/// Appends `text` as a JSON string literal.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The text of a JSON5 string body: JSON's escapes plus `\'`, `\v`, `\0`, `\xHH` and escaped line breaks.
fn unescape_json5(text: &str) -> DeserializeResult<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    let bad = || not_jsonb(format!("the string `{text}` has a bad escape"));
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = chars.next().ok_or_else(bad)?;
        let hex = |chars: &mut std::str::Chars<'_>, n: usize| -> DeserializeResult<u32> {
            let digits: String = chars.by_ref().take(n).collect();
            if digits.len() != n || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(bad());
            }
            u32::from_str_radix(&digits, 16).map_err(|_| bad())
        };
        match escaped {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '0' => out.push('\0'),
            'x' => out.push(char::from_u32(hex(&mut chars, 2)?).ok_or_else(bad)?),
            'u' => {
                let first = hex(&mut chars, 4)?;
                let code = if (0xd800..0xdc00).contains(&first) {
                    if chars.next() != Some('\\') || chars.next() != Some('u') {
                        return Err(bad());
                    }
                    let low = hex(&mut chars, 4)?;
                    if !(0xdc00..0xe000).contains(&low) {
                        return Err(bad());
                    }
                    0x10000 + ((first - 0xd800) << 10) + (low - 0xdc00)
                } else {
                    first
                };
                out.push(char::from_u32(code).ok_or_else(bad)?);
            }
            // A backslash before a line break continues the string on the next line.
            '\n' | '\u{2028}' | '\u{2029}' => {}
            '\r' => {
                let mut rest = chars.clone();
                if rest.next() == Some('\n') {
                    chars = rest;
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}
