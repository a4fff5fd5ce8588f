//! tc-fake over real HTTP: plain reqwest and the generated clients.

use std::time::Duration;

use serde_json::{Value, json};
use tc_client::{Credentials, Error, RetryPolicy};
use tc_test_support::{
    api_failure, client, install_crypto_provider, quick_retries, root_credentials,
};

const SERVICES: [&str; 11] = [
    "auth",
    "github",
    "hooks",
    "index",
    "notify",
    "object",
    "purge-cache",
    "queue",
    "secrets",
    "web-server",
    "worker-manager",
];

/// A plain HTTP client (reqwest is built without a default TLS provider).
fn http() -> reqwest::Client {
    install_crypto_provider();
    reqwest::Client::new()
}

async fn get(url: impl reqwest::IntoUrl) -> reqwest::Result<reqwest::Response> {
    http().get(url).send().await
}

async fn json(response: reqwest::Response) -> Value {
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn every_service_answers_ping_lbheartbeat_and_version() {
    let tc = tc_fake::start().await.unwrap();
    let client = http();
    for service in SERVICES {
        for (route, entry) in [
            ("ping", "ping"),
            ("__lbheartbeat__", "lbheartbeat"),
            ("__version__", "version"),
            ("__heartbeat__", "heartbeat"),
        ] {
            let url = format!("{}/api/{service}/v1/{route}", tc.root_url());
            let response = client.get(&url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{url}");
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("application/json")
            );
            let body: Value = json(response).await;
            if entry == "ping" {
                assert_eq!(body["alive"], json!(true), "{url}: {body}");
                assert!(body["uptime"].is_number(), "{url}: {body}");
            }
            assert_eq!(tc.requests(service, entry), 1);
        }
    }
}

#[tokio::test]
async fn every_service_pings_through_the_generated_client() {
    let tc = tc_fake::start().await.unwrap();
    let root = tc.root_url();
    let creds = Some(root_credentials(&tc));
    macro_rules! ping {
        ($($client:ty),* $(,)?) => {$(
            <$client>::new(creds.clone(), root).unwrap().ping().await.unwrap();
        )*};
    }
    ping!(
        tc_client::auth::Auth,
        tc_client::github::Github,
        tc_client::hooks::Hooks,
        tc_client::index::Index,
        tc_client::notify::Notify,
        tc_client::object::Object,
        tc_client::purge_cache::PurgeCache,
        tc_client::secrets::Secrets,
        tc_client::web_server::WebServer,
        tc_client::worker_manager::WorkerManager,
    );
    // ping needs no credentials.
    tc_client::queue::Queue::new(None, root)
        .unwrap()
        .ping()
        .await
        .unwrap();
    for service in SERVICES {
        assert_eq!(tc.requests(service, "ping"), 1, "{service}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_404_in_taskclusters_shape() {
    let tc = tc_fake::start().await.unwrap();
    let client = http();
    for (method, path) in [
        ("GET", "/api/queue/v1/no-such-route"),
        ("DELETE", "/api/queue/v1/ping"),
        ("GET", "/api/no-such-service/v1/ping"),
        ("GET", "/api/queue/v2/ping"),
        ("GET", "/"),
    ] {
        let url = format!("{}{path}", tc.root_url());
        let response = client
            .request(method.parse().unwrap(), &url)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {url}");
        let body: Value = json(response).await;
        assert_eq!(body["code"], "ResourceNotFound", "{body}");
        assert!(body["message"].as_str().unwrap().contains(path), "{body}");
        // Taskcluster ends every error message with a block naming the
        // entry, the error code, the status and the time.
        let time = body["requestInfo"]["time"].as_str().unwrap();
        let block = format!(
            "\n\n---\n\n* method:     \n* errorCode:  ResourceNotFound\n* statusCode: 404\n* time:       {time}"
        );
        assert!(
            body["message"].as_str().unwrap().ends_with(&block),
            "{body}"
        );
    }
}

#[tokio::test]
async fn unknown_query_parameters_answer_400() {
    let tc = tc_fake::start().await.unwrap();
    let url = format!("{}/api/queue/v1/ping?color=blue", tc.root_url());
    let response = get(&url).await.unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = json(response).await;
    assert_eq!(body["code"], "InvalidRequestArguments", "{body}");
    assert_eq!(body["requestInfo"]["method"], "ping", "{body}");
}

#[tokio::test]
async fn bodies_are_validated_against_the_input_schema() {
    let tc = tc_fake::start().await.unwrap();
    let client = http();
    // createTask's scopes need body fields: like Taskcluster, the body is
    // validated first, so even an anonymous caller gets the 400.
    let url = format!("{}/api/queue/v1/task/fNDMpOlVQkq4lsh3M3YdwA", tc.root_url());
    let response = client
        .put(&url)
        .header("content-type", "application/json")
        .body(r#"{"payload": {}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = json(response).await;
    assert_eq!(body["code"], "InputValidationError", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("\"metadata\" is a required property"),
        "{message}"
    );
    assert_eq!(body["requestInfo"]["method"], "createTask", "{body}");
    assert_eq!(
        body["requestInfo"]["params"]["taskId"], "fNDMpOlVQkq4lsh3M3YdwA",
        "{body}"
    );

    let response = client.put(&url).body("{not json").send().await.unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = json(response).await;
    assert_eq!(body["code"], "MalformedPayload", "{body}");
    assert_eq!(tc.requests("queue", "createTask"), 2);
}

#[tokio::test]
async fn an_entry_without_state_answers_501_through_the_generated_client() {
    let tc = tc_fake::start().await.unwrap();
    // Clients retry every 5xx, 501 included, as Taskcluster's clients do.
    let purge = tc_client::purge_cache::PurgeCache::builder()
        .root_url(tc.root_url())
        .credentials(root_credentials(&tc))
        .retry(quick_retries().max_retries(2))
        .build()
        .unwrap();
    let error = purge.all_purge_requests().await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(failure.status, 501, "{error}");
    assert_eq!(failure.code, "NotImplemented", "{error}");
    assert!(
        failure.message.contains("purge-cache.allPurgeRequests"),
        "{error}"
    );
    assert_eq!(failure.service_method, "purge-cache.allPurgeRequests");
    assert_eq!(failure.attempts, 3);
    assert_eq!(tc.requests("purge-cache", "allPurgeRequests"), 3);

    let wm = tc_client::worker_manager::WorkerManager::builder()
        .root_url(tc.root_url())
        .credentials(root_credentials(&tc))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = wm.worker_pool_stats("proj/pool").await.unwrap_err();
    assert_eq!(error.status(), Some(501), "{error}");
}

#[tokio::test]
async fn three_injected_500s_then_success() {
    let tc = tc_fake::start().await.unwrap();
    tc.fail_next("queue", "ping", 3, 500);
    let queue = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .retry(quick_retries())
        .build()
        .unwrap();
    queue.ping().await.unwrap();
    assert_eq!(tc.requests("queue", "ping"), 4);

    // With fewer retries than failures, the client gives up with the 500.
    tc.fail_next("queue", "ping", 3, 503);
    let impatient = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .retry(quick_retries().max_retries(1))
        .build()
        .unwrap();
    let error = impatient.ping().await.unwrap_err();
    assert_eq!(error.status(), Some(503), "{error}");
    assert_eq!(tc.requests("queue", "ping"), 6);
    // the third injected failure is still queued
    let response = get(format!("{}/api/queue/v1/ping", tc.root_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = json(response).await;
    assert_eq!(body["code"], "InternalServerError", "{body}");
    queue.ping().await.unwrap();
}

#[tokio::test]
async fn injected_failures_apply_before_authentication() {
    let tc = tc_fake::start().await.unwrap();
    tc.fail_next("queue", "ping", 1, 500);
    let stranger = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .credentials(Credentials::new("nobody", "wrong"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = stranger.ping().await.unwrap_err();
    assert_eq!(error.status(), Some(500), "{error}");
}

#[tokio::test]
async fn a_429_carries_retry_after() {
    let tc = tc_fake::start().await.unwrap();
    tc.fail_next_with_retry_after("queue", "ping", 1, 429, 7);
    let response = get(format!("{}/api/queue/v1/ping", tc.root_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    let body: Value = json(response).await;
    assert_eq!(body["code"], "TooManyRequests", "{body}");
    // once only
    let response = get(format!("{}/api/queue/v1/ping", tc.root_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_dropped_connection_truncates_the_body_and_is_retried() {
    let tc = tc_fake::start().await.unwrap();
    tc.drop_connection_next("queue", "ping", 1);
    let url = format!("{}/api/queue/v1/ping", tc.root_url());
    let response = get(&url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(4096));
    assert!(
        response.bytes().await.is_err(),
        "the body must be cut short"
    );

    tc.drop_connection_next("queue", "ping", 1);
    let queue = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .retry(quick_retries())
        .build()
        .unwrap();
    queue.ping().await.unwrap();
    assert_eq!(tc.requests("queue", "ping"), 3);

    tc.drop_connection_next("queue", "ping", 1);
    let once = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = once.ping().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn a_delay_makes_the_client_time_out_and_retry() {
    let tc = tc_fake::start().await.unwrap();
    tc.delay_next("queue", "ping", 1, Duration::from_secs(5));
    let queue = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .retry(quick_retries())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    queue.ping().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(tc.requests("queue", "ping"), 2);

    // a delay shorter than the timeout only slows the answer down
    tc.delay_next("queue", "ping", 1, Duration::from_millis(200));
    let started = std::time::Instant::now();
    get(format!("{}/api/queue/v1/ping", tc.root_url()))
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn the_server_stops_when_dropped() {
    let tc = tc_fake::start().await.unwrap();
    let url = format!("{}/api/queue/v1/ping", tc.root_url());
    let client = http();
    client
        .get(&url)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    drop(tc);
    tokio::task::yield_now().await;
    // the keep-alive connection and the listener are both gone
    let fresh = http();
    assert!(fresh.get(&url).send().await.is_err());
    assert!(client.get(&url).send().await.is_err());
}

#[tokio::test]
async fn builders_take_clients_and_references() {
    let tc = tc_fake::TcFake::builder()
        .client("project/ci", "ci-token", ["queue:*"])
        .role("project:ci", ["secrets:get:project/*"])
        .start()
        .await
        .unwrap();
    let (id, token) = tc.root_credentials();
    assert_eq!(id, tc_fake::ROOT_CLIENT_ID);
    assert!(token.len() >= 22);
    let other = tc_fake::start().await.unwrap();
    assert_ne!(
        other.root_credentials().1,
        token,
        "tokens are random per start"
    );
    assert_ne!(other.root_url(), tc.root_url());

    let error = tc_fake::TcFake::builder()
        .client("a", "b", ["*"])
        .client("a", "c", ["*"])
        .start()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("given twice"), "{error}");

    let missing = std::env::temp_dir().join("tc-fake-no-references-here");
    let error = tc_fake::TcFake::builder()
        .references(&missing)
        .start()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("cargo xtask references import"),
        "{message}"
    );
    assert!(message.contains("tc-fake-no-references-here"), "{message}");
}

#[tokio::test]
#[should_panic(expected = "has no entry")]
async fn faults_for_unknown_entries_are_refused() {
    let tc = tc_fake::start().await.unwrap();
    tc.fail_next("queue", "createTsak", 1, 500);
}

/// With a paused clock (as retry tests use), the fake's answers still arrive
/// before the clock jumps, and backoff waits take no real time.
#[tokio::test(start_paused = true)]
async fn faults_work_under_a_paused_clock() {
    let tc = tc_fake::start().await.unwrap();
    let queue = tc_client::queue::Queue::new(None, tc.root_url()).unwrap();

    tc.fail_next("queue", "ping", 3, 500);
    let started = tokio::time::Instant::now();
    let real = std::time::Instant::now();
    queue.ping().await.unwrap();
    assert_eq!(tc.requests("queue", "ping"), 4);
    // default policy: 100 ms base, factor 2, 25 % jitter
    assert!(
        started.elapsed() >= Duration::from_millis(525),
        "{:?}",
        started.elapsed()
    );

    tc.fail_next_with_retry_after("queue", "ping", 1, 429, 30);
    let started = tokio::time::Instant::now();
    queue.ping().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );

    tc.delay_next("queue", "ping", 1, Duration::from_secs(600));
    let started = tokio::time::Instant::now();
    let patient = tc_client::queue::Queue::builder()
        .root_url(tc.root_url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    patient.ping().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(600),
        "{:?}",
        started.elapsed()
    );
    assert!(
        real.elapsed() < Duration::from_secs(5),
        "{:?}",
        real.elapsed()
    );
}

/// A deployment whose anonymous role grants nothing (the default role
/// grants `hooks:list-hooks:*` and other public reads).
async fn nothing_public() -> tc_fake::TcFake {
    tc_test_support::nothing_public().start().await.unwrap()
}

fn hooks_as(tc: &tc_fake::TcFake, credentials: Option<Credentials>) -> tc_client::hooks::Hooks {
    client(tc, credentials)
}

fn api_error(error: &Error) -> (u16, &str, &str) {
    match error {
        Error::Api {
            status,
            code,
            message,
            ..
        } => (*status, code.as_deref().unwrap_or(""), message),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn hawk_and_scopes_guard_every_entry() {
    // A deployment whose anonymous role grants nothing.
    let tc = tc_fake::TcFake::builder()
        .anonymous_scopes(Vec::<String>::new())
        .client("project/ci", "ci-token", ["queue:*", "assume:project:ci"])
        .client("project/nothing", "nothing-token", ["queue:*"])
        .role("project:ci", ["hooks:list-hooks:*"])
        .start()
        .await
        .unwrap();

    // a wrong access token
    let (id, _) = tc.root_credentials();
    let error = hooks_as(&tc, Some(Credentials::new(id, "wrong")))
        .list_hook_groups()
        .await
        .unwrap_err();
    let (status, code, _) = api_error(&error);
    assert_eq!((status, code), (401, "AuthenticationFailed"), "{error}");

    // an unknown client
    let error = hooks_as(&tc, Some(Credentials::new("nobody", "x")))
        .list_hook_groups()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");

    // authenticated, but without the scope
    let error = hooks_as(
        &tc,
        Some(Credentials::new("project/nothing", "nothing-token")),
    )
    .list_hook_groups()
    .await
    .unwrap_err();
    let (status, code, message) = api_error(&error);
    assert_eq!((status, code), (403, "InsufficientScopes"), "{error}");
    assert!(message.contains("hooks:list-hooks:"), "{message}");

    // anonymous
    let error = hooks_as(&tc, None).list_hook_groups().await.unwrap_err();
    assert_eq!(error.status(), Some(403), "{error}");

    // the scope through a role: past Hawk and scopes, to the answer
    let groups = hooks_as(&tc, Some(Credentials::new("project/ci", "ci-token")))
        .list_hook_groups()
        .await
        .unwrap();
    assert!(groups.groups.is_empty(), "{groups:?}");

    // URL arguments are substituted into the expression
    let ci = hooks_as(&tc, Some(Credentials::new("project/ci", "ci-token")));
    let error = ci.list_hooks("project-a").await.unwrap_err();
    assert_eq!(error.status(), Some(404), "no such group: {error}");
    let error = ci.hook("project-a", "nightly").await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(403),
        "hooks:get:... is not held: {error}"
    );

    // every attempt counted, refused ones included
    assert_eq!(tc.requests("hooks", "listHookGroups"), 5);
}

#[tokio::test]
async fn temporary_credentials_and_authorized_scopes_narrow_the_caller() {
    let tc = nothing_public().await;
    let root = root_credentials(&tc);

    let temp = root
        .create_temp_creds(
            Duration::from_secs(3600),
            ["hooks:list-hooks:*", "hooks:get:*"],
        )
        .unwrap();
    hooks_as(&tc, Some(temp.clone()))
        .list_hook_groups()
        .await
        .unwrap();

    let narrowed = temp.clone().with_authorized_scopes(["hooks:get:*"]);
    let error = hooks_as(&tc, Some(narrowed))
        .list_hook_groups()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403), "{error}");

    // authorizedScopes the credentials do not hold do not authenticate
    let beyond = temp.with_authorized_scopes(["queue:*"]);
    let error = hooks_as(&tc, Some(beyond))
        .list_hook_groups()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");

    let named = root
        .create_named_temp_creds("project/temp", Duration::from_secs(60), ["hooks:get:*"])
        .unwrap();
    let hooks = hooks_as(&tc, Some(named));
    let error = hooks.hook("g", "h").await.unwrap_err();
    assert_eq!(error.status(), Some(404), "no such hook: {error}");
    assert_eq!(
        hooks.list_hook_groups().await.unwrap_err().status(),
        Some(403)
    );
}

#[tokio::test]
async fn signed_urls_are_accepted_on_get() {
    let tc = nothing_public().await;
    let hooks = hooks_as(&tc, Some(root_credentials(&tc)));
    let url = hooks
        .list_hook_groups_signed_url(Duration::from_secs(60))
        .unwrap();
    assert!(url.contains("bewit="), "{url}");
    let response = get(&url).await.unwrap();
    assert_eq!(response.status(), 200, "past Hawk and scopes");

    // a tampered bewit
    let tampered = format!("{}x", url);
    let response = get(&tampered).await.unwrap();
    assert_eq!(response.status(), 401);
    let body = json(response).await;
    assert_eq!(body["code"], "AuthenticationFailed", "{body}");

    // the same URL without its bewit is anonymous
    let bare = url.split('?').next().unwrap();
    assert_eq!(get(bare).await.unwrap().status(), 403);
}
