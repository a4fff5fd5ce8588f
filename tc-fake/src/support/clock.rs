//! Time as the fake keeps it (milliseconds since the epoch) and writes it
//! (`2026-11-24T10:00:00.000Z`, as Taskcluster does).

use crate::error::ApiError;

/// Now, in milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

/// Milliseconds since the epoch as Taskcluster writes them
/// (`2026-11-24T10:00:00.000Z`). Out-of-range values are clamped to the
/// years 0000..=9999.
pub(crate) fn format_ms(ms: i64) -> String {
    const MIN: i64 = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
    const MAX: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    let ms = ms.clamp(MIN, MAX);
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.millisecond()
    )
}

/// Parses an RFC 3339 date-time into milliseconds since the epoch (400 when
/// it is not one; `what` names the field in the message).
pub(crate) fn parse_time(value: &str, what: &str) -> Result<i64, ApiError> {
    let dt = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
        .map_err(|e| {
            ApiError::input(format!("`{what}` is not a valid date-time ({value}): {e}"))
        })?;
    i64::try_from(dt.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| ApiError::input(format!("`{what}` is out of range ({value})")))
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_in_taskcluster_format() {
        let ms = parse_time("2026-11-24T10:00:00Z", "t").unwrap();
        assert_eq!(format_ms(ms), "2026-11-24T10:00:00.000Z");
        let ms = parse_time("2026-11-24T11:00:00.123+01:00", "t").unwrap();
        assert_eq!(format_ms(ms), "2026-11-24T10:00:00.123Z");
        assert_eq!(parse_time("yesterday", "t").unwrap_err().status, 400);
        assert_eq!(format_ms(i64::MAX), "9999-12-31T23:59:59.999Z");
    }
}
