//! Where the fake keeps object and artifact data: one file per blob in a
//! temporary directory (`<temp>/tc-fake-<pid>-<n>/`), never in memory, and
//! the capability URLs (tokens) that let clients `PUT` and `GET` it, as
//! pre-signed S3 URLs would.
//!
//! A blob's file exists once data has been uploaded; an upload in progress
//! writes to its own temporary file, renamed over the blob's file only when
//! the whole body has arrived, so an interrupted upload never leaves partial
//! data behind. The directory is removed when the fake is dropped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::ApiError;
use crate::support::sync::lock;

/// The path prefix of the data URLs (outside the API routes).
pub(crate) const DATA_PREFIX: &str = "/__tc_fake/objects/";

/// Which service a data URL belongs to; fault injection and request
/// counting use `(<service>, "__put")` and `(<service>, "__get")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Object service uploads and downloads.
    Object,
    /// Queue artifacts of storage type `s3`.
    Queue,
}

impl Owner {
    /// The service name used for faults and counts.
    pub(crate) fn service(self) -> &'static str {
        match self {
            Owner::Object => "object",
            Owner::Queue => "queue",
        }
    }
}

/// Permission to upload one blob, behind a `PUT` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PutGrant {
    pub owner: Owner,
    pub blob: u64,
    /// The `Content-Type` the `PUT` must carry.
    pub content_type: String,
    /// The `Content-Length` the `PUT` must carry, when fixed in advance.
    pub content_length: Option<u64>,
    /// Milliseconds since the epoch after which the URL no longer works.
    pub expires_ms: i64,
}

/// Permission to download one blob, behind a `GET` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GetGrant {
    pub owner: Owner,
    pub blob: u64,
    /// The `Content-Type` the data is served with.
    pub content_type: String,
}

#[derive(Debug, Default)]
struct Grants {
    puts: HashMap<String, PutGrant>,
    gets: HashMap<String, GetGrant>,
}

/// The blob store of one fake deployment.
#[derive(Debug)]
pub(crate) struct Blobs {
    dir: PathBuf,
    next: AtomicU64,
    grants: Mutex<Grants>,
}

impl Default for Blobs {
    fn default() -> Self {
        Self::new()
    }
}

impl Blobs {
    /// A store in a fresh directory under the system's temporary directory
    /// (created on first use).
    pub(crate) fn new() -> Self {
        static STORES: AtomicU64 = AtomicU64::new(0);
        let n = STORES.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("tc-fake-{}-{n}", std::process::id()));
        Blobs {
            dir,
            next: AtomicU64::new(1),
            grants: Mutex::new(Grants::default()),
        }
    }

    /// The directory holding the blobs.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// A new, empty blob (no file yet).
    pub(crate) fn new_blob(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// The file of a blob.
    pub(crate) fn path(&self, blob: u64) -> PathBuf {
        self.dir.join(format!("blob-{blob}"))
    }

    /// A fresh file name for an upload in progress, created with the
    /// directory.
    pub(crate) fn upload_path(&self) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        Ok(self.dir.join(format!("upload-{n}.part")))
    }

    /// Writes a small blob at once (inline uploads).
    pub(crate) fn write(&self, blob: u64, bytes: &[u8]) -> std::io::Result<()> {
        let temp = self.upload_path()?;
        std::fs::write(&temp, bytes)?;
        std::fs::rename(&temp, self.path(blob))
    }

    /// A `PUT` token for `grant`.
    pub(crate) fn grant_put(&self, grant: PutGrant) -> String {
        let token = token();
        lock(&self.grants).puts.insert(token.clone(), grant);
        token
    }

    /// The `PUT` grant behind `token`, if any.
    pub(crate) fn put_grant(&self, token: &str) -> Option<PutGrant> {
        lock(&self.grants).puts.get(token).cloned()
    }

    /// Moves a complete upload (the file `temp`) into the blob of `grant`,
    /// unless the grant was revoked meanwhile (403).
    pub(crate) fn commit_upload(
        &self,
        token: &str,
        grant: &PutGrant,
        temp: &Path,
    ) -> Result<(), ApiError> {
        // Holding the lock: a revocation (finishUpload) cannot interleave.
        let grants = lock(&self.grants);
        if grants.puts.get(token) != Some(grant) {
            return Err(ApiError::new(
                403,
                "AccessDenied",
                "tc-fake: this upload URL was revoked during the upload (the upload is finished)",
            ));
        }
        std::fs::rename(temp, self.path(grant.blob))
            .map_err(|e| ApiError::internal(format!("tc-fake cannot store data: {e}")))
    }

    /// Revokes every `PUT` token of `blob` (its data is now immutable).
    pub(crate) fn revoke_puts(&self, blob: u64) {
        lock(&self.grants).puts.retain(|_, g| g.blob != blob);
    }

    /// A `GET` token for `grant`.
    pub(crate) fn grant_get(&self, grant: GetGrant) -> String {
        let token = token();
        lock(&self.grants).gets.insert(token.clone(), grant);
        token
    }

    /// The `GET` grant behind `token`, if any.
    pub(crate) fn get_grant(&self, token: &str) -> Option<GetGrant> {
        lock(&self.grants).gets.get(token).cloned()
    }

    /// Removes the directory and everything in it.
    pub(crate) fn remove_all(&self) {
        if let Err(error) = std::fs::remove_dir_all(&self.dir)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(%error, dir = %self.dir.display(), "tc-fake: cannot remove the blob directory");
        }
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        self.remove_all();
    }
}

