//! Errors of the generator: each names the service, the entry and the JSON
//! pointer it is about.

use std::fmt;
use std::path::PathBuf;

/// Where in the references an error was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The service (or schema file) being generated.
    pub service: String,
    /// The API entry or exchange, when the error is about one.
    pub entry: Option<String>,
    /// The file, as a root-relative reference path (`/schemas/queue/v1/task.json`).
    pub file: Option<String>,
    /// The JSON pointer inside the file.
    pub pointer: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service `{}`", self.service)?;
        if let Some(entry) = &self.entry {
            write!(f, ", entry `{entry}`")?;
        }
        if let Some(file) = &self.file {
            write!(f, ", in {file}")?;
            if let Some(pointer) = &self.pointer {
                write!(f, "#{pointer}")?;
            }
        }
        Ok(())
    }
}

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The references folder does not exist.
    #[error(
        "the Taskcluster references were not found at {}: run `cargo xtask references import` first",
        .0.display()
    )]
    NoReferences(PathBuf),
    /// A file could not be read.
    #[error("{location}: cannot read {}: {source}", .path.display())]
    Read {
        /// Where the file was needed.
        location: Box<Location>,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not valid JSON.
    #[error("{location}: malformed JSON in {}: {message}", .path.display())]
    Json {
        /// The file.
        location: Box<Location>,
        /// The file path.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// The service is not in the reference manifest.
    #[error("unknown service `{service}`; the references know: {known}")]
    UnknownService {
        /// The requested service.
        service: String,
        /// The services the manifest lists.
        known: String,
    },
    /// A reference document or schema does not have the expected shape.
    #[error("{location}: {message}")]
    Invalid {
        /// Where.
        location: Box<Location>,
        /// What is wrong.
        message: String,
    },
    /// A `$ref` points nowhere.
    #[error("{location}: unresolvable $ref `{reference}`: {message}")]
    UnresolvedRef {
        /// Where the `$ref` is.
        location: Box<Location>,
        /// The `$ref` value.
        reference: String,
        /// Why it does not resolve.
        message: String,
    },
    /// typify refused (or panicked on) the bundled schemas.
    #[error("{location}: type generation failed: {message}")]
    Typify {
        /// Where.
        location: Box<Location>,
        /// What typify said.
        message: String,
    },
}

/// The generator's result type.
pub type Result<T, E = CodegenError> = std::result::Result<T, E>;
