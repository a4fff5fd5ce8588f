//! What ends a command other than success: a one-line message on stderr and an exit code
//! that tells the kinds apart.

use std::fmt;
use std::process::ExitCode;

/// Exit code of a usage error or of an input refused before anything was sent.
pub const EXIT_USAGE: u8 = 2;
/// Exit code of an API error (4xx).
pub const EXIT_API: u8 = 3;
/// Exit code of a server error (5xx) once the retries are spent.
pub const EXIT_SERVER: u8 = 4;
/// Exit code of a transport failure (connection refused or reset, timeout).
pub const EXIT_TRANSPORT: u8 = 5;
/// Exit code of any other failure (a local file, a download that failed its check).
pub const EXIT_OTHER: u8 = 1;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// A bad argument or input: nothing was sent.
    Usage(String),
    /// What tc-client answered.
    Client(tc_client::Error),
    /// Anything else (a file that cannot be read or written, ...).
    Other(String),
}

impl From<tc_client::Error> for Failure {
    fn from(error: tc_client::Error) -> Self {
        match error {
            tc_client::Error::InvalidArgument(message) => Failure::Usage(message),
            error => Failure::Client(error),
        }
    }
}

impl Failure {
    /// The process's exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::Usage(_) => EXIT_USAGE,
            Failure::Other(_) => EXIT_OTHER,
            Failure::Client(error) => match error {
                tc_client::Error::Api { status, .. } if *status >= 500 => EXIT_SERVER,
                tc_client::Error::Api { .. } => EXIT_API,
                tc_client::Error::Transport { .. } | tc_client::Error::Timeout { .. } => {
                    EXIT_TRANSPORT
                }
                tc_client::Error::Configuration(_) | tc_client::Error::Credentials(_) => EXIT_USAGE,
                _ => EXIT_OTHER,
            },
        })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Other(message) => f.write_str(&one_line(message)),
            Failure::Client(
                error @ tc_client::Error::Api {
                    status,
                    code,
                    message,
                    service_method,
                    ..
                },
            ) => {
                // The services end their messages with a `---` block repeating the
                // method, code, status and time, and tc-client adds the request id
                // on a line of its own: the line keeps what comes before either.
                let message = ["\n---", "\n\nrequest id: "]
                    .iter()
                    .fold(message.as_str(), |text, end| {
                        text.split(end).next().unwrap_or(text)
                    });
                let code = code.as_deref().unwrap_or("error");
                write!(
                    f,
                    "{service_method}: {status} {code}: {}",
                    one_line(message)
                )?;
                match error.request_id() {
                    Some(id) => write!(f, " (request id {id})"),
                    None => Ok(()),
                }
            }
            Failure::Client(error) => f.write_str(&one_line(&error.to_string())),
        }
    }
}

/// `text` with its runs of whitespace (line breaks included) as single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_are_one_line_without_the_trailing_block() {
        let failure = Failure::Client(tc_client::Error::Api {
            status: 404,
            code: Some("ResourceNotFound".into()),
            message: "No task\nwith that id\n\n---\n\n* method: task\n\nrequest id: 0f3c".into(),
            service_method: "queue.task".into(),
            method: "GET",
            url: "http://x/api/queue/v1/task/a".into(),
            attempts: 1,
        });
        assert_eq!(
            failure.to_string(),
            "queue.task: 404 ResourceNotFound: No task with that id (request id 0f3c)"
        );
        assert_eq!(failure.exit_code(), ExitCode::from(EXIT_API));
    }
}
