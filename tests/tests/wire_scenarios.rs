//! The scenarios of the Go client's README, over real HTTP against tc-fake
//! through the generated clients: a task with a typed generic-worker payload,
//! temporary credentials narrowed by authorized scopes reading a private
//! artifact, a signed URL fetched with plain reqwest, a client's expiry and
//! expanded scopes, and a client's description updated.

mod wire_common;

use std::collections::BTreeMap;
use std::num::NonZeroU64;
use std::time::{Duration, Instant};

use tc_client::auth::{Auth, CreateClientRequest, CreateRoleRequest};
use tc_client::queue::{Queue, State};
use tc_client::{Credentials, Time};
use tc_fake::TcFake;
use wire_common::{
    TASK_QUEUE, api_failure, claimed_task_with_references, client_as, root, with_worker,
};

const LOG: &str = "private/build/log.txt";
const LOG_URL: &str = "https://artifacts.example.com/private/build/log.txt";
const OTHER: &str = "private/other/x";
const OTHER_URL: &str = "https://artifacts.example.com/private/other/x";

// ---------------------------------------------------------------------------
// 1. A task with a typed generic-worker payload

#[tokio::test]
async fn a_task_with_a_typed_generic_worker_payload_is_created_and_read_back_with_task_and_status()
{
    use tc_client::payloads::generic_worker::{
        Artifact, ArtifactUploadType, FeatureFlags, GenericWorkerPayload,
    };

    // A client holding just what createTask's scope expression asks for this
    // task (and reading it back), so the expression's body parameters count.
    let tc = TcFake::builder()
        .client(
            "project/wire/creator",
            "creator-token",
            [
                format!("queue:create-task:lowest:{TASK_QUEUE}"),
                "queue:create-task:project:none".to_owned(),
                "queue:scheduler-id:-".to_owned(),
                "queue:get-task:*".to_owned(),
                "queue:status:*".to_owned(),
            ],
        )
        .start()
        .await
        .unwrap();
    let queue: Queue = client_as(
        &tc,
        Some(Credentials::new("project/wire/creator", "creator-token")),
    );

    let hello = Artifact::new("hello.txt", ArtifactUploadType::File)
        .content_type("text/plain")
        .expires(Time::from_now("1 day").unwrap())
        .name("public/build/hello.txt");
    let command = [vec![
        "/bin/bash".into(),
        "-c".into(),
        "echo \"$GREETING\" > hello.txt".into(),
    ]];
    let payload = GenericWorkerPayload::new(command, NonZeroU64::new(600).unwrap())
        .artifacts([hello])
        .env(BTreeMap::from([("GREETING", "hello, wire")]))
        .features(FeatureFlags::new().chain_of_trust(true));
    let payload_map = serde_json::to_value(&payload)
        .unwrap()
        .as_object()
        .cloned()
        .unwrap();
    let mut definition = wire_common::task_definition("hello", payload_map.clone());
    definition.deadline = Time::from_now("3 hours").unwrap();
    definition.expires = Some(Time::from_now("14 days").unwrap());

    let task_id = tc_client::slugid::nice();
    let created = queue.create_task(&task_id, &definition).await.unwrap();
    assert_eq!(created.status.task_id.as_str(), task_id);

    let task = queue.task(&task_id).await.unwrap();
    assert_eq!(task.payload, payload_map, "the payload survives unchanged");
    let back: GenericWorkerPayload =
        serde_json::from_value(serde_json::Value::Object(task.payload)).unwrap();
    assert_eq!(back.command, payload.command);
    assert_eq!(back.env["GREETING"], "hello, wire");
    assert_eq!(back.max_run_time.get(), 600);
    assert_eq!(back.artifacts.len(), 1);
    assert_eq!(
        back.artifacts[0].name.as_deref(),
        Some("public/build/hello.txt")
    );
    assert_eq!(back.artifacts[0].type_, ArtifactUploadType::File);
    assert_eq!(back.features.unwrap().chain_of_trust, Some(true));
    assert_eq!(task.metadata.name, "hello");
    assert_eq!(task.deadline, definition.deadline);
    assert_eq!(task.expires, definition.expires);
    assert_eq!(task.task_queue_id.as_str(), TASK_QUEUE);

    let status = queue.status(&task_id).await.unwrap().status;
    assert_eq!(status.task_id.as_str(), task_id);
    assert_eq!(status.state, State::Pending);
    assert_eq!(status.deadline, definition.deadline);
    assert_eq!(Some(status.expires), definition.expires);
    assert_eq!(status.task_queue_id.as_str(), TASK_QUEUE);
    assert_eq!(status.runs.len(), 1);
}

