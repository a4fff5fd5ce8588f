//! Small helpers the benches share: the cargo to run, tool versions, log tails,
//! argument parsing.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

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
