//! [`TcFake`]: a running fake deployment, its URL and credentials, and the
//! faults, counters and event hooks tests drive it with.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::http::faults::Fault;
use crate::http::shared::Shared;
use crate::references::DEFAULT_REFERENCES;
use crate::static_client::ROOT_CLIENT_ID;

/// A running fake deployment; the server stops when this is dropped.
pub struct TcFake {
    pub(crate) root_url: String,
    pub(crate) root_token: String,
    pub(crate) shared: Arc<Shared>,
    pub(crate) task: JoinHandle<()>,
}

impl std::fmt::Debug for TcFake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcFake")
            .field("root_url", &self.root_url)
            .finish_non_exhaustive()
    }
}

impl Drop for TcFake {
    fn drop(&mut self) {
        self.task.abort();
        self.shared.state.blobs.remove_all();
    }
}

impl TcFake {
    /// The root URL, `http://127.0.0.1:<port>`.
    pub fn root_url(&self) -> &str {
        &self.root_url
    }

    /// The root client's id ([`ROOT_CLIENT_ID`]) and access token (random for
    /// every fake); the client has scope `*`.
    pub fn root_credentials(&self) -> (String, String) {
        (ROOT_CLIENT_ID.to_owned(), self.root_token.clone())
    }

    /// Answers the next `n` requests of `service`'s `entry` (reference names:
    /// `"queue"`, `"createTask"`) with a Taskcluster-shaped error of this
    /// `status`, before authentication.
    ///
    /// Faults queued for one entry apply in the order they were added.
    ///
    /// The data URLs are the pseudo-entries `"__put"` and `"__get"` of
    /// `"object"` (object data) and `"queue"` (`s3` artifacts); a failed
    /// upload is read to its end first, so the client sees the answer.
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn fail_next(&self, service: &str, entry: &str, n: usize, status: u16) {
        self.add_fault(
            service,
            entry,
            Fault::Fail {
                status,
                retry_after: None,
            },
            n,
        );
    }

    /// Like [`fail_next`](Self::fail_next), with a `Retry-After: <secs>` header
    /// (typically with status 429).
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn fail_next_with_retry_after(
        &self,
        service: &str,
        entry: &str,
        n: usize,
        status: u16,
        retry_after_secs: u64,
    ) {
        self.add_fault(
            service,
            entry,
            Fault::Fail {
                status,
                retry_after: Some(retry_after_secs),
            },
            n,
        );
    }

    /// For the next `n` requests of the entry: answers 200 with a
    /// `Content-Length` of 4096, sends a few bytes of body and closes the
    /// connection, so the client sees a truncated body.
    ///
    /// On a data URL (`"__get"`): answers 200 (or 206) with the full
    /// `Content-Length`, sends the first half of the data and closes the
    /// connection (empty data: closes it before answering). On `"__put"`:
    /// reads about half of the upload, then closes the connection without
    /// an answer; nothing is stored.
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn drop_connection_next(&self, service: &str, entry: &str, n: usize) {
        self.add_fault(service, entry, Fault::Drop, n);
    }

    /// Waits `delay` before handling each of the next `n` requests of the
    /// entry (which are then answered normally), for client timeout tests.
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn delay_next(&self, service: &str, entry: &str, n: usize, delay: Duration) {
        self.add_fault(service, entry, Fault::Delay(delay), n);
    }

    /// Serves the next `n` downloads from data URLs (`GET`, object data and
    /// `s3` artifacts alike) with one byte flipped, in the middle of the
    /// bytes served, so that they no longer match the hashes the object
    /// service recorded; empty data is served as one byte, `X`. For
    /// integrity tests. Counted across all data URLs; [`clear_faults`]
    /// forgets the rest.
    ///
    /// [`clear_faults`]: Self::clear_faults
    pub fn corrupt_next_download(&self, n: usize) {
        self.shared.faults.corrupt_next(n);
    }

    /// From now on (`on`), serves downloads from data URLs gzip-encoded
    /// (`Content-Encoding: gzip`) whenever the request accepts gzip, as S3 and
    /// GCS serve data stored compressed; the hashes the object service gives
    /// still describe the decoded bytes. Ranges and `HEAD` are served as they
    /// are. Faults still apply: a dropped connection cuts the compressed body,
    /// a corruption changes the data before it is compressed.
    pub fn serve_downloads_gzipped(&self, on: bool) {
        self.shared.faults.set_gzip(on);
    }

    /// The directory holding the object and artifact data of this fake
    /// (`<temp>/tc-fake-<pid>-<n>`, created on the first upload), removed
    /// when the fake is dropped.
    pub fn data_dir(&self) -> &Path {
        self.shared.state.blobs.dir()
    }

    /// Calls `hook` for every Pulse message the fake queue publishes (as
    /// Taskcluster's queue would: `task-defined`, `task-pending`, ...), with
    /// the full exchange name (`exchange/taskcluster-queue/v1/task-pending`),
    /// the primary routing key, the CC routing keys (`route.<route>` for each
    /// of the task's routes) and the message. Replaces any earlier hook.
    pub fn on_queue_event(
        &self,
        hook: impl Fn(&str, &str, &[String], serde_json::Value) + Send + Sync + 'static,
    ) {
        self.shared
            .state
            .queue
            .set_publisher_with_cc(Box::new(hook));
    }

    /// Forgets every fault not yet applied, download corruptions included.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// How many requests matched `service`'s `entry` so far, failed and
    /// faulted ones included (one per attempt of a retrying client).
    ///
    /// # Panics
    ///
    /// When the references have no such service or entry.
    pub fn requests(&self, service: &str, entry: &str) -> usize {
        self.check_entry(service, entry);
        self.shared.faults.requests(service, entry)
    }

    /// The folder of the reference set the fakes serve by default.
    pub fn default_references() -> &'static Path {
        Path::new(DEFAULT_REFERENCES)
    }

    fn add_fault(&self, service: &str, entry: &str, fault: Fault, n: usize) {
        self.check_entry(service, entry);
        self.shared.faults.add(service, entry, fault, n);
    }

    fn check_entry(&self, service: &str, entry: &str) {
        if matches!(service, "object" | "queue") && matches!(entry, "__put" | "__get") {
            return;
        }
        let Some(api) = self.shared.refs.services.get(service) else {
            panic!(
                "tc-fake: no service {service:?} in the references (known: {})",
                self.shared
                    .refs
                    .services
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        assert!(
            api.entry(entry).is_some(),
            "tc-fake: {service} has no entry {entry:?} (entries are named as in the references, like \"createTask\"; data URLs are \"__put\" and \"__get\" of \"object\" and \"queue\")"
        );
    }
}
