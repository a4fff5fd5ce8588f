//! Every service over real HTTP against tc-fake, through the generated
//! clients: `ping`, and an authenticated call that gets past Hawk and the
//! endpoint's scope expression (a real answer where tc-fake keeps state,
//! otherwise its 501 as a typed `Error::Api`), while the same call from a
//! client without the scope gets 403, proving the scope check ran before the
//! 501.

mod wire_common;

use tc_client::{Credentials, Error, Service, Time};
use tc_fake::TcFake;
use wire_common::{api_failure, client_as, create_task, nothing_public, root};

const SCOPED: (&str, &str) = ("project/wire/scoped", "scoped-token");
const UNSCOPED: (&str, &str) = ("project/wire/unscoped", "unscoped-token");

/// A fake with a client holding exactly `scopes` and one holding an unrelated
/// scope, and an anonymous role that grants nothing.
async fn fake_with<S: AsRef<str>>(scopes: &[S]) -> TcFake {
    nothing_public()
        .client(
            SCOPED.0,
            SCOPED.1,
            scopes.iter().map(|s| s.as_ref().to_owned()),
        )
        .client(UNSCOPED.0, UNSCOPED.1, ["notify:nothing-useful"])
        .start()
        .await
        .unwrap()
}

fn scoped<S: Service>(tc: &TcFake) -> S {
    client_as::<S>(tc, Some(Credentials::new(SCOPED.0, SCOPED.1)))
}

fn unscoped<S: Service>(tc: &TcFake) -> S {
    client_as::<S>(tc, Some(Credentials::new(UNSCOPED.0, UNSCOPED.1)))
}

/// The call got past Hawk and the scope check to the fake's 501, not retried.
fn assert_not_implemented(error: &Error, service_method: &str) {
    let failure = api_failure(error);
    assert_eq!(failure.status, 501, "{error}");
    assert_eq!(failure.code, "NotImplemented", "{error}");
    assert_eq!(failure.service_method, service_method, "{error}");
    assert_eq!(failure.attempts, 1, "RetryPolicy::none(): {error}");
}

/// The call was refused by the scope check, naming the missing `scope`.
fn assert_insufficient_scopes(error: &Error, scope: &str) {
    let failure = api_failure(error);
    assert_eq!(failure.status, 403, "{error}");
    assert_eq!(failure.code, "InsufficientScopes", "{error}");
    assert!(
        failure.message.contains(scope),
        "the 403 should name {scope}: {error}"
    );
}

// ---------------------------------------------------------------------------
// Services with state: a real answer

#[tokio::test]
async fn auth_pings_and_current_scopes_answers_the_role_expanded_scopes_but_403_without_the_scope()
{
    let tc = nothing_public()
        .client(
            SCOPED.0,
            SCOPED.1,
            ["auth:current-scopes", "assume:project:wire"],
        )
        .client(UNSCOPED.0, UNSCOPED.1, ["notify:nothing-useful"])
        .role("project:wire", ["secrets:get:project/wire/*"])
        .start()
        .await
        .unwrap();
    let auth: tc_client::auth::Auth = scoped(&tc);
    auth.ping().await.unwrap();
    assert_eq!(tc.requests("auth", "ping"), 1);

    let mut scopes: Vec<String> = auth
        .current_scopes()
        .await
        .unwrap()
        .scopes
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    scopes.sort();
    assert_eq!(
        scopes,
        [
            "assume:anonymous",
            "assume:project:wire",
            "auth:current-scopes",
            "secrets:get:project/wire/*"
        ]
    );

    let error = unscoped::<tc_client::auth::Auth>(&tc)
        .current_scopes()
        .await
        .unwrap_err();
    assert_insufficient_scopes(&error, "auth:current-scopes");
    assert_eq!(tc.requests("auth", "currentScopes"), 2);
}

