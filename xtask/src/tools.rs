//! Small helpers the benches share: the cargo to run, tool versions, log tails.

use std::path::Path;
use std::process::Command;

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
