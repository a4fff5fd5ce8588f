//! How a real Taskcluster deployment answers, measured on v106 services,
//! and tc-fake answering the same way: the anonymous role, `authorizedScopes`
//! the credentials do not satisfy, `auth.currentScopes`' own scope, gzip,
//! the headers of artifact redirects, the `---` block of error messages and the
//! trace and request ids of every answer.

use std::io::Read as _;
use std::time::Duration;

use serde_json::{Value, json};
use tc_client::auth::Auth;
use tc_client::queue::Queue;
use tc_client::{Credentials, Time};
use tc_test_support::{client, install_crypto_provider, root_credentials, task_definition, typed};

/// A plain HTTP client that neither asks for nor decodes gzip by itself.
fn raw_http() -> reqwest::Client {
    install_crypto_provider();
    reqwest::Client::builder()
        .no_gzip()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Creates a task (as root) and answers its id.
async fn a_task(queue: &Queue) -> String {
    let task_id = tc_client::slugid::nice();
    let definition = task_definition("behaviour", "proj-test/behaviour")
        .project_id("tc-fake-project".parse().unwrap());
    queue.create_task(&task_id, &definition).await.unwrap();
    task_id
}

#[tokio::test]
async fn requests_without_credentials_get_the_anonymous_role() {
    let tc = tc_fake::start().await.unwrap();
    let root: Queue = client(&tc, Some(root_credentials(&tc)));
    let task_id = a_task(&root).await;

    // Upstream's default anonymous role holds the public reads.
    let anonymous: Queue = client(&tc, None);
    let task = anonymous.task(&task_id).await.unwrap();
    assert_eq!(task.metadata.name, "behaviour");
    let scopes = client::<Auth>(&tc, None).current_scopes().await.unwrap();
    assert!(
        scopes
            .scopes
            .iter()
            .any(|s| s.as_str() == "assume:anonymous")
    );
    assert!(
        scopes
            .scopes
            .iter()
            .any(|s| s.as_str() == "queue:get-task:*")
    );
    // ... and nothing that writes.
    let error = anonymous.cancel_task(&task_id).await.unwrap_err();
    assert_eq!(error.status(), Some(403), "{error}");

    // A deployment may make nothing public.
    let private = tc_fake::TcFake::builder()
        .anonymous_scopes(Vec::<String>::new())
        .start()
        .await
        .unwrap();
    let root: Queue = client(&private, Some(root_credentials(&private)));
    let task_id = a_task(&root).await;
    let error = client::<Queue>(&private, None)
        .task(&task_id)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403), "{error}");
    assert_eq!(error.code(), Some("InsufficientScopes"));

    // Or more, and the role cannot be given twice.
    let generous = tc_fake::TcFake::builder()
        .anonymous_scopes(["queue:cancel-task:*"])
        .start()
        .await
        .unwrap();
    let task_id = a_task(&client(&generous, Some(root_credentials(&generous)))).await;
    client::<Queue>(&generous, None)
        .cancel_task(&task_id)
        .await
        .unwrap();
    let twice = tc_fake::TcFake::builder()
        .role("anonymous", ["a"])
        .anonymous_scopes(["b"])
        .start()
        .await;
    assert!(matches!(twice, Err(tc_fake::FakeError::Invalid(_))));
}

