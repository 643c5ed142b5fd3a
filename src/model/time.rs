//! Time as aiscout writes it: UTC, ISO 8601 to the second, computed from Unix seconds
//! with the civil-from-days routine (no time crate and no time zone database: a report
//! states UTC only). The scan time honours `SOURCE_DATE_EPOCH`, the reproducible-builds
//! convention, so a pinned time gives byte-identical reports.
//!
//! Invariant: every timestamp written is between 1970 and 9999, four-digit years, so
//! the strings sort as the times do (merge keeps the earliest by comparing them).

use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that pins the scan time (reproducible-builds.org).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// 9999-12-31T23:59:59Z: the last second with a four-digit year.
const MAX_SECS: i64 = 253_402_300_799;

/// Why a pinned time cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TimeError {
    /// `SOURCE_DATE_EPOCH` is not a whole number of seconds in range.
    #[error(
        "SOURCE_DATE_EPOCH={value:?} is not a Unix time: give whole seconds since \
         1970-01-01T00:00:00Z (e.g. 1765029791), at most {MAX_SECS}, or unset it"
    )]
    SourceDateEpoch {
        /// The value found.
        value: String,
    },
}

/// The time `SOURCE_DATE_EPOCH` pins, when it is set and not empty.
pub fn source_date_epoch() -> Result<Option<i64>, TimeError> {
    match std::env::var_os(SOURCE_DATE_EPOCH) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => parse_epoch(&v.to_string_lossy()).map(Some),
    }
}

/// Parses Unix seconds as `SOURCE_DATE_EPOCH` holds them: ASCII digits only.
pub fn parse_epoch(value: &str) -> Result<i64, TimeError> {
    let bad = || TimeError::SourceDateEpoch {
        value: value.to_string(),
    };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match value.parse::<i64>() {
        Ok(secs) if secs <= MAX_SECS => Ok(secs),
        _ => Err(bad()),
    }
}

/// Now, in Unix seconds (0 on a clock set before 1970).
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(MAX_SECS))
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time.
pub fn iso8601(secs: i64) -> String {
    let secs = secs.clamp(0, MAX_SECS);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// `YYYY-MM-DD` of a Unix time, UTC.
pub fn date_of(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_700_000_000), "2023-11-14");
        assert_eq!(date_of(951_782_400), "2000-02-29");
    }

    #[test]
    fn times_are_iso8601_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_765_029_791), "2025-12-06T14:03:11Z");
        assert_eq!(iso8601(951_868_799), "2000-02-29T23:59:59Z");
        assert_eq!(iso8601(MAX_SECS), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn source_date_epoch_is_whole_seconds_in_range() {
        assert_eq!(parse_epoch("1765029791").unwrap(), 1_765_029_791);
        for bad in [
            "",
            "-1",
            "+5",
            "1.5",
            " 1",
            "soon",
            "253402300800",
            "99999999999999999999",
        ] {
            assert!(parse_epoch(bad).is_err(), "{bad:?} accepted");
        }
    }
}
