//! Answers written to stdout as JSON: pretty on a terminal, one compact line
//! otherwise or with `--compact`.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::failure::Failure;

/// How JSON is written.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// One line per value.
    pub compact: bool,
}

impl Output {
    /// `--compact`, or stdout is not a terminal.
    pub fn new(compact_flag: bool) -> Output {
        Output {
            compact: compact_flag || !std::io::stdout().is_terminal(),
        }
    }

    /// Writes `value` and a line break.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), Failure> {
        let text = if self.compact {
            serde_json::to_string(value)
        } else {
            serde_json::to_string_pretty(value)
        }
        .map_err(|e| Failure::Other(format!("cannot encode the answer: {e}")))?;
        line(&text)
    }
}

/// Writes `text` and a line break to stdout.
pub fn line(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Other(format!("cannot write to stdout: {e}")))
}
