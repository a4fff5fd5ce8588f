//! What each error says, against scripted local servers: a transport error,
//! a timeout and an answer that does not decode each name the service
//! method, the HTTP method and the URL (without its query, which may carry a
//! bewit), and a decode error names the JSON path of the offending field.

mod wire_common;

use std::time::Duration;

use tc_client::queue::Queue;
use tc_client::{Credentials, Error, RetryPolicy};
use tokio::io::AsyncWriteExt as _;
use wire_common::scripted::serve;

const TASK_ID: &str = "fN1SbArXTPSVFNUvaOlinQ";

fn queue(root_url: &str) -> Queue {
    Queue::builder()
        .root_url(root_url)
        .credentials(Credentials::new("project/errors", "secret-token"))
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Neither the error's text nor its debug form holds a secret.
fn assert_no_secret(error: &Error) {
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains("secret"), "{shown}");
        assert!(!shown.contains("bewit"), "{shown}");
    }
}

#[tokio::test]
async fn a_decode_error_names_the_call_and_the_field_path() {
    // A task status whose second run has a string for its runId.
    let body = format!(
        r#"{{"status":{{"taskId":"{TASK_ID}","provisionerId":"p","workerType":"w","taskQueueId":"p/w","schedulerId":"-","projectId":"none","taskGroupId":"{TASK_ID}","deadline":"2026-12-02T00:00:00.000Z","expires":"2027-12-02T00:00:00.000Z","retriesLeft":5,"state":"pending","runs":[{{"runId":0,"state":"exception","reasonCreated":"scheduled","reasonResolved":"claim-expired","scheduled":"2026-12-01T00:00:00.000Z","resolved":"2026-12-01T01:00:00.000Z"}},{{"runId":"one","state":"pending","reasonCreated":"retry","scheduled":"2026-12-01T01:00:00.000Z"}}]}}}}"#
    );
    let server = serve(move |mut socket| {
        let body = body.clone();
        async move {
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    })
    .await;
    let error = queue(&server.root_url).status(TASK_ID).await.unwrap_err();
    let url = format!("{}/api/queue/v1/task/{TASK_ID}/status", server.root_url);
    match &error {
        Error::Decode {
            service_method,
            method,
            url: shown,
            status,
            message,
            ..
        } => {
            assert_eq!(
                (service_method.as_str(), *method, shown, *status),
                ("queue.status", "GET", &url, Some(200))
            );
            assert!(
                message.starts_with("at status.runs[1].runId: invalid type: string \"one\""),
                "{message}"
            );
        }
        other => panic!("another error: {other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with(&format!("GET {url} (queue.status): could not decode the answer (status 200): at status.runs[1].runId")),
        "{error}"
    );
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_transport_error_names_the_call() {
    // A port that was open a moment ago and is closed now.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let root_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = queue(&root_url)
        .list_task_group(TASK_ID)
        .continuation_token("secret-continuation")
        .limit(5)
        .await
        .unwrap_err();
    let url = format!("{root_url}/api/queue/v1/task-group/{TASK_ID}/list");
    match &error {
        Error::Transport {
            service_method,
            method,
            url: shown,
            attempts,
            ..
        } => assert_eq!(
            (service_method.as_str(), *method, shown, *attempts),
            ("queue.listTaskGroup", "GET", &url, 1)
        ),
        other => panic!("another error: {other:?}"),
    }
    assert!(
        error.to_string().starts_with(&format!(
            "GET {url} (queue.listTaskGroup): transport error after 1 attempt(s): "
        )),
        "{error}"
    );
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_timeout_names_the_call() {
    // Reads the request and never answers.
    let server = serve(|socket| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    let error = queue(&server.root_url)
        .cancel_task(TASK_ID)
        .await
        .unwrap_err();
    let url = format!("{}/api/queue/v1/task/{TASK_ID}/cancel", server.root_url);
    match &error {
        Error::Timeout {
            service_method,
            method,
            url: shown,
            attempts,
        } => assert_eq!(
            (service_method.as_str(), *method, shown, *attempts),
            ("queue.cancelTask", "POST", &url, 1)
        ),
        other => panic!("another error: {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        format!("POST {url} (queue.cancelTask): timed out after 1 attempt(s)")
    );
    assert_no_secret(&error);
}
