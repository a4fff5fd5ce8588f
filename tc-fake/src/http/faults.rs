//! Fault injection and request counting, per API entry.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// What happens to a request instead of (or before) its normal answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Answer a Taskcluster-shaped error with this status (and `Retry-After`).
    Fail {
        status: u16,
        retry_after: Option<u64>,
    },
    /// Start a 200 answer with a `Content-Length`, send part of the body, close.
    Drop,
    /// Sleep, then answer normally.
    Delay(Duration),
}

#[derive(Debug)]
struct Pending {
    fault: Fault,
    remaining: usize,
}

type Key = (String, String);

#[derive(Debug, Default)]
struct Inner {
    pending: HashMap<Key, VecDeque<Pending>>,
    requests: HashMap<Key, usize>,
    /// Downloads still to corrupt.
    corrupt: usize,
    /// Whether data URL downloads that accept gzip are served gzip-encoded.
    gzip: bool,
}

/// The faults waiting for each entry, applied in the order they were added,
/// and how many requests each entry has seen.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    inner: Mutex<Inner>,
}

impl Faults {
    /// Queues `fault` for the next `n` requests of `service.entry` (after the
    /// faults already queued for it).
    pub fn add(&self, service: &str, entry: &str, fault: Fault, n: usize) {
        if n == 0 {
            return;
        }
        self.lock()
            .pending
            .entry((service.to_owned(), entry.to_owned()))
            .or_default()
            .push_back(Pending {
                fault,
                remaining: n,
            });
    }

    /// Counts a request of `service.entry` and takes the fault it gets, if any.
    pub fn on_request(&self, service: &str, entry: &str) -> Option<Fault> {
        let key = (service.to_owned(), entry.to_owned());
        let mut inner = self.lock();
        *inner.requests.entry(key.clone()).or_default() += 1;
        let queue = inner.pending.get_mut(&key)?;
        let front = queue.front_mut()?;
        let fault = front.fault;
        front.remaining -= 1;
        if front.remaining == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// How many requests `service.entry` has seen.
    pub fn requests(&self, service: &str, entry: &str) -> usize {
        self.lock()
            .requests
            .get(&(service.to_owned(), entry.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Corrupts the next `n` downloads from data URLs (after those already
    /// queued).
    pub fn corrupt_next(&self, n: usize) {
        let mut inner = self.lock();
        inner.corrupt = inner.corrupt.saturating_add(n);
    }

    /// Whether this download is to be corrupted (taking one from the count).
    pub fn take_corruption(&self) -> bool {
        let mut inner = self.lock();
        let corrupt = inner.corrupt > 0;
        inner.corrupt = inner.corrupt.saturating_sub(1);
        corrupt
    }

    /// Serves data URL downloads gzip-encoded (when the client accepts it),
    /// or not.
    pub fn set_gzip(&self, on: bool) {
        self.lock().gzip = on;
    }

    /// Whether data URL downloads are served gzip-encoded.
    pub fn gzip(&self) -> bool {
        self.lock().gzip
    }

    /// Forgets every queued fault, corruptions included.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.pending.clear();
        inner.corrupt = 0;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Taskcluster's error code for an injected status.
pub(crate) fn code_of(status: u16) -> &'static str {
    match status {
        400 => "InputError",
        401 => "AuthenticationFailed",
        403 => "InsufficientScopes",
        404 => "ResourceNotFound",
        409 => "RequestConflict",
        429 => "TooManyRequests",
        500..=599 => "InternalServerError",
        _ => "InjectedFault",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_order_and_requests_count() {
        let faults = Faults::default();
        let fail = Fault::Fail {
            status: 500,
            retry_after: None,
        };
        faults.add("queue", "task", fail, 2);
        faults.add("queue", "task", Fault::Drop, 1);
        faults.add("queue", "task", Fault::Delay(Duration::from_millis(5)), 0);
        assert_eq!(faults.on_request("queue", "status"), None);
        assert_eq!(faults.on_request("queue", "task"), Some(fail));
        assert_eq!(faults.on_request("queue", "task"), Some(fail));
        assert_eq!(faults.on_request("queue", "task"), Some(Fault::Drop));
        assert_eq!(faults.on_request("queue", "task"), None);
        assert_eq!(faults.requests("queue", "task"), 4);
        assert_eq!(faults.requests("queue", "status"), 1);
        assert_eq!(faults.requests("auth", "ping"), 0);
        faults.add("queue", "task", fail, 5);
        faults.corrupt_next(2);
        assert!(faults.take_corruption());
        faults.clear();
        assert_eq!(faults.on_request("queue", "task"), None);
        assert!(!faults.take_corruption());
        faults.corrupt_next(1);
        assert!(faults.take_corruption());
        assert!(!faults.take_corruption());
    }
}
