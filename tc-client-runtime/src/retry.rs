//! Retry policy: exponential backoff with jitter, like the official clients.

use std::future::Future;
use std::time::Duration;

use crate::backoff::{Backoff, jitter_random};
use crate::client::call_site::CallSite;
use crate::error::{Error, Result};

/// The default overall deadline of a call: the Go client's 15 minutes.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(15 * 60);

/// How failed requests are retried.
///
/// Retried are 5xx and 429 answers, connection errors and timeouts; other 4xx
/// answers never are. The defaults are those of the official clients: 5
/// retries, 100 ms base delay, factor 2, 25 % jitter, delays capped at 30 s,
/// and, for an API call, 15 minutes in all, retries included (the Go client's
/// `MaxElapsedTime`), so that no call outlasts that whatever the server does.
/// Object and artifact transfers, whose length grows with their size, have an
/// overall deadline only when one is set.
///
/// A `Retry-After` on a 429 or 5xx answer lengthens the next delay, up to
/// [`max_retry_after`](RetryPolicy::max_retry_after) (30 s by default); an
/// answer that asks for longer ends the call at once with its error, whose
/// message says how long the server asked to wait.
///
/// ```
/// use std::time::Duration;
/// use tc_client::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(3)
///     .base_delay(Duration::from_millis(50))
///     .deadline(Duration::from_secs(20));
/// assert_eq!(policy.get_max_retries(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_retries: u32,
    backoff: Backoff,
    max_retry_after: Duration,
    deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            backoff: Backoff {
                base: Duration::from_millis(100),
                factor: 2.0,
                jitter: 0.25,
                max: Duration::from_secs(30),
            },
            max_retry_after: Duration::from_secs(30),
            deadline: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sets how many times a failed request is tried again (0: never).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sets the delay before the first retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.backoff.base = delay;
        self
    }

    /// Sets the factor the delay grows by after each retry (at least 1).
    pub fn factor(mut self, factor: f64) -> Self {
        self.backoff.factor = if factor.is_finite() {
            factor.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// Sets the jitter, a fraction of the delay (0.0 to 1.0) added or removed at random.
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.backoff.jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Sets the longest delay of the backoff between two attempts.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.backoff.max = delay;
        self
    }

    /// Sets the longest wait a server's `Retry-After` may ask for (30 s by
    /// default); an answer asking for longer ends the call with its error.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Sets an overall deadline across all attempts (the Go client's
    /// `MaxElapsedTime`), for API calls (15 minutes when none is set) and
    /// transfers (none when none is set).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed request is tried again.
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The overall deadline set with [`deadline`](RetryPolicy::deadline), if any.
    pub fn get_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The overall deadline of an API call: the one set, else 15 minutes.
    pub fn call_deadline(&self) -> Duration {
        self.deadline.unwrap_or(DEFAULT_DEADLINE)
    }

    /// The delay before retry number `retry` (0 for the first retry), with
    /// `random` in `[0, 1)` choosing the jitter.
    pub fn delay(&self, retry: u32, random: f64) -> Duration {
        self.backoff.delay(retry, random)
    }
}