#[tokio::test]
async fn every_caller_holds_the_anonymous_role() {
    let tc = tc_fake::TcFake::builder()
        .client("project/narrow", "narrow-token", ["secrets:get:project/x"])
        .start()
        .await
        .unwrap();
    let has =
        |scopes: &[tc_client::auth::Scope], scope: &str| scopes.iter().any(|s| s.as_str() == scope);

    // A static client without auth:current-scopes gets it from the role.
    let narrow = Credentials::new("project/narrow", "narrow-token");
    let scopes = client::<Auth>(&tc, Some(narrow.clone()))
        .current_scopes()
        .await
        .unwrap()
        .scopes;
    assert!(has(&scopes, "secrets:get:project/x"), "{scopes:?}");
    assert!(has(&scopes, "queue:get-task:*"), "{scopes:?}");

    // So do temporary credentials, and credentials narrowed by
    // authorizedScopes to something the role does not hold.
    let temporary = root_credentials(&tc)
        .create_temp_creds(Duration::from_secs(600), ["secrets:get:project/y"])
        .unwrap();
    let scopes = client::<Auth>(&tc, Some(temporary))
        .current_scopes()
        .await
        .unwrap()
        .scopes;
    assert!(has(&scopes, "secrets:get:project/y"), "{scopes:?}");
    assert!(has(&scopes, "assume:anonymous"), "{scopes:?}");
    assert!(!has(&scopes, "*"), "{scopes:?}");
    let restricted: Auth = Auth::builder()
        .root_url(tc.root_url())
        .credentials(root_credentials(&tc))
        .authorized_scopes(["secrets:get:project/z"])
        .build()
        .unwrap();
    let scopes = restricted.current_scopes().await.unwrap().scopes;
    assert!(has(&scopes, "secrets:get:project/z"), "{scopes:?}");
    assert!(has(&scopes, "queue:status:*"), "{scopes:?}");
    // authorizedScopes may name what only the role grants.
    let via_role: Auth = Auth::builder()
        .root_url(tc.root_url())
        .credentials(narrow.clone())
        .authorized_scopes(["queue:get-task:*"])
        .build()
        .unwrap();
    via_role.current_scopes().await.unwrap();
}

#[tokio::test]
async fn auth_current_scopes_needs_its_scope() {
    let tc = tc_fake::TcFake::builder()
        .anonymous_scopes(Vec::<String>::new())
        .client("project/narrow", "narrow-token", ["secrets:get:project/x"])
        .client(
            "project/self-aware",
            "self-aware-token",
            ["auth:current-scopes"],
        )
        .start()
        .await
        .unwrap();
    let narrow = Credentials::new("project/narrow", "narrow-token");
    let error = client::<Auth>(&tc, Some(narrow))
        .current_scopes()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403), "{error}");
    assert_eq!(error.code(), Some("InsufficientScopes"));
    let aware = Credentials::new("project/self-aware", "self-aware-token");
    let scopes = client::<Auth>(&tc, Some(aware))
        .current_scopes()
        .await
        .unwrap()
        .scopes;
    assert!(
        scopes.iter().any(|s| s.as_str() == "auth:current-scopes"),
        "{scopes:?}"
    );
}

#[tokio::test]
async fn unsatisfied_authorized_scopes_fail_authentication() {
    let tc = tc_fake::TcFake::builder()
        .anonymous_scopes(Vec::<String>::new())
        .client("project/narrow", "narrow-token", ["secrets:get:project/x"])
        .start()
        .await
        .unwrap();
    let beyond: Queue = Queue::builder()
        .root_url(tc.root_url())
        .credentials(Credentials::new("project/narrow", "narrow-token"))
        .authorized_scopes(["queue:get-task:*"])
        .build()
        .unwrap();
    let error = beyond.task("fXw1aV5SSQKkzdtKdR3FwQ").await.unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    assert_eq!(error.code(), Some("AuthenticationFailed"));
    assert!(
        error
            .to_string()
            .contains("Supplied credentials do not satisfy authorizedScopes"),
        "{error}"
    );
}

