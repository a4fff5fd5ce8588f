//! The one error type of tc-client.

use std::fmt;

/// A specialized `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Taskcluster.
///
/// API errors carry what the service said (status, Taskcluster error code,
/// message) and which call failed (service method, HTTP method, URL). URLs in
/// errors never carry a bewit or a token.
///
/// The enum is `#[non_exhaustive]`: match the variants you handle and end
/// with a catch-all arm. [`status`](Error::status), [`code`](Error::code) and
/// [`is_retryable`](Error::is_retryable) answer the usual questions without
/// a `match`.
///
/// ```
/// use std::time::Duration;
/// use tc_client::{Credentials, Error, RetryPolicy, secrets::Secrets};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let tc = tc_fake::start().await?;
/// # let (client_id, access_token) = tc.root_credentials();
/// let root = Credentials::new(client_id, access_token);
/// // Credentials that may read one secret only.
/// let narrow = root.create_temp_creds(Duration::from_secs(600), ["secrets:get:project/a"])?;
/// let secrets = Secrets::new(Some(narrow), tc.root_url())?;
/// match secrets.get("project/b").await {
///     Err(Error::Api { status, code, service_method, method, attempts, .. }) => {
///         assert_eq!(status, 403);
///         assert_eq!(code.as_deref(), Some("InsufficientScopes"));
///         assert_eq!((service_method.as_str(), method), ("secrets.get", "GET"));
///         assert_eq!(attempts, 1); // a 4xx is not retried
///     }
///     Err(other) => panic!("another error: {other}"),
///     Ok(_) => panic!("the secret was readable"),
/// }
///
/// // A deployment that answers too slowly: each attempt times out.
/// let slow = Secrets::builder()
///     .root_url(tc.root_url())
///     .timeout(Duration::from_millis(50))
///     .retry(RetryPolicy::default().max_retries(1).base_delay(Duration::from_millis(1)))
///     .build()?;
/// tc.delay_next("secrets", "ping", 2, Duration::from_secs(1));
/// let error = slow.ping().await.unwrap_err();
/// assert!(matches!(error, Error::Timeout { attempts: 2, .. }), "{error}");
/// assert!(error.is_retryable());
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status.
    #[error("{method} {url} ({service_method}) failed with {status} after {attempts} attempt(s): {}", .code.as_deref().map_or_else(|| .message.clone(), |c| format!("{c}: {}", .message)))]
    Api {
        /// HTTP status of the response.
        status: u16,
        /// Taskcluster's error code (`ResourceNotFound`, `InsufficientScopes`, ...), when the body had one;
        /// for the queue's 424 answer to an error artifact, the artifact's reason
        /// (`file-missing-on-worker`, ...).
        code: Option<String>,
        /// The error message of the body, or an excerpt of a body that was not JSON;
        /// when the call ended because the server asked to wait longer than the retry
        /// policy allows, followed by how long it asked; last, when the service named
        /// its answer (`x-for-request-id`, which Taskcluster's services send), a line
        /// `request id: <id>` after an empty one, for its operators' logs.
        message: String,
        /// The service method, like `queue.createTask`.
        service_method: String,
        /// The HTTP method (`"GET"`, ...).
        method: &'static str,
        /// The request URL, without query string secrets.
        url: String,
        /// How many attempts were made before giving up.
        attempts: u32,
    },
    /// An API answer was larger than the client's cap
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size));
    /// it was not read further, nor retried.
    #[error(
        "{method} {url} ({service_method}): the answer is larger than the limit of {limit} bytes; not read further (`max_response_size` on the client's builder raises the limit; a paged method also takes a smaller `limit`)"
    )]
    ResponseTooLarge {
        /// The service method, like `queue.listTaskGroup`.
        service_method: String,
        /// The HTTP method (`"GET"`, ...).
        method: &'static str,
        /// The request URL, without its query string.
        url: String,
        /// The cap, in bytes.
        limit: u64,
    },
    /// The request could not be sent or the response not read (connection refused, reset, ...).
    #[error(
        "{method} {url} ({service_method}): transport error after {attempts} attempt(s): {source}"
    )]
    Transport {
        /// The service method, like `queue.createTask` (for data transfers, the
        /// method that gave the URL, like `object.getUrl`).
        service_method: String,
        /// The HTTP method (`"GET"`, ...).
        method: &'static str,
        /// The request URL, without its query string.
        url: String,
        /// How many attempts were made before giving up.
        attempts: u32,
        /// What the HTTP stack reported.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A request or the whole retry sequence ran out of time.
    #[error("{method} {url} ({service_method}): timed out after {attempts} attempt(s)")]
    Timeout {
        /// The service method, like `queue.createTask`.
        service_method: String,
        /// The HTTP method (`"GET"`, ...).
        method: &'static str,
        /// The request URL, without its query string.
        url: String,
        /// How many attempts were made before giving up.
        attempts: u32,
    },
    /// A response body did not match the type the reference promises, or
    /// held an answer this version of tc-client cannot act on.
    #[error(
        "{method} {url} ({service_method}): could not decode the answer{}: {message}; body starts with: {excerpt}",
        .status.map(|s| format!(" (status {s})")).unwrap_or_default()
    )]
    Decode {
        /// The service method, like `queue.createTask`.
        service_method: String,
        /// The HTTP method (`"GET"`, ...).
        method: &'static str,
        /// The request URL, without its query string.
        url: String,
        /// The HTTP status of the answer, when one arrived (a data URL that
        /// cannot be parsed or followed has none).
        status: Option<u16>,
        /// What the decoder said, starting with the JSON path of the
        /// offending field (`at tasks[3].status.runs[0].started: ...`).
        message: String,
        /// The start of the body.
        excerpt: String,
    },
    /// Credentials are missing or unusable.
    #[error("credentials: {0}")]
    Credentials(String),
    /// The client is configured wrongly (a bad root URL, a missing environment variable, ...).
    #[error("configuration: {0}")]
    Configuration(String),
    /// An argument given to tc-client is not acceptable.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Downloaded data did not match the hash the service gave for it.
    #[error("integrity check failed: {0}")]
    Integrity(String),
    /// The artifact is an `error` artifact: the task declared it could not
    /// provide it (`Queue::download_artifact_*`). The queue answers such an
    /// artifact's content with its `reason` and `message`.
    #[error("artifact {artifact} is an error artifact: {reason}: {message}")]
    Artifact {
        /// Which artifact: `<taskId>/<runId>/<name>` (`latest` for the latest run).
        artifact: String,
        /// Why the artifact does not exist (`file-missing-on-worker`, ...).
        reason: String,
        /// The human-readable explanation the task gave.
        message: String,
    },
    /// A local I/O operation failed.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The file the operation was about.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A Pulse (AMQP) operation failed.
    #[error("pulse: {0}")]
    Pulse(String),
    /// A Pulse message whose body does not match its exchange's schema (or
    /// whose routing key does not have the exchange's shape); the stream it
    /// came on goes on.
    #[error("pulse: undecodable message on {exchange} ({routing_key}): {message}; body starts with: {}", excerpt(.body))]
    PulseDecode {
        /// The exchange the message was published on.
        exchange: String,
        /// Its routing key.
        routing_key: String,
        /// The raw body.
        body: Vec<u8>,
        /// What the decoder said.
        message: String,
    },
}

