//! The cap on API answers, against a scripted local server that answers every request
//! with 300 MB (more than the default cap of 256 MiB): announced by `Content-Length`, or streamed in chunks without one. The
//! default client refuses both with `Error::ResponseTooLarge`, without retrying and
//! without holding the answer: the process's peak memory grows no more than the cap.
//! (A binary of its own, so that the peak is that of these tests alone.)

mod wire_common;

use tc_client::queue::Queue;
use tc_client::{DEFAULT_MAX_RESPONSE_SIZE, Error};
use tokio::io::AsyncWriteExt as _;
use wire_common::scripted::{Scripted, serve};

const ANSWER: usize = 300_000_000;
const CHUNK: usize = 64 * 1024;

/// Answers every request with `ANSWER` bytes of a JSON string, announced by
/// `Content-Length` or, when `chunked`, streamed in chunks without one.
async fn hostile_server(chunked: bool) -> Scripted {
    serve(move |mut socket| async move {
        let framing = if chunked {
            "Transfer-Encoding: chunked".to_owned()
        } else {
            format!("Content-Length: {ANSWER}")
        };
        let header =
            format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\n\r\n");
        if socket.write_all(header.as_bytes()).await.is_err() {
            return;
        }
        let data = vec![b'a'; CHUNK];
        let mut sent = 0;
        while sent < ANSWER {
            let result = if chunked {
                let mut frame = format!("{CHUNK:x}\r\n").into_bytes();
                frame.extend_from_slice(&data);
                frame.extend_from_slice(b"\r\n");
                socket.write_all(&frame).await
            } else {
                socket.write_all(&data).await
            };
            if result.is_err() {
                return; // the client hung up, as it should
            }
            sent += CHUNK;
        }
    })
    .await
}

/// The process's peak resident memory so far, in bytes (`VmHWM`).
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap();
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib * 1024
}

#[tokio::test]
async fn a_300_mb_answer_is_refused_with_a_typed_error_and_never_held() {
    assert!((ANSWER as u64) > DEFAULT_MAX_RESPONSE_SIZE);
    let before = peak_memory();
    for chunked in [false, true] {
        let server = hostile_server(chunked).await;
        let root_url = &server.root_url;
        let queue: Queue = Queue::builder().root_url(root_url).build().unwrap();
        let error = queue.task("fN1SbArXTPSVFNUvaOlinQ").await.unwrap_err();
        match &error {
            Error::ResponseTooLarge {
                service_method,
                method,
                url,
                limit,
            } => {
                assert_eq!(service_method, "queue.task");
                assert_eq!(*method, "GET");
                assert_eq!(
                    url,
                    &format!("{root_url}/api/queue/v1/task/fN1SbArXTPSVFNUvaOlinQ")
                );
                assert_eq!(*limit, DEFAULT_MAX_RESPONSE_SIZE);
            }
            other => panic!("chunked {chunked}: another error: {other}"),
        }
        assert!(error.to_string().contains(root_url.as_str()), "{error}");
        assert!(!error.is_retryable(), "{error}");
        assert_eq!(server.requests(), 1, "not retried");
    }
    // The announced answer is refused before its body is read; the streamed one is
    // held up to the cap (256 MiB) at most, below the 300 MB sent.
    let grown = peak_memory().saturating_sub(before);
    assert!(
        grown < DEFAULT_MAX_RESPONSE_SIZE + 8 * 1024 * 1024,
        "peak memory grew by {grown} bytes"
    );
}

#[tokio::test]
async fn a_smaller_cap_refuses_a_streamed_answer_early() {
    let server = hostile_server(true).await;
    let queue: Queue = Queue::builder()
        .root_url(&server.root_url)
        .max_response_size(1024 * 1024)
        .build()
        .unwrap();
    let error = queue.task("fN1SbArXTPSVFNUvaOlinQ").await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 1024 * 1024),
        "{error}"
    );
    assert_eq!(server.requests(), 1);
}
