//! The bodies the fake answers with: whole, cut short on purpose, or
//! streamed from a file.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};

/// The bodies the fake answers with.
pub(crate) enum FakeBody {
    /// A whole body.
    Full(Option<Bytes>),
    /// Part of a body, a pause (so the head and that part reach the client),
    /// then an error: hyper closes the connection short of the announced
    /// `Content-Length`.
    Truncated {
        chunk: Option<Bytes>,
        pause: Pin<Box<tokio::time::Sleep>>,
    },
    /// Chunks from a reader (a file on a blocking thread); `remaining` bytes
    /// are still due. An error, or the channel closing early, cuts the
    /// connection.
    Stream {
        rx: tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
        remaining: u64,
    },
}

impl Body for FakeBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            FakeBody::Full(chunk) => Poll::Ready(chunk.take().map(|c| Ok(Frame::data(c)))),
            FakeBody::Truncated { chunk, pause } => {
                if let Some(c) = chunk.take() {
                    return Poll::Ready(Some(Ok(Frame::data(c))));
                }
                match pause.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(()) => Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "tc-fake: injected connection drop",
                    )))),
                }
            }
            FakeBody::Stream { rx, remaining } => match rx.poll_recv(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    *remaining = remaining.saturating_sub(chunk.len() as u64);
                    Poll::Ready(Some(Ok(Frame::data(chunk))))
                }
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) if *remaining == 0 => Poll::Ready(None),
                Poll::Ready(None) => Poll::Ready(Some(Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "tc-fake: the data ended early",
                )))),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(
            self,
            FakeBody::Full(None) | FakeBody::Stream { remaining: 0, .. }
        )
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            FakeBody::Full(Some(c)) => SizeHint::with_exact(c.len() as u64),
            FakeBody::Full(None) => SizeHint::with_exact(0),
            FakeBody::Truncated { .. } => SizeHint::default(),
            FakeBody::Stream { remaining, .. } => SizeHint::with_exact(*remaining),
        }
    }
}

/// The JSON of a whole body (panics on anything else), for tests.
#[cfg(test)]
pub(crate) fn json_of(response: hyper::Response<FakeBody>) -> serde_json::Value {
    match response.into_body() {
        FakeBody::Full(Some(bytes)) => serde_json::from_slice(&bytes).unwrap(),
        _ => panic!("not a whole body"),
    }
}
