//! The UTC time as `YYYY-MM-DD-HHMMSS`, for migration folder names (sorted by name = by time).

use std::time::{SystemTime, UNIX_EPOCH};

/// A version for a new migration: now, or one second after the newest of `existing` (folder names that
/// start with a version) when that is not earlier, so the new one sorts, and runs, after every existing
/// one even when several are generated within a second or a clock is behind.
pub fn next_version<'a>(existing: impl IntoIterator<Item = &'a str>) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let newest = existing.into_iter().filter_map(|name| name.get(..17)).filter_map(parse_utc).max();
    format_utc(match newest {
        Some(newest) if newest >= now => newest + 1,
        _ => now,
    })
}

/// `YYYY-MM-DD-HHMMSS` as seconds after the Unix epoch; `None` when it is not one.
pub fn parse_utc(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 17 || b[4] != b'-' || b[7] != b'-' || b[10] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(13..15)?, num(15..17)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    u64::try_from(days * 86_400 + hh * 3_600 + mm * 60 + ss).ok()
}

/// Days after 1970-01-01 of the proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `secs` after the Unix epoch as `YYYY-MM-DD-HHMMSS`.
pub fn format_utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}-{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::format_utc;

    #[test]
    fn versions_parse_back_and_a_new_one_sorts_after_every_existing() {
        for secs in [0, 951_782_400, 1_764_460_800, 4_102_444_799] {
            assert_eq!(super::parse_utc(&format_utc(secs)), Some(secs));
        }
        assert_eq!(super::parse_utc("2026-13-01-000000"), None);
        assert_eq!(super::parse_utc("not-a-version-at"), None);
        let future = "2999-01-01-000000_later";
        assert_eq!(super::next_version([future, "2026-01-01-000000_x"]), "2999-01-01-000001");
        let now = super::next_version(["1999-01-01-000000_old", "notes"]);
        assert!(now.as_str() > "2026-01-01-000000", "{now}");
    }

    #[test]
    fn known_instants() {
        assert_eq!(format_utc(0), "1970-01-01-000000");
        assert_eq!(format_utc(951_782_400), "2000-02-29-000000");
        assert_eq!(format_utc(1_795_600_000), "2026-11-25-094640");
        assert_eq!(format_utc(4_107_542_399), "2100-02-28-235959");
    }
}
