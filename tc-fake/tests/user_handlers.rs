//! A user's handler for an entry tc-fake does not model (`queue.quarantineWorker`,
//! a 501 without one), reached through the generated client: Hawk, the
//! scope expression with the URL's arguments, the input schema and the
//! output schema are all checked as for the fake's own entries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tc_client::Credentials;
use tc_client::queue::{QuarantineWorkerRequest, Queue, WorkerResponse};
use tc_fake::{ApiError, FakeError, Handler, Request, Response, TcFake};
use tc_test_support::{client, root};

const CI_ID: &str = "project/ci";
const CI_TOKEN: &str = "ci-access-token-0123456789";

fn quarantine_until(text: &str) -> QuarantineWorkerRequest {
    quarantine(text, "flaky disk")
}

/// Quarantines worker `us-east/<worker_id>` of `proj/<worker_type>`.
async fn quarantine_worker(
    queue: &Queue,
    worker_type: &str,
    worker_id: &str,
    request: &QuarantineWorkerRequest,
) -> tc_client::Result<WorkerResponse> {
    queue
        .quarantine_worker("proj", worker_type, "us-east", worker_id, request)
        .await
}

fn quarantine(until: &str, info: &str) -> QuarantineWorkerRequest {
    serde_json::from_value(json!({ "quarantineUntil": until, "quarantineInfo": info })).unwrap()
}

/// A worker as the queue describes it, for the handler's answers.
fn worker(request: &Request<'_>) -> Result<Value, ApiError> {
    let body = request.body_object()?;
    Ok(json!({
        "provisionerId": request.arg("provisionerId")?,
        "workerType": request.arg("workerType")?,
        "workerGroup": request.arg("workerGroup")?,
        "workerId": request.arg("workerId")?,
        "recentTasks": [],
        "expires": "2027-12-03T00:00:00.000Z",
        "firstClaim": "2026-12-01T00:00:00.000Z",
        "quarantineUntil": body["quarantineUntil"],
        "quarantineDetails": [{
            "clientId": request.caller.client_id.clone().unwrap_or_default(),
            "quarantineInfo": body["quarantineInfo"],
            "quarantineUntil": body["quarantineUntil"],
            "updatedAt": "2026-12-03T10:00:00.000Z",
        }],
    }))
}

#[tokio::test]
async fn a_user_handler_answers_an_unmodelled_entry_behind_hawk_and_scopes() {
    // Without a handler the entry is not implemented.
    let plain = tc_fake::start().await.unwrap();
    let error = quarantine_worker(
        &root::<Queue>(&plain),
        "ci",
        "w-1",
        &quarantine_until("2026-12-04T00:00:00Z"),
    )
    .await
    .unwrap_err();
    assert_eq!(error.status(), Some(501), "{error}");

    let calls = Arc::new(AtomicUsize::new(0));
    let seen_by_handler = calls.clone();
    let callers = Arc::new(Mutex::new(Vec::new()));
    let seen_callers = callers.clone();
    let tc = TcFake::builder()
        .client(CI_ID, CI_TOKEN, ["queue:quarantine-worker:proj/ci/*"])
        .handle("queue", "quarantineWorker", move |request: &Request<'_>| {
            seen_by_handler.fetch_add(1, Ordering::SeqCst);
            seen_callers
                .lock()
                .unwrap()
                .push(request.caller.client_id.clone());
            Ok(Response::Json(worker(request)?))
        })
        .start()
        .await
        .unwrap();
    let ci = client::<Queue>(&tc, Credentials::new(CI_ID, CI_TOKEN));

    // Allowed by the scope with the URL's arguments filled in.
    let answer = quarantine_worker(&ci, "ci", "w-1", &quarantine_until("2026-12-04T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(answer.worker_id.as_str(), "w-1");
    assert_eq!(answer.quarantine_details.len(), 1);
    assert_eq!(answer.quarantine_details[0].client_id.as_str(), CI_ID);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(*callers.lock().unwrap(), vec![Some(CI_ID.to_owned())]);

    // Another worker type: the scope check refuses before the handler runs.
    let refused = quarantine_worker(&ci, "gpu", "w-1", &quarantine_until("2026-12-04T00:00:00Z"))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(403), "{refused}");
    assert_eq!(refused.code(), Some("InsufficientScopes"));

    // A wrong access token fails Hawk verification.
    let forged = client::<Queue>(&tc, Credentials::new(CI_ID, "not-the-token-0123456789"));
    let unauthenticated = quarantine_worker(
        &forged,
        "ci",
        "w-1",
        &quarantine_until("2026-12-04T00:00:00Z"),
    )
    .await
    .unwrap_err();
    assert_eq!(unauthenticated.status(), Some(401), "{unauthenticated}");

    // A body the input schema refuses (quarantineInfo over 4000 characters)
    // never reaches it.
    let invalid = quarantine_worker(
        &ci,
        "ci",
        "w-1",
        &quarantine("2026-12-04T00:00:00Z", &"x".repeat(4001)),
    )
    .await
    .unwrap_err();
    assert_eq!(invalid.status(), Some(400), "{invalid}");
    assert_eq!(invalid.code(), Some("InputValidationError"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(tc.requests("queue", "quarantineWorker"), 4);
}

/// What the root client gets from `quarantineWorker` on a fake where
/// `handler` answers it.
async fn answered_by(handler: impl Handler + 'static) -> tc_client::Result<WorkerResponse> {
    let tc = TcFake::builder()
        .handle("queue", "quarantineWorker", handler)
        .start()
        .await
        .unwrap();
    let until = quarantine_until("2026-12-04T00:00:00Z");
    quarantine_worker(&root::<Queue>(&tc), "ci", "w-1", &until).await
}

#[tokio::test]
async fn a_user_handlers_answer_is_checked_against_the_output_schema() {
    let error = answered_by(|_: &Request<'_>| Ok(Response::Json(json!({ "workerId": "w-1" }))))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500), "{error}");
    assert!(error.to_string().contains("output schema"), "{error}");
}

#[tokio::test]
async fn a_user_handlers_error_is_the_answer() {
    let error = answered_by(|_: &Request<'_>| Err(ApiError::not_found("no such worker")))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    assert_eq!(error.code(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn handlers_cannot_replace_modelled_entries_or_name_unknown_ones() {
    let answer = |_: &Request<'_>| Ok(Response::Empty);
    let invalid = |builder: tc_fake::TcFakeBuilder| async move {
        match builder.start().await {
            Err(FakeError::Invalid(message)) => message,
            other => panic!("expected FakeError::Invalid, got {other:?}"),
        }
    };
    let modelled = invalid(TcFake::builder().handle("queue", "createTask", answer)).await;
    assert!(modelled.contains("queue.createTask"), "{modelled}");
    let core = invalid(TcFake::builder().handle("queue", "ping", answer)).await;
    assert!(core.contains("queue.ping"), "{core}");
    let unknown = invalid(TcFake::builder().handle("queue", "createTasks", answer)).await;
    assert!(unknown.contains("queue.createTasks"), "{unknown}");
    let twice = invalid(
        TcFake::builder()
            .handle("queue", "quarantineWorker", answer)
            .handle("queue", "quarantineWorker", answer),
    )
    .await;
    assert!(twice.contains("given twice"), "{twice}");
}