// ---------------------------------------------------------------------------
// 2. Temporary credentials limited by authorized scopes

#[tokio::test]
async fn temp_creds_named_and_unnamed_narrowed_by_authorized_scopes_read_a_private_artifact_but_get_403_outside_them()
 {
    const ISSUER: (&str, &str) = ("project/wire/issuer", "issuer-token");
    const NAME: &str = "project/wire/issuer/temp-1";
    let tc = with_worker(TcFake::builder())
        .client(
            ISSUER.0,
            ISSUER.1,
            [
                "queue:get-artifact:private/*",
                "auth:create-client:project/wire/issuer/*",
            ],
        )
        .start()
        .await
        .unwrap();
    let (task_id, run_id) =
        claimed_task_with_references(&tc, &[(LOG, LOG_URL), (OTHER, OTHER_URL)]).await;

    // The artifacts really are private.
    let error = client_as::<Queue>(&tc, None)
        .get_artifact(&task_id, &run_id, LOG)
        .await
        .unwrap_err();
    assert_eq!(api_failure(&error).status, 403, "{error}");

    let issuer = Credentials::new(ISSUER.0, ISSUER.1);
    let hour = Duration::from_secs(3600);
    let unnamed = issuer
        .create_temp_creds(hour, ["queue:get-artifact:private/*"])
        .unwrap();
    assert_eq!(unnamed.client_id(), ISSUER.0);
    let named = issuer
        .create_named_temp_creds(NAME, hour, ["queue:get-artifact:private/*"])
        .unwrap();
    assert_eq!(named.client_id(), NAME);

    for (kind, temp) in [("unnamed", unnamed), ("named", named)] {
        // Without authorized scopes the temporary credentials read both.
        let wide: Queue = client_as(&tc, Some(temp.clone()));
        let other = wide.get_artifact(&task_id, &run_id, OTHER).await.unwrap();
        assert_eq!(other.url, OTHER_URL, "{kind}");

        let narrowed: Queue = client_as(
            &tc,
            Some(temp.with_authorized_scopes(["queue:get-artifact:private/build/*"])),
        );
        // The 303's body is the answer: the reference's URL.
        let log = narrowed.get_artifact(&task_id, &run_id, LOG).await.unwrap();
        assert_eq!(log.storage_type, "reference", "{kind}");
        assert_eq!(log.url, LOG_URL, "{kind}");

        let error = narrowed
            .get_artifact(&task_id, &run_id, OTHER)
            .await
            .unwrap_err();
        let failure = api_failure(&error);
        assert_eq!(failure.status, 403, "{kind}: {error}");
        assert_eq!(failure.code, "InsufficientScopes", "{kind}: {error}");
        assert!(
            failure
                .message
                .contains("queue:get-artifact:private/other/x"),
            "{kind}: {error}"
        );
    }

    // Named credentials whose issuer may not create a client of that name
    // do not authenticate.
    let stray = issuer
        .create_named_temp_creds(
            "project/elsewhere/temp",
            hour,
            ["queue:get-artifact:private/*"],
        )
        .unwrap();
    let error = client_as::<Queue>(&tc, Some(stray))
        .get_artifact(&task_id, &run_id, LOG)
        .await
        .unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(failure.status, 401, "{error}");
    assert!(
        failure
            .message
            .contains("auth:create-client:project/elsewhere/temp"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------
// 3. A signed URL fetched with plain reqwest

#[tokio::test]
async fn a_signed_artifact_url_fetched_with_plain_reqwest_redirects_before_expiry_and_answers_401_after()
 {
    let tc = with_worker(TcFake::builder()).start().await.unwrap();
    let (task_id, run_id) = claimed_task_with_references(&tc, &[(LOG, LOG_URL)]).await;
    let queue: Queue = root(&tc);

    // A bewit's expiry is whole seconds (as in Hawk's other implementations),
    // so a 2-second lifetime leaves more than one second of validity.
    let signed_at = Instant::now();
    let url = queue
        .get_artifact_signed_url(&task_id, &run_id, LOG, Duration::from_secs(2))
        .unwrap();
    assert!(url.contains("bewit="), "{url}");

    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], LOG_URL);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["url"], LOG_URL, "{body}");

    // Without the bewit, the same URL is anonymous and refused.
    let bare = queue.get_artifact_url(&task_id, &run_id, LOG).unwrap();
    assert_eq!(http.get(&bare).send().await.unwrap().status(), 403);

    // The fake checks the bewit against its wall clock: wait past the expiry.
    tokio::time::sleep(Duration::from_millis(2100).saturating_sub(signed_at.elapsed())).await;
    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["code"], "AuthenticationFailed", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
}

