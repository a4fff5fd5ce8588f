//! `cargo xtask`: project tasks of tc-client.

use std::process::ExitCode;

use std::io::Write as _;
use std::path::PathBuf;

use xtask::bench::build::{self as bench_build, Options};
use xtask::bench::{calls as bench_calls, pulse as bench_pulse, transfer as bench_transfer};
use xtask::codegen_report;
use xtask::expand::{self, Target};
use xtask::reference_set::Source;
use xtask::references;
use xtask::{Error, Result};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  references import [--from <dir|root-url>]
      Fetch the reference set (manifest, reference documents, the schemas they need and the
      worker payload schemas) into references/, after checking it against references.lock.
  references update [--from <dir|root-url>]
      Same, but rewrite references.lock from what was fetched (after a deliberate bump).
  references check
      Check the current references/ against references.lock.
  references diff [--from <dir|root-url>]
      What importing from there would change at API level, against the current
      references/: methods, query arguments, fields, enum values, exchanges and routing
      keys added or removed, and which changes break code written against references/.
  expand <service> [--out <path>]
  expand --schema <file> [--out <path>]
      Print the formatted expansion of taskcluster_service!(\"<service>\") (or of
      taskcluster_schema!(\"<file>\"), a file relative to schemas/, e.g.
      generic-worker/multiuser_posix.json), or write it to <path>.
  codegen-report [--json]
      For every service and worker payload schema: methods, exchanges, generated types
      and the places that fell back to serde_json::Value; totals.
  bench-build [--runs N]
      Time clean debug builds of scratch crates under target/bench-build/ using tc-client
      (all services; queue only) and the official taskcluster crate; print the ratios
      against their targets. N runs (default 1), median reported. Takes minutes.
  bench-transfer [--size-mib N] [--rounds R]
      Upload and download an N MiB object (default 1024) through tc-client and through
      plain reqwest, against tc-fake on 127.0.0.1, R rounds (default 3), medians; print
      MiB/s, the tc-client/reqwest ratios and the peak RSS against their targets. Runs in
      a release build of xtask (`cargo run --release`), compiled the first time (minutes).
  bench-pulse [--messages N] [--rounds R]
      Message throughput (decode + ack) of tc_client::pulse::Listener against a bare amqprs
      consumer on the same broker ($PULSE_URL, default amqp://guest:guest@127.0.0.1:5672)
      with the same task-completed messages, N per consumer and round (default 20000), R
      rounds (default 3), medians; print msg/s and the listener/bare ratio against its
      target. Runs in a release build of xtask, as bench-transfer does.
  bench-calls [--calls N] [--rounds R]
      Per-call cost of tc-client against a hand-written reqwest+hawk client and the official
      taskcluster crate: N GET (queue.task) and N PUT (queue.createTask) calls per client
      (default 20000), sequential and 64 in flight, against a canned server on 127.0.0.1,
      in R interleaved rounds (default 10); medians of per-round ratios against their
      targets. Builds xtask/bench-calls/ (release, target/bench-calls/; minutes at first).

--from: a directory laid out like a deployment (references/, schemas/) or the root URL
of a Taskcluster deployment. Default: ../shared/taskcluster-api beside the workspace if it
exists, else $TASKCLUSTER_ROOT_URL.";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Import {
        from: Option<String>,
    },
    Update {
        from: Option<String>,
    },
    Diff {
        from: Option<String>,
    },
    Check,
    Expand {
        target: Target,
        out: Option<PathBuf>,
    },
    CodegenReport {
        json: bool,
    },
    BenchBuild(Options),
    BenchTransfer {
        options: bench_transfer::Options,
        /// Measure in this process (the release build `bench-transfer` re-runs).
        inner: bool,
    },
    BenchPulse {
        options: bench_pulse::Options,
        /// Measure in this process (the release build `bench-pulse` re-runs).
        inner: bool,
    },
    BenchCalls(bench_calls::Options),
}

fn parse(args: &[String]) -> Result<Command> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["help" | "-h" | "--help"] => Ok(Command::Help),
        ["references", "check"] => Ok(Command::Check),
        [
            "references",
            sub @ ("import" | "update" | "diff"),
            rest @ ..,
        ] => {
            let from = parse_from(rest)?;
            Ok(match *sub {
                "import" => Command::Import { from },
                "update" => Command::Update { from },
                _ => Command::Diff { from },
            })
        }
        ["expand", rest @ ..] => parse_expand(rest),
        ["codegen-report"] => Ok(Command::CodegenReport { json: false }),
        ["codegen-report", "--json"] => Ok(Command::CodegenReport { json: true }),
        ["bench-build", rest @ ..] => Ok(Command::BenchBuild(bench_build::parse_args(rest)?)),
        ["bench-transfer", rest @ ..] => {
            let (options, inner) = bench_transfer::parse_args(rest)?;
            Ok(Command::BenchTransfer { options, inner })
        }
        ["bench-pulse", rest @ ..] => {
            let (options, inner) = bench_pulse::parse_args(rest)?;
            Ok(Command::BenchPulse { options, inner })
        }
        ["bench-calls", rest @ ..] => Ok(Command::BenchCalls(bench_calls::parse_args(rest)?)),
        _ => Err(Error::msg(format!("unknown arguments: {}", args.join(" ")))),
    }
}

