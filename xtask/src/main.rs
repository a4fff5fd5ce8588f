//! `cargo xtask`: project tasks of tc-client.

use std::process::ExitCode;

use xtask::reference_set::Source;
use xtask::references::{self, Layout};
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

--from: a directory laid out like a deployment (references/, schemas/) or the root URL
of a Taskcluster deployment. Default: ../shared/taskcluster-api beside the workspace if it
exists, else $TASKCLUSTER_ROOT_URL.";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Import { from: Option<String> },
    Update { from: Option<String> },
    Check,
}

fn parse(args: &[String]) -> Result<Command> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["help" | "-h" | "--help"] => Ok(Command::Help),
        ["references", "check"] => Ok(Command::Check),
        ["references", sub @ ("import" | "update"), rest @ ..] => {
            let from = parse_from(rest)?;
            Ok(if *sub == "import" {
                Command::Import { from }
            } else {
                Command::Update { from }
            })
        }
        _ => Err(Error::msg(format!("unknown arguments: {}", args.join(" ")))),
    }
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
    let layout = Layout::workspace();
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
        Command::Check => {
            let files = references::check(&layout)?;
            println!(
                "{} matches {} ({files} files)",
                layout.references_dir.display(),
                layout.lock_file.display()
            );
        }
    }
    Ok(())
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
}