#[tokio::test]
async fn queue_pings_and_status_of_a_created_task_answers_pending_but_403_without_the_scope() {
    use tc_client::queue::{Queue, State};

    // The task id is chosen before the fake starts so the scope can name it.
    let task_id = tc_client::slugid::nice();
    let tc = fake_with(&[format!("queue:status:{task_id}")]).await;
    root::<Queue>(&tc)
        .create_task(
            &task_id,
            &wire_common::task_definition("status", wire_common::trivial_payload()),
        )
        .await
        .unwrap();

    let queue: Queue = scoped(&tc);
    queue.ping().await.unwrap();
    assert_eq!(tc.requests("queue", "ping"), 1);

    let status = queue.status(&task_id).await.unwrap().status;
    assert_eq!(status.task_id.as_str(), task_id);
    assert_eq!(status.state, State::Pending);
    assert_eq!(status.runs.len(), 1);

    let error = unscoped::<Queue>(&tc).status(&task_id).await.unwrap_err();
    assert_insufficient_scopes(&error, &format!("queue:status:{task_id}"));
    // `<taskId>` is substituted: the scope for one task does not cover another
    // (403 before the 404 an unknown task would get).
    let other = tc_client::slugid::nice();
    let error = queue.status(&other).await.unwrap_err();
    assert_insufficient_scopes(&error, &format!("queue:status:{other}"));
    assert_eq!(tc.requests("queue", "status"), 3);
}

#[tokio::test]
async fn secrets_pings_and_list_answers_the_stored_names_but_403_without_the_scope() {
    use tc_client::secrets::{Secret, Secrets};

    let tc = fake_with(&["secrets:list-secrets"]).await;
    let secrets: Secrets = scoped(&tc);
    secrets.ping().await.unwrap();
    assert_eq!(tc.requests("secrets", "ping"), 1);

    let admin: Secrets = root(&tc);
    for name in ["project/wire/a", "project/wire/b"] {
        let secret = Secret::new(Time::from_now("1 day").unwrap(), serde_json::Map::new());
        admin.set(name, &secret).await.unwrap();
    }
    let mut names = secrets.list().await.unwrap().secrets;
    names.sort();
    assert_eq!(names, ["project/wire/a", "project/wire/b"]);

    let error = unscoped::<Secrets>(&tc).list().await.unwrap_err();
    assert_insufficient_scopes(&error, "secrets:list-secrets");
    assert_eq!(tc.requests("secrets", "list"), 2);
}

#[tokio::test]
async fn index_pings_and_list_namespaces_answers_the_inserted_namespaces_but_403_without_the_scope()
{
    use tc_client::index::{Index, InsertTaskRequest};

    let tc = fake_with(&["index:list-namespaces:project.wire"]).await;
    let index: Index = scoped(&tc);
    index.ping().await.unwrap();
    assert_eq!(tc.requests("index", "ping"), 1);

    let task_id = create_task(&tc).await;
    let admin: Index = root(&tc);
    for namespace in ["project.wire.linux.latest", "project.wire.mac.latest"] {
        let request = InsertTaskRequest::new(
            serde_json::Map::new(),
            Time::from_now("1 day").unwrap(),
            0.into(),
            task_id.parse().unwrap(),
        );
        admin.insert_task(namespace, &request).await.unwrap();
    }
    let mut namespaces: Vec<String> = index
        .list_namespaces("project.wire")
        .await
        .unwrap()
        .namespaces
        .into_iter()
        .map(|n| n.namespace)
        .collect();
    namespaces.sort();
    assert_eq!(namespaces, ["project.wire.linux", "project.wire.mac"]);

    let error = unscoped::<Index>(&tc)
        .list_namespaces("project.wire")
        .await
        .unwrap_err();
    assert_insufficient_scopes(&error, "index:list-namespaces:project.wire");
    // `<namespace>` is substituted: a sibling namespace is not covered.
    let error = index.list_namespaces("project.other").await.unwrap_err();
    assert_insufficient_scopes(&error, "index:list-namespaces:project.other");
    assert_eq!(tc.requests("index", "listNamespaces"), 3);
}

