//! Progress reporting: an optional callback told how many bytes moved.

use std::sync::Arc;

/// A progress callback: called with the bytes transferred so far in the
/// current attempt and the total, when known.
///
/// Set on an upload or a download with `.progress(..)`. It is called with
/// `done = 0` when each attempt of the data transfer starts (a retry starts
/// again from 0), then after each chunk; `total` is the size when known
/// (always for uploads; for downloads, when the server sends a
/// `Content-Length`). It is called from the transfer's task and should return
/// quickly.
pub type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

/// Calls the progress callback, if there is one.
#[derive(Clone, Default)]
#[doc(hidden)]
pub struct Reporter {
    progress: Option<Progress>,
}

impl Reporter {
    pub fn new(progress: Progress) -> Reporter {
        Reporter {
            progress: Some(progress),
        }
    }

    pub fn none() -> Reporter {
        Reporter::default()
    }

    pub fn is_set(&self) -> bool {
        self.progress.is_some()
    }

    /// Reports `done` bytes of `total`.
    pub(crate) fn report(&self, done: u64, total: Option<u64>) {
        if let Some(progress) = &self.progress {
            progress(done, total);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Every call a recording reporter got.
    pub(crate) type Calls = Arc<Mutex<Vec<(u64, Option<u64>)>>>;

    /// A reporter that records every call.
    pub(crate) fn recording() -> (Reporter, Calls) {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let reporter = Reporter::new(Arc::new(move |done, total| {
            seen.lock().unwrap().push((done, total));
        }));
        (reporter, calls)
    }

    #[test]
    fn reports_only_when_set() {
        Reporter::none().report(1, Some(2));
        let (reporter, calls) = recording();
        assert!(reporter.is_set());
        reporter.report(0, Some(10));
        reporter.report(10, Some(10));
        assert_eq!(*calls.lock().unwrap(), vec![(0, Some(10)), (10, Some(10))]);
    }
}
