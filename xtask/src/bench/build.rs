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
//! run times `cargo build --frozen --timings` of each crate, one after the other, by wall
//! clock, and prints from cargo's timing report the critical path through the package
//! graph, the longest unit and the total unit time (see [`super::timings`]).
//!
//! Every build runs with `CARGO_INCREMENTAL=0`. Here tc-client is a path dependency,
//! which cargo treats as a local package and compiles incrementally (on 2026-12-03 a
//! build of tc-client, tc-codegen and tc-macros took 13.8 s with it and 10.8 s without); a user gets tc-client from crates.io, as the official crate comes
//! here, and cargo compiles no registry crate incrementally. Only the local packages
//! (tc-client, tc-codegen, tc-macros and the scratch binaries) are affected.
//!
//! Last, a rebuild: one reference file of one service is touched and the all-services
//! crate built again, and the units cargo compiles again are listed, to show what an
//! edit of one service's reference costs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::timings::{self, Graph};
use super::{
    Flag, as_count, cargo, load_average, locked_version, median, now, parse_flags, ratio, say,
    tail, tool_version, utc_date, verdict,
};
use crate::error::{Context, Error, Result};

/// Target of `all-services / official`.
pub const ALL_SERVICES_TARGET: f64 = 0.85;
/// Target of `queue-only / official`.
pub const QUEUE_ONLY_TARGET: f64 = 0.75;

/// The reference file the rebuild step touches (relative to the references folder):
/// a service other than the queue, the one the scratch program uses.
pub const TOUCHED_REFERENCE: &str = "references/secrets/v1/api.json";

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

/// Parses `[--runs N]` (`--runs=N` too).
///
/// # Errors
///
/// On unknown arguments and a value that is not a positive number.
pub fn parse_args(rest: &[&str]) -> Result<Options> {
    let mut options = Options::default();
    for flag in parse_flags(rest, &["--runs"], &[])? {
        if let Flag::Number(name, n) = flag {
            options.runs = as_count(name, n)?;
        }
    }
    Ok(options)
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
        .env("CARGO_INCREMENTAL", "0")
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

/// Runs the benchmark for the workspace at `workspace_root`, printing as it goes.
pub fn run(workspace_root: &Path, options: Options) -> Result<Outcome> {
    if options.runs == 0 {
        return Err(Error::msg("--runs must be at least 1"));
    }
    let bench_dir = workspace_root.join("target").join("bench-build");
    let tc_client = workspace_root.join("tc-client");
    let scratches = scratch_crates(&tc_client);
    let workspace_lock = workspace_root.join("Cargo.lock");

    let nproc = std::thread::available_parallelism().map_or(0, usize::from);
    say("bench-build: clean debug builds (`cargo build`), wall clock");
    say(&format!("date:   {}", utc_date(now())));
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
        run_cargo(
            &dir,
            &target,
            &["metadata", "--format-version", "1", "--frozen"],
            &dir.join("metadata.json"),
        )?;
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

    let graphs = scratches
        .iter()
        .map(|scratch| graph_of(&bench_dir.join(scratch.name)))
        .collect::<Result<Vec<Graph>>>()?;
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); scratches.len()];
    for run in 1..=options.runs {
        say(&format!("\nrun {run}/{}:", options.runs));
        for (i, scratch) in scratches.iter().enumerate() {
            let dir = bench_dir.join(scratch.name);
            let target = dir.join("target");
            remove_dir(&target)?;
            let load = load_average().unwrap_or_else(|| "?".to_owned());
            let log = dir.join(format!("build-{run}.log"));
            let elapsed = run_cargo(&dir, &target, &["build", "--frozen", "--timings"], &log)?;
            say(&format!(
                "  {:<13} {:>7.1} s   (load average before: {load})",
                scratch.name,
                elapsed.as_secs_f64()
            ));
            times[i].push(elapsed);
            report_timings(&dir, &graphs[i], nproc)?;
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
        let ratio = ratio(secs(name), official);
        say(&format!(
            "  {:<24} {ratio:>5.2}x   target <= {target:.2}x   {}",
            format!("{name}/official"),
            verdict(ratio <= target)
        ));
    }
    rebuild_after_touch(
        &bench_dir.join("all-services"),
        &workspace_root.join("references").join(TOUCHED_REFERENCE),
    )?;
    Ok(Outcome { medians })
}

