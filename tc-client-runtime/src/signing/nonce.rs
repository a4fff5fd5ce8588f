//! Hawk nonces: random, without a system call per request.
//!
//! A nonce only has to differ between requests signed with the same
//! credentials in the same second; Hawk's reference implementations draw a
//! few random bytes for each. Drawing them one request at a time costs a
//! `getrandom` system call per API call, so each thread draws the bytes of
//! [`BATCH`] nonces at once from the operating system and hands them out in
//! turn. (A forked child would repeat its parent's remaining nonces; nothing
//! in a Taskcluster client forks.)

use std::cell::RefCell;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom as _, SystemRandom};

use crate::error::{Error, Result};

/// Random bytes per nonce: 16 characters of URL-safe base64.
const NONCE_BYTES: usize = 12;
/// Nonces drawn from the operating system at a time.
const BATCH: usize = 64;

struct Pool {
    bytes: [u8; NONCE_BYTES * BATCH],
    /// How many of `bytes` have been handed out.
    used: usize,
}

thread_local! {
    static POOL: RefCell<Pool> = const {
        RefCell::new(Pool {
            bytes: [0; NONCE_BYTES * BATCH],
            used: NONCE_BYTES * BATCH,
        })
    };
}

/// A fresh nonce: 12 random bytes in URL-safe base64 without padding.
pub(crate) fn nonce() -> Result<String> {
    POOL.with_borrow_mut(|pool| {
        if pool.used == pool.bytes.len() {
            SystemRandom::new().fill(&mut pool.bytes).map_err(|_| {
                Error::Credentials("the system's random source failed to give a nonce".into())
            })?;
            pool.used = 0;
        }
        let bytes = &pool.bytes[pool.used..pool.used + NONCE_BYTES];
        pool.used += NONCE_BYTES;
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn nonces_are_distinct_across_batches_and_threads() {
        let mut seen = HashSet::new();
        for _ in 0..BATCH * 3 + 1 {
            let n = nonce().unwrap();
            assert_eq!(n.len(), 16, "{n}");
            assert!(
                n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{n}"
            );
            assert!(seen.insert(n));
        }
        let others: Vec<String> =
            std::thread::spawn(|| (0..BATCH).map(|_| nonce().unwrap()).collect())
                .join()
                .unwrap();
        for n in others {
            assert!(seen.insert(n));
        }
    }
}
