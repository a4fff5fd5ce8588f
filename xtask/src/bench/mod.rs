//! What the `cargo xtask bench-*` commands share: medians, ratios and verdicts, printing
//! as they go, the machine's facts (date, load, tool and locked versions), their flags,
//! and the release re-run of the benches that measure library code.
//!
//! One module per bench: [`build`] (`bench-build`), [`calls`] (`bench-calls`),
//! [`transfer`] (`bench-transfer`) and [`pulse`] (`bench-pulse`); [`timings`] reads the
//! `cargo build --timings` reports of `bench-build`.

pub mod build;
pub mod calls;
pub mod pulse;
pub mod timings;
pub mod transfer;

use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// What a median is taken of: durations and plain numbers.
pub trait Measure: Copy {
    /// Sorts `values` in ascending order.
    fn sort(values: &mut [Self]);
    /// The mean of two values.
    fn mean(a: Self, b: Self) -> Self;
}

impl Measure for Duration {
    fn sort(values: &mut [Self]) {
        values.sort();
    }

    fn mean(a: Self, b: Self) -> Self {
        (a + b) / 2
    }
}

impl Measure for f64 {
    fn sort(values: &mut [Self]) {
        values.sort_by(f64::total_cmp);
    }

    fn mean(a: Self, b: Self) -> Self {
        (a + b) / 2.0
    }
}

/// The median (mean of the middle two for an even count); `None` when empty.
pub fn median<T: Measure>(values: &[T]) -> Option<T> {
    let mut v = values.to_vec();
    T::sort(&mut v);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some(T::mean(v[n / 2 - 1], v[n / 2])),
    }
}

/// `a / b`, infinite when `b` is not positive (nothing measured).
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::INFINITY }
}

/// A ratio as printed in the results: `1.034x` (three decimals, so that a ratio just
/// over its target does not print as the target).
pub fn ratio_text(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{ratio:.3}x")
    } else {
        "n/a".to_owned()
    }
}

/// `"PASS"` when a target is met, else `"MISS"`.
pub fn verdict(met: bool) -> &'static str {
    if met { "PASS" } else { "MISS" }
}

/// `"PASS"` when a target is met, else `"FAIL"`: `bench-calls`' word for a target it
/// holds the code to.
pub fn hard_verdict(met: bool) -> &'static str {
    if met { "PASS" } else { "FAIL" }
}

/// Prints a line and flushes, so that progress shows when the output goes to a file.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Prints `text` as it is and flushes.
pub fn print_text(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The 1-minute load average, when the system tells it.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_owned)
}

/// Now, since the Unix epoch.
pub fn now() -> Duration {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
}

/// `2026-01-31 12:34:56 UTC` for a time since the Unix epoch.
pub fn utc_date(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The version of `package` in a `Cargo.lock`, if it is there once.
pub fn locked_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    let mut found = None;
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            if found.replace(version.to_owned()).is_some() {
                return None;
            }
        }
    }
    found
}

/// The cargo that runs xtask (`$CARGO`), else `cargo` from the PATH.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// What `<program> -V` prints, or a note that it could not tell.
pub fn tool_version(program: &str) -> String {
    Command::new(program)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| format!("{program} (version unknown)"))
}

/// The last `n` lines of a file, for error messages.
pub fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// What a bench that measures library code does: with `inner`, `here` (the measurement,
/// in this process); else [`rerun_release`] with `args`.
///
/// # Errors
///
/// When the measurement or the re-run fails.
pub fn here_or_release(
    workspace_root: &Path,
    bench: &str,
    args: &[String],
    inner: bool,
    here: impl FnOnce() -> Result<()>,
) -> Result<()> {
    if inner {
        here()
    } else {
        rerun_release(workspace_root, bench, args)
    }
}

/// The error of `--inner` in an xtask built without the bench's feature.
pub fn built_without(bench: &str) -> Error {
    Error::msg(format!(
        "this xtask was built without the {bench} feature: run `cargo xtask {bench}`"
    ))
}

/// Runs `cargo run --release --quiet --package xtask --features <bench> -- <bench> --inner
/// <args>` in the workspace at `workspace_root`, its output going to ours: the benches that
/// measure library code do it in an optimised build of themselves.
///
/// # Errors
///
/// When cargo cannot run or the release run fails.
pub fn rerun_release(workspace_root: &Path, bench: &str, args: &[String]) -> Result<()> {
    let cargo = cargo();
    eprintln!(
        "{bench}: running in a release build of xtask (the first run compiles it, \
         which takes a few minutes)"
    );
    let status = Command::new(&cargo)
        .current_dir(workspace_root)
        .args([
            "run",
            "--release",
            "--quiet",
            "--package",
            "xtask",
            "--features",
        ])
        .args([bench, "--", bench, "--inner"])
        .args(args)
        .status()
        .map_err(|e| Error::msg(format!("running {cargo}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::msg(format!(
            "`cargo run --release ... {bench} --inner` failed ({status})"
        )))
    }
}

