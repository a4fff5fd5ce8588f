//! What tc-client logs, and what it must never show.
//!
//! One test drives a broad sample of traffic against tc-fake — permanent,
//! temporary and rotated credentials, retried and refused calls, signed URLs,
//! an artifact uploaded and downloaded through the object service with the
//! queue's short-lived credentials — while a `tracing` subscriber records
//! everything at TRACE level, spans included. It then checks that each API
//! call ran in one `taskcluster` span carrying service, method, attempt and
//! status, and that no access token, certificate (or its signature) or bewit
//! appears in the captured logs, in any error (Display or Debug) or in the
//! Debug output of credentials, builders and clients.
//!
//! One test function on a current-thread runtime: the subscriber is the
//! thread's default, and everything tc-client and tc-fake do runs on it.

mod wire_common;

use std::io::Write;
use std::num::NonZeroU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tc_client::auth::Auth;
use tc_client::queue::{ClaimWorkRequest, Queue};
use tc_client::transfer::{Downloaded, from_bytes, to_buffer};
use tc_client::{Credentials, Error, Time, credentials_source};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use wire_common::{
    TASK_QUEUE, WORKER, WORKER_GROUP, WORKER_ID, client_as, client_with, create_task,
    quick_retries, root, root_creds, with_worker,
};

/// Everything the subscriber writes, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// What the test saw: secrets to look for, and text to look in.
#[derive(Default)]
struct Evidence {
    secrets: Vec<(String, String)>,
    shown: Vec<String>,
}

impl Evidence {
    fn secret(&mut self, what: &str, value: &str) {
        assert!(
            value.len() >= 8,
            "{what} is too short to search for: {value:?}"
        );
        self.secrets.push((what.to_owned(), value.to_owned()));
    }

    fn credentials(&mut self, what: &str, credentials: &Credentials) {
        self.secret(&format!("{what} access token"), credentials.access_token());
        if let Some(certificate) = credentials.certificate() {
            self.secret(&format!("{what} certificate"), certificate);
            let parsed: serde_json::Value = serde_json::from_str(certificate).unwrap();
            let signature = parsed["signature"].as_str().unwrap();
            self.secret(&format!("{what} certificate signature"), signature);
        }
        self.show(format!("{credentials:?}"));
        self.show(credentials.to_string());
    }

    fn error(&mut self, error: &Error) {
        self.show(error.to_string());
        self.show(format!("{error:?}"));
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            self.show(cause.to_string());
            source = cause.source();
        }
    }

    fn show(&mut self, text: String) {
        self.shown.push(text);
    }
}

