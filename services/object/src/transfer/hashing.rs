//! SHA-256 and SHA-512 of data as it streams, computed off the I/O path.
//!
//! [`StreamHasher`] hands the chunks (cheap, reference-counted [`Bytes`]), in
//! batches of about [`BATCH`] bytes, to one blocking-pool thread per
//! algorithm through a bounded queue: the transfer goes on while the digests
//! are computed, and the two algorithms run in parallel. The bounded queues
//! keep memory flat: if hashing falls behind, the transfer waits for it.

use std::sync::Arc;

use bytes::Bytes;
use ring::digest::{Algorithm, Context, SHA256, SHA512};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use tc_client::{Error, Result};

/// Batches queued for each hashing thread at most.
const QUEUE: usize = 4;

/// Chunks are handed to the hashing threads in batches of about this many
/// bytes: one wake-up per batch rather than per (often small) network chunk.
const BATCH: usize = 512 * 1024;

type Batch = Arc<Vec<Bytes>>;

/// The digests of some data, as lowercase hex, and its length.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct Digests {
    pub sha256: String,
    pub sha512: String,
    pub length: u64,
}

/// Digests of `data`, computed at once (for small data).
pub(crate) fn digest(data: &[u8]) -> Digests {
    Digests {
        sha256: hex(ring::digest::digest(&SHA256, data).as_ref()),
        sha512: hex(ring::digest::digest(&SHA512, data).as_ref()),
        length: data.len() as u64,
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

struct Worker {
    batches: mpsc::Sender<Batch>,
    result: JoinHandle<(String, u64)>,
}

impl Worker {
    fn start(algorithm: &'static Algorithm) -> Worker {
        let (batches, mut receiver) = mpsc::channel::<Batch>(QUEUE);
        let result = tokio::task::spawn_blocking(move || {
            let mut context = Context::new(algorithm);
            let mut length = 0u64;
            while let Some(batch) = receiver.blocking_recv() {
                for chunk in batch.iter() {
                    context.update(chunk);
                    length += chunk.len() as u64;
                }
            }
            (hex(context.finish().as_ref()), length)
        });
        Worker { batches, result }
    }
}

/// Computes SHA-256 and SHA-512 of the chunks it is given, on two
/// blocking-pool threads. Dropping it stops the threads.
pub(crate) struct StreamHasher {
    sha256: Worker,
    sha512: Worker,
    /// Chunks not handed over yet, and their size.
    pending: Vec<Bytes>,
    pending_len: usize,
}

impl StreamHasher {
    /// Starts the hashing threads (needs a Tokio runtime).
    pub(crate) fn start() -> StreamHasher {
        StreamHasher {
            sha256: Worker::start(&SHA256),
            sha512: Worker::start(&SHA512),
            pending: Vec::new(),
            pending_len: 0,
        }
    }

    /// Adds `chunk` to the data hashed (a reference, not a copy); waits only
    /// if the threads are [`QUEUE`] batches behind.
    pub(crate) async fn update(&mut self, chunk: &Bytes) {
        if chunk.is_empty() {
            return;
        }
        self.pending.push(chunk.clone());
        self.pending_len += chunk.len();
        if self.pending_len >= BATCH {
            self.hand_over().await;
        }
    }

    async fn hand_over(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let batch = Arc::new(std::mem::take(&mut self.pending));
        self.pending_len = 0;
        // A thread that is gone has panicked: `finish` reports it.
        let _ = self.sha256.batches.send(batch.clone()).await;
        let _ = self.sha512.batches.send(batch).await;
    }

    /// The digests of everything given to [`update`](Self::update).
    pub(crate) async fn finish(mut self) -> Result<Digests> {
        self.hand_over().await;
        let StreamHasher { sha256, sha512, .. } = self;
        drop(sha256.batches);
        drop(sha512.batches);
        let failed = |e: tokio::task::JoinError| Error::Io {
            path: "<hashing thread>".into(),
            source: std::io::Error::other(e),
        };
        let (sha256, length) = sha256.result.await.map_err(failed)?;
        let (sha512, length512) = sha512.result.await.map_err(failed)?;
        debug_assert_eq!(length, length512);
        Ok(Digests {
            sha256,
            sha512,
            length,
        })
    }
}

/// The hashes a download must match, as the object service gave them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expected {
    /// What was downloaded, for error messages (`object "name"`).
    pub what: String,
    pub sha256: Option<String>,
    pub sha512: Option<String>,
}

impl Expected {
    /// Whether there is any hash to check.
    pub(crate) fn is_empty(&self) -> bool {
        self.sha256.is_none() && self.sha512.is_none()
    }

    /// Checks every expected hash against `digests`.
    pub(crate) fn verify(&self, digests: &Digests) -> Result<()> {
        let checks = [
            ("sha256", &self.sha256, &digests.sha256),
            ("sha512", &self.sha512, &digests.sha512),
        ];
        for (algorithm, expected, actual) in checks {
            if let Some(expected) = expected
                && !expected.eq_ignore_ascii_case(actual)
            {
                return Err(Error::Integrity(format!(
                    "the {algorithm} of {} does not match: the service gave {expected}, the {} downloaded bytes hash to {actual}",
                    self.what, digests.length
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const ABC_SHA512: &str = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                              2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    #[test]
    fn digests_of_known_data() {
        let d = digest(b"abc");
        assert_eq!(d.sha256, ABC_SHA256);
        assert_eq!(d.sha512, ABC_SHA512);
        assert_eq!(d.length, 3);
        assert_eq!(digest(b"").sha256, EMPTY_SHA256);
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }

    /// Deterministic pseudo-random bytes.
    fn data(len: usize) -> Vec<u8> {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[tokio::test]
    async fn hashing_while_streaming_matches_hashing_at_once() {
        let data = data(3 * 1024 * 1024 + 17);
        let bytes = Bytes::from(data.clone());
        // Uneven chunks, an empty one among them.
        let mut hasher = StreamHasher::start();
        hasher.update(&Bytes::new()).await;
        let mut at = 0;
        for (i, size) in [1, 0, 4095, 65536, 1 << 20].iter().cycle().enumerate() {
            if at >= bytes.len() {
                break;
            }
            let end = (at + size + i).min(bytes.len());
            hasher.update(&bytes.slice(at..end)).await;
            at = end;
        }
        assert_eq!(hasher.finish().await.unwrap(), digest(&data));
    }

    #[tokio::test]
    async fn hashing_nothing_gives_the_empty_digests() {
        let hasher = StreamHasher::start();
        assert_eq!(hasher.finish().await.unwrap(), digest(b""));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_dropped_hasher_does_not_hang() {
        let mut hasher = StreamHasher::start();
        hasher.update(&Bytes::from_static(b"abc")).await;
        drop(hasher);
    }

    #[test]
    fn verification_checks_every_given_hash() {
        let d = digest(b"abc");
        let both = Expected {
            what: "object \"x\"".into(),
            sha256: Some(ABC_SHA256.into()),
            sha512: Some(ABC_SHA512.to_uppercase()),
        };
        both.verify(&d).unwrap();
        assert!(!both.is_empty());
        assert!(Expected::default().is_empty());

        let bad512 = Expected {
            sha512: Some("0".repeat(128)),
            ..both.clone()
        };
        let err = bad512.verify(&d).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Integrity(_)));
        assert!(message.contains("sha512"), "{message}");
        assert!(message.contains("object \"x\""), "{message}");

        let bad256_only = Expected {
            what: "object \"y\"".into(),
            sha256: Some(EMPTY_SHA256.into()),
            sha512: None,
        };
        let message = bad256_only.verify(&d).unwrap_err().to_string();
        assert!(
            message.contains("sha256") && message.contains("\"y\""),
            "{message}"
        );
    }
}
