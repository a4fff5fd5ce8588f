//! `cargo xtask bench-calls [--calls N] [--rounds R]`: the per-call cost of tc-client
//! against a hand-written reqwest + hawk + serde_json client and the official
//! `taskcluster` crate (114.x), in one run, against one canned HTTP server on 127.0.0.1.
//!
//! The measuring program is the crate in `xtask/bench-calls/` (read its `src/main.rs`
//! for what is measured and how). It is its own workspace, so that neither the official
//! crate nor the benchmark's dependencies enter the build of this one (`cargo test
//! --workspace` never compiles `taskcluster`). [`run`] copies the workspace's
//! `Cargo.lock` into it (git-ignored there: tc-client then builds with the versions it
//! is tested with, and cargo adds the official crate's), builds it with `cargo build
//! --release` into `target/bench-calls/` (minutes the first time; the log goes to
//! `target/bench-calls/build.log`), and runs it without proxy variables in its
//! environment.
//!
//! The program prints one `sample` line per client and round (see [`Sample`]); this
//! module reads them as they come, prints a line per round, and at the end a table per
//! mode: calls/s and CPU µs per call of each client (medians over the rounds), and the
//! medians of the per-round ratios of tc-client's time (and CPU time) to the hand-written
//! client's and to the official crate's, the time ratios against [`HANDWRITTEN_TARGET`]
//! and [`OFFICIAL_TARGET`]. Per-round ratios of interleaved clients, because the load of
//! this machine comes in bursts: within a round the clients take [`TURNS`] turns each,
//! in rotating order, so that a burst slows the three of them alike, and the median
//! leaves out the rounds where it did not.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{
    Flag, as_count, cargo, hard_verdict, load_average, locked_version, median, now, parse_flags,
    ratio as per, ratio_text, say, tail, tool_version, utc_date,
};
use crate::error::{Context, Error, Result};

/// Target of `tc-client / hand-written` time, in every mode.
pub const HANDWRITTEN_TARGET: f64 = 1.05;
/// Target of `tc-client / official` time, in every mode.
pub const OFFICIAL_TARGET: f64 = 0.95;

/// Turns each client takes in a round (the clients alternate within a round).
pub const TURNS: usize = 4;

/// The clients, as the program names them, in report order.
pub const CLIENTS: [&str; 3] = ["tc-client", "hand-written", "official"];

/// The modes, as the program names them, with what they do.
pub const MODES: [(&str, &str); 4] = [
    ("get-seq", "GET /task/<id> (queue.task), sequential"),
    ("get-64", "GET /task/<id> (queue.task), 64 in flight"),
    ("put-seq", "PUT /task/<id> (queue.createTask), sequential"),
    ("put-64", "PUT /task/<id> (queue.createTask), 64 in flight"),
];

/// Variables that would send the clients' requests to a proxy.
const PROXY_VARIABLES: [&str; 6] = [
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

/// Options of the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Calls per client and mode, split evenly over the rounds (rounded down).
    pub calls: usize,
    /// Rounds per mode.
    pub rounds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            calls: 20_000,
            rounds: 10,
        }
    }
}

impl Options {
    /// Calls per client in one round.
    pub fn per_round(&self) -> usize {
        self.calls / self.rounds.max(1)
    }

    fn check(&self) -> Result<()> {
        if self.rounds == 0 || self.per_round() < TURNS {
            return Err(Error::msg(format!(
                "--rounds must be at least 1 and --calls at least {TURNS} x --rounds"
            )));
        }
        Ok(())
    }
}

/// Parses `[--calls N] [--rounds R]`, in any order, `--flag=N` too.
///
/// # Errors
///
/// On unknown arguments, values that are not positive numbers, and fewer calls than
/// [`TURNS`] per round.
pub fn parse_args(rest: &[&str]) -> Result<Options> {
    let mut options = Options::default();
    for flag in parse_flags(rest, &["--calls", "--rounds"], &[])? {
        match flag {
            Flag::Number("--calls", n) => options.calls = as_count("--calls", n)?,
            Flag::Number(name, n) => options.rounds = as_count(name, n)?,
            Flag::Switch(_) => {}
        }
    }
    options.check()?;
    Ok(options)
}

