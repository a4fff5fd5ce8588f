//! Retries through the generated clients against tc-fake's injected faults:
//! which failures are retried, how many attempts the server sees, how long
//! the client waits, and what the final error says.
//!
//! Waits that only need to be "at least" are measured in real time with
//! tiny backoffs; exact backoff schedules use a paused tokio clock.

mod wire_common;

use std::time::{Duration, Instant};

use tc_client::auth::{Auth, CreateClientRequest};
use tc_client::queue::Queue;
use tc_client::secrets::{Secret, Secrets};
use tc_client::{Error, RetryPolicy, Time};
use wire_common::{
    api_failure, client_with, create_task, quick_retries, root, root_creds, task_definition,
    trivial_payload,
};

fn queue_with(tc: &tc_fake::TcFake, policy: RetryPolicy) -> Queue {
    client_with(tc, Some(root_creds(tc)), policy)
}

#[tokio::test]
async fn three_injected_500s_on_create_task_are_retried_and_the_fourth_attempt_creates_the_task() {
    let tc = tc_fake::start().await.unwrap();
    let queue = queue_with(&tc, quick_retries());
    tc.fail_next("queue", "createTask", 3, 500);
    let task_id = tc_client::slugid::nice();
    let status = queue
        .create_task(&task_id, &task_definition("retried", trivial_payload()))
        .await
        .unwrap();
    assert_eq!(status.status.task_id.as_str(), task_id);
    assert_eq!(tc.requests("queue", "createTask"), 4);
    assert_eq!(queue.task(&task_id).await.unwrap().metadata.name, "retried");
}

#[tokio::test]
async fn the_final_error_reports_max_retries_plus_one_attempts_all_seen_by_the_server() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    tc.fail_next("queue", "status", 10, 503);
    let queue = queue_with(&tc, quick_retries().max_retries(2));
    let error = queue.status(&task_id).await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(failure.status, 503, "{error}");
    assert_eq!(failure.attempts, 3, "max_retries(2) + 1: {error}");
    assert!(
        error.to_string().contains("after 3 attempt(s)"),
        "the message says so too: {error}"
    );
    assert_eq!(tc.requests("queue", "status"), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_1_makes_the_client_wait_at_least_a_second_before_retrying() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    // Backoff of a few milliseconds: any longer wait is Retry-After's doing.
    let queue = queue_with(&tc, quick_retries());

    // Control: a 429 without Retry-After is retried at once.
    tc.fail_next("queue", "status", 1, 429);
    let started = Instant::now();
    queue.status(&task_id).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(tc.requests("queue", "status"), 2);

    tc.fail_next_with_retry_after("queue", "status", 1, 429, 1);
    let started = Instant::now();
    queue.status(&task_id).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert_eq!(tc.requests("queue", "status"), 4);
}

#[tokio::test]
async fn a_default_client_asked_to_wait_an_hour_returns_the_429_at_once() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    let queue = queue_with(&tc, RetryPolicy::default());
    let before = tc.requests("queue", "status");
    tc.fail_next_with_retry_after("queue", "status", 1, 429, 3600);
    let started = Instant::now();
    let error = queue.status(&task_id).await.unwrap_err();
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(1), "{waited:?}");
    assert_eq!(api_failure(&error).status, 429, "{error}");
    assert_eq!(api_failure(&error).attempts, 1, "{error}");
    assert!(
        error
            .to_string()
            .contains("the server asked to wait 3600 s"),
        "{error}"
    );
    assert_eq!(tc.requests("queue", "status"), before + 1);
}

#[tokio::test]
async fn a_404_for_an_unknown_task_is_not_retried() {
    let tc = tc_fake::start().await.unwrap();
    let queue = queue_with(&tc, quick_retries());
    let error = queue.status(&tc_client::slugid::nice()).await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (404, "ResourceNotFound"),
        "{error}"
    );
    assert_eq!(failure.attempts, 1, "{error}");
    assert_eq!(tc.requests("queue", "status"), 1);
}