/// What an API error's message ends with when the service named its answer
/// ([`Error::request_id`]).
pub(crate) const REQUEST_ID_LINE: &str = "\n\nrequest id: ";

impl Error {
    /// The HTTP status of an API error, if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Taskcluster's error code of an API error (`ResourceNotFound`, ...), if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The id the service named an API error's answer with (`x-for-request-id`), which
    /// its operators find in their logs; tc-client keeps it at the end of the message.
    ///
    /// ```
    /// let error = tc_client::Error::Api {
    ///     status: 404,
    ///     code: Some("ResourceNotFound".into()),
    ///     message: "No such task\n\nrequest id: 3f2a".into(),
    ///     service_method: "queue.task".into(),
    ///     method: "GET",
    ///     url: "https://tc.example.com/api/queue/v1/task/x".into(),
    ///     attempts: 1,
    /// };
    /// assert_eq!(error.request_id(), Some("3f2a"));
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. } => {
                let (_, rest) = message.rsplit_once(REQUEST_ID_LINE)?;
                rest.split_whitespace().next()
            }
            _ => None,
        }
    }

    /// Whether trying the same request again may succeed: 5xx, 429, transport
    /// errors and timeouts.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } => *status >= 500 || *status == 429,
            Error::Transport { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }
}

/// Cuts a body to a short excerpt fit for an error message.
pub fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX)]);
    let mut out = text.into_owned();
    if body.len() > MAX {
        out.push('…');
    }
    out
}

/// Shown in place of a secret.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_stay_small_enough_for_callers_results() {
        // Clippy's `result_large_err` flags every function of a user's
        // returning `Result<_, Error>` once the error reaches 128 bytes.
        assert!(
            std::mem::size_of::<Error>() < 128,
            "{}",
            std::mem::size_of::<Error>()
        );
    }
}
