//! `cargo xtask bench-build [--runs N]`: how long a clean debug build of a program that
//! uses tc-client takes, against the same program on the official `taskcluster` crate.
//!
//! Three scratch binary crates are written under `target/bench-build/`:
//! - `all-services`: tc-client with its default features (every service, the payloads);
//! - `queue-only`: tc-client with `default-features = false, features = ["queue"]`;
//! - `official`: `taskcluster = "114"` from crates.io.
//!
//! Each is its own workspace (a `[workspace]` table) and builds into its own
//! `target/bench-build/<name>/target`, deleted before every build, so every build is
//! clean. `cargo fetch` runs first for all three (downloads are not build time); then every
//! run times `cargo build --frozen` of each crate, one after the other, by wall clock.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Context, Error, Result};
use crate::tools::{cargo, tail, tool_version};

/// Target of `all-services / official`.
pub const ALL_SERVICES_TARGET: f64 = 1.0;
/// Target of `queue-only / official`.
pub const QUEUE_ONLY_TARGET: f64 = 0.8;

/// One scratch crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scratch {
    /// Folder name under `target/bench-build/`, and (prefixed) package name.
    pub name: &'static str,
    /// What it measures, for the output.
    pub what: &'static str,
    /// `Cargo.toml`.
    pub manifest: String,
    /// `src/main.rs`.
    pub main_rs: String,
    /// Start from the workspace's `Cargo.lock`, so that tc-client builds with the versions
    /// the workspace is tested with.
    pub workspace_lock: bool,
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn manifest(name: &str, dependency: &str) -> String {
    format!(
        "# Written by `cargo xtask bench-build`.\n\
         [package]\n\
         name = \"bench-{name}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         {dependency}\n\
         \n\
         # Its own workspace, not a member of the one around target/.\n\
         [workspace]\n"
    )
}

/// The three scratch crates; `tc_client` is the tc-client package folder.
pub fn scratch_crates(tc_client: &Path) -> Vec<Scratch> {
    let path = toml_str(&tc_client.to_string_lossy());
    let tc_main = "\
fn main() {
    let queue = tc_client::queue::Queue::new(None, \"https://x\");
    println!(\"{}\", queue.is_ok());
}
";
    vec![
        Scratch {
            name: "all-services",
            what: "tc-client, default features (all services)",
            manifest: manifest("all-services", &format!("tc-client = {{ path = {path} }}")),
            main_rs: tc_main.to_owned(),
            workspace_lock: true,
        },
        Scratch {
            name: "queue-only",
            what: "tc-client, features = [\"queue\"]",
            manifest: manifest(
                "queue-only",
                &format!(
                    "tc-client = {{ path = {path}, default-features = false, features = [\"queue\"] }}"
                ),
            ),
            main_rs: tc_main.to_owned(),
            workspace_lock: true,
        },
        Scratch {
            name: "official",
            what: "taskcluster 114.x (crates.io)",
            manifest: manifest("official", "taskcluster = \"114\""),
            main_rs: "\
fn main() {
    let queue = taskcluster::Queue::new(\"https://x\");
    println!(\"{}\", queue.is_ok());
}
"
            .to_owned(),
            workspace_lock: false,
        },
    ]
}

/// Options of the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Builds of each crate; the median is reported.
    pub runs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { runs: 1 }
    }
}

/// The median (mean of the middle two for an even count); `None` when empty.
pub fn median(values: &[Duration]) -> Option<Duration> {
    let mut v = values.to_vec();
    v.sort();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2),
    }
}

/// `"PASS"` when `ratio <= target`, else `"MISS"`.
pub fn verdict(ratio: f64, target: f64) -> &'static str {
    if ratio <= target { "PASS" } else { "MISS" }
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
    let name_line = format!("name = {}", toml_str(package));
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

/// The 1-minute load average, when the system tells it.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_owned)
}

/// Runs `cargo <args>` in `dir` with its own target folder, output to `log`; returns the
/// wall-clock time it took.
fn run_cargo(dir: &Path, target: &Path, args: &[&str], log: &Path) -> Result<Duration> {
    let file = std::fs::File::create(log).context(|| format!("creating {}", log.display()))?;
    let file2 = file
        .try_clone()
        .context(|| format!("opening {}", log.display()))?;
    let start = Instant::now();
    let status = Command::new(cargo())
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .stdout(file)
        .stderr(file2)
        .status()
        .context(|| format!("running cargo {}", args.join(" ")))?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(Error::msg(format!(
            "`cargo {}` in {} failed ({status}); last lines of {}:\n{}",
            args.join(" "),
            dir.display(),
            log.display(),
            tail(log, 40)
        )));
    }
    Ok(elapsed)
}

fn remove_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::msg(format!("removing {}: {e}", dir.display()))),
    }
}

/// Writes a scratch crate into `dir` (keeping an existing `Cargo.lock` unless it starts
/// from the workspace's).
fn write_scratch(dir: &Path, scratch: &Scratch, workspace_lock: &Path) -> Result<()> {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).context(|| format!("creating {}", src.display()))?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).context(|| format!("writing {}", path.display()))
    };
    write(dir.join("Cargo.toml"), &scratch.manifest)?;
    write(src.join("main.rs"), &scratch.main_rs)?;
    if scratch.workspace_lock && workspace_lock.is_file() {
        std::fs::copy(workspace_lock, dir.join("Cargo.lock"))
            .context(|| format!("copying {}", workspace_lock.display()))?;
    }
    Ok(())
}

/// Medians of one benchmark.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `(scratch name, median)`, in the order of [`scratch_crates`].
    pub medians: Vec<(&'static str, Duration)>,
}

