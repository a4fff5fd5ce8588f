//! Exponential backoff with jitter: the delays between the attempts of an
//! API call or transfer ([`RetryPolicy`](crate::RetryPolicy)) and between the
//! reconnects of the Pulse listener.

use std::time::Duration;

/// Delays that start at `base`, grow by `factor` and stop growing at `max`,
/// each moved at random by up to `jitter` of itself.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Backoff {
    pub(crate) base: Duration,
    pub(crate) factor: f64,
    pub(crate) jitter: f64,
    pub(crate) max: Duration,
}

impl Backoff {
    /// The delay before retry number `retry` (0 for the first), with `random`
    /// in `[0, 1)` choosing the jitter.
    pub(crate) fn delay(&self, retry: u32, random: f64) -> Duration {
        let exp = self.factor.powi(retry.min(64) as i32);
        let nominal = self.base.as_secs_f64() * exp;
        let spread = nominal * self.jitter * (2.0 * random - 1.0);
        let secs = (nominal + spread).clamp(0.0, self.max.as_secs_f64());
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
    fn delays_double_up_to_the_maximum_without_jitter() {
        let backoff = Backoff {
            base: Duration::from_millis(100),
            factor: 2.0,
            jitter: 0.0,
            max: Duration::from_millis(500),
        };
        let delays: Vec<u128> = (0..5).map(|n| backoff.delay(n, 0.9).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 500, 500]);
        assert_eq!(backoff.delay(u32::MAX, 0.0), Duration::from_millis(500));
    }

    #[test]
    fn jitter_moves_a_delay_by_at_most_its_fraction() {
        let backoff = Backoff {
            base: Duration::from_secs(1),
            factor: 2.0,
            jitter: 0.25,
            max: Duration::from_secs(30),
        };
        assert_eq!(backoff.delay(0, 0.0), Duration::from_millis(750));
        assert_eq!(backoff.delay(0, 0.5), Duration::from_secs(1));
        assert!(backoff.delay(0, 0.999_999) < Duration::from_millis(1250));
        let r = jitter_random();
        assert!((0.0..1.0).contains(&r));
    }
}