/// The package graph saved by the fetch step of the scratch crate in `dir`.
fn graph_of(dir: &Path) -> Result<Graph> {
    let path = dir.join("metadata.json");
    let text = std::fs::read_to_string(&path).context(|| format!("reading {}", path.display()))?;
    timings::read_graph(&text)
}

/// Prints the critical path (through `graph`), the longest unit and the unit time of
/// the last build in `dir` (from its `--timings` report).
fn report_timings(dir: &Path, graph: &Graph, nproc: usize) -> Result<()> {
    let path = dir
        .join("target")
        .join("cargo-timings")
        .join("cargo-timing.html");
    let html = std::fs::read_to_string(&path).context(|| format!("reading {}", path.display()))?;
    let units = timings::read_units(&html)?;
    let total: f64 = units.iter().map(|u| u.duration).sum();
    if let Some(path) = timings::critical_path(graph, &units) {
        let steps: Vec<String> = path
            .steps
            .iter()
            .filter(|(_, secs)| *secs >= 0.05)
            .map(|(name, secs)| format!("{name} {secs:.1}"))
            .collect();
        say(&format!(
            "                critical path {:.1} s: {}",
            path.seconds,
            steps.join(" > ")
        ));
    }
    if let Some(unit) = timings::longest(&units) {
        say(&format!(
            "                longest unit {} {:.1} s; {} units, {total:.1} s of unit time ({:.1} s per core)",
            unit.label(),
            unit.duration,
            units.len(),
            total / nproc.max(1) as f64
        ));
    }
    Ok(())
}

/// Touches `reference` (its modification time only) and builds the scratch crate in
/// `dir` again, printing the units cargo compiled.
fn rebuild_after_touch(dir: &Path, reference: &Path) -> Result<()> {
    let file = std::fs::File::options()
        .append(true)
        .open(reference)
        .context(|| format!("opening {}", reference.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .context(|| format!("touching {}", reference.display()))?;
    drop(file);
    let log = dir.join("rebuild.log");
    let elapsed = run_cargo(dir, &dir.join("target"), &["build", "--frozen"], &log)?;
    let text = std::fs::read_to_string(&log).context(|| format!("reading {}", log.display()))?;
    let rebuilt = compiled_units(&text);
    say(&format!(
        "\nrebuild after touching {TOUCHED_REFERENCE}: {:.1} s, {} unit{} compiled again: {}",
        elapsed.as_secs_f64(),
        rebuilt.len(),
        if rebuilt.len() == 1 { "" } else { "s" },
        rebuilt.join(", ")
    ));
    Ok(())
}

/// The `name version` of every `Compiling` line of cargo's output.
pub fn compiled_units(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
        .map(|rest| {
            let mut words = rest.split_whitespace();
            let name = words.next().unwrap_or_default();
            let version = words.next().unwrap_or_default();
            format!("{name} {version}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn compiled_lines_name_the_units() {
        let out = "   Compiling tc-client v0.1.0 (/w/tc-client)\n    \
                   Compiling bench-all-services v0.0.0 (/w/b)\n    \
                   Finished `dev` profile [unoptimized + debuginfo] target(s) in 9.1s\n";
        assert_eq!(
            compiled_units(out),
            ["tc-client v0.1.0", "bench-all-services v0.0.0"]
        );
        assert!(compiled_units("    Finished `dev`").is_empty());
    }

    #[test]
    fn toml_strings_escape() {
        assert_eq!(toml_str(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
