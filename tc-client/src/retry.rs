//! Retry policy: exponential backoff with jitter, like the official clients.

use std::time::Duration;

/// How failed requests are retried.
///
/// Retried are 5xx and 429 answers, connection errors and timeouts; other 4xx
/// answers never are. The defaults are those of the official clients: 5
/// retries, 100 ms base delay, factor 2, 25 % jitter, delays capped at 30 s.
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
    base_delay: Duration,
    factor: f64,
    jitter: f64,
    max_delay: Duration,
    deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            factor: 2.0,
            jitter: 0.25,
            max_delay: Duration::from_secs(30),
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
        self.base_delay = delay;
        self
    }

    /// Sets the factor the delay grows by after each retry (at least 1).
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = if factor.is_finite() {
            factor.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// Sets the jitter, a fraction of the delay (0.0 to 1.0) added or removed at random.
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Sets the longest delay between two attempts.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets an overall deadline across all attempts (the Go client's `MaxElapsedTime`).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed request is tried again.
    pub fn get_max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The overall deadline, if any.
    pub fn get_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The delay before retry number `retry` (0 for the first retry), with
    /// `random` in `[0, 1)` choosing the jitter.
    pub fn delay(&self, retry: u32, random: f64) -> Duration {
        let exp = self.factor.powi(retry.min(64) as i32);
        let nominal = self.base_delay.as_secs_f64() * exp;
        let spread = nominal * self.jitter * (2.0 * random - 1.0);
        let secs = (nominal + spread).clamp(0.0, self.max_delay.as_secs_f64());
        Duration::from_secs_f64(secs)
    }
}

/// A cheap random number in `[0, 1)` for jitter (not for secrets).
pub(crate) fn jitter_random() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let p = RetryPolicy::default().jitter(0.0);
        assert_eq!(p.delay(0, 0.5), Duration::from_millis(100));
        assert_eq!(p.delay(1, 0.5), Duration::from_millis(200));
        assert_eq!(p.delay(3, 0.5), Duration::from_millis(800));
        assert_eq!(p.delay(20, 0.5), Duration::from_secs(30));
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