/// One client's share of one round, from a line of the program:
/// `sample mode=get-seq round=1 client=tc-client calls=2000 wall_ns=211845110 cpu_ns=298311000`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// `get-seq`, `get-64`, `put-seq` or `put-64`.
    pub mode: String,
    /// From 1.
    pub round: usize,
    /// `tc-client`, `hand-written` or `official`.
    pub client: String,
    /// Calls made.
    pub calls: u64,
    /// Wall-clock time of the calls.
    pub wall: Duration,
    /// CPU time (user + system) of the client process over the calls.
    pub cpu: Duration,
}

impl Sample {
    /// Parses a `sample ...` line: `None` for any other line.
    pub fn parse(line: &str) -> Option<Result<Sample>> {
        let fields = line.trim().strip_prefix("sample ")?;
        let mut map = BTreeMap::new();
        for field in fields.split_whitespace() {
            match field.split_once('=') {
                Some((key, value)) => {
                    map.insert(key, value);
                }
                None => return Some(Err(Error::msg(format!("bad sample line {line:?}")))),
            }
        }
        let text = |key: &str| {
            map.get(key)
                .map(|v| (*v).to_owned())
                .ok_or_else(|| Error::msg(format!("no {key} in sample line {line:?}")))
        };
        let number = |key: &str| {
            text(key)?
                .parse::<u64>()
                .map_err(|e| Error::msg(format!("{key} in sample line {line:?}: {e}")))
        };
        Some((|| {
            Ok(Sample {
                mode: text("mode")?,
                round: usize::try_from(number("round")?)
                    .map_err(|_| Error::msg("round out of range"))?,
                client: text("client")?,
                calls: number("calls")?,
                wall: Duration::from_nanos(number("wall_ns")?),
                cpu: Duration::from_nanos(number("cpu_ns")?),
            })
        })())
    }

    /// Calls per second.
    pub fn rate(&self) -> f64 {
        per(self.calls as f64, self.wall.as_secs_f64())
    }

    /// CPU µs per call.
    pub fn cpu_us_per_call(&self) -> f64 {
        per(self.cpu.as_secs_f64() * 1e6, self.calls as f64)
    }
}

/// A count with thousands separators: `29,120`.
pub fn thousands(n: f64) -> String {
    if !n.is_finite() {
        return "n/a".to_owned();
    }
    let digits = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

/// Samples of one mode, by round and client.
#[derive(Debug, Clone, Default)]
struct ModeSamples {
    rounds: BTreeMap<usize, BTreeMap<String, Sample>>,
}

impl ModeSamples {
    /// Per-round ratios of `tc-client`'s `measure` to `other`'s, for the rounds that
    /// have both.
    fn ratios(&self, other: &str, measure: impl Fn(&Sample) -> Duration) -> Vec<f64> {
        self.rounds
            .values()
            .filter_map(|clients| {
                let tc = clients.get(CLIENTS[0])?;
                let other = clients.get(other)?;
                // Per call, should a round ever give the two different counts.
                let tc = measure(tc).as_secs_f64() / tc.calls.max(1) as f64;
                let other = measure(other).as_secs_f64() / other.calls.max(1) as f64;
                Some(per(tc, other))
            })
            .collect()
    }

    fn of_client(&self, client: &str) -> impl Iterator<Item = &Sample> {
        self.rounds.values().filter_map(move |c| c.get(client))
    }
}

/// Everything measured, by mode.
#[derive(Debug, Clone, Default)]
pub struct Report {
    modes: BTreeMap<String, ModeSamples>,
}

/// One ratio of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratio {
    /// The mode.
    pub mode: &'static str,
    /// `hand-written` or `official`.
    pub against: &'static str,
    /// Median of the per-round time ratios.
    pub time: f64,
    /// Lowest and highest per-round time ratio.
    pub range: (f64, f64),
    /// Median of the per-round CPU ratios.
    pub cpu: f64,
    /// Its target.
    pub target: f64,
}

impl Ratio {
    /// Whether it meets its target.
    pub fn passes(&self) -> bool {
        self.time <= self.target
    }
}

impl Report {
    /// Adds a sample; a second one for the same mode, round and client is an error.
    pub fn add(&mut self, sample: Sample) -> Result<()> {
        let clients = self
            .modes
            .entry(sample.mode.clone())
            .or_default()
            .rounds
            .entry(sample.round)
            .or_default();
        if clients.contains_key(&sample.client) {
            return Err(Error::msg(format!(
                "two samples of {} in round {} of {}",
                sample.client, sample.round, sample.mode
            )));
        }
        clients.insert(sample.client.clone(), sample);
        Ok(())
    }

