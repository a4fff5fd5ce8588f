//! What an upload reads: bytes in memory, a file, or a reader.

use std::fmt;
use std::path::PathBuf;

use tokio::io::{AsyncRead, AsyncSeek};

/// A reader an upload can rewind for a retry.
pub(crate) trait Rewindable: AsyncRead + AsyncSeek + Unpin + Send {}

impl<T: AsyncRead + AsyncSeek + Unpin + Send> Rewindable for T {}

/// The data of an upload: made by [`from_bytes`], [`from_file`] or
/// [`from_reader`].
pub struct Source<'a> {
    pub(crate) kind: SourceKind<'a>,
}

pub(crate) enum SourceKind<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
    Reader {
        reader: Box<dyn Rewindable + 'a>,
        length: u64,
    },
}

impl fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SourceKind::Bytes(data) => write!(f, "Source::Bytes({} bytes)", data.len()),
            SourceKind::File(path) => write!(f, "Source::File({})", path.display()),
            SourceKind::Reader { length, .. } => write!(f, "Source::Reader({length} bytes)"),
        }
    }
}

/// Uploads `data`.
pub fn from_bytes(data: &[u8]) -> Source<'_> {
    Source {
        kind: SourceKind::Bytes(data),
    }
}

/// Uploads the file at `path`, streamed.
///
/// A file that cannot be opened or read is an [`Error::Io`](tc_client::Error::Io)
/// naming `path`.
pub fn from_file(path: impl Into<PathBuf>) -> Source<'static> {
    Source {
        kind: SourceKind::File(path.into()),
    }
}

/// Uploads exactly `length` bytes read from `reader`, starting at its current
/// position, streamed.
///
/// A retry seeks `reader` back to the position it had when the upload started.
/// A reader that ends before `length` bytes is an
/// [`Error::Io`](tc_client::Error::Io); bytes past `length` are not read.
pub fn from_reader<'a>(
    reader: impl AsyncRead + AsyncSeek + Unpin + Send + 'a,
    length: u64,
) -> Source<'a> {
    Source {
        kind: SourceKind::Reader {
            reader: Box::new(reader),
            length,
        },
    }
}

impl<'a> From<&'a [u8]> for Source<'a> {
    fn from(data: &'a [u8]) -> Self {
        from_bytes(data)
    }
}

impl<'a> From<&'a Vec<u8>> for Source<'a> {
    fn from(data: &'a Vec<u8>) -> Self {
        from_bytes(data)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Source<'a> {
    fn from(data: &'a [u8; N]) -> Self {
        from_bytes(data)
    }
}