// ---------------------------------------------------------------------------
// 4. and 5. A client's expiry and expanded scopes; a client's description

const BUILDER: &str = "project/wire/builder";
const BUILDER_ROLE: &str = "project:wire-builder";

/// Creates (as root) the role [`BUILDER_ROLE`] and the client [`BUILDER`],
/// which assumes it; answers the client's credentials and its expiry.
async fn create_builder(tc: &TcFake) -> (Credentials, Time) {
    let auth: Auth = root(tc);
    let role = CreateRoleRequest::new(
        "What the wire builder may do",
        [
            format!("auth:get-client:{BUILDER}").parse().unwrap(),
            format!("queue:create-task:lowest:{TASK_QUEUE}")
                .parse()
                .unwrap(),
        ],
    );
    auth.create_role(BUILDER_ROLE, &role).await.unwrap();

    let expires = Time::from_now("30 days").unwrap();
    let request = CreateClientRequest::new("Builds things for the wire tests", expires).scopes([
        format!("assume:{BUILDER_ROLE}").parse().unwrap(),
        "secrets:get:project/wire/*".parse().unwrap(),
    ]);
    let created = auth.create_client(BUILDER, &request).await.unwrap();
    assert_eq!(created.client_id.as_str(), BUILDER);
    let creds = Credentials::new(BUILDER, created.access_token.as_str());
    (creds, expires)
}

fn sorted(scopes: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    let mut out: Vec<String> = scopes.into_iter().map(|s| s.as_ref().to_owned()).collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_clients_expiry_and_role_expanded_scopes_are_queried_with_auth_client() {
    let tc = wire_common::nothing_public().start().await.unwrap();
    let (creds, expires) = create_builder(&tc).await;

    // The new client reads itself, through the scope its role grants.
    let auth: Auth = client_as(&tc, Some(creds));
    let client = auth.client(BUILDER).await.unwrap();
    assert_eq!(client.client_id.as_str(), BUILDER);
    assert_eq!(client.expires, expires);
    assert!(!client.disabled);
    assert_eq!(
        sorted(client.scopes.iter().map(|s| s.as_str())),
        ["assume:project:wire-builder", "secrets:get:project/wire/*"]
    );
    assert_eq!(
        sorted(client.expanded_scopes.iter().map(|s| s.as_str())),
        [
            "assume:project:wire-builder",
            "auth:get-client:project/wire/builder",
            "queue:create-task:lowest:proj-wire/ci",
            "secrets:get:project/wire/*",
        ]
    );

    // The role grants reading this client only.
    let error = auth.client(tc_fake::ROOT_CLIENT_ID).await.unwrap_err();
    assert_eq!(api_failure(&error).status, 403, "{error}");
}

#[tokio::test]
async fn a_clients_description_and_expiry_are_updated_with_update_client_and_read_back() {
    const ADMIN: (&str, &str) = ("project/wire/admin", "admin-token");
    let tc = TcFake::builder()
        .client(
            ADMIN.0,
            ADMIN.1,
            [
                format!("auth:update-client:{BUILDER}"),
                "auth:get-client:project/wire/*".to_owned(),
            ],
        )
        .start()
        .await
        .unwrap();
    create_builder(&tc).await;
    let before = root::<Auth>(&tc).client(BUILDER).await.unwrap();

    let admin: Auth = client_as(&tc, Some(Credentials::new(ADMIN.0, ADMIN.1)));
    let new_expiry = Time::from_now("60 days").unwrap();
    // Unchanged scopes: nothing is added, so no further scope is needed.
    let update = CreateClientRequest::new("Builds things, now described better", new_expiry)
        .scopes(before.scopes.clone());
    let updated = admin.update_client(BUILDER, &update).await.unwrap();
    assert_eq!(updated.description, "Builds things, now described better");

    let after = admin.client(BUILDER).await.unwrap();
    assert_eq!(after.description, "Builds things, now described better");
    assert_eq!(after.expires, new_expiry);
    assert_ne!(after.expires, before.expires);
    assert_eq!(
        sorted(after.scopes.iter().map(|s| s.as_str())),
        sorted(before.scopes.iter().map(|s| s.as_str()))
    );
    assert!(after.last_modified >= before.last_modified);

    // Adding a scope the admin does not hold is refused.
    let mut widen = update.clone();
    widen.scopes.push("queue:*".parse().unwrap());
    let error = admin.update_client(BUILDER, &widen).await.unwrap_err();
    assert_eq!(api_failure(&error).status, 403, "{error}");
}
