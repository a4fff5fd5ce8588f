//! Taskcluster timestamps: [`Time`].
//!
//! Taskcluster writes every timestamp as RFC 3339 in UTC with exactly
//! millisecond precision and a `Z` suffix (`2026-11-24T10:00:00.000Z`), the
//! form of JavaScript's `Date.prototype.toISOString`. [`Time`] always holds a
//! value of that precision, so formatting it never loses information and a
//! timestamp read from Taskcluster is written back byte for byte.

mod canonical;
mod from_now;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use ::time::{OffsetDateTime, UtcOffset};
use std::ops::{Add, AddAssign, Sub, SubAssign};

use from_now::parse_offset;

const NANOS_PER_MILLI: u32 = 1_000_000;

/// A Taskcluster timestamp: an instant in UTC with millisecond precision.
///
/// It is written (by [`Display`](std::fmt::Display), [`Debug`](std::fmt::Debug) and
/// `Serialize`) exactly as Taskcluster writes timestamps,
/// `2026-11-24T10:00:00.000Z`, and read (by [`FromStr`](std::str::FromStr) and `Deserialize`)
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
