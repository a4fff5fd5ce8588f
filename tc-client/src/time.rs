//! Taskcluster timestamps: [`Time`].
//!
//! Taskcluster writes every timestamp as RFC 3339 in UTC with exactly
//! millisecond precision and a `Z` suffix (`2026-11-24T10:00:00.000Z`), the
//! form of JavaScript's `Date.prototype.toISOString`. [`Time`] always holds a
//! value of that precision, so formatting it never loses information and a
//! timestamp read from Taskcluster is written back byte for byte.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::str::FromStr;

use ::time::format_description::well_known::Rfc3339;
use ::time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::error::{Error, Result};

const NANOS_PER_MILLI: u32 = 1_000_000;

/// A Taskcluster timestamp: an instant in UTC with millisecond precision.
///
/// It is written (by [`Display`](fmt::Display), [`Debug`](fmt::Debug) and
/// `Serialize`) exactly as Taskcluster writes timestamps,
/// `2026-11-24T10:00:00.000Z`, and read (by [`FromStr`] and `Deserialize`)
/// from any RFC 3339 timestamp: offsets are converted to UTC and digits below
/// the millisecond are truncated (towards the past).
///
/// Arithmetic takes [`std::time::Duration`]s; the difference of two `Time`s
/// is a signed [`time::Duration`]. [`Time::from_now`]
/// understands the `fromNow` expressions of the other Taskcluster clients
/// (`"2 days 3 hours"`, `"-1 hour"`).
///
/// ```
/// use std::time::Duration;
/// use tc_client::Time;
///
/// let t: Time = "2026-11-24T11:00:00.123456+01:00".parse()?;
/// assert_eq!(t.to_string(), "2026-11-24T10:00:00.123Z");
/// assert_eq!((t + Duration::from_secs(60)).to_string(), "2026-11-24T10:01:00.123Z");
/// assert_eq!(Time::relative_to(t, "1 day 2h")?.to_string(), "2026-11-25T12:00:00.123Z");
/// # Ok::<(), tc_client::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(OffsetDateTime);

impl Time {
    /// The current time, truncated to milliseconds.
    ///
    /// ```
    /// use tc_client::Time;
    ///
    /// let now = Time::now();
    /// assert!(now.to_string().ends_with('Z'));
    /// // Nothing is lost when it is written and read back.
    /// assert_eq!(now.to_string().parse::<Time>()?, now);
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn now() -> Time {
        Time::from(OffsetDateTime::now_utc())
    }