/// Prints a line and flushes, so that progress shows when the output goes to a file.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Runs the benchmark for the workspace at `workspace_root`, printing as it goes.
pub fn run(workspace_root: &Path, options: Options) -> Result<Outcome> {
    if options.runs == 0 {
        return Err(Error::msg("--runs must be at least 1"));
    }
    let bench_dir = workspace_root.join("target").join("bench-build");
    let tc_client = workspace_root.join("tc-client");
    let scratches = scratch_crates(&tc_client);
    let workspace_lock = workspace_root.join("Cargo.lock");

    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let nproc = std::thread::available_parallelism().map_or(0, usize::from);
    say("bench-build: clean debug builds (`cargo build`), wall clock");
    say(&format!("date:   {}", utc_date(now)));
    say(&format!("nproc:  {nproc}"));
    say(&format!("cargo:  {}", tool_version(&cargo())));
    say(&format!(
        "rustc:  {}",
        tool_version(&std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
    ));
    say(&format!("runs:   {} (median reported)", options.runs));
    say(&format!("crates: {}", bench_dir.display()));

    say("\ncargo fetch (not timed):");
    for scratch in &scratches {
        let dir = bench_dir.join(scratch.name);
        write_scratch(&dir, scratch, &workspace_lock)?;
        let target = dir.join("target");
        run_cargo(&dir, &target, &["fetch"], &dir.join("fetch.log"))?;
        let lock = std::fs::read_to_string(dir.join("Cargo.lock")).unwrap_or_default();
        let pinned = if scratch.workspace_lock {
            locked_version(&lock, "tc-client").map(|v| format!("tc-client {v}"))
        } else {
            locked_version(&lock, "taskcluster").map(|v| format!("taskcluster {v}"))
        };
        let packages = lock.matches("[[package]]").count();
        say(&format!(
            "  {:<13} {} ({packages} packages in Cargo.lock)",
            scratch.name,
            pinned.unwrap_or_else(|| scratch.what.to_owned()),
        ));
    }

    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); scratches.len()];
    for run in 1..=options.runs {
        say(&format!("\nrun {run}/{}:", options.runs));
        for (i, scratch) in scratches.iter().enumerate() {
            let dir = bench_dir.join(scratch.name);
            let target = dir.join("target");
            remove_dir(&target)?;
            let load = load_average().unwrap_or_else(|| "?".to_owned());
            let log = dir.join(format!("build-{run}.log"));
            let elapsed = run_cargo(&dir, &target, &["build", "--frozen"], &log)?;
            say(&format!(
                "  {:<13} {:>7.1} s   (load average before: {load})",
                scratch.name,
                elapsed.as_secs_f64()
            ));
            times[i].push(elapsed);
        }
    }

    let medians: Vec<(&'static str, Duration)> = scratches
        .iter()
        .zip(&times)
        .map(|(s, t)| (s.name, median(t).unwrap_or_default()))
        .collect();
    say(&format!(
        "\nresults (median of {} run{}):",
        options.runs,
        if options.runs == 1 { "" } else { "s" }
    ));
    for (scratch, (_, m)) in scratches.iter().zip(&medians) {
        say(&format!(
            "  {:<13} {:>7.1} s   {}",
            scratch.name,
            m.as_secs_f64(),
            scratch.what
        ));
    }
    let secs = |name: &str| {
        medians
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0.0, |(_, d)| d.as_secs_f64())
    };
    let official = secs("official");
    for (name, target) in [
        ("all-services", ALL_SERVICES_TARGET),
        ("queue-only", QUEUE_ONLY_TARGET),
    ] {
        let ratio = if official > 0.0 {
            secs(name) / official
        } else {
            f64::INFINITY
        };
        say(&format!(
            "  {:<24} {ratio:>5.2}x   target <= {target:.1}x   {}",
            format!("{name}/official"),
            verdict(ratio, target)
        ));
    }
    Ok(Outcome { medians })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        let s = Duration::from_secs;
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[s(5)]), Some(s(5)));
        assert_eq!(median(&[s(9), s(1), s(5)]), Some(s(5)));
        assert_eq!(median(&[s(4), s(1), s(2), s(9)]), Some(s(3)));
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(1.0, 1.0), "PASS");
        assert_eq!(verdict(0.81, 0.8), "MISS");
        assert_eq!(verdict(f64::INFINITY, 0.8), "MISS");
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
    fn scratch_manifests() {
        let crates = scratch_crates(Path::new("/w/tc-client"));
        let names: Vec<&str> = crates.iter().map(|c| c.name).collect();
        assert_eq!(names, ["all-services", "queue-only", "official"]);
        for c in &crates {
            assert!(c.manifest.contains("\n[workspace]\n"), "{}", c.manifest);
            assert!(c.main_rs.contains("fn main()"));
        }
        assert!(
            crates[0]
                .manifest
                .contains("tc-client = { path = \"/w/tc-client\" }")
        );
        assert!(crates[1].manifest.contains(
            "tc-client = { path = \"/w/tc-client\", default-features = false, features = [\"queue\"] }"
        ));
        assert!(crates[2].manifest.contains("taskcluster = \"114\""));
        assert!(crates[2].main_rs.contains("taskcluster::Queue::new"));
        assert!(
            crates[0]
                .main_rs
                .contains("tc_client::queue::Queue::new(None")
        );
    }

    #[test]
    fn toml_strings_escape() {
        assert_eq!(toml_str(r#"a"b\c"#), r#""a\"b\\c""#);
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
}
