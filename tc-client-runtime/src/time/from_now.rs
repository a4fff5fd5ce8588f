//! `fromNow` expressions (`"2 days 3 hours"`, `"-1 year"`), as the
//! Taskcluster clients read them: calendar months and fixed seconds.

use ::time::{Date, Month, OffsetDateTime};

/// A parsed `fromNow` expression.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Offset {
    /// Calendar months (years count 12), signed.
    pub(super) months: i64,
    /// Fixed seconds (weeks, days, hours, minutes, seconds), signed.
    pub(super) seconds: i64,
}

impl Offset {
    pub(super) fn apply(&self, base: OffsetDateTime) -> Option<OffsetDateTime> {
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
pub(super) fn parse_offset(expr: &str) -> Option<Offset> {
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