    /// The instant `millis` milliseconds after (or, when negative, before)
    /// 1970-01-01T00:00:00.000Z, as Taskcluster's certificates and JavaScript
    /// write instants.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] outside the supported range (years -9999
    /// to 9999).
    ///
    /// ```
    /// use tc_client::Time;
    ///
    /// let t = Time::from_unix_millis(1_795_514_400_000)?;
    /// assert_eq!(t.to_string(), "2026-11-24T10:00:00.000Z");
    /// assert_eq!(t.unix_millis(), 1_795_514_400_000);
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn from_unix_millis(millis: i64) -> Result<Time> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * i128::from(NANOS_PER_MILLI))
            .map(Time)
            .map_err(|e| {
                Error::InvalidArgument(format!(
                    "unix timestamp {millis} ms is out of the supported range: {e}"
                ))
            })
    }

    /// Milliseconds since 1970-01-01T00:00:00.000Z (negative before it).
    pub fn unix_millis(&self) -> i64 {
        // The supported range (years -9999..=9999) is about ±3.2e14 ms, far
        // inside i64, and the value is a whole number of milliseconds.
        (self.0.unix_timestamp_nanos() / i128::from(NANOS_PER_MILLI)) as i64
    }

    /// `self + duration`, or `None` when the result is outside the supported
    /// range. The result is truncated to milliseconds.
    pub fn checked_add(self, duration: std::time::Duration) -> Option<Time> {
        let duration = ::time::Duration::try_from(duration).ok()?;
        self.0.checked_add(duration).map(Time::from)
    }

    /// `self - duration`, or `None` when the result is outside the supported
    /// range. The result is truncated to milliseconds.
    pub fn checked_sub(self, duration: std::time::Duration) -> Option<Time> {
        let duration = ::time::Duration::try_from(duration).ok()?;
        self.0.checked_sub(duration).map(Time::from)
    }

    /// The instant described by a Taskcluster `fromNow` expression, relative
    /// to now. See [`Time::relative_to`] for the syntax.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] naming the expression when it is empty or
    /// malformed, or its result is out of range.
    ///
    /// ```
    /// use tc_client::Time;
    ///
    /// let deadline = Time::from_now("1 day")?;
    /// let expires = Time::from_now("1 year")?;
    /// assert!(Time::now() < deadline && deadline < expires);
    /// assert!(Time::from_now("-1 hour")? < Time::now());
    /// assert!(Time::from_now("one day").is_err());
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn from_now(expr: &str) -> Result<Time> {
        Time::relative_to(Time::now(), expr)
    }

    /// The instant described by a Taskcluster `fromNow` expression, relative
    /// to `base`.
    ///
    /// The syntax is that of the other Taskcluster clients: an optional sign
    /// (`-` for the past; `+` or none for the future), then at least one of
    /// the following, each at most once and in this order, each an integer
    /// followed by its unit:
    ///
    /// | unit    | spellings                                   |
    /// |---------|---------------------------------------------|
    /// | years   | `y`, `yr`, `yrs`, `year`, `years`           |
    /// | months  | `mo`, `mos`, `month`, `months`              |
    /// | weeks   | `w`, `wk`, `wks`, `week`, `weeks`           |
    /// | days    | `d`, `day`, `days`                          |
    /// | hours   | `h`, `hr`, `hrs`, `hour`, `hours`           |
    /// | minutes | `m`, `min`, `mins`, `minute`, `minutes`     |
    /// | seconds | `s`, `sec`, `secs`, `second`, `seconds`     |
    ///
    /// Units are case-insensitive and whitespace is allowed between any two
    /// tokens (`"1 day 2 hours"`, `"2d3h"`, `" - 5 Minutes "`).
    ///
    /// Years and months are calendar arithmetic, applied first: the month
    /// moves by `12 * years + months` and the day of the month is **clamped**
    /// to the last day of the target month (2026-01-31 plus one month is
    /// 2026-02-28, and 2028-02-29 plus one year is 2029-02-28). This differs
    /// from Taskcluster's JavaScript client, whose `Date.setMonth` overflows
    /// into the next month (giving 2026-03-03). Weeks, days, hours, minutes
    /// and seconds are then added as fixed durations (a day is 86 400 s).
    ///
    /// # Errors
    ///
    /// An empty or malformed expression, or a result outside the supported
    /// range, is an [`Error::InvalidArgument`] naming the expression.
    ///
    /// ```
    /// use tc_client::Time;
    ///
    /// let base: Time = "2026-01-31T10:00:00.000Z".parse()?;
    /// assert_eq!(Time::relative_to(base, "1 month")?.to_string(), "2026-02-28T10:00:00.000Z");
    /// assert_eq!(Time::relative_to(base, "-1w 1d")?.to_string(), "2026-01-23T10:00:00.000Z");
    /// assert_eq!(Time::relative_to(base, "2d3h")?.to_string(), "2026-02-02T13:00:00.000Z");
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn relative_to(base: Time, expr: &str) -> Result<Time> {
        let offset = parse_offset(expr).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "invalid relative time expression {expr:?} (expected something like \"2 days 3 hours\" or \"-1 hour\")"
            ))
        })?;
        offset.apply(base.0).map(Time::from).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "relative time expression {expr:?} from {base} is out of the supported range"
            ))
        })
    }
}

/// A parsed `fromNow` expression.
#[derive(Debug, PartialEq, Eq)]
struct Offset {
    /// Calendar months (years count 12), signed.
    months: i64,
    /// Fixed seconds (weeks, days, hours, minutes, seconds), signed.
    seconds: i64,
}

impl Offset {
    fn apply(&self, base: OffsetDateTime) -> Option<OffsetDateTime> {
        let shifted = add_months(base, self.months)?;
        shifted.checked_add(::time::Duration::seconds(self.seconds))
    }
}

/// The units of a `fromNow` expression, in the order they must appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Years,
    Months,
    Weeks,
    Days,
    Hours,
    Minutes,
    Seconds,
}

