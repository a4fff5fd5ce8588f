//! HTTP plumbing shared by uploads and downloads of data URLs: error mapping,
//! the stall timeout and redirects.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tc_client::__private::transfer::shown_url;
use tc_client::__private::transfer::{CallSite, ShownText};
use tc_client::{__private::transfer::excerpt, Error};

/// How a failed attempt failed, and the server's `Retry-After`, if any.
pub(crate) type Failure = (Error, Option<Duration>);

/// Redirects followed at most by one GET.
const MAX_REDIRECTS: usize = 10;

/// What one attempt is: names the data transfer in errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt<'a> {
    /// Like a service method: `object.getUrl`, `queue.s3Artifact`.
    pub service_method: &'a str,
    /// `"GET"` or `"PUT"`.
    pub method: &'static str,
    /// The data URL, as the service gave it (errors show it without its query).
    pub url: &'a str,
    /// The attempt number, from 1.
    pub number: u32,
}

impl Attempt<'_> {
    fn with_site<T>(&self, f: impl FnOnce(&CallSite<'_>) -> T) -> T {
        f(&CallSite {
            service_method: &self.service_method,
            method: self.method,
            url: &ShownText(self.url),
        })
    }

    /// A transport error (retryable).
    pub(crate) fn transport(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            return self.timeout();
        }
        self.with_site(|site| site.transport(self.number, Box::new(e.without_url())))
    }

    /// A transport error with an I/O cause (retryable).
    pub(crate) fn transport_io(&self, e: std::io::Error) -> Error {
        self.with_site(|site| site.transport(self.number, Box::new(e)))
    }

    /// A stalled or timed-out attempt (retryable).
    pub(crate) fn timeout(&self) -> Error {
        self.with_site(|site| site.timeout(self.number))
    }

    /// A URL or answer the service gave that cannot be used (not retryable);
    /// `status` when an answer arrived.
    pub(crate) fn decode(&self, status: Option<u16>, message: String, excerpt: String) -> Error {
        self.with_site(|site| site.decode(status, message, excerpt))
    }

    /// The error for a response whose status is not a success; reads (a
    /// little of) its body for the message.
    pub(crate) async fn status_error(
        &self,
        method: &'static str,
        url: &url::Url,
        mut response: reqwest::Response,
    ) -> Failure {
        let status = response.status().as_u16();
        let retry_after = tc_client::__private::transfer::retry_after(response.headers());
        let mut body = Vec::new();
        while body.len() < 4096 {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        #[derive(serde::Deserialize)]
        struct ErrorBody {
            code: Option<String>,
            message: Option<String>,
        }
        let (code, message) = match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(parsed) => (
                parsed.code,
                parsed.message.unwrap_or_else(|| excerpt(&body)),
            ),
            Err(_) => (None, excerpt(&body)),
        };
        let error = Error::Api {
            status,
            code,
            message,
            service_method: self.service_method.to_owned(),
            method,
            url: shown_url(url),
            attempts: self.number,
        };
        (error, retry_after)
    }

    /// GETs `url`, following redirects when `follow` (never sending
    /// credentials: data URLs carry their own authorization).
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        url: &str,
        follow: bool,
    ) -> Result<(url::Url, reqwest::Response), Failure> {
        let mut url = self.parse_url(url).map_err(|e| (e, None))?;
        for _ in 0..=MAX_REDIRECTS {
            let response = http
                .get(url.clone())
                .send()
                .await
                .map_err(|e| (self.transport(e), None))?;
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok());
            match location {
                Some(location) if follow && response.status().is_redirection() => {
                    url = url.join(location).map_err(|e| {
                        let message = format!("bad redirect location: {e}");
                        (
                            self.decode(None, message, excerpt(location.as_bytes())),
                            None,
                        )
                    })?;
                }
                _ => return Ok((url, response)),
            }
        }
        let message = format!("more than {MAX_REDIRECTS} redirects");
        Err((self.decode(None, message, shown_url(&url)), None))
    }

    /// Parses a URL the service gave.
    pub(crate) fn parse_url(&self, url: &str) -> Result<url::Url, Error> {
        url::Url::parse(url).map_err(|e| {
            let message = format!("bad data URL: {e}");
            let shown = url.split(['?', '#']).next().unwrap_or_default();
            self.decode(None, message, excerpt(shown.as_bytes()))
        })
    }
}

/// Counts progress events of an attempt, for [`stall_guard`].
#[derive(Debug, Default)]
pub(crate) struct Activity(AtomicU64);

impl Activity {
    /// Records that bytes moved.
    pub(crate) fn bump(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Runs `attempt`, failing it with `on_stall` once `activity` has not moved
/// for `timeout` (detected within one to two `timeout`s).
pub(crate) async fn stall_guard<T>(
    attempt: impl Future<Output = Result<T, Failure>>,
    timeout: Duration,
    activity: &Activity,
    on_stall: impl FnOnce() -> Error,
) -> Result<T, Failure> {
    let mut attempt = std::pin::pin!(attempt);
    let mut seen = activity.get();
    loop {
        tokio::select! {
            biased;
            outcome = &mut attempt => return outcome,
            () = tokio::time::sleep(timeout) => {
                let now = activity.get();
                if now == seen {
                    return Err((on_stall(), None));
                }
                seen = now;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_stall_guard_fails_a_silent_attempt_and_spares_a_busy_one() {
        let attempt = Attempt {
            service_method: "object.getUrl",
            method: "GET",
            url: "https://s3.example.com/bucket/object?X-Amz-Signature=secret",
            number: 1,
        };
        let activity = Activity::default();
        let silent = std::future::pending::<Result<(), Failure>>();
        let outcome = stall_guard(silent, Duration::from_secs(5), &activity, || {
            attempt.timeout()
        })
        .await;
        assert!(matches!(outcome, Err((Error::Timeout { .. }, None))));
        let (error, _) = outcome.unwrap_err();
        assert_eq!(
            error.to_string(),
            "GET https://s3.example.com/bucket/object (object.getUrl): timed out after 1 attempt(s)"
        );

        // Busy for 60 s with a byte every second, then done.
        let busy = async {
            for _ in 0..60 {
                tokio::time::sleep(Duration::from_secs(1)).await;
                activity.bump();
            }
            Ok::<_, Failure>(42)
        };
        let outcome = stall_guard(busy, Duration::from_secs(5), &activity, || {
            attempt.timeout()
        })
        .await;
        assert_eq!(outcome.unwrap(), 42);
    }
}