/// One argument read by [`parse_flags`]: a number flag with its value, or a switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag<'a> {
    /// `--name N` or `--name=N`, N a positive number.
    Number(&'a str, u64),
    /// `--name`, a switch.
    Switch(&'a str),
}

/// Reads `rest` as flags, in any order: each of `numbers` takes a positive number (`--flag N`
/// or `--flag=N`), each of `switches` stands alone.
///
/// # Errors
///
/// On an unknown argument, a number flag without a value, and a value that is not a
/// positive number.
pub fn parse_flags<'a>(
    rest: &[&str],
    numbers: &[&'a str],
    switches: &[&'a str],
) -> Result<Vec<Flag<'a>>> {
    let mut flags = Vec::new();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, v)) if flag.starts_with("--") => (flag, Some(v)),
            _ => (*arg, None),
        };
        if inline.is_none()
            && let Some(switch) = switches.iter().find(|s| **s == flag)
        {
            flags.push(Flag::Switch(switch));
            continue;
        }
        let Some(name) = numbers.iter().find(|n| **n == flag) else {
            return Err(Error::msg(format!("unknown argument {arg}")));
        };
        let value = inline
            .or_else(|| it.next().copied())
            .ok_or_else(|| Error::msg(format!("{flag} needs a value")))?;
        let n = value
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Error::msg(format!("{flag} needs a positive number, not {value:?}")))?;
        flags.push(Flag::Number(name, n));
    }
    Ok(flags)
}

/// `n` as a count of rounds (or anything else that is a `usize`).
pub fn as_count(flag: &str, n: u64) -> Result<usize> {
    usize::try_from(n).map_err(|_| Error::msg(format!("{flag} {n} is too large")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        let s = Duration::from_secs;
        assert_eq!(median::<Duration>(&[]), None);
        assert_eq!(median(&[s(5)]), Some(s(5)));
        assert_eq!(median(&[s(9), s(1), s(5)]), Some(s(5)));
        assert_eq!(median(&[s(4), s(1), s(2), s(9)]), Some(s(3)));
    }

    #[test]
    fn medians_of_numbers() {
        assert_eq!(median::<f64>(&[]), None);
        assert_eq!(median(&[2.0]), Some(2.0));
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 9.0]), Some(3.0));
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(1.0 <= 1.0), "PASS");
        assert_eq!(verdict(0.81 <= 0.8), "MISS");
        assert_eq!(verdict(f64::INFINITY <= 0.8), "MISS");
        assert_eq!(hard_verdict(false), "FAIL");
        assert_eq!(ratio(3.0, 2.0), 1.5);
        assert_eq!(ratio(3.0, 0.0), f64::INFINITY);
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc_date(Duration::ZERO), "1970-01-01 00:00:00 UTC");
        assert_eq!(
            utc_date(Duration::from_secs(951_782_400 + 3_723)),
            "2000-02-29 01:02:03 UTC"
        );
        assert_eq!(
            utc_date(Duration::from_secs(1_767_225_599)),
            "2025-12-31 23:59:59 UTC"
        );
    }

    #[test]
    fn versions_from_lock() {
        let lock = "\
[[package]]
name = \"taskcluster\"
version = \"114.0.0\"

[[package]]
name = \"taskcluster-upload\"
version = \"1.0.0\"
";
        assert_eq!(
            locked_version(lock, "taskcluster").as_deref(),
            Some("114.0.0")
        );
        assert_eq!(locked_version(lock, "tokio"), None);
    }

    #[test]
    fn flags_take_numbers_in_either_form_and_switches_alone() {
        let flags = parse_flags(
            &["--rounds=4", "--inner", "--size", "7"],
            &["--size", "--rounds"],
            &["--inner"],
        )
        .unwrap();
        assert_eq!(
            flags,
            [
                Flag::Number("--rounds", 4),
                Flag::Switch("--inner"),
                Flag::Number("--size", 7)
            ]
        );
        for bad in [
            &["--size"][..],
            &["--size", "0"],
            &["--size=x"],
            &["--fast"],
            &["--inner=1"],
        ] {
            assert!(
                parse_flags(bad, &["--size"], &["--inner"]).is_err(),
                "{bad:?}"
            );
        }
    }
}