#[tokio::test]
async fn hooks_pings_and_list_hooks_answers_the_groups_hooks_but_403_without_the_scope() {
    use tc_client::hooks::{HookCreationRequest, HookMetadata, Hooks};

    let tc = fake_with(&["hooks:list-hooks:project-wire"]).await;
    let hooks: Hooks = scoped(&tc);
    hooks.ping().await.unwrap();
    assert_eq!(tc.requests("hooks", "ping"), 1);

    // past Hawk and scopes: a group without hooks is not found
    let error = hooks.list_hooks("project-wire").await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (404, "ResourceNotFound"),
        "{error}"
    );
    let definition = HookCreationRequest::new(
        HookMetadata::new("a wire test", "wire", "wire@example.com"),
        serde_json::Map::new(),
    );
    root::<Hooks>(&tc)
        .create_hook("project-wire", "h", &definition)
        .await
        .unwrap();
    let listed = hooks.list_hooks("project-wire").await.unwrap();
    assert_eq!(listed.hooks.len(), 1);
    assert_eq!(listed.hooks[0].hook_id.to_string(), "h");

    let error = unscoped::<Hooks>(&tc)
        .list_hooks("project-wire")
        .await
        .unwrap_err();
    assert_insufficient_scopes(&error, "hooks:list-hooks:project-wire");
    let error = hooks.list_hooks("project-other").await.unwrap_err();
    assert_insufficient_scopes(&error, "hooks:list-hooks:project-other");
    assert_eq!(tc.requests("hooks", "listHooks"), 4);
}

// ---------------------------------------------------------------------------
// Services without state: the 501, after Hawk and the scope check

#[tokio::test]
async fn github_pings_and_repository_gets_past_hawk_and_scopes_to_501_but_403_without_the_scope() {
    use tc_client::github::Github;

    let tc = fake_with(&["github:get-repository:mozilla:gecko"]).await;
    let github: Github = scoped(&tc);
    github.ping().await.unwrap();
    assert_eq!(tc.requests("github", "ping"), 1);

    let error = github.repository("mozilla", "gecko").await.unwrap_err();
    assert_not_implemented(&error, "github.repository");
    let error = unscoped::<Github>(&tc)
        .repository("mozilla", "gecko")
        .await
        .unwrap_err();
    assert_insufficient_scopes(&error, "github:get-repository:mozilla:gecko");
    let error = github.repository("mozilla", "other").await.unwrap_err();
    assert_insufficient_scopes(&error, "github:get-repository:mozilla:other");
    assert_eq!(tc.requests("github", "repository"), 3);
}

#[tokio::test]
async fn notify_pings_and_list_denylist_gets_past_hawk_and_scopes_to_501_but_403_without_the_scope()
{
    use tc_client::notify::Notify;

    let tc = fake_with(&["notify:manage-denylist"]).await;
    let notify: Notify = scoped(&tc);
    notify.ping().await.unwrap();
    assert_eq!(tc.requests("notify", "ping"), 1);

    let error = notify.list_denylist().await.unwrap_err();
    assert_not_implemented(&error, "notify.listDenylist");
    let error = unscoped::<Notify>(&tc).list_denylist().await.unwrap_err();
    assert_insufficient_scopes(&error, "notify:manage-denylist");
    assert_eq!(tc.requests("notify", "listDenylist"), 2);
}

/// The object service is gaining state in tc-fake: where the fake keeps
/// objects, the metadata of an uploaded object is the real answer; where it
/// does not, the upload itself answers 501 and so does the metadata call.
/// Either way the scope check runs first.
#[tokio::test]
async fn object_pings_and_object_metadata_answers_an_uploaded_object_or_501_without_object_state_but_403_without_the_scope()
 {
    use tc_client::object::{
        CreateUploadRequest, DataInlineUploadRequest, FinishUploadRequest, Object,
        ProposedUploadMethods,
    };

    const NAME: &str = "wire/build.txt";
    let tc = fake_with(&["object:download:wire/build.txt"]).await;
    let object: Object = scoped(&tc);
    object.ping().await.unwrap();
    assert_eq!(tc.requests("object", "ping"), 1);

    let admin: Object = root(&tc);
    let expires = Time::from_now("1 day").unwrap();
    let upload_id = tc_client::slugid::nice();
    // "hello wire", inline.
    let inline = DataInlineUploadRequest::new("text/plain", "aGVsbG8gd2lyZQ==");
    let upload = CreateUploadRequest::new(
        expires,
        "proj-wire".parse().unwrap(),
        ProposedUploadMethods::new().data_inline(inline),
        upload_id.parse().unwrap(),
    );
    match admin.create_upload(NAME, &upload).await {
        Ok(_) => {
            let finish =
                FinishUploadRequest::new("proj-wire".parse().unwrap(), upload_id.parse().unwrap());
            admin.finish_upload(NAME, &finish).await.unwrap();
            let metadata = object.object(NAME).await.unwrap();
            assert_eq!(metadata.project_id.as_str(), "proj-wire");
            assert_eq!(metadata.expires, expires);
        }
        Err(error) => {
            assert_not_implemented(&error, "object.createUpload");
            let error = object.object(NAME).await.unwrap_err();
            assert_not_implemented(&error, "object.object");
        }
    }

    let error = unscoped::<Object>(&tc).object(NAME).await.unwrap_err();
    assert_insufficient_scopes(&error, "object:download:wire/build.txt");
    let error = object.object("wire/other.txt").await.unwrap_err();
    assert_insufficient_scopes(&error, "object:download:wire/other.txt");
    assert_eq!(tc.requests("object", "object"), 3);
}

