//! Object and artifact transfers (see `tc_client::transfer`, which re-exports this
//! module with the queue's artifact transfers): streaming, hash-verified, retried
//! uploads and downloads.

mod destination;
mod download;
mod hashing;
mod http;
mod object;
mod progress;
mod source;
mod upload;

#[cfg(test)]
mod tests;

pub use destination::{Destination, ToBuffer, ToFile, ToWriter, to_buffer, to_file, to_writer};
pub use object::{ObjectDownload, ObjectUpload};
pub use progress::Progress;
pub use source::{Source, from_bytes, from_file, from_reader};

/// Objects smaller than this many bytes are proposed as `dataInline` (as
/// well as `putUrl`); the service accepts inline data of at most 8 KiB.
pub const DATA_INLINE_MAX_SIZE: u64 = 8192;

/// The largest chunk a transfer reads or hashes at a time.
pub const CHUNK_SIZE: usize = 256 * 1024;

/// What an upload sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The number of bytes.
    pub size: u64,
    /// Their SHA-256, lowercase hex, as sent in `finishUpload`.
    pub sha256: String,
    /// Their SHA-512, lowercase hex, as sent in `finishUpload`.
    pub sha512: String,
}

impl From<hashing::Digests> for Uploaded {
    fn from(digests: hashing::Digests) -> Self {
        Uploaded {
            size: digests.length,
            sha256: digests.sha256,
            sha512: digests.sha512,
        }
    }
}

/// What a download answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded<T> {
    /// The `Content-Type` the data was served with (empty if none).
    pub content_type: String,
    /// What the [`Destination`] hands back: the bytes for [`to_buffer`],
    /// nothing for [`to_file`], the writer for [`to_writer`].
    pub data: T,
}

/// What tc-client-queue's artifact transfers are built from; not a public API.
#[doc(hidden)]
pub mod __for_artifacts {
    pub use super::download::Origin;
    pub use super::object::DEFAULT_CONTENT_TYPE;
    pub use super::progress::Reporter;
    pub use super::sealed::Receiving;
    pub use super::upload::{UploadParams, upload_source};

    /// What a download hands back (the type is `#[non_exhaustive]`).
    pub fn downloaded<T>(content_type: String, data: T) -> super::Downloaded<T> {
        super::Downloaded { content_type, data }
    }
}

/// What the public types hand the destinations, out of reach of callers.
mod sealed {
    use super::download::Origin;
    use super::progress::Reporter;
    use tc_client::__private::BoxFuture;
    use tc_client::Result;

    /// Implemented by the destinations of this module only.
    pub trait Sealed {}

    /// A download about to run: where its data comes from (once resolved)
    /// and whom to tell of its progress.
    pub struct Receiving<'a> {
        /// Where the data comes from, once resolved.
        pub origin: BoxFuture<'a, Result<Origin>>,
        /// Whom to tell of the download's progress.
        pub reporter: Reporter,
    }
}
