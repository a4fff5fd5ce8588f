// Included from mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of timestamps: arithmetic, `fromNow`, the text form and serde.

use super::*;
use ::time::format_description::well_known::Rfc3339;
use ::time::{Date, Month};
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