/// Runs `attempt` (given the attempt number, from 1) until it succeeds, fails
/// with an error that is not retryable, or the policy gives up.
///
/// A failed attempt may carry the server's `Retry-After`, which lengthens the
/// next delay. With a deadline, an attempt is cut short when the deadline
/// passes (`Error::Timeout`), and no retry starts that would sleep past it.
pub async fn with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    deadline: Option<Duration>,
    site: &CallSite<'_>,
    mut attempt: F,
) -> Result<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = std::result::Result<T, (Error, Option<Duration>)>>,
{
    let started = tokio::time::Instant::now();
    let mut number: u32 = 0;
    loop {
        number += 1;
        let outcome = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_sub(started.elapsed());
                match tokio::time::timeout(left, attempt(number)).await {
                    Ok(outcome) => outcome,
                    Err(_) => return Err(site.timeout(number)),
                }
            }
            None => attempt(number).await,
        };
        let (mut error, retry_after) = match outcome {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        if !error.is_retryable() || number > policy.max_retries {
            return Err(error);
        }
        let mut delay = policy.delay(number - 1, jitter_random());
        if let Some(after) = retry_after {
            if after > policy.max_retry_after {
                // Waiting that long would outlast what the policy allows: the
                // server's answer is the call's, saying what it asked for.
                if let Error::Api { message, .. } = &mut error {
                    message.push_str(&format!(
                        " (the server asked to wait {} s, longer than the {} s the retry policy waits at most)",
                        after.as_secs(),
                        policy.max_retry_after.as_secs()
                    ));
                }
                return Err(error);
            }
            delay = delay.max(after);
        }
        if let Some(deadline) = deadline
            && started.elapsed() + delay >= deadline
        {
            return Err(error);
        }
        tracing::info!(
            service_method = %site.service_method,
            method = site.method,
            url = %site.url,
            attempt = number,
            delay_ms = delay.as_millis() as u64,
            error = %error,
            "request failed; retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

/// How long a response's `Retry-After` asks to wait: a number of seconds or
/// an HTTP date (RFC 9110 allows both); a date in the past means now.
/// `None` when the header is absent or unreadable.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The call the tests' errors name.
    const SITE: CallSite<'static> = CallSite {
        service_method: &"queue.task",
        method: "GET",
        url: &"https://tc.example.com/api/queue/v1/task/x",
    };

    #[test]
    fn retry_after_is_read_in_seconds_or_as_an_http_date() {
        use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
            retry_after(&headers)
        };
        assert_eq!(with("120"), Some(Duration::from_secs(120)));
        assert_eq!(with(" 7 "), Some(Duration::from_secs(7)));
        let in_a_minute = std::time::SystemTime::now() + Duration::from_secs(60);
        let wait = with(&httpdate::fmt_http_date(in_a_minute)).unwrap();
        assert!(
            wait > Duration::from_secs(55) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert_eq!(with("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO));
        assert_eq!(with("soon"), None);
        assert_eq!(with("-5"), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn delays_grow_and_are_capped() {
        let p = RetryPolicy::default().jitter(0.0);
        assert_eq!(p.delay(0, 0.5), Duration::from_millis(100));
        assert_eq!(p.delay(1, 0.5), Duration::from_millis(200));
        assert_eq!(p.delay(3, 0.5), Duration::from_millis(800));
        assert_eq!(p.delay(20, 0.5), Duration::from_secs(30));
    }

    fn server_error(attempts: u32) -> Error {
        Error::Api {
            status: 500,
            code: None,
            message: "boom".into(),
            service_method: "queue.task".into(),
            method: "GET",
            url: "http://x/".into(),
            attempts,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_follow_the_policy_in_virtual_time() {
        let policy = RetryPolicy::default().jitter(0.0).max_retries(3);
        let start = tokio::time::Instant::now();
        let mut seen = Vec::new();
        let result: Result<u32> = with_retries(&policy, Some(policy.call_deadline()), &SITE, |n| {
            seen.push((n, start.elapsed()));
            async move {
                if n < 4 {
                    Err((server_error(n), None))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(result.unwrap(), 4);
        let ms: Vec<(u32, u128)> = seen.iter().map(|(n, t)| (*n, t.as_millis())).collect();
        // 100, 200, 400 ms between the four attempts.
        assert_eq!(ms, vec![(1, 0), (2, 100), (3, 300), (4, 700)]);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_retries_and_counts_attempts() {
        let policy = RetryPolicy::default().max_retries(2);
        let mut calls = 0;
        let result: Result<()> = with_retries(&policy, Some(policy.call_deadline()), &SITE, |n| {
            calls += 1;
            async move { Err((server_error(n), None)) }
        })
        .await;
        assert_eq!(calls, 3);
        assert!(matches!(result, Err(Error::Api { attempts: 3, .. })));
    }

    #[tokio::test(start_paused = true)]
    async fn client_errors_are_not_retried() {
        let policy = RetryPolicy::default();
        let mut calls = 0;
        let result: Result<()> = with_retries(&policy, Some(policy.call_deadline()), &SITE, |n| {
            calls += 1;
            let error = Error::Api {
                status: 404,
                code: Some("ResourceNotFound".into()),
                message: "no".into(),
                service_method: "queue.task".into(),
                method: "GET",
                url: "http://x/".into(),
                attempts: n,
            };
            async move { Err((error, None)) }
        })
        .await;
        assert_eq!(calls, 1);
        assert_eq!(result.unwrap_err().status(), Some(404));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_lengthens_the_delay() {
        let policy = RetryPolicy::default().jitter(0.0);
        let start = tokio::time::Instant::now();
        let mut times = Vec::new();
        let _: Result<()> = with_retries(&policy, Some(policy.call_deadline()), &SITE, |n| {
            times.push(start.elapsed());
            let error = Error::Api {
                status: 429,
                code: None,
                message: "slow down".into(),
                service_method: "queue.task".into(),
                method: "GET",
                url: "http://x/".into(),
                attempts: n,
            };
            async move {
                if n == 1 {
                    Err((error, Some(Duration::from_secs(7))))
                } else {
                    Ok(())
                }
            }
        })
        .await;
        assert_eq!(times, vec![Duration::ZERO, Duration::from_secs(7)]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_stops_retrying_and_cuts_a_hung_attempt() {
        let policy = RetryPolicy::default()
            .jitter(0.0)
            .deadline(Duration::from_millis(250));
        let mut calls = 0;
        let result: Result<()> = with_retries(&policy, Some(policy.call_deadline()), &SITE, |n| {
            calls += 1;
            async move { Err((server_error(n), None)) }
        })
        .await;
        // Attempts at 0 and 100 ms; the next would start at 300 ms, past the deadline.
        assert_eq!(calls, 2);
        assert!(matches!(result, Err(Error::Api { .. })));

        let policy = RetryPolicy::default().deadline(Duration::from_secs(5));
        let result: Result<()> =
            with_retries(&policy, Some(policy.call_deadline()), &SITE, |_| async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok(())
            })
            .await;
        assert!(matches!(result, Err(Error::Timeout { attempts: 1, .. })));
        let shown = result.unwrap_err().to_string();
        assert_eq!(
            shown,
            "GET https://tc.example.com/api/queue/v1/task/x (queue.task): timed out after 1 attempt(s)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_longer_than_the_max_delay_ends_the_call_at_once() {
        let policy = RetryPolicy::default();
        let start = tokio::time::Instant::now();
        let mut calls = 0;
        let result: Result<()> = with_retries(&policy, Some(policy.call_deadline()), &SITE, |n| {
            calls += 1;
            let mut error = server_error(n);
            if let Error::Api { status, .. } = &mut error {
                *status = 429;
            }
            async move { Err((error, Some(Duration::from_secs(3600)))) }
        })
        .await;
        assert_eq!(calls, 1);
        assert_eq!(start.elapsed(), Duration::ZERO, "no sleep at all");
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Api { status: 429, .. }), "{error:?}");
        assert!(
            error
                .to_string()
                .ends_with("boom (the server asked to wait 3600 s, longer than the 30 s the retry policy waits at most)"),
            "{error}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn with_the_default_policy_a_call_ends_within_15_minutes_whatever_the_server_does() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.get_deadline(), None);
        assert_eq!(policy.call_deadline(), Duration::from_secs(15 * 60));
        let start = tokio::time::Instant::now();
        let result: Result<()> = with_retries(&policy, Some(policy.call_deadline()), &SITE, |_| {
            std::future::pending()
        })
        .await;
        assert!(
            matches!(result, Err(Error::Timeout { attempts: 1, .. })),
            "{result:?}"
        );
        assert_eq!(start.elapsed(), Duration::from_secs(15 * 60));
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let p = RetryPolicy::default();
        let low = p.delay(1, 0.0);
        let high = p.delay(1, 0.999_999);
        assert_eq!(low, Duration::from_millis(150));
        assert!(high > Duration::from_millis(249) && high <= Duration::from_millis(250));
        for _ in 0..100 {
            let r = jitter_random();
            assert!((0.0..1.0).contains(&r));
        }
    }
}