    /// The samples of `round` of `mode`, once all three clients have one.
    pub fn round_complete(&self, mode: &str, round: usize) -> Option<Vec<&Sample>> {
        let clients = self.modes.get(mode)?.rounds.get(&round)?;
        CLIENTS.iter().map(|c| clients.get(*c)).collect()
    }

    /// Checks that every mode has `rounds` complete rounds.
    ///
    /// # Errors
    ///
    /// Naming the first mode, round or client missing.
    pub fn check_complete(&self, rounds: usize) -> Result<()> {
        for (mode, _) in MODES {
            for round in 1..=rounds {
                if self.round_complete(mode, round).is_none() {
                    return Err(Error::msg(format!(
                        "the program gave no complete round {round} of {mode}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The ratios of `mode` (`None` when it has no sample).
    pub fn ratios(&self, mode: &str) -> Option<Vec<Ratio>> {
        let (mode, _) = MODES.iter().find(|(m, _)| *m == mode)?;
        let samples = self.modes.get(*mode)?;
        Some(
            [
                (CLIENTS[1], HANDWRITTEN_TARGET),
                (CLIENTS[2], OFFICIAL_TARGET),
            ]
            .into_iter()
            .map(|(against, target)| {
                let time = samples.ratios(against, |s| s.wall);
                let cpu = samples.ratios(against, |s| s.cpu);
                let low = time.iter().copied().fold(f64::INFINITY, f64::min);
                let high = time.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                Ratio {
                    mode,
                    against,
                    time: median(&time).unwrap_or(f64::INFINITY),
                    range: (low, high),
                    cpu: median(&cpu).unwrap_or(f64::INFINITY),
                    target,
                }
            })
            .collect(),
        )
    }

    /// Every ratio, in report order.
    pub fn all_ratios(&self) -> Vec<Ratio> {
        MODES
            .iter()
            .filter_map(|(mode, _)| self.ratios(mode))
            .flatten()
            .collect()
    }

    /// The tables and verdicts, as printed.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (mode, what) in MODES {
            let Some(samples) = self.modes.get(mode) else {
                continue;
            };
            let rounds = samples.rounds.len();
            let calls: u64 = samples.of_client(CLIENTS[0]).map(|s| s.calls).sum();
            let _ = writeln!(
                out,
                "\n{mode}: {what}; {} calls per client in {rounds} rounds",
                thousands(calls as f64)
            );
            let _ = writeln!(
                out,
                "  {:<14} {:>9} {:>14}   (medians of the rounds)",
                "client", "calls/s", "CPU µs/call"
            );
            for client in CLIENTS {
                let rates: Vec<f64> = samples.of_client(client).map(Sample::rate).collect();
                let cpu: Vec<f64> = samples
                    .of_client(client)
                    .map(Sample::cpu_us_per_call)
                    .collect();
                let _ = writeln!(
                    out,
                    "  {client:<14} {:>9} {:>14.1}",
                    thousands(median(&rates).unwrap_or(0.0)),
                    median(&cpu).unwrap_or(0.0)
                );
            }
            for ratio in self.ratios(mode).unwrap_or_default() {
                let _ = writeln!(
                    out,
                    "  {:<26} time {:>6} (rounds {}-{})  CPU {:>6}   target <= {:.2}x   {}",
                    format!("tc-client / {}", ratio.against),
                    ratio_text(ratio.time),
                    ratio_text(ratio.range.0),
                    ratio_text(ratio.range.1),
                    ratio_text(ratio.cpu),
                    ratio.target,
                    hard_verdict(ratio.passes())
                );
            }
        }
        let ratios = self.all_ratios();
        let failed: Vec<String> = ratios
            .iter()
            .filter(|r| !r.passes())
            .map(|r| {
                format!(
                    "{} tc-client/{} {} > {:.2}x",
                    r.mode,
                    r.against,
                    ratio_text(r.time),
                    r.target
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "\nverdict: {} of {} targets met{}",
            ratios.len() - failed.len(),
            ratios.len(),
            if failed.is_empty() {
                ": PASS".to_owned()
            } else {
                format!(": FAIL ({})", failed.join("; "))
            }
        );
        out
    }
}

/// The progress line of a complete round.
pub fn round_line(mode: &str, round: usize, rounds: usize, samples: &[&Sample]) -> String {
    let mut line = format!("  {mode:<7} round {round:>2}/{rounds}");
    for sample in samples {
        let _ = write!(
            line,
            "  {} {:>7}/s {:>5.1} µs",
            sample.client,
            thousands(sample.rate()),
            sample.cpu_us_per_call()
        );
    }
    if let [tc, hand, official] = samples {
        let ratio = |other: &Sample| {
            let ratio = per(tc.wall.as_secs_f64(), other.wall.as_secs_f64());
            format!("{ratio:.2}x")
        };
        let _ = write!(
            line,
            "   tc/hand {} tc/off {}",
            ratio(hand),
            ratio(official)
        );
    }
    line
}

fn load_or_unknown() -> String {
    load_average().unwrap_or_else(|| "unknown".to_owned())
}

/// Where things are.
struct Paths {
    /// `xtask/bench-calls/`.
    program: PathBuf,
    /// `target/bench-calls/`.
    target: PathBuf,
    /// The workspace's `Cargo.lock`.
    workspace_lock: PathBuf,
}

impl Paths {
    fn new(workspace_root: &Path) -> Paths {
        Paths {
            program: workspace_root.join("xtask").join("bench-calls"),
            target: workspace_root.join("target").join("bench-calls"),
            workspace_lock: workspace_root.join("Cargo.lock"),
        }
    }

    fn binary(&self) -> PathBuf {
        self.target.join("release").join("bench-calls")
    }
}

/// Copies the workspace's lock file into the program and builds it in release mode;
/// answers how long that took.
fn build(paths: &Paths) -> Result<Duration> {
    let lock = paths.program.join("Cargo.lock");
    std::fs::copy(&paths.workspace_lock, &lock).context(|| {
        format!(
            "copying {} to {}",
            paths.workspace_lock.display(),
            lock.display()
        )
    })?;
    std::fs::create_dir_all(&paths.target)
        .context(|| format!("creating {}", paths.target.display()))?;
    let log = paths.target.join("build.log");
    let file = std::fs::File::create(&log).context(|| format!("creating {}", log.display()))?;
    let file2 = file
        .try_clone()
        .context(|| format!("opening {}", log.display()))?;
    let manifest = paths.program.join("Cargo.toml");
    let start = Instant::now();
    let status = Command::new(cargo())
        .arg("build")
        .arg("--release")
        .arg("--manifest-path")
        .arg(&manifest)
        .current_dir(&paths.program)
        .env("CARGO_TARGET_DIR", &paths.target)
        .stdout(file)
        .stderr(file2)
        .status()
        .context(|| format!("running {} build", cargo()))?;
    if !status.success() {
        return Err(Error::msg(format!(
            "`cargo build --release --manifest-path {}` failed ({status}); last lines of {}:\n{}",
            manifest.display(),
            log.display(),
            tail(&log, 40)
        )));
    }
    Ok(start.elapsed())
}

/// Runs the program, printing its lines and a line per complete round; answers the
/// samples.
fn measure(paths: &Paths, options: Options) -> Result<Report> {
    let binary = paths.binary();
    let mut command = Command::new(&binary);
    command
        .arg("--per-round")
        .arg(options.per_round().to_string())
        .arg("--rounds")
        .arg(options.rounds.to_string())
        .arg("--turns")
        .arg(TURNS.to_string())
        .stdout(Stdio::piped());
    for variable in PROXY_VARIABLES {
        command.env_remove(variable);
    }
    let mut child = command
        .spawn()
        .context(|| format!("running {}", binary.display()))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Error::msg("the program's stdout"))?;
    let mut report = Report::default();
    let mut outcome = Ok(());
    for line in std::io::BufReader::new(stdout).lines() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                outcome = Err(Error::msg(format!("reading the program's output: {e}")));
                break;
            }
        };
        match Sample::parse(&line) {
            None => say(&line),
            Some(Err(e)) => {
                outcome = Err(e);
                break;
            }
            Some(Ok(sample)) => {
                let (mode, round) = (sample.mode.clone(), sample.round);
                if let Err(e) = report.add(sample) {
                    outcome = Err(e);
                    break;
                }
                if let Some(samples) = report.round_complete(&mode, round) {
                    say(&round_line(&mode, round, options.rounds, &samples));
                }
            }
        }
    }
    if outcome.is_err() {
        let _ = child.kill();
    }
    let status = child
        .wait()
        .context(|| format!("waiting for {}", binary.display()))?;
    outcome?;
    if !status.success() {
        return Err(Error::msg(format!(
            "{} failed ({status})",
            binary.display()
        )));
    }
    report.check_complete(options.rounds)?;
    Ok(report)
}

/// Builds and runs the benchmark for the workspace at `workspace_root`, printing as it
/// goes; answers the report (already printed).
///
/// # Errors
///
/// When the program does not build or run, or its output is incomplete.
pub fn run(workspace_root: &Path, options: Options) -> Result<Report> {
    options.check()?;
    let paths = Paths::new(workspace_root);
    let started = Instant::now();
    say(&format!(
        "bench-calls: building {} (release, into {}; the first build takes minutes)",
        paths.program.display(),
        paths.target.display()
    ));
    let build_time = build(&paths)?;
    let lock = std::fs::read_to_string(paths.program.join("Cargo.lock")).unwrap_or_default();
    let version = |package: &str| {
        locked_version(&lock, package).unwrap_or_else(|| "(version unknown)".to_owned())
    };
    let per_round = options.per_round();
    say(&format!("built in {:.1} s", build_time.as_secs_f64()));
    say(&format!("date:    {}", utc_date(now())));
    say(&format!(
        "nproc:   {}",
        std::thread::available_parallelism().map_or(0, usize::from)
    ));
    say(&format!("rustc:   {}", tool_version("rustc")));
    say(&format!(
        "clients: tc-client {} (queue only), hand-written (reqwest {} + hawk {} + serde_json {}), \
         official taskcluster {}",
        version("tc-client"),
        version("reqwest"),
        version("hawk"),
        version("serde_json"),
        version("taskcluster")
    ));
    say(&format!(
        "calls:   {} per client and mode: {} rounds of {}, each in {TURNS} turns per client \
         (client order rotated every turn); ratios are medians of the per-round ratios",
        thousands((per_round * options.rounds) as f64),
        options.rounds,
        thousands(per_round as f64)
    ));
    say(&format!(
        "load:    {} (1-minute average, before)",
        load_or_unknown()
    ));
    let measuring = Instant::now();
    let report = measure(&paths, options)?;
    say(&report.to_text());
    say(&format!(
        "measured in {:.1} s ({:.1} s in all); load {} (1-minute average, after)",
        measuring.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64(),
        load_or_unknown()
    ));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_its_arguments() {
        assert_eq!(parse_args(&[]).unwrap(), Options::default());
        assert_eq!(
            parse_args(&["--calls", "2000"]).unwrap(),
            Options {
                calls: 2000,
                rounds: 10
            }
        );
        assert_eq!(
            parse_args(&["--rounds=4", "--calls=1000"]).unwrap(),
            Options {
                calls: 1000,
                rounds: 4
            }
        );
        assert!(parse_args(&["--calls", "0"]).is_err());
        assert!(
            parse_args(&["--calls", "5"]).is_err(),
            "fewer calls than rounds"
        );
        assert!(parse_args(&["--calls"]).is_err());
        assert!(parse_args(&["--rounds", "x"]).is_err());
        assert!(parse_args(&["--fast"]).is_err());
    }

    #[test]
    fn splits_the_calls_over_the_rounds() {
        let options = |calls, rounds| Options { calls, rounds };
        assert_eq!(Options::default().per_round(), 2000);
        assert_eq!(options(2000, 10).per_round(), 200);
        assert_eq!(options(1234, 10).per_round(), 123);
    }

    #[test]
    fn formats_ratios_counts_and_verdicts() {
        assert_eq!(ratio_text(1.0534), "1.053x");
        assert_eq!(ratio_text(0.9), "0.900x");
        assert_eq!(ratio_text(f64::INFINITY), "n/a");
        assert_eq!(hard_verdict(1.05 <= HANDWRITTEN_TARGET), "PASS");
        assert_eq!(hard_verdict(1.051 <= HANDWRITTEN_TARGET), "FAIL");
        assert_eq!(
            hard_verdict(std::hint::black_box(f64::NAN) <= OFFICIAL_TARGET),
            "FAIL"
        );
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(29_120.0), "29,120");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
        assert_eq!(thousands(f64::INFINITY), "n/a");
    }

    #[test]
    fn parses_sample_lines() {
        let line = "sample mode=get-64 round=3 client=official calls=2000 wall_ns=100000000 cpu_ns=50000000";
        let sample = Sample::parse(line).unwrap().unwrap();
        assert_eq!(
            sample,
            Sample {
                mode: "get-64".into(),
                round: 3,
                client: "official".into(),
                calls: 2000,
                wall: Duration::from_millis(100),
                cpu: Duration::from_millis(50),
            }
        );
        assert_eq!(sample.rate(), 20_000.0);
        assert_eq!(sample.cpu_us_per_call(), 25.0);
        assert!(Sample::parse("server: http://127.0.0.1:1").is_none());
        assert!(
            Sample::parse("sample mode=get-64 round=x")
                .unwrap()
                .is_err()
        );
        assert!(Sample::parse("sample mode=get-64 junk").unwrap().is_err());
    }

    fn sample(mode: &str, round: usize, client: &str, wall_ms: u64, cpu_ms: u64) -> Sample {
        Sample {
            mode: mode.into(),
            round,
            client: client.into(),
            calls: 1000,
            wall: Duration::from_millis(wall_ms),
            cpu: Duration::from_millis(cpu_ms),
        }
    }

    /// Every mode, three rounds; tc-client 100 ms, hand-written 100/96/50 ms (a burst
    /// in round 3), official 110 ms.
    fn report() -> Report {
        let mut report = Report::default();
        for (mode, _) in MODES {
            for (round, hand) in [(1, 100), (2, 96), (3, 50)] {
                report
                    .add(sample(mode, round, "tc-client", 100, 80))
                    .unwrap();
                report
                    .add(sample(mode, round, "hand-written", hand, 80))
                    .unwrap();
                report
                    .add(sample(mode, round, "official", 110, 100))
                    .unwrap();
            }
        }
        report
    }

    #[test]
    fn ratios_are_medians_of_rounds() {
        let report = report();
        report.check_complete(3).unwrap();
        assert!(report.check_complete(4).is_err());
        let ratios = report.ratios("put-64").unwrap();
        assert_eq!(ratios.len(), 2);
        let hand = &ratios[0];
        assert_eq!(hand.against, "hand-written");
        assert!((hand.time - 100.0 / 96.0).abs() < 1e-9, "{hand:?}");
        assert_eq!(hand.range, (1.0, 2.0));
        assert_eq!(hand.cpu, 1.0);
        assert!(hand.passes());
        let official = &ratios[1];
        assert!((official.time - 100.0 / 110.0).abs() < 1e-9);
        assert!(official.passes());
        assert_eq!(report.all_ratios().len(), 8);

        let mut duplicate = report.clone();
        assert!(
            duplicate
                .add(sample("get-seq", 1, "official", 1, 1))
                .is_err()
        );
    }

    #[test]
    fn prints_tables_and_verdicts() {
        let text = report().to_text();
        assert!(text.contains("get-seq: GET /task/<id> (queue.task), sequential; 3,000 calls per client in 3 rounds"), "{text}");
        assert!(
            text.contains("  tc-client         10,000           80.0"),
            "{text}"
        );
        assert!(text.contains("tc-client / hand-written   time 1.042x (rounds 1.000x-2.000x)  CPU 1.000x   target <= 1.05x   PASS"), "{text}");
        assert!(
            text.contains("tc-client / official       time 0.909x"),
            "{text}"
        );
        assert!(text.contains("verdict: 8 of 8 targets met: PASS"), "{text}");

        let mut slow = Report::default();
        for round in 1..=2 {
            slow.add(sample("get-seq", round, "tc-client", 100, 1))
                .unwrap();
            slow.add(sample("get-seq", round, "hand-written", 90, 1))
                .unwrap();
            slow.add(sample("get-seq", round, "official", 100, 1))
                .unwrap();
        }
        let text = slow.to_text();
        assert!(text.contains("verdict: 0 of 2 targets met: FAIL (get-seq tc-client/hand-written 1.111x > 1.05x; get-seq tc-client/official 1.000x > 0.95x)"), "{text}");
        assert!(!text.contains("put-64"), "{text}");
    }

    #[test]
    fn prints_round_lines() {
        let report = report();
        assert!(report.round_complete("get-seq", 4).is_none());
        let samples = report.round_complete("get-seq", 2).unwrap();
        let line = round_line("get-seq", 2, 3, &samples);
        assert!(
            line.starts_with("  get-seq round  2/3  tc-client  10,000/s  80.0 µs"),
            "{line}"
        );
        assert!(line.ends_with("tc/hand 1.04x tc/off 0.91x"), "{line}");
    }
}