#[tokio::test]
async fn a_400_for_a_body_the_input_schema_rejects_is_not_retried() {
    let tc = tc_fake::start().await.unwrap();
    let auth: Auth = client_with(&tc, Some(root_creds(&tc)), quick_retries());
    // The Rust type cannot express the schema's `maxLength: 10240`.
    let request = CreateClientRequest::new("x".repeat(20_000), Time::from_now("1 day").unwrap());
    let error = auth
        .create_client("project/wire/verbose", &request)
        .await
        .unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (400, "InputValidationError"),
        "{error}"
    );
    assert_eq!(failure.attempts, 1, "{error}");
    assert_eq!(tc.requests("auth", "createClient"), 1);
}

#[tokio::test]
async fn a_dropped_connection_mid_body_is_retried_and_the_secret_is_read() {
    let tc = tc_fake::start().await.unwrap();
    let secrets: Secrets = client_with(&tc, Some(root_creds(&tc)), quick_retries());
    let secret = Secret::new(Time::from_now("1 day").unwrap(), [("token", "s3cr3t")]);
    secrets.set("project/wire/deploy", &secret).await.unwrap();

    tc.drop_connection_next("secrets", "get", 1);
    let fetched = secrets.get("project/wire/deploy").await.unwrap();
    assert_eq!(fetched.secret["token"], "s3cr3t");
    assert_eq!(tc.requests("secrets", "get"), 2);
}

#[tokio::test]
async fn a_hung_server_hits_the_per_attempt_timeout_and_the_retry_succeeds() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    let queue: Queue = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .credentials(root_creds(&tc))
        .retry(quick_retries())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    tc.delay_next("queue", "status", 1, Duration::from_secs(3));
    let started = Instant::now();
    let status = queue.status(&task_id).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(status.status.task_id.as_str(), task_id);
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(tc.requests("queue", "status"), 2);
}

#[tokio::test]
async fn a_server_that_hangs_on_every_attempt_ends_in_error_timeout_with_the_attempt_count() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    let queue: Queue = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .credentials(root_creds(&tc))
        .retry(quick_retries().max_retries(2))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    tc.delay_next("queue", "status", 3, Duration::from_secs(5));
    let started = Instant::now();
    let error = queue.status(&task_id).await.unwrap_err();
    let waited = started.elapsed();
    match &error {
        Error::Timeout {
            service_method,
            method,
            url,
            attempts,
        } => {
            assert_eq!(service_method, "queue.status");
            assert_eq!(*method, "GET");
            assert_eq!(
                url,
                &format!("{}/api/queue/v1/task/{task_id}/status", tc.root_url())
            );
            assert_eq!(*attempts, 3);
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert_eq!(tc.requests("queue", "status"), 3);
}

/// A server that answers the headers of a 200 and ten of the hundred bytes
/// it announces, then stalls: the per-attempt timeout covers the body too.
#[tokio::test]
async fn a_body_that_stalls_after_the_headers_ends_in_error_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root_url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
                socket.write_all(head.as_bytes()).await.unwrap();
                socket.write_all(b"{\"status\":").await.unwrap();
                tokio::time::sleep(Duration::from_secs(10)).await;
            });
        }
    });
    let queue: Queue = Queue::builder()
        .root_url(&root_url)
        .retry(quick_retries().max_retries(1))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = queue.status("fN1QNSp3TUWpgH7BSoTOvw").await.unwrap_err();
    let waited = started.elapsed();
    assert!(
        matches!(error, Error::Timeout { attempts: 2, .. }),
        "{error:?}"
    );
    assert!(waited >= Duration::from_millis(600), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    // The stalled connection is not reused: each attempt connected anew.
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_retry_deadline_stops_retrying_before_it_passes() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    tc.fail_next("queue", "status", 10, 500);
    let policy = RetryPolicy::default()
        .max_retries(20)
        .base_delay(Duration::from_millis(100))
        .jitter(0.0)
        .deadline(Duration::from_millis(500));
    let queue = queue_with(&tc, policy);
    let started = Instant::now();
    let error = queue.status(&task_id).await.unwrap_err();
    let waited = started.elapsed();
    let failure = api_failure(&error);
    assert_eq!(failure.status, 500, "{error}");
    assert!(waited < Duration::from_secs(1), "{waited:?}");
    let seen = tc.requests("queue", "status");
    assert!((2..10).contains(&seen), "{seen} attempts");
    assert_eq!(failure.attempts as usize, seen, "{error}");
}