/// The URL that uploads with `token`.
pub(crate) fn put_url(root_url: &str, token: &str) -> String {
    format!("{root_url}{DATA_PREFIX}put/{token}")
}

/// The URL that downloads with `token`.
pub(crate) fn get_url(root_url: &str, token: &str) -> String {
    format!("{root_url}{DATA_PREFIX}get/{token}")
}

/// An unguessable token (two slugids).
fn token() -> String {
    format!("{}{}", slugid::nice(), slugid::nice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_live_in_their_own_directory_until_dropped() {
        let blobs = Blobs::new();
        let other = Blobs::new();
        assert_ne!(blobs.dir(), other.dir());
        let blob = blobs.new_blob();
        blobs.write(blob, b"hello").unwrap();
        assert_eq!(std::fs::read(blobs.path(blob)).unwrap(), b"hello");
        let dir = blobs.dir().to_owned();
        assert!(dir.starts_with(std::env::temp_dir()));
        drop(blobs);
        assert!(!dir.exists());
    }

    #[test]
    fn grants_are_found_and_revoked() {
        let blobs = Blobs::new();
        let grant = PutGrant {
            owner: Owner::Object,
            blob: 7,
            content_type: "text/plain".into(),
            content_length: Some(3),
            expires_ms: 0,
        };
        let token = blobs.grant_put(grant.clone());
        assert_eq!(blobs.put_grant(&token), Some(grant.clone()));
        let temp = blobs.upload_path().unwrap();
        std::fs::write(&temp, b"abc").unwrap();
        blobs.commit_upload(&token, &grant, &temp).unwrap();
        assert_eq!(std::fs::read(blobs.path(7)).unwrap(), b"abc");
        blobs.revoke_puts(7);
        assert_eq!(blobs.put_grant(&token), None);
        std::fs::write(&temp, b"abd").unwrap();
        assert_eq!(
            blobs
                .commit_upload(&token, &grant, &temp)
                .unwrap_err()
                .status,
            403
        );
        assert_eq!(std::fs::read(blobs.path(7)).unwrap(), b"abc");
        let get = GetGrant {
            owner: Owner::Queue,
            blob: 7,
            content_type: "a/b".into(),
        };
        let token = blobs.grant_get(get.clone());
        assert_eq!(blobs.get_grant(&token), Some(get));
        assert_eq!(blobs.get_grant("nope"), None);
        assert_eq!(put_url("http://x", "t"), "http://x/__tc_fake/objects/put/t");
        assert_eq!(Owner::Queue.service(), "queue");
    }
}