#[tokio::test]
async fn purge_cache_pings_and_purge_requests_gets_past_hawk_and_scopes_to_501_but_403_without_the_scope()
 {
    use tc_client::purge_cache::PurgeCache;

    let tc = fake_with(&["purge-cache:purge-requests::proj-wire/ci"]).await;
    let purge: PurgeCache = scoped(&tc);
    purge.ping().await.unwrap();
    assert_eq!(tc.requests("purge-cache", "ping"), 1);

    let error = purge.purge_requests("proj-wire/ci").await.unwrap_err();
    assert_not_implemented(&error, "purge-cache.purgeRequests");
    let error = unscoped::<PurgeCache>(&tc)
        .purge_requests("proj-wire/ci")
        .await
        .unwrap_err();
    assert_insufficient_scopes(&error, "purge-cache:purge-requests::proj-wire/ci");
    let error = purge.purge_requests("proj-wire/other").await.unwrap_err();
    assert_insufficient_scopes(&error, "purge-cache:purge-requests::proj-wire/other");
    assert_eq!(tc.requests("purge-cache", "purgeRequests"), 3);
}

#[tokio::test]
async fn worker_manager_pings_and_worker_pool_gets_past_hawk_and_scopes_to_501_but_403_without_the_scope()
 {
    use tc_client::worker_manager::WorkerManager;

    let tc = fake_with(&["worker-manager:get-worker-pool:proj-wire/ci"]).await;
    let wm: WorkerManager = scoped(&tc);
    wm.ping().await.unwrap();
    assert_eq!(tc.requests("worker-manager", "ping"), 1);

    let error = wm.worker_pool("proj-wire/ci").await.unwrap_err();
    assert_not_implemented(&error, "worker-manager.workerPool");
    let error = unscoped::<WorkerManager>(&tc)
        .worker_pool("proj-wire/ci")
        .await
        .unwrap_err();
    assert_insufficient_scopes(&error, "worker-manager:get-worker-pool:proj-wire/ci");
    let error = wm.worker_pool("proj-wire/other").await.unwrap_err();
    assert_insufficient_scopes(&error, "worker-manager:get-worker-pool:proj-wire/other");
    assert_eq!(tc.requests("worker-manager", "workerPool"), 3);
}

/// web-server's entries require no scopes, so there is no 403 to show; a
/// wrong access token getting 401 shows Hawk ran before the 501.
#[tokio::test]
async fn web_server_pings_and_task_profile_gets_past_hawk_to_501_but_401_with_a_wrong_token() {
    use tc_client::web_server::WebServer;

    let tc = fake_with(&["notify:nothing-useful"]).await;
    let web: WebServer = scoped(&tc);
    web.ping().await.unwrap();
    assert_eq!(tc.requests("web-server", "ping"), 1);

    let task_id = tc_client::slugid::nice();
    let error = web.task_profile(&task_id).await.unwrap_err();
    assert_not_implemented(&error, "web-server.taskProfile");

    let forged: WebServer = client_as(&tc, Some(Credentials::new(SCOPED.0, "not-the-token")));
    let error = forged.task_profile(&task_id).await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (401, "AuthenticationFailed"),
        "{error}"
    );
    assert_eq!(tc.requests("web-server", "taskProfile"), 2);
}
