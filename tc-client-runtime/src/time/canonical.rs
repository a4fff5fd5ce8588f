//! Taskcluster's text form of a timestamp (`2026-11-24T10:00:00.000Z`):
//! written and read on a fast path without the formatting machinery,
//! with RFC 3339 parsing for any other form.

use std::fmt;
use std::str::FromStr;

use ::time::format_description::well_known::Rfc3339;
use ::time::{Date, Month, OffsetDateTime, UtcOffset};

use super::{Time, truncate_to_millis};
use crate::error::{Error, Result};

impl Time {
    /// The canonical text, `YYYY-MM-DDTHH:MM:SS.mmmZ`, written into a
    /// buffer without the formatting machinery (a task definition holds
    /// three timestamps, and they are written on every `createTask`). `None`
    /// for years outside 0000..=9999.
    pub(super) fn canonical(&self) -> Option<[u8; 24]> {
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
    pub(super) fn parse_canonical(s: &str) -> Option<Time> {
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
