//! 3xx answers, against a scripted local server that answers every request with a
//! `303 See Other` to a signed URL and a JSON body: the entries whose reference
//! answers with a redirect (`queue.getArtifact`) return that body; any other entry
//! (`queue.task`) fails with an API error that names where the redirect pointed,
//! without the signature in its query string (nor the body, which repeats it), and is
//! not retried.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tc_client::queue::{GetArtifactResponse, Queue};
use tc_client::{Error, RetryPolicy};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

const TARGET: &str = "https://bucket.example.com/artifacts/log.txt";
const BODY: &str = r#"{"storageType":"s3","url":"https://bucket.example.com/artifacts/log.txt?X-Amz-Signature=secret"}"#;

/// Answers every request with a 303 to `TARGET` plus a signature, counting requests.
async fn redirecting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root_url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                seen.fetch_add(1, Ordering::SeqCst);
                let answer = format!(
                    "HTTP/1.1 303 See Other\r\nLocation: {TARGET}?X-Amz-Signature=secret\r\n\
                     Content-Type: application/json\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{BODY}",
                    BODY.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    (root_url, requests)
}

fn queue(root_url: &str) -> Queue {
    Queue::builder()
        .root_url(root_url)
        .retry(RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_entry_that_answers_with_a_redirect_returns_the_303s_body() {
    let (root_url, requests) = redirecting_server().await;
    let answer: GetArtifactResponse = queue(&root_url)
        .get_artifact("fN1SbArXTPSVFNUvaOlinQ", 0, "public/log.txt")
        .await
        .unwrap();
    let written = tc_client::serde_json::to_value(&answer).unwrap();
    assert_eq!(written["storageType"], "s3");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_redirect_from_any_other_entry_is_an_error_naming_its_location() {
    let (root_url, requests) = redirecting_server().await;
    let error = queue(&root_url)
        .task("fN1SbArXTPSVFNUvaOlinQ")
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            status,
            service_method,
            attempts,
            message,
            ..
        } => {
            assert_eq!(*status, 303);
            assert_eq!(service_method, "queue.task");
            assert_eq!(*attempts, 1, "not retried");
            assert_eq!(
                message,
                &format!("a redirect to {TARGET}; queue.task does not answer with redirects")
            );
        }
        other => panic!("another error: {other}"),
    }
    assert!(!error.to_string().contains("secret"), "{error}");
    assert!(!format!("{error:?}").contains("secret"), "{error:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}