impl Unit {
    fn from_name(name: &str) -> Option<Unit> {
        Some(match name {
            "y" | "yr" | "yrs" | "year" | "years" => Unit::Years,
            "mo" | "mos" | "month" | "months" => Unit::Months,
            "w" | "wk" | "wks" | "week" | "weeks" => Unit::Weeks,
            "d" | "day" | "days" => Unit::Days,
            "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hours,
            "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minutes,
            "s" | "sec" | "secs" | "second" | "seconds" => Unit::Seconds,
            _ => return None,
        })
    }

    /// How many of the accumulator's unit (months or seconds) one of this unit is.
    fn factor(self) -> i64 {
        match self {
            Unit::Years => 12,
            Unit::Months => 1,
            Unit::Weeks => 7 * 86_400,
            Unit::Days => 86_400,
            Unit::Hours => 3_600,
            Unit::Minutes => 60,
            Unit::Seconds => 1,
        }
    }
}

/// Parses a `fromNow` expression; `None` when it is empty or malformed (or
/// its numbers overflow).
fn parse_offset(expr: &str) -> Option<Offset> {
    let bytes = expr.as_bytes();
    let mut pos = 0;
    let skip_ws = |pos: &mut usize| {
        while *pos < bytes.len() && bytes[*pos].is_ascii_whitespace() {
            *pos += 1;
        }
    };

    skip_ws(&mut pos);
    let mut negative = false;
    if let Some(&sign @ (b'-' | b'+')) = bytes.get(pos) {
        negative = sign == b'-';
        pos += 1;
    }

    let mut months: i64 = 0;
    let mut seconds: i64 = 0;
    let mut last: Option<Unit> = None;
    loop {
        skip_ws(&mut pos);
        if pos == bytes.len() {
            break;
        }
        let digits_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos == digits_start {
            return None;
        }
        let amount: i64 = expr[digits_start..pos].parse().ok()?;
        skip_ws(&mut pos);
        let name_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_alphabetic() {
            pos += 1;
        }
        let unit = Unit::from_name(&expr[name_start..pos].to_ascii_lowercase())?;
        if last.is_some_and(|previous| previous >= unit) {
            return None;
        }
        last = Some(unit);
        let value = amount.checked_mul(unit.factor())?;
        match unit {
            Unit::Years | Unit::Months => months = months.checked_add(value)?,
            _ => seconds = seconds.checked_add(value)?,
        }
    }
    last?;
    if negative {
        months = -months;
        seconds = -seconds;
    }
    Some(Offset { months, seconds })
}

/// Moves `dt` by `months` calendar months, clamping the day of the month to
/// the length of the target month.
fn add_months(dt: OffsetDateTime, months: i64) -> Option<OffsetDateTime> {
    if months == 0 {
        return Some(dt);
    }
    let index = i64::from(dt.year())
        .checked_mul(12)?
        .checked_add(i64::from(dt.month() as u8) - 1)?
        .checked_add(months)?;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = dt.day().min(days_in_month(year, month));
    let date = Date::from_calendar_date(year, month, day).ok()?;
    Some(dt.replace_date(date))
}

fn days_in_month(year: i32, month: Month) -> u8 {
    match month {
        Month::January
        | Month::March
        | Month::May
        | Month::July
        | Month::August
        | Month::October
        | Month::December => 31,
        Month::April | Month::June | Month::September | Month::November => 30,
        Month::February => {
            if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) {
                29
            } else {
                28
            }
        }
    }
}

/// Truncates to the millisecond (towards the past).
fn truncate_to_millis(dt: OffsetDateTime) -> OffsetDateTime {
    let nanos = dt.nanosecond();
    dt.replace_nanosecond(nanos - nanos % NANOS_PER_MILLI)
        .unwrap_or(dt)
}

impl From<OffsetDateTime> for Time {
    /// Converts to UTC and truncates to the millisecond.
    ///
    /// # Panics
    ///
    /// When the instant cannot be represented in UTC, which only happens
    /// within a day of the ends of the supported range (years -9999 and 9999).
    fn from(dt: OffsetDateTime) -> Time {
        Time(truncate_to_millis(dt.to_offset(UtcOffset::UTC)))
    }
}