#[tokio::test]
async fn answers_from_1_kib_are_gzipped_when_accepted() {
    // The anonymous caller's scopes: upstream's role and a few more make
    // more than 1 KiB of JSON.
    let more = (0..4).map(|i| format!("queue:get-artifact:project/{i}/public/*"));
    let tc = tc_fake::TcFake::builder()
        .anonymous_scopes(
            tc_fake::DEFAULT_ANONYMOUS_SCOPES
                .iter()
                .map(|s| s.to_string())
                .chain(more),
        )
        .start()
        .await
        .unwrap();
    let http = raw_http();
    let scopes_url = format!("{}/api/auth/v1/scopes/current", tc.root_url());
    let ping_url = format!("{}/api/auth/v1/ping", tc.root_url());

    let plain = http.get(&scopes_url).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["vary"], "Accept-Encoding");
    let plain = plain.bytes().await.unwrap();
    assert!(plain.len() >= 1024, "{} bytes", plain.len());

    let gzipped = http
        .get(&scopes_url)
        .header("accept-encoding", "gzip, deflate")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let compressed = gzipped.bytes().await.unwrap();
    assert!(compressed.len() < plain.len());
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain);

    let small = http
        .get(&ping_url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(small.headers().get("content-encoding").is_none());

    // tc-client asks for gzip and reads the answer either way.
    let scopes = client::<Auth>(&tc, None).current_scopes().await.unwrap();
    assert_eq!(
        serde_json::to_vec(&scopes).unwrap().len(),
        serde_json::to_vec(&serde_json::from_slice::<Value>(&plain).unwrap())
            .unwrap()
            .len()
    );
}

#[tokio::test]
async fn artifact_answers_are_303_with_the_storage_type() {
    let tc = tc_fake::start().await.unwrap();
    let root: Queue = client(&tc, Some(root_credentials(&tc)));
    let task_id = a_task(&root).await;
    let claim = typed(json!({"workerGroup": "wg", "workerId": "wi", "tasks": 1}));
    let claimed = root
        .claim_work("proj-test/behaviour", &claim)
        .await
        .unwrap();
    assert_eq!(claimed.tasks.len(), 1);
    let request = typed(json!({
        "storageType": "reference", "contentType": "text/plain",
        "expires": Time::from_now("1 day").unwrap(), "url": "https://example.com/log.txt",
    }));
    root.create_artifact(&task_id, "0", "public/log.txt", &request)
        .await
        .unwrap();

    let url = format!(
        "{}/api/queue/v1/task/{task_id}/runs/0/artifacts/public%2Flog.txt",
        tc.root_url()
    );
    let response = raw_http().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "https://example.com/log.txt"
    );
    assert_eq!(
        response.headers()["x-taskcluster-artifact-storage-type"],
        "reference"
    );
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"storageType": "reference", "url": "https://example.com/log.txt"})
    );

    // An error artifact: 424 with its reason and message as the whole body (no
    // `code`, no `---` block), and the storage type, as the v106 queue answers.
    let request = typed(json!({
        "storageType": "error", "reason": "file-missing-on-worker", "message": "no such file",
        "expires": Time::from_now("1 day").unwrap(),
    }));
    root.create_artifact(&task_id, "0", "public/err.log", &request)
        .await
        .unwrap();
    let url = format!(
        "{}/api/queue/v1/task/{task_id}/runs/0/artifacts/public%2Ferr.log",
        tc.root_url()
    );
    let response = raw_http().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 424);
    assert_eq!(
        response.headers()["x-taskcluster-artifact-storage-type"],
        "error"
    );
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"reason": "file-missing-on-worker", "message": "no such file"})
    );
    // the generated client takes the reason as the error's code
    let error = root
        .get_artifact(&task_id, "0", "public/err.log")
        .await
        .unwrap_err();
    match &error {
        tc_client::Error::Api {
            status,
            code,
            message,
            ..
        } => {
            assert_eq!(*status, 424);
            assert_eq!(code.as_deref(), Some("file-missing-on-worker"));
            // The body's message; tc-client adds the answer's request id after it.
            assert_eq!(
                message.split("\n\nrequest id: ").next(),
                Some("no such file")
            );
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn error_messages_end_with_taskclusters_block() {
    let tc = tc_fake::start().await.unwrap();
    let root: Queue = client(&tc, Some(root_credentials(&tc)));
    let error = root.task("fXw1aV5SSQKkzdtKdR3FwQ").await.unwrap_err();
    assert!(error.to_string().contains("request id: "), "{error}");
    assert_eq!(error.request_id().map(str::len), Some(36), "{error}");
}