/// `<service> | --schema <file>`, and `--out <path>`, in any order.
fn parse_expand(rest: &[&str]) -> Result<Command> {
    let mut target = None;
    let mut out = None;
    let mut it = rest.iter();
    let value = |flag: &str, v: Option<&&str>| match v {
        Some(v) if !v.is_empty() && !v.starts_with("--") => Ok((*v).to_owned()),
        _ => Err(Error::msg(format!("{flag} needs a value"))),
    };
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, v)) if flag.starts_with("--") => (flag, Some(v)),
            _ => (*arg, None),
        };
        let next = match (flag, inline) {
            ("--schema" | "--out", Some(v)) => value(flag, Some(&v))?,
            ("--schema" | "--out", None) => value(flag, it.next())?,
            (flag, _) if flag.starts_with('-') => {
                return Err(Error::msg(format!("unknown option {arg}")));
            }
            (service, _) => {
                if target
                    .replace(Target::Service(service.to_owned()))
                    .is_some()
                {
                    return Err(Error::msg("expand takes one service or one --schema"));
                }
                continue;
            }
        };
        if flag == "--out" {
            if out.replace(PathBuf::from(next)).is_some() {
                return Err(Error::msg("--out given twice"));
            }
        } else if target.replace(Target::Schema(next)).is_some() {
            return Err(Error::msg("expand takes one service or one --schema"));
        }
    }
    let target = target.ok_or_else(|| Error::msg("expand needs a service or --schema <file>"))?;
    Ok(Command::Expand { target, out })
}

fn parse_from(rest: &[&str]) -> Result<Option<String>> {
    match rest {
        [] => Ok(None),
        ["--from", value] if !value.is_empty() => Ok(Some((*value).to_owned())),
        [arg] if arg.starts_with("--from=") && arg.len() > "--from=".len() => {
            Ok(Some(arg["--from=".len()..].to_owned()))
        }
        ["--from"] => Err(Error::msg("--from needs a value")),
        _ => Err(Error::msg(format!("unknown arguments: {}", rest.join(" ")))),
    }
}

fn source(from: Option<String>) -> Result<Source> {
    match from {
        Some(from) => Source::parse(&from),
        None => references::default_source(&references::workspace_root()),
    }
}

fn run(command: Command) -> Result<()> {
    let layout = references::workspace_layout();
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::msg(format!("starting the async runtime: {e}")))
    };
    match command {
        Command::Help => println!("{USAGE}"),
        Command::Import { from } => {
            let source = source(from)?;
            let summary = runtime()?.block_on(references::import(&layout, &source))?;
            println!(
                "imported {} files from {} into {} (matches {})",
                summary.files,
                summary.from,
                layout.references_dir.display(),
                layout.lock_file.display()
            );
        }
        Command::Update { from } => {
            let source = source(from)?;
            let summary = runtime()?.block_on(references::update(&layout, &source))?;
            let c = summary.changes.unwrap_or_default();
            println!(
                "updated {}: {} files from {} ({} added, {} removed, {} changed); imported into {}",
                layout.lock_file.display(),
                summary.files,
                summary.from,
                c.added,
                c.removed,
                c.changed,
                layout.references_dir.display()
            );
        }
        Command::Diff { from } => {
            let source = source(from)?;
            let changes = runtime()?.block_on(references::diff(&layout, &source))?;
            println!(
                "references diff: {} against {}",
                source.describe(),
                layout.references_dir.display()
            );
            print_out(&xtask::reference_diff::render(&changes))?;
        }
        Command::Check => {
            let files = references::check(&layout)?;
            println!(
                "{} matches {} ({files} files)",
                layout.references_dir.display(),
                layout.lock_file.display()
            );
        }
        Command::Expand { target, out } => {
            let source = expand::expand(&layout.references_dir, &target)?;
            match out {
                Some(out) => {
                    expand::write(&out, &source)?;
                    eprintln!("wrote {} to {}", target.describe(), out.display());
                }
                None => print_out(&source)?,
            }
        }
        Command::CodegenReport { json } => {
            let report = codegen_report::collect(&layout.references_dir)?;
            if json {
                let text = serde_json::to_string_pretty(&report.to_json())
                    .map_err(|e| Error::msg(format!("rendering the report: {e}")))?;
                print_out(&format!("{text}\n"))?;
            } else {
                print_out(&report.to_text())?;
            }
        }
        Command::BenchBuild(options) => {
            bench_build::run(&references::workspace_root(), options)?;
        }
        Command::BenchTransfer { options, inner } => {
            bench_transfer::dispatch(&references::workspace_root(), options, inner)?;
        }
        Command::BenchPulse { options, inner } => {
            bench_pulse::dispatch(&references::workspace_root(), options, inner)?;
        }
        Command::BenchCalls(options) => {
            bench_calls::run(&references::workspace_root(), options)?;
        }
    }
    Ok(())
}