impl From<Time> for OffsetDateTime {
    /// The same instant, with offset UTC.
    fn from(t: Time) -> OffsetDateTime {
        t.0
    }
}

impl Add<std::time::Duration> for Time {
    type Output = Time;

    /// `self + rhs`, truncated to the millisecond.
    ///
    /// # Panics
    ///
    /// When the result is outside the supported range; see [`Time::checked_add`].
    fn add(self, rhs: std::time::Duration) -> Time {
        Time::from(self.0 + rhs)
    }
}

impl AddAssign<std::time::Duration> for Time {
    fn add_assign(&mut self, rhs: std::time::Duration) {
        *self = *self + rhs;
    }
}

impl Sub<std::time::Duration> for Time {
    type Output = Time;

    /// `self - rhs`, truncated to the millisecond.
    ///
    /// # Panics
    ///
    /// When the result is outside the supported range; see [`Time::checked_sub`].
    fn sub(self, rhs: std::time::Duration) -> Time {
        Time::from(self.0 - rhs)
    }
}

impl SubAssign<std::time::Duration> for Time {
    fn sub_assign(&mut self, rhs: std::time::Duration) {
        *self = *self - rhs;
    }
}

impl Sub<Time> for Time {
    /// A signed duration: negative when `rhs` is later than `self`.
    type Output = ::time::Duration;

    /// The signed time from `rhs` to `self`.
    ///
    /// ```
    /// use tc_client::Time;
    ///
    /// let a = Time::from_unix_millis(1_000)?;
    /// let b = Time::from_unix_millis(3_500)?;
    /// assert_eq!((b - a).whole_milliseconds(), 2_500);
    /// assert_eq!((a - b).whole_milliseconds(), -2_500);
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    fn sub(self, rhs: Time) -> ::time::Duration {
        self.0 - rhs.0
    }
}