#[tokio::test]
async fn a_retry_deadline_cuts_a_hung_attempt_short_with_error_timeout() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    tc.delay_next("queue", "status", 1, Duration::from_secs(5));
    // The per-attempt timeout is the default (minutes): only the deadline ends this.
    let queue = queue_with(&tc, quick_retries().deadline(Duration::from_millis(500)));
    let started = Instant::now();
    let error = queue.status(&task_id).await.unwrap_err();
    let waited = started.elapsed();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(waited >= Duration::from_millis(500), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
}

/// Backoff in virtual time: with no jitter, the waits between the four
/// attempts are exactly base, base * factor and base * factor².
#[tokio::test(start_paused = true)]
async fn backoff_between_attempts_follows_base_and_factor_under_a_paused_clock() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    let policy = RetryPolicy::default()
        .jitter(0.0)
        .base_delay(Duration::from_millis(100))
        .factor(3.0)
        .max_retries(3);
    let queue = queue_with(&tc, policy);

    tc.fail_next("queue", "status", 3, 500);
    let started = tokio::time::Instant::now();
    queue.status(&task_id).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(tc.requests("queue", "status"), 4);
    // 100 + 300 + 900 ms, plus whatever virtual time the requests took (none).
    assert!(
        waited >= Duration::from_millis(1300) && waited < Duration::from_millis(1350),
        "{waited:?}"
    );

    // One failure more than the policy allows: the same waits, then the error.
    tc.fail_next("queue", "status", 4, 500);
    let started = tokio::time::Instant::now();
    let error = queue.status(&task_id).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(api_failure(&error).attempts, 4, "{error}");
    assert_eq!(tc.requests("queue", "status"), 8);
    assert!(
        waited >= Duration::from_millis(1300) && waited < Duration::from_millis(1350),
        "{waited:?}"
    );
}

/// The deadline in virtual time: attempts at 0, 100 and 300 ms; the next
/// would start at 700 ms, past the 500 ms deadline, so the client stops.
#[tokio::test(start_paused = true)]
async fn a_retry_deadline_allows_exactly_the_attempts_that_fit_under_a_paused_clock() {
    let tc = tc_fake::start().await.unwrap();
    let task_id = create_task(&tc).await;
    tc.fail_next("queue", "status", 10, 500);
    let policy = RetryPolicy::default()
        .max_retries(20)
        .jitter(0.0)
        .deadline(Duration::from_millis(500));
    let queue = queue_with(&tc, policy);
    let started = tokio::time::Instant::now();
    let error = queue.status(&task_id).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(api_failure(&error).attempts, 3, "{error}");
    assert_eq!(tc.requests("queue", "status"), 3);
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_millis(350),
        "{waited:?}"
    );
}

#[tokio::test]
async fn other_4xx_answers_are_not_retried_even_when_injected() {
    let tc = tc_fake::start().await.unwrap();
    let queue: Queue = root(&tc);
    let patient = queue_with(&tc, quick_retries());
    for status in [400, 401, 403, 404, 409] {
        let before = tc.requests("queue", "ping");
        tc.fail_next("queue", "ping", 1, status);
        let error = patient.ping().await.unwrap_err();
        assert_eq!(api_failure(&error).status, status, "{error}");
        assert!(!error.is_retryable(), "{error}");
        assert_eq!(tc.requests("queue", "ping"), before + 1, "{status}");
    }
    queue.ping().await.unwrap();
}