fn bewit_of(url: &str) -> String {
    let url = reqwest::Url::parse(url).unwrap();
    let (_, bewit) = url.query_pairs().find(|(k, _)| k == "bewit").unwrap();
    bewit.into_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn calls_are_traced_in_one_span_each_and_no_secret_is_ever_shown() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let tc = with_worker(tc_fake::TcFake::builder())
        .start()
        .await
        .unwrap();
    let mut seen = Evidence::default();
    let root_credentials = root_creds(&tc);
    seen.credentials("root", &root_credentials);
    seen.secret("worker access token", WORKER.1);

    // Permanent credentials: create, read, and a 404.
    let queue: Queue = client_with(&tc, Some(root_credentials.clone()), quick_retries());
    seen.show(format!("{queue:?}"));
    seen.show(format!(
        "{:?}",
        Queue::builder().credentials(root_credentials.clone())
    ));
    let task_id = create_task(&tc).await;
    queue.task(&task_id).await.unwrap();
    let missing = queue.task("AAAAAAAAAAAAAAAAAAAAAA").await.unwrap_err();
    seen.error(&missing);

    // Two 500s, then success: three attempts in one span.
    tc.fail_next("queue", "status", 2, 500);
    queue.status(&task_id).await.unwrap();
    // Retried until the policy gives up.
    tc.fail_next("queue", "status", 10, 503);
    let unavailable = client_with::<Queue>(
        &tc,
        Some(root_credentials.clone()),
        quick_retries().max_retries(2),
    )
    .status(&task_id)
    .await
    .unwrap_err();
    seen.error(&unavailable);

    // Temporary credentials, named and unnamed, narrowed and not.
    let temp = root_credentials
        .create_temp_creds(Duration::from_secs(600), ["auth:*", "queue:*"])
        .unwrap();
    seen.credentials("temporary", &temp);
    let auth: Auth = client_as(&tc, Some(temp.clone()));
    auth.current_scopes().await.unwrap();
    let named = root_credentials
        .create_named_temp_creds("root/named", Duration::from_secs(600), ["auth:*"])
        .unwrap();
    seen.credentials("named temporary", &named);
    let narrowed = Auth::builder()
        .root_url(tc.root_url())
        .credentials(named.clone())
        .authorized_scopes(["auth:nothing-useful"])
        .build()
        .unwrap();
    seen.show(format!("{narrowed:?}"));
    let refused = narrowed
        .reset_access_token("static/nobody")
        .await
        .unwrap_err();
    seen.error(&refused);

    // Wrong token and expired certificate: 401.
    let wrong = Credentials::new("static/nobody", "wrong-token-0123456789");
    seen.credentials("wrong", &wrong);
    let unauthenticated = client_as::<Auth>(&tc, Some(wrong)).current_scopes().await;
    seen.error(&unauthenticated.unwrap_err());
    let expired = root_credentials
        .temp_creds_builder(["auth:*"])
        .start(Time::now().checked_sub(Duration::from_secs(7200)).unwrap())
        .expiry(Time::now().checked_sub(Duration::from_secs(3600)).unwrap())
        .build()
        .unwrap();
    seen.credentials("expired", &expired);
    let expired_error = client_as::<Auth>(&tc, Some(expired.clone()))
        .current_scopes()
        .await
        .unwrap_err();
    seen.error(&expired_error);

    // A credentials source whose first answer has expired: 401, then a retry.
    let fresh = root_credentials
        .create_temp_creds(Duration::from_secs(600), ["auth:*"])
        .unwrap();
    seen.credentials("rotated", &fresh);
    let answers = Arc::new(Mutex::new(vec![fresh, expired]));
    let rotating = Auth::builder()
        .root_url(tc.root_url())
        .credentials_source(credentials_source::from_fn(move || {
            let answer = answers.lock().unwrap().pop().unwrap();
            async move { Ok(answer) }
        }))
        .build()
        .unwrap();
    rotating.current_scopes().await.unwrap();
    seen.show(format!("{rotating:?}"));

    // Signed URLs: the bewit is as secret as a token while it lasts.
    let signed = auth
        .current_scopes_signed_url(Duration::from_secs(60))
        .unwrap();
    seen.secret("bewit", &bewit_of(&signed));
    let signed_by_root = queue
        .status_signed_url(&task_id, Duration::from_secs(60))
        .unwrap();
    seen.secret("root bewit", &bewit_of(&signed_by_root));

    // An artifact through the object service, with the queue's credentials.
    let worker: Queue = client_as(&tc, Some(Credentials::new(WORKER.0, WORKER.1)));
    let claim_task = create_task(&tc).await;
    let claims = worker
        .claim_work(
            TASK_QUEUE,
            &ClaimWorkRequest::new(
                NonZeroU64::new(5).unwrap(),
                WORKER_GROUP.parse().unwrap(),
                WORKER_ID.parse().unwrap(),
            ),
        )
        .await
        .unwrap()
        .tasks;
    let claim = claims
        .iter()
        .find(|c| c.status.task_id.as_str() == claim_task)
        .unwrap();
    let task_credentials = Credentials::new(
        claim.credentials.client_id.clone(),
        claim.credentials.access_token.clone(),
    )
    .with_certificate(claim.credentials.certificate.clone());
    seen.credentials("task", &task_credentials);
    let as_task: Queue = client_as(&tc, Some(task_credentials));
    let run_id = claim.run_id.to_string();
    let data = vec![7u8; 64 * 1024];
    as_task
        .upload_artifact(
            &claim_task,
            &run_id,
            "public/logs/secret-test.bin",
            from_bytes(&data),
        )
        .content_type("application/octet-stream")
        .expires(Time::from_now("1 day").unwrap())
        .await
        .unwrap();
    let Downloaded {
        data: downloaded, ..
    } = root::<Queue>(&tc)
        .download_artifact(&claim_task, "public/logs/secret-test.bin", to_buffer())
        .await
        .unwrap();
    assert_eq!(downloaded, data);
    let missing_artifact = root::<Queue>(&tc)
        .download_artifact(&claim_task, "public/logs/absent.bin", to_buffer())
        .await
        .unwrap_err();
    seen.error(&missing_artifact);

    drop(tc);
    let logs = captured.text();

    // One span per call, with its fields: the retried status call shows
    // attempt 3 and its final status.
    let closes: Vec<&str> = logs.lines().filter(|l| l.contains(": close ")).collect();
    let span_of = |service: &str, method: &str| -> Vec<&str> {
        closes
            .iter()
            .copied()
            .filter(|l| {
                l.contains(&format!(
                    "taskcluster{{service=\"{service}\" method=\"{method}\""
                ))
            })
            .collect()
    };
    let task_spans = span_of("queue", "task");
    assert_eq!(task_spans.len(), 2, "{logs}");
    assert!(
        task_spans
            .iter()
            .any(|l| l.contains("attempt=1 status=200")),
        "{task_spans:?}"
    );
    assert!(
        task_spans
            .iter()
            .any(|l| l.contains("attempt=1 status=404")),
        "{task_spans:?}"
    );
    let status_spans = span_of("queue", "status");
    assert_eq!(status_spans.len(), 2, "{status_spans:?}");
    assert!(
        status_spans
            .iter()
            .any(|l| l.contains("attempt=3 status=200")),
        "{status_spans:?}"
    );
    assert!(
        status_spans
            .iter()
            .any(|l| l.contains("attempt=3 status=503")),
        "{status_spans:?}"
    );
    assert!(
        logs.contains("retrying once with new credentials from the credentials source"),
        "{logs}"
    );
    assert!(!span_of("queue", "createArtifact").is_empty(), "{logs}");
    assert!(!span_of("object", "startDownload").is_empty(), "{logs}");

    // Nor any Authorization header (its ext carries the certificate) or bewit.
    for marker in ["Hawk id=", "mac=\"", "bewit="] {
        assert!(
            !logs.contains(marker),
            "{marker:?} appears in the logs:\n{logs}"
        );
        for text in &seen.shown {
            assert!(!text.contains(marker), "{marker:?} appears in:\n{text}");
        }
    }

    let mut haystacks = seen.shown;
    haystacks.push(logs);
    for (what, secret) in &seen.secrets {
        for text in &haystacks {
            assert!(
                !text.contains(secret.as_str()),
                "the {what} appears in:\n{text}"
            );
        }
    }
}
