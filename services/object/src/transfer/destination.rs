//! Where a download writes: memory, a file, or a writer.

use std::path::PathBuf;

use tokio::io::AsyncWrite;

use super::download;
use super::sealed::{Receiving, Sealed};
use tc_client::__private::BoxFuture;
use tc_client::Result;

/// Where a download writes: [`to_buffer`], [`to_file`] or [`to_writer`].
///
/// Its [`Output`](Destination::Output) is what the download answers besides
/// the content type, in [`Downloaded::data`](super::Downloaded::data).
pub trait Destination: Sealed + Send {
    /// The bytes (a buffer), nothing (a file) or the writer, handed back (a
    /// writer).
    type Output: Send;

    /// Runs the download into this destination.
    #[doc(hidden)]
    fn receive<'a>(self, download: Receiving<'a>) -> BoxFuture<'a, Result<(Self::Output, String)>>
    where
        Self: 'a;
}

/// Downloads into memory: [`Downloaded::data`](super::Downloaded::data) is
/// the bytes. Made by [`to_buffer`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ToBuffer;

/// Downloads into a file, through a temporary file beside it renamed over it
/// at the end; on error no file is left behind. Made by [`to_file`].
#[derive(Debug, Clone)]
pub struct ToFile(PathBuf);

/// Downloads into a writer, handed back in
/// [`Downloaded::data`](super::Downloaded::data). Made by [`to_writer`].
///
/// The data is verified only once it has all been written: on an
/// [`Error::Integrity`](tc_client::Error::Integrity) the writer has received bytes
/// that must be discarded. A failed attempt is retried only if it wrote
/// nothing yet (a writer cannot be rewound).
#[derive(Debug)]
pub struct ToWriter<W>(W);

/// Downloads into memory.
pub fn to_buffer() -> ToBuffer {
    ToBuffer
}

/// Downloads to the file at `path`, replacing it.
pub fn to_file(path: impl Into<PathBuf>) -> ToFile {
    ToFile(path.into())
}

/// Downloads into `writer`.
pub fn to_writer<W: AsyncWrite + Unpin + Send>(writer: W) -> ToWriter<W> {
    ToWriter(writer)
}

impl Sealed for ToBuffer {}
impl Sealed for ToFile {}
impl<W> Sealed for ToWriter<W> {}

impl Destination for ToBuffer {
    type Output = Vec<u8>;

    #[inline]
    fn receive<'a>(self, download: Receiving<'a>) -> BoxFuture<'a, Result<(Vec<u8>, String)>>
    where
        Self: 'a,
    {
        Box::pin(async move {
            let origin = download.origin.await?;
            download::to_buf(&origin, &download.reporter).await
        })
    }
}

impl Destination for ToFile {
    type Output = ();

    #[inline]
    fn receive<'a>(self, download: Receiving<'a>) -> BoxFuture<'a, Result<((), String)>>
    where
        Self: 'a,
    {
        Box::pin(async move {
            let origin = download.origin.await?;
            let content_type = download::to_file(&origin, &self.0, &download.reporter).await?;
            Ok(((), content_type))
        })
    }
}

impl<W: AsyncWrite + Unpin + Send> Destination for ToWriter<W> {
    type Output = W;

    #[inline]
    fn receive<'a>(mut self, download: Receiving<'a>) -> BoxFuture<'a, Result<(W, String)>>
    where
        Self: 'a,
    {
        Box::pin(async move {
            let origin = download.origin.await?;
            let content_type =
                download::to_writer(&origin, &mut self.0, &download.reporter).await?;
            Ok((self.0, content_type))
        })
    }
}
