//! 3xx answers, against a scripted local server that answers every request with a
//! `303 See Other` to a signed URL and a JSON body: the entries whose reference
//! answers with a redirect (`queue.getArtifact`) return that body; any other entry
//! (`queue.task`) fails with an API error that names where the redirect pointed,
//! without the signature in its query string (nor the body, which repeats it), and is
//! not retried.

mod wire_common;

use tc_client::queue::{GetArtifactResponse, Queue};
use tc_client::{Error, RetryPolicy};
use tokio::io::AsyncWriteExt as _;
use wire_common::scripted::{Scripted, serve};

const TARGET: &str = "https://bucket.example.com/artifacts/log.txt";
const BODY: &str = r#"{"storageType":"s3","url":"https://bucket.example.com/artifacts/log.txt?X-Amz-Signature=secret"}"#;

/// Answers every request with a 303 to `TARGET` plus a signature.
async fn redirecting_server() -> Scripted {
    serve(|mut socket| async move {
        let answer = format!(
            "HTTP/1.1 303 See Other\r\nLocation: {TARGET}?X-Amz-Signature=secret\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{BODY}",
            BODY.len()
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await
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
    let server = redirecting_server().await;
    let answer: GetArtifactResponse = queue(&server.root_url)
        .get_artifact("fN1SbArXTPSVFNUvaOlinQ", 0, "public/log.txt")
        .await
        .unwrap();
    let written = tc_client::serde_json::to_value(&answer).unwrap();
    assert_eq!(written["storageType"], "s3");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_redirect_from_any_other_entry_is_an_error_naming_its_location() {
    let server = redirecting_server().await;
    let error = queue(&server.root_url)
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
    assert_eq!(server.requests(), 1);
}