impl Time {
    /// The canonical text, `YYYY-MM-DDTHH:MM:SS.mmmZ`, written into a
    /// buffer without the formatting machinery (a task definition holds
    /// three timestamps, and they are written on every `createTask`). `None`
    /// for years outside 0000..=9999.
    fn canonical(&self) -> Option<[u8; 24]> {
        let (year, month, day) = self.0.to_calendar_date();
        let (hour, minute, second, milli) = self.0.to_hms_milli();
        let year = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
        let mut out = *b"0000-00-00T00:00:00.000Z";
        let mut put = |at: usize, width: usize, mut value: u16| {
            for i in (at..at + width).rev() {
                // A digit: `value % 10` is below 10.
                out[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, year);
        put(5, 2, u16::from(u8::from(month)));
        put(8, 2, u16::from(day));
        put(11, 2, u16::from(hour));
        put(14, 2, u16::from(minute));
        put(17, 2, u16::from(second));
        put(20, 3, milli);
        Some(out)
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form Taskcluster
    /// writes; `None` for anything else (which the RFC 3339 parser then
    /// reads or refuses).
    fn parse_canonical(s: &str) -> Option<Time> {
        let b: &[u8; 24] = s.as_bytes().try_into().ok()?;
        let separators = [
            (4, b'-'),
            (7, b'-'),
            (10, b'T'),
            (13, b':'),
            (16, b':'),
            (19, b'.'),
            (23, b'Z'),
        ];
        if separators.iter().any(|&(at, c)| b[at] != c) {
            return None;
        }
        let number = |at: usize, width: usize| -> Option<u16> {
            b[at..at + width].iter().try_fold(0u16, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
            })
        };
        let month = Month::try_from(u8::try_from(number(5, 2)?).ok()?).ok()?;
        let date = Date::from_calendar_date(
            i32::from(number(0, 4)?),
            month,
            u8::try_from(number(8, 2)?).ok()?,
        )
        .ok()?;
        let time = ::time::Time::from_hms_milli(
            u8::try_from(number(11, 2)?).ok()?,
            u8::try_from(number(14, 2)?).ok()?,
            u8::try_from(number(17, 2)?).ok()?,
            number(20, 3)?,
        )
        .ok()?;
        Some(Time(date.with_time(time).assume_utc()))
    }
}

impl fmt::Display for Time {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`. Years outside 0000..=9999 (which RFC 3339
    /// cannot express and Taskcluster never uses) are written like
    /// JavaScript's `toISOString`, as a sign and six digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = self.canonical() {
            // Only ASCII digits and separators were written.
            return f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?);
        }
        let dt = self.0;
        write!(
            f,
            "{:+07}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            dt.year(),
            dt.month() as u8,
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            dt.millisecond()
        )
    }
}

impl fmt::Debug for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Time {
    type Err = Error;

    /// Parses any RFC 3339 timestamp; see [`Time`].
    fn from_str(s: &str) -> Result<Time> {
        if let Some(time) = Time::parse_canonical(s) {
            return Ok(time);
        }
        let dt = OffsetDateTime::parse(s, &Rfc3339).map_err(|e| {
            Error::InvalidArgument(format!(
                "invalid timestamp {s:?} (expected RFC 3339, like 2026-11-24T10:00:00.000Z): {e}"
            ))
        })?;
        let utc = dt.checked_to_offset(UtcOffset::UTC).ok_or_else(|| {
            Error::InvalidArgument(format!("timestamp {s:?} is out of the supported range"))
        })?;
        Ok(Time(truncate_to_millis(utc)))
    }
}

impl serde::Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.canonical() {
            // Only ASCII digits and separators were written.
            Some(text) => match std::str::from_utf8(&text) {
                Ok(text) => serializer.serialize_str(text),
                Err(_) => serializer.collect_str(self),
            },
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Time;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Time, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn t(s: &str) -> Time {
        s.parse().unwrap()
    }

    #[test]
    fn serde_round_trip_is_byte_identical() {
        let json = r#""2026-11-24T10:00:00.000Z""#;
        let time: Time = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&time).unwrap(), json);

        let json = r#"{"deadline":"2026-02-03T04:05:06.789Z"}"#;
        let v: std::collections::BTreeMap<String, Time> = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), json);
    }

    /// The RFC 3339 parser's reading of `s`, in milliseconds, as `from_str`
    /// made it before the canonical form had a shortcut.
    fn slow(s: &str) -> Option<Time> {
        let dt = OffsetDateTime::parse(s, &Rfc3339).ok()?;
        Some(Time(truncate_to_millis(
            dt.checked_to_offset(UtcOffset::UTC)?,
        )))
    }

    #[test]
    fn the_canonical_form_reads_and_writes_as_the_general_path_does() {
        let mut cases = vec![
            "2026-11-24T10:00:00.000Z".to_owned(),
            "0000-01-01T00:00:00.000Z".to_owned(),
            "9999-12-31T23:59:59.999Z".to_owned(),
            "2024-02-29T12:00:00.500Z".to_owned(),
            "2023-02-29T12:00:00.500Z".to_owned(),
            "1900-02-29T00:00:00.000Z".to_owned(),
            "2000-02-29T00:00:00.000Z".to_owned(),
            "2026-04-31T00:00:00.000Z".to_owned(),
            "2026-00-10T00:00:00.000Z".to_owned(),
            "2026-11-00T00:00:00.000Z".to_owned(),
            "2026-11-24T24:00:00.000Z".to_owned(),
            "2026-11-24T10:60:00.000Z".to_owned(),
            "2016-12-31T23:59:60.000Z".to_owned(),
            "2026-11-24T10:00:00.000z".to_owned(),
            "2026-11-24t10:00:00.000Z".to_owned(),
            "2026-11-24T10:00:00,000Z".to_owned(),
            "2026-11-24T10:00:00.0a0Z".to_owned(),
            "+026-11-24T10:00:00.000Z".to_owned(),
            "2026-11-24T10:00:00.000+".to_owned(),
        ];
        // Every month's last days, across leap and common years.
        for year in [1999, 2000, 2024, 2100] {
            for month in 1..=12 {
                for day in 27..=32 {
                    cases.push(format!("{year}-{month:02}-{day:02}T01:02:03.004Z"));
                }
            }
        }
        for case in &cases {
            let fast = Time::parse_canonical(case);
            if let Some(fast) = fast {
                assert_eq!(Some(fast), slow(case), "{case}");
                assert_eq!(fast.to_string(), *case, "{case}");
                assert_eq!(serde_json::to_string(&fast).unwrap(), format!("{case:?}"));
            }
            assert_eq!(case.parse::<Time>().ok(), slow(case), "{case}");
        }
        // The shortcut is taken for the form Taskcluster writes.
        assert!(Time::parse_canonical("2026-11-24T10:00:00.000Z").is_some());
        assert!(Time::parse_canonical("2024-02-29T12:00:00.500Z").is_some());
    }

    #[test]
    fn years_beyond_four_digits_are_written_with_a_sign() {
        let date = Date::from_calendar_date(-1, Month::December, 31).unwrap();
        let far = Time(date.midnight().assume_utc());
        assert_eq!(far.to_string(), "-000001-12-31T00:00:00.000Z");
        assert_eq!(
            serde_json::to_string(&far).unwrap(),
            "\"-000001-12-31T00:00:00.000Z\""
        );
    }

    #[test]
    fn display_debug_and_from_str() {
        let time = t("2026-11-24T10:00:00.000Z");
        assert_eq!(time.to_string(), "2026-11-24T10:00:00.000Z");
        assert_eq!(format!("{time:?}"), "2026-11-24T10:00:00.000Z");
        assert_eq!(
            t("0001-01-01T00:00:00Z").to_string(),
            "0001-01-01T00:00:00.000Z"
        );
        // RFC 3339 allows a space for the `T` and lower-case `t`/`z`.
        assert_eq!(t("2026-11-24 10:00:00Z"), time);
        assert_eq!(t("2026-11-24t10:00:00z"), time);
    }

    #[test]
    fn parses_offsets_into_utc() {
        assert_eq!(
            t("2026-11-24T11:30:00+01:30").to_string(),
            "2026-11-24T10:00:00.000Z"
        );
        assert_eq!(
            t("2026-11-24T05:00:00.5-05:00").to_string(),
            "2026-11-24T10:00:00.500Z"
        );
        assert_eq!(
            t("2026-01-01T00:30:00+01:00").to_string(),
            "2025-12-31T23:30:00.000Z"
        );
        assert_eq!(
            t("2026-11-24T10:00:00+00:00"),
            t("2026-11-24T10:00:00.000Z")
        );
        let time: Time = serde_json::from_str(r#""2026-11-24T12:00:00.250+02:00""#).unwrap();
        assert_eq!(
            serde_json::to_string(&time).unwrap(),
            r#""2026-11-24T10:00:00.250Z""#
        );
    }

    #[test]
    fn truncates_fractions_to_millis() {
        assert_eq!(
            t("2026-11-24T10:00:00Z").to_string(),
            "2026-11-24T10:00:00.000Z"
        );
        assert_eq!(
            t("2026-11-24T10:00:00.1Z").to_string(),
            "2026-11-24T10:00:00.100Z"
        );
        assert_eq!(
            t("2026-11-24T10:00:00.12Z").to_string(),
            "2026-11-24T10:00:00.120Z"
        );
        assert_eq!(
            t("2026-11-24T10:00:00.9999Z").to_string(),
            "2026-11-24T10:00:00.999Z"
        );
        assert_eq!(
            t("2026-11-24T10:00:00.123456789Z").to_string(),
            "2026-11-24T10:00:00.123Z"
        );
        assert_eq!(
            t("2026-11-24T10:00:00.123456789Z"),
            t("2026-11-24T10:00:00.123Z")
        );
        let odt = OffsetDateTime::from_unix_timestamp_nanos(1_795_514_400_123_999_999).unwrap();
        assert_eq!(Time::from(odt).to_string(), "2026-11-24T10:00:00.123Z");
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for bad in [
            "",
            "2026-11-24",
            "2026-11-24T10:00:00",
            "2026-13-01T00:00:00Z",
            "yesterday",
            " 2026-11-24T10:00:00.000Z",
        ] {
            match bad.parse::<Time>() {
                Err(Error::InvalidArgument(msg)) => {
                    assert!(msg.contains(&format!("{bad:?}")), "{msg}")
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
        assert!(serde_json::from_str::<Time>("\"nope\"").is_err());
        assert!(serde_json::from_str::<Time>("12345").is_err());
    }

    #[test]
    fn now_is_millisecond_precision() {
        let now = Time::now();
        assert_eq!(OffsetDateTime::from(now).nanosecond() % NANOS_PER_MILLI, 0);
        assert_eq!(OffsetDateTime::from(now).offset(), UtcOffset::UTC);
        let again: Time = now.to_string().parse().unwrap();
        assert_eq!(again, now);
    }

    #[test]
    fn unix_millis() {
        let time = Time::from_unix_millis(1_795_514_400_123).unwrap();
        assert_eq!(time.to_string(), "2026-11-24T10:00:00.123Z");
        assert_eq!(time.unix_millis(), 1_795_514_400_123);
        assert_eq!(
            Time::from_unix_millis(0).unwrap().to_string(),
            "1970-01-01T00:00:00.000Z"
        );
        let before = Time::from_unix_millis(-1).unwrap();
        assert_eq!(before.to_string(), "1969-12-31T23:59:59.999Z");
        assert_eq!(before.unix_millis(), -1);
        assert!(matches!(
            Time::from_unix_millis(i64::MAX),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn arithmetic() {
        let base = t("2026-11-24T10:00:00.000Z");
        assert_eq!(
            base + Duration::from_millis(1500),
            t("2026-11-24T10:00:01.500Z")
        );
        assert_eq!(
            base - Duration::from_secs(3600),
            t("2026-11-24T09:00:00.000Z")
        );
        // Sub-millisecond parts are truncated.
        assert_eq!(
            base + Duration::from_micros(1999),
            t("2026-11-24T10:00:00.001Z")
        );
        let mut m = base;
        m += Duration::from_secs(60);
        assert_eq!(m, t("2026-11-24T10:01:00.000Z"));
        m -= Duration::from_secs(120);
        assert_eq!(m, t("2026-11-24T09:59:00.000Z"));

        let later = t("2026-11-25T10:00:00.250Z");
        assert_eq!((later - base).whole_milliseconds(), 86_400_250);
        assert_eq!((base - later).whole_milliseconds(), -86_400_250);
        assert!(base < later);

        assert_eq!(
            base.checked_add(Duration::from_secs(1)),
            Some(t("2026-11-24T10:00:01Z"))
        );
        assert_eq!(
            base.checked_sub(Duration::from_secs(1)),
            Some(t("2026-11-24T09:59:59Z"))
        );
        assert_eq!(base.checked_add(Duration::from_secs(u64::MAX)), None);
        assert_eq!(
            base.checked_add(Duration::from_secs(400 * 366 * 86_400 * 25)),
            None
        );
        assert_eq!(
            base.checked_sub(Duration::from_secs(400 * 366 * 86_400 * 50)),
            None
        );

        let odt: OffsetDateTime = base.into();
        assert_eq!(Time::from(odt), base);
    }

    #[test]
    fn relative_fixed_units_and_aliases() {
        let base = t("2026-11-24T10:00:00.000Z");
        let cases: &[(&[&str], &str)] = &[
            (
                &["w", "wk", "wks", "week", "weeks"],
                "2026-12-08T10:00:00.000Z",
            ),
            (&["d", "day", "days"], "2026-11-26T10:00:00.000Z"),
            (
                &["h", "hr", "hrs", "hour", "hours"],
                "2026-11-24T12:00:00.000Z",
            ),
            (
                &["m", "min", "mins", "minute", "minutes"],
                "2026-11-24T10:02:00.000Z",
            ),
            (
                &["s", "sec", "secs", "second", "seconds"],
                "2026-11-24T10:00:02.000Z",
            ),
            (
                &["mo", "mos", "month", "months"],
                "2027-01-24T10:00:00.000Z",
            ),
            (
                &["y", "yr", "yrs", "year", "years"],
                "2028-11-24T10:00:00.000Z",
            ),
        ];
        for (aliases, expected) in cases {
            for alias in *aliases {
                for expr in [
                    format!("2{alias}"),
                    format!("2 {alias}"),
                    format!("+2{}", alias.to_uppercase()),
                ] {
                    let got = Time::relative_to(base, &expr).unwrap();
                    assert_eq!(got.to_string(), *expected, "{expr:?}");
                }
            }
        }
    }

    #[test]
    fn relative_combinations_and_signs() {
        let base = t("2026-11-24T10:00:00.000Z");
        let rel = |e: &str| Time::relative_to(base, e).unwrap().to_string();
        assert_eq!(rel("1 day 2 hours"), "2026-11-25T12:00:00.000Z");
        assert_eq!(rel("2d3h"), "2026-11-26T13:00:00.000Z");
        assert_eq!(rel("-1 hour"), "2026-11-24T09:00:00.000Z");
        assert_eq!(rel("- 1 hour"), "2026-11-24T09:00:00.000Z");
        assert_eq!(rel("1 year"), "2027-11-24T10:00:00.000Z");
        assert_eq!(rel(" 5 minutes "), "2026-11-24T10:05:00.000Z");
        assert_eq!(rel("\t+ 1 Day\n"), "2026-11-25T10:00:00.000Z");
        assert_eq!(rel("0 seconds"), "2026-11-24T10:00:00.000Z");
        assert_eq!(
            rel("1y2mo3w4d5h6m7s"),
            // 2026-11-24 + 14 months = 2028-01-24; + 25 days 5:06:07
            "2028-02-18T15:06:07.000Z"
        );
        assert_eq!(
            rel("-1 year 2 months 3 weeks 4 days 5 hours 6 minutes 7 seconds"),
            // 2026-11-24 - 14 months = 2025-09-24; - 25 days 5:06:07
            "2025-08-30T04:53:53.000Z"
        );
        assert_eq!(rel("1mo1m"), "2026-12-24T10:01:00.000Z");
        assert_eq!(rel("48 hours"), rel("2 days"));
    }

    #[test]
    fn relative_months_clamp_to_month_end() {
        let rel = |b: &str, e: &str| Time::relative_to(t(b), e).unwrap().to_string();
        assert_eq!(
            rel("2026-01-31T10:00:00.000Z", "1 month"),
            "2026-02-28T10:00:00.000Z"
        );
        assert_eq!(
            rel("2028-01-31T10:00:00.000Z", "1 month"),
            "2028-02-29T10:00:00.000Z"
        );
        assert_eq!(
            rel("2026-03-31T10:00:00.000Z", "-1 month"),
            "2026-02-28T10:00:00.000Z"
        );
        assert_eq!(
            rel("2026-05-31T10:00:00.000Z", "1 month"),
            "2026-06-30T10:00:00.000Z"
        );
        assert_eq!(
            rel("2028-02-29T10:00:00.000Z", "1 year"),
            "2029-02-28T10:00:00.000Z"
        );
        assert_eq!(
            rel("2028-02-29T10:00:00.000Z", "4 years"),
            "2032-02-29T10:00:00.000Z"
        );
        assert_eq!(
            rel("2026-12-15T10:00:00.000Z", "1 month"),
            "2027-01-15T10:00:00.000Z"
        );
        assert_eq!(
            rel("2026-01-15T10:00:00.000Z", "-1 month"),
            "2025-12-15T10:00:00.000Z"
        );
        assert_eq!(
            rel("2026-01-15T10:00:00.000Z", "-25 months"),
            "2023-12-15T10:00:00.000Z"
        );
        // Calendar first, then fixed units.
        assert_eq!(
            rel("2026-01-31T10:00:00.000Z", "1mo 1d"),
            "2026-03-01T10:00:00.000Z"
        );
    }

    #[test]
    fn relative_malformed() {
        let base = t("2026-11-24T10:00:00.000Z");
        for bad in [
            "",
            "   ",
            "-",
            "+",
            "1",
            "day",
            "1 fortnight",
            "1 day 2",
            "2 hours 1 day",
            "1 day 1 day",
            "1.5 days",
            "--1 day",
            "1 day -2 hours",
            "1 d a y",
            "one day",
            "99999999999999999999 seconds",
            "9223372036854775807 weeks",
            "100000 years",
        ] {
            match Time::relative_to(base, bad) {
                Err(Error::InvalidArgument(msg)) => {
                    assert!(msg.contains(&format!("{bad:?}")), "{msg}")
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
        assert!(Time::from_now("tomorrow").is_err());
    }

    #[test]
    fn from_now_is_relative_to_now() {
        let before = Time::now();
        let t = Time::from_now("1 hour").unwrap();
        let after = Time::now();
        assert!(t >= before + Duration::from_secs(3600));
        assert!(t <= after + Duration::from_secs(3600));
        assert!(Time::from_now("-1 hour").unwrap() < before);
    }
}
