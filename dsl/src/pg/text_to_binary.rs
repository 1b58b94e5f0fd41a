//! PostgreSQL's binary forms of values Quarry holds as text: the ISO 8601 dates and times its `chrono` and
//! `time` values bind (`BindValue::Temporal`), decimal numbers (`BindValue::Numeric`, and integers and
//! floats written into a `numeric` column) and array literals (`BindValue::Array`), for COPY's binary
//! format. Each returns `None` for text it does not read.

use postgres_types::{Kind, Type};

/// Microseconds in a day.
const DAY_MICROS: i64 = 86_400_000_000;
/// Days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
const PG_EPOCH_DAYS: i64 = 10_957;

/// Days since 1970-01-01 of the proleptic Gregorian date `year-month-day` (days counted from March, so
/// that the leap day ends a year).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `digits` as a number, when it is only ASCII digits (and not empty).
fn number(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `2026-11-25`: days since 2000-01-01, `date`'s binary form.
pub(crate) fn date(text: &str) -> Option<i32> {
    let (year, rest) = text.split_once('-')?;
    let (month, day) = rest.split_once('-')?;
    let (year, month, day) = (number(year)?, number(month)?, number(day)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    i32::try_from(days_from_civil(year, month, day) - PG_EPOCH_DAYS).ok()
}

/// `14:30:00`, `14:30:00.25`, up to nanoseconds: microseconds since midnight, `time`'s binary form.
/// Finer digits are rounded to the microsecond as the server rounds them (half to even).
pub(crate) fn time(text: &str) -> Option<i64> {
    let (clock, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut parts = clock.split(':');
    let (hour, minute, second) = (number(parts.next()?)?, number(parts.next()?)?, number(parts.next()?)?);
    // A leap second (`23:59:60`) is the next minute's first, as the server takes it.
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 60 || fraction.len() > 9 {
        return None;
    }
    // As the server reads it: the fraction as a double, times a million, rounded half to even.
    let micros = if fraction.is_empty() {
        0
    } else {
        number(fraction)?;
        (format!("0.{fraction}").parse::<f64>().ok()? * 1e6).round_ties_even() as i64
    };
    Some((hour * 3600 + minute * 60 + second) * 1_000_000 + micros)
}

/// `2026-11-25 14:30:00.25`: microseconds since 2000-01-01 00:00, `timestamp`'s binary form; with
/// `utc`, the text ends in `+00:00` (as Quarry writes a `Timestamptz`) and the count is `timestamptz`'s.
pub(crate) fn timestamp(text: &str, utc: bool) -> Option<i64> {
    let text = if utc { text.strip_suffix("+00:00")? } else { text };
    let (day, clock) = text.split_once(' ')?;
    // A time rounded up to the next day (23:59:59.9999995) stays a valid count.
    i64::from(date(day)?).checked_mul(DAY_MICROS)?.checked_add(time(clock)?)
}

/// A decimal number's text (`-12.50`, `1e-7`, `1.5E+3`, `NaN`, `Infinity`) in `numeric`'s binary form: the count of
/// base-10000 digits, the weight of the first, the sign, the display scale, then the digits.
pub(crate) fn numeric(text: &str) -> Option<Vec<u8>> {
    let header = |digits: &[i16], weight: i16, sign: u16, scale: u16| {
        let mut out = Vec::with_capacity(8 + 2 * digits.len());
        out.extend_from_slice(&(digits.len() as i16).to_be_bytes());
        out.extend_from_slice(&weight.to_be_bytes());
        out.extend_from_slice(&sign.to_be_bytes());
        out.extend_from_slice(&scale.to_be_bytes());
        for d in digits {
            out.extend_from_slice(&d.to_be_bytes());
        }
        out
    };
    // NaN, and PostgreSQL 14's infinities.
    match text {
        "NaN" => return Some(header(&[], 0, 0xC000, 0)),
        "Infinity" => return Some(header(&[], 0, 0xD000, 0)),
        "-Infinity" => return Some(header(&[], 0, 0xF000, 0)),
        _ => {}
    }
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i64>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
        || exponent.unsigned_abs() > 10_000
    {
        return None;
    }
    // The digits, and how many of them stand before the decimal point (negative: zeros come first).
    let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).map(|b| b - b'0').collect();
    let mut point = whole.len() as i64 + exponent;
    let scale = (fraction.len() as i64 - exponent).max(0);
    if point < 0 {
        digits.splice(0..0, std::iter::repeat_n(0, point.unsigned_abs() as usize));
        point = 0;
    }
    if (digits.len() as i64) < point {
        digits.resize(point as usize, 0);
    }
    // Aligned on the point in groups of four.
    let lead = ((4 - point % 4) % 4) as usize;
    digits.splice(0..0, std::iter::repeat_n(0, lead));
    let point = point + lead as i64;
    while !digits.len().is_multiple_of(4) {
        digits.push(0);
    }
    let mut groups: Vec<i16> = digits.chunks(4).map(|c| c.iter().fold(0i16, |n, &d| n * 10 + i16::from(d))).collect();
    let mut weight = point / 4 - 1;
    let leading = groups.iter().take_while(|&&g| g == 0).count();
    groups.drain(..leading);
    weight -= leading as i64;
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    let (weight, scale) = (i16::try_from(weight).ok()?, u16::try_from(scale).ok().filter(|s| *s <= 0x3FFF)?);
    let sign = if negative && !groups.is_empty() { 0x4000 } else { 0 };
    Some(header(&groups, weight, sign, scale))
}

/// The elements of a one-dimensional array literal as Quarry writes it (`{1,NULL,"a \"b\""}`): each
/// element's text, `None` for a NULL; `None` for a literal it does not read (several dimensions, say).
fn array_elements(literal: &str) -> Option<Vec<Option<String>>> {
    let inner = literal.strip_prefix('{')?.strip_suffix('}')?;
    let mut elements = Vec::new();
    if inner.is_empty() {
        return Some(elements);
    }
    let mut chars = inner.chars().peekable();
    loop {
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next()? {
                    '\\' => text.push(chars.next()?),
                    '"' => break,
                    c => text.push(c),
                }
            }
            elements.push(Some(text));
        } else {
            let text: String = std::iter::from_fn(|| chars.next_if(|&c| c != ',')).collect();
            if text.is_empty() || text.contains(['{', '}', '"']) {
                return None;
            }
            elements.push((!text.eq_ignore_ascii_case("NULL")).then_some(text));
        }
        match chars.next() {
            None => return Some(elements),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

/// One value's text (an element of an array literal) in the binary form of `ty`; `None` for a type it
/// has no writer for, or text that is not such a value.
pub(crate) fn value(text: &str, ty: &Type) -> Option<Vec<u8>> {
    let float = |text: &str| match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => text.parse::<f64>().ok(),
    };
    Some(match *ty {
        Type::BOOL => vec![u8::from(match text {
            "t" => true,
            "f" => false,
            _ => return None,
        })],
        Type::INT2 => text.parse::<i16>().ok()?.to_be_bytes().to_vec(),
        Type::INT4 => text.parse::<i32>().ok()?.to_be_bytes().to_vec(),
        Type::INT8 => text.parse::<i64>().ok()?.to_be_bytes().to_vec(),
        // Rounded to the nearest `real`, as the server rounds it; past its range refused, as there.
        Type::FLOAT4 => {
            let v = float(text)?;
            if (v as f32).is_infinite() && v.is_finite() {
                return None;
            }
            (v as f32).to_be_bytes().to_vec()
        }
        Type::FLOAT8 => float(text)?.to_be_bytes().to_vec(),
        Type::NUMERIC => numeric(text)?,
        Type::DATE => date(text)?.to_be_bytes().to_vec(),
        Type::TIME => time(text)?.to_be_bytes().to_vec(),
        Type::TIMESTAMP => timestamp(text, false)?.to_be_bytes().to_vec(),
        Type::TIMESTAMPTZ => timestamp(text, true)?.to_be_bytes().to_vec(),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::JSON => text.as_bytes().to_vec(),
        Type::JSONB => [&[1u8][..], text.as_bytes()].concat(),
        Type::UUID => {
            let hex: String = text.chars().filter(|&c| c != '-').collect();
            if hex.len() != 32 {
                return None;
            }
            (0..16).map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()).collect::<Option<Vec<u8>>>()?
        }
        Type::BYTEA => {
            let hex = text.strip_prefix("\\x")?;
            if hex.len() % 2 != 0 {
                return None;
            }
            (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?
        }
        _ => match ty.kind() {
            // An enum's value is its label.
            Kind::Enum(_) => text.as_bytes().to_vec(),
            _ => return None,
        },
    })
}

/// Whether [`value`] writes elements of `ty` (a domain's base type): the element types an array column
/// of which COPY may send in binary.
pub(crate) fn element_type(ty: &Type) -> bool {
    matches!(ty.kind(), Kind::Enum(_))
        || matches!(
            *ty,
            Type::BOOL
                | Type::INT2
                | Type::INT4
                | Type::INT8
                | Type::FLOAT4
                | Type::FLOAT8
                | Type::NUMERIC
                | Type::DATE
                | Type::TIME
                | Type::TIMESTAMP
                | Type::TIMESTAMPTZ
                | Type::TEXT
                | Type::VARCHAR
                | Type::BPCHAR
                | Type::NAME
                | Type::JSON
                | Type::JSONB
                | Type::UUID
                | Type::BYTEA
        )
}

/// Whether an array literal holds an element other than NULL (so that it shows how its elements go in).
pub(crate) fn holds_a_value(literal: &str) -> bool {
    array_elements(literal).is_some_and(|elements| elements.iter().any(Option::is_some))
}

/// An array literal as Quarry writes it, in the binary form of a one-dimensional array of `element`
/// (dimensions, NULL flag, element type, then each element), each element written as `written` (the
/// element's own type, or a domain's base type); `None` where a [`value`] is.
pub(crate) fn array(literal: &str, element: &Type, written: &Type) -> Option<Vec<u8>> {
    let elements = array_elements(literal)?;
    let mut out = Vec::with_capacity(20 + 8 * elements.len());
    let dimensions = i32::from(!elements.is_empty());
    out.extend_from_slice(&dimensions.to_be_bytes());
    out.extend_from_slice(&i32::from(elements.iter().any(Option::is_none)).to_be_bytes());
    out.extend_from_slice(&element.oid().to_be_bytes());
    if dimensions == 1 {
        out.extend_from_slice(&i32::try_from(elements.len()).ok()?.to_be_bytes());
        out.extend_from_slice(&1i32.to_be_bytes());
    }
    for e in &elements {
        match e {
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(text) => {
                let bytes = value(text, written)?;
                out.extend_from_slice(&i32::try_from(bytes.len()).ok()?.to_be_bytes());
                out.extend_from_slice(&bytes);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_count_from_2000() {
        assert_eq!(date("2000-01-01"), Some(0));
        assert_eq!(date("2000-03-01"), Some(60), "2000 is a leap year");
        assert_eq!(date("1999-12-31"), Some(-1));
        assert_eq!(date("1970-01-01"), Some(-10_957));
        assert_eq!(date("0000-01-01"), Some(-730_485));
        assert_eq!(date("9999-12-31"), Some(2_921_939));
        assert_eq!(date("2026-13-01"), None);
        assert_eq!(date("26-1"), None);
        assert_eq!(time("00:00:00"), Some(0));
        assert_eq!(time("14:30:00.25"), Some(52_200_250_000));
        assert_eq!(time("00:00:00.0000015"), Some(2), "1.5 µs rounds to the even 2");
        assert_eq!(time("00:00:00.0000025"), Some(2), "2.5 µs rounds to the even 2");
        assert_eq!(time("00:00:00.000000501"), Some(1));
        assert_eq!(time("24:00:00"), None);
        assert_eq!(time("23:59:60"), Some(86_400_000_000), "a leap second");
        assert_eq!(time("00:00:00.000125500"), Some(125), "rounded from the double, as the server does");
        assert_eq!(timestamp("2000-01-02 00:00:01", false), Some(86_401_000_000));
        assert_eq!(timestamp("2000-01-02 00:00:01.000000+00:00", true), Some(86_401_000_000));
        assert_eq!(timestamp("2000-01-02 00:00:01+01:00", true), None, "only UTC, as Quarry writes it");
    }

    #[test]
    fn array_literals_in_binary() {
        assert_eq!(
            array_elements(r#"{1,NULL,"a \"b\" \\ c","",NULL}"#),
            Some(vec![Some("1".into()), None, Some(r#"a "b" \ c"#.into()), Some(String::new()), None])
        );
        assert_eq!(array_elements("{}"), Some(vec![]));
        for bad in ["{{1},{2}}", "1,2", "{1,\"2}", "{\"a\"b}"] {
            assert_eq!(array_elements(bad), None, "{bad}");
        }
        let ints = array("{1,NULL,-3}", &Type::INT4, &Type::INT4).unwrap();
        let words: Vec<i32> = ints.chunks(4).map(|w| i32::from_be_bytes([w[0], w[1], w[2], w[3]])).collect();
        // One dimension, a NULL, int4; 3 elements from 1; then 1, NULL, -3.
        assert_eq!(words, [1, 1, 23, 3, 1, 4, 1, -1, 4, -3]);
        assert_eq!(array("{}", &Type::TEXT, &Type::TEXT).unwrap().len(), 12, "no dimension");
        assert_eq!(array("{70000}", &Type::INT2, &Type::INT2), None, "out of range");
        assert_eq!(array("{1}", &Type::POINT, &Type::POINT), None, "a type with no writer");
        assert!(!holds_a_value("{}") && !holds_a_value("{NULL,NULL}") && holds_a_value(r#"{NULL,"NULL"}"#));
        assert_eq!(value("0.1", &Type::FLOAT4).unwrap(), 0.1f32.to_be_bytes(), "rounded to the nearest real");
        assert_eq!(value("1e39", &Type::FLOAT4), None);
        assert_eq!(value("67e55044-10b1-426f-9247-bb680e5fe0c8", &Type::UUID).unwrap()[..2], [0x67, 0xe5]);
        assert_eq!(value("\\x00ff", &Type::BYTEA).unwrap(), [0, 255]);
    }

    /// The fields of a `numeric`'s binary form.
    fn fields(bytes: &[u8]) -> (i16, i16, u16, u16, Vec<i16>) {
        let at = |i: usize| i16::from_be_bytes([bytes[i], bytes[i + 1]]);
        let n = at(0);
        (n, at(2), at(4) as u16, at(6) as u16, (0..n as usize).map(|k| at(8 + 2 * k)).collect())
    }

    #[test]
    fn decimals_in_base_10000_groups() {
        assert_eq!(fields(&numeric("12.50").unwrap()), (2, 0, 0, 2, vec![12, 5000]));
        assert_eq!(fields(&numeric("-0.25").unwrap()), (1, -1, 0x4000, 2, vec![2500]));
        assert_eq!(fields(&numeric("1234567.89").unwrap()), (3, 1, 0, 2, vec![123, 4567, 8900]));
        assert_eq!(fields(&numeric("0").unwrap()), (0, 0, 0, 0, vec![]));
        assert_eq!(fields(&numeric("-0.00").unwrap()), (0, 0, 0, 2, vec![]));
        assert_eq!(fields(&numeric("1e-7").unwrap()), (1, -2, 0, 7, vec![10]));
        assert_eq!(fields(&numeric("1.5E+3").unwrap()), (1, 0, 0, 0, vec![1500]));
        assert_eq!(fields(&numeric("100000000").unwrap()), (1, 2, 0, 0, vec![1]));
        assert_eq!(fields(&numeric("NaN").unwrap()), (0, 0, 0xC000, 0, vec![]));
        assert_eq!(fields(&numeric("-Infinity").unwrap()), (0, 0, 0xF000, 0, vec![]));
        for bad in ["", "-", ".", "1.2.3", "1e", "abc", "Inf", "1e99999"] {
            assert_eq!(numeric(bad), None, "{bad}");
        }
    }
}