/// Writes to stdout; a reader that stops early (`| head`) is not an error.
fn print_out(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::msg(format!("writing to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse(&args("")).unwrap(), Command::Help);
        assert_eq!(parse(&args("references check")).unwrap(), Command::Check);
        assert_eq!(
            parse(&args("references import")).unwrap(),
            Command::Import { from: None }
        );
        assert_eq!(
            parse(&args("references diff --from /x")).unwrap(),
            Command::Diff {
                from: Some("/x".into())
            }
        );
        assert_eq!(
            parse(&args("references update --from /x")).unwrap(),
            Command::Update {
                from: Some("/x".into())
            }
        );
        assert_eq!(
            parse(&args("references import --from=https://tc.example.com")).unwrap(),
            Command::Import {
                from: Some("https://tc.example.com".into())
            }
        );
        assert!(parse(&args("references import --from")).is_err());
        assert!(parse(&args("references check --from /x")).is_err());
        assert!(parse(&args("references")).is_err());
        assert!(parse(&args("nope")).is_err());
    }

    #[test]
    fn parses_expand() {
        assert_eq!(
            parse(&args("expand queue")).unwrap(),
            Command::Expand {
                target: Target::Service("queue".into()),
                out: None
            }
        );
        assert_eq!(
            parse(&args("expand --out /tmp/q.rs purge-cache")).unwrap(),
            Command::Expand {
                target: Target::Service("purge-cache".into()),
                out: Some("/tmp/q.rs".into())
            }
        );
        assert_eq!(
            parse(&args(
                "expand --schema generic-worker/multiuser_posix.json --out=x.rs"
            ))
            .unwrap(),
            Command::Expand {
                target: Target::Schema("generic-worker/multiuser_posix.json".into()),
                out: Some("x.rs".into())
            }
        );
        assert!(parse(&args("expand")).is_err());
        assert!(parse(&args("expand queue auth")).is_err());
        assert!(parse(&args("expand queue --schema a.json")).is_err());
        assert!(parse(&args("expand queue --out")).is_err());
        assert!(parse(&args("expand --schema")).is_err());
        assert!(parse(&args("expand queue --verbose")).is_err());
    }

    #[test]
    fn parses_report_and_bench() {
        assert_eq!(
            parse(&args("codegen-report")).unwrap(),
            Command::CodegenReport { json: false }
        );
        assert_eq!(
            parse(&args("codegen-report --json")).unwrap(),
            Command::CodegenReport { json: true }
        );
        assert!(parse(&args("codegen-report --yaml")).is_err());
        assert_eq!(
            parse(&args("bench-build")).unwrap(),
            Command::BenchBuild(Options { runs: 1 })
        );
        assert_eq!(
            parse(&args("bench-build --runs 3")).unwrap(),
            Command::BenchBuild(Options { runs: 3 })
        );
        assert_eq!(
            parse(&args("bench-build --runs=5")).unwrap(),
            Command::BenchBuild(Options { runs: 5 })
        );
        assert!(parse(&args("bench-build --runs 0")).is_err());
        assert!(parse(&args("bench-build --runs x")).is_err());
        assert!(parse(&args("bench-build --runs")).is_err());
    }

    #[test]
    fn parses_bench_transfer() {
        let transfer = |size_mib, rounds, inner| Command::BenchTransfer {
            options: bench_transfer::Options { size_mib, rounds },
            inner,
        };
        assert_eq!(
            parse(&args("bench-transfer")).unwrap(),
            transfer(1024, 3, false)
        );
        assert_eq!(
            parse(&args("bench-transfer --size-mib 64 --rounds 1")).unwrap(),
            transfer(64, 1, false)
        );
        assert_eq!(
            parse(&args("bench-transfer --inner --rounds=5 --size-mib=8")).unwrap(),
            transfer(8, 5, true)
        );
        assert!(parse(&args("bench-transfer --size-mib 0")).is_err());
        assert!(parse(&args("bench-transfer --rounds")).is_err());
        assert!(parse(&args("bench-transfer --rounds x")).is_err());
        assert!(parse(&args("bench-transfer --fast")).is_err());
    }
}
