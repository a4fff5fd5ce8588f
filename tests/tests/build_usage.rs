//! The generated clients are usable as written by hand (in the manner of
//! progenitor's `tests/build_*.rs`): one `async fn` per service that is never
//! run but must compile, calling methods with typed inputs and outputs, their
//! `_url`, `_signed_url` and `_all` siblings; and a test of the URLs the
//! clients build without touching the network.

use std::pin::pin;
use std::time::Duration;

use futures_util::StreamExt;
use tc_client::{Credentials, Time};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Result<T = ()> = std::result::Result<T, BoxError>;

const ROOT_URL: &str = "https://tc.example.com";
const TASK_ID: &str = "fN1SbArXTPSVFNUvaOlinQ";

#[allow(dead_code)]
async fn use_queue() -> Result {
    use tc_client::queue::{
        Artifact, GetArtifactContentResponse, PostArtifactRequest, PostArtifactRequestReference,
        Queue, TaskDefinitionRequest, TaskDefinitionsResponse, TaskMetadata, TaskPriority,
        TaskStatusResponse,
    };

    let queue = Queue::from_env()?;
    let created = Time::now();
    // Like the Go client's README: a task for generic-worker.
    let metadata = TaskMetadata::new(
        "An example task",
        "example",
        "nobody@example.com",
        "https://github.com/tc-client/tc-client".parse()?,
    );
    let payload = serde_json::json!({
        "command": [["/bin/bash", "-c", "echo hello"]],
        "maxRunTime": 600,
    });
    let definition = TaskDefinitionRequest::new(
        created,
        created + Duration::from_secs(3 * 3600),
        metadata,
        payload.as_object().cloned().unwrap_or_default(),
    )
    .expires(created + Duration::from_secs(24 * 3600))
    .priority(TaskPriority::Low)
    .retries(5)
    .routes(["index.project.example.latest"])
    .scheduler_id("-".parse()?)
    .scopes(["queue:get-artifact:private/*".parse()?])
    .tags([("purpose", "test")])
    .task_group_id(TASK_ID.parse()?)
    .task_queue_id("proj-example/ci".parse()?);
    let task_id = tc_client::slugid::nice();
    let status: TaskStatusResponse = queue.create_task(&task_id, &definition).await?;
    let run_id = status.status.runs.len().saturating_sub(1);
    let _state = status.status.state;

    let task = queue.task(&task_id).await?;
    let _payload: &serde_json::Map<String, serde_json::Value> = &task.payload;

    let artifact = PostArtifactRequest::Reference(PostArtifactRequestReference::new(
        "text/plain",
        definition.deadline,
        "https://example.com/log.txt",
    ));
    let _ = queue
        .create_artifact(&task_id, run_id, "public/logs/live.log", &artifact)
        .await?;
    match queue
        .artifact(&task_id, run_id, "public/build/target.tar.gz")
        .await?
    {
        GetArtifactContentResponse::S3(s3) => {
            let _ = s3.url;
        }
        GetArtifactContentResponse::Reference(reference) => {
            let _ = reference.url;
        }
        GetArtifactContentResponse::Object(object) => {
            let _ = (object.name, Credentials::from(object.credentials));
        }
        GetArtifactContentResponse::Error(error) => {
            let _ = (error.message, error.reason);
        }
        unknown => {
            let _ = serde_json::to_value(unknown)?;
        }
    }

    let _url: String = queue.status_url(&task_id)?;
    let _signed: String = queue.get_artifact_signed_url(
        &task_id,
        run_id,
        "private/build/secret.txt",
        Duration::from_secs(300),
    )?;

    let mut artifacts = pin!(queue.list_artifacts(&task_id, run_id).limit(100).all());
    while let Some(artifact) = artifacts.next().await {
        let artifact: Artifact = artifact?;
        let _name: &str = &artifact.name;
    }
    let ids = TaskDefinitionsResponse::new().task_ids([task_id.clone()]);
    let definitions: Vec<_> = queue.tasks_all(&ids).collect().await;
    let _ = definitions;
    Ok(())
}

#[allow(dead_code)]
async fn use_auth() -> Result {
    use tc_client::auth::{Auth, CreateClientRequest, GetClientResponse, SetOfScopes};

    let auth = Auth::new(Some(Credentials::new("admin", "secret")), ROOT_URL)?;
    let scopes = SetOfScopes::new(["assume:repo:github.com/tc-client/*".parse()?]);
    let expanded: SetOfScopes = auth.expand_scopes(&scopes).await?;
    let request = CreateClientRequest::new("a test client", Time::from_now("1 day")?)
        .delete_on_expiration(true)
        .scopes(expanded.scopes);
    let created = auth.create_client("project/example/ci", &request).await?;
    let _token: &str = &created.access_token;
    let client: GetClientResponse = auth.client("project/example/ci").await?;
    let _ = client.expanded_scopes;
    let _url = auth.client_url("project/example/ci")?;
    let _signed = auth.current_scopes_signed_url(Duration::from_secs(60))?;
    let mut clients = pin!(auth.list_clients().prefix("project/").all());
    while let Some(client) = clients.next().await {
        let _client_id = client?.client_id;
    }
    let role_ids: Vec<String> = auth
        .list_role_ids_all()
        .map(|id| id.unwrap_or_default())
        .collect()
        .await;
    let _ = role_ids;
    Ok(())
}

#[allow(dead_code)]
async fn use_github() -> Result {
    use tc_client::github::{Build, Github, PushEvents, PushEventsType, RenderTaskclusterYmlInput};

    let github = Github::new(None, ROOT_URL)?;
    let input = RenderTaskclusterYmlInput::new(
        "version: 1\ntasks: []\n",
        PushEvents::new(PushEventsType::GithubPush).into(),
    )
    .organization("tc-client".parse()?)
    .repository("tc-client".parse()?);
    let rendered = github.render_taskcluster_yml(&input).await?;
    let _tasks = rendered.tasks.len();
    let _installed: bool = github.repository("tc-client", "tc-client").await?.installed;
    let _badge = github.badge_url("tc-client", "tc-client", "main")?;
    let _signed = github
        .builds()
        .organization("tc-client")
        .signed_url(Duration::from_secs(60))?;
    let mut builds = pin!(
        github
            .builds()
            .organization("tc-client")
            .repository("tc-client")
            .all()
    );
    while let Some(build) = builds.next().await {
        let build: Build = build?;
        let _ = (build.sha, build.state);
    }
    Ok(())
}

#[allow(dead_code)]
async fn use_hooks() -> Result {
    use tc_client::hooks::{HookStatusResponseLastFire, Hooks, TriggerHookRequest};

    let hooks = Hooks::from_env()?;
    let context = serde_json::json!({ "branch": "main" });
    let payload = TriggerHookRequest(context.as_object().cloned().unwrap_or_default());
    let fired = hooks
        .trigger_hook("project-example", "nightly", &payload)
        .await?;
    let _task_id = fired.task_id;
    let definition = hooks.hook("project-example", "nightly").await?;
    let _ = definition.metadata.owner;
    match hooks
        .get_hook_status("project-example", "nightly")
        .await?
        .last_fire
    {
        HookStatusResponseLastFire::Success(success) => {
            let _ = (success.task_id, success.time);
        }
        HookStatusResponseLastFire::Error(error) => {
            let _ = (error.error, error.time);
        }
        HookStatusResponseLastFire::NoFire => {}
        _ => {}
    }
    let _url = hooks.trigger_hook_url("project-example", "nightly")?;
    let _signed = hooks.hook_signed_url("project-example", "nightly", Duration::from_secs(60))?;
    let mut fires = pin!(hooks.list_last_fires_all("project-example", "nightly"));
    while let Some(fire) = fires.next().await {
        let _ = fire?.task_create_time;
    }
    Ok(())
}

#[allow(dead_code)]
async fn use_index() -> Result {
    use tc_client::index::{
        Index, IndexedTaskResponse, InsertTaskRequest, ListTasksAtIndexRequest,
    };

    let index = Index::from_env()?;
    let request = InsertTaskRequest::new(
        serde_json::Map::new(),
        Time::from_now("1 year")?,
        tc_client::Number::from(0),
        TASK_ID.parse()?,
    );
    let inserted: IndexedTaskResponse = index
        .insert_task("project.example.latest", &request)
        .await?;
    let _ = inserted.namespace;
    let found = index.find_task("project.example.latest").await?;
    let _task_id: &str = &found.task_id;
    let _url = index
        .find_artifact_from_task_url("project.example.latest", "public/build/target.tar.gz")?;
    let _signed = index.find_artifact_from_task_signed_url(
        "project.example.latest",
        "private/build/target.tar.gz",
        Duration::from_secs(60),
    )?;
    let mut namespaces = pin!(index.list_namespaces_all("project"));
    while let Some(namespace) = namespaces.next().await {
        let _ = namespace?.name;
    }
    let at = ListTasksAtIndexRequest::new().indexes(["project.example.latest"]);
    let mut tasks = pin!(index.find_tasks_at_index(&at).limit(50).all());
    while let Some(task) = tasks.next().await {
        let _ = task?.rank;
    }
    Ok(())
}

#[allow(dead_code)]
async fn use_notify() -> Result {
    use tc_client::notify::{Notify, SendEmailRequest, Template};

    let notify = Notify::from_env()?;
    let email = SendEmailRequest::new(
        "dev@example.com",
        "The build of `main` finished.",
        "Build finished",
    )
    .template(Template::Simple);
    notify.email(&email).await?;
    let _url = notify.email_url()?;
    let _signed = notify.list_denylist_signed_url(Duration::from_secs(60))?;
    let mut denied = pin!(notify.list_denylist_all());
    while let Some(address) = denied.next().await {
        let address = address?;
        let _ = (address.notification_type, address.notification_address);
    }
    Ok(())
}

#[allow(dead_code)]
async fn use_object() -> Result {
    use tc_client::object::{
        CreateUploadRequest, DataInlineUploadRequest, DownloadObjectRequest,
        DownloadObjectResponse, Object, ProposedUploadMethods, SupportedDownloadMethods,
    };

    let object = Object::from_env()?;
    let request = CreateUploadRequest::new(
        Time::from_now("1 day")?,
        "project-example".parse()?,
        ProposedUploadMethods::new()
            .data_inline(DataInlineUploadRequest::new("text/plain", "aGVsbG8=")),
        tc_client::slugid::nice().parse()?,
    );
    let upload = object
        .create_upload("project/example/hello.txt", &request)
        .await?;
    let _accepted = upload.upload_method.data_inline;
    let download = object
        .start_download(
            "project/example/hello.txt",
            &DownloadObjectRequest::new(SupportedDownloadMethods::new().get_url(true).simple(true)),
        )
        .await?;
    match download {
        DownloadObjectResponse::SimpleDownloadResponse(simple) => {
            let _ = simple.url;
        }
        DownloadObjectResponse::GetUrlDownloadResponse(get_url) => {
            let _ = (get_url.url, get_url.hashes);
        }
        _ => {}
    }
    let _url = object.object_url("project/example/hello.txt")?;
    let _signed =
        object.download_signed_url("project/example/hello.txt", Duration::from_secs(60))?;
    Ok(())
}

#[allow(dead_code)]
async fn use_purge_cache() -> Result {
    use tc_client::purge_cache::{PurgeCache, PurgeCacheRequest};

    let purge_cache = PurgeCache::from_env()?;
    let request = PurgeCacheRequest::new("level-3-checkouts");
    purge_cache.purge_cache("proj-example/ci", &request).await?;
    let open = purge_cache
        .purge_requests("proj-example/ci")
        .since(Time::from_now("-1 day")?)
        .await?;
    for request in open.requests.iter() {
        let _ = (&request.cache_name, request.before);
    }
    let _url = purge_cache.purge_cache_url("proj-example/ci")?;
    let _signed =
        purge_cache.purge_requests_signed_url("proj-example/ci", Duration::from_secs(60))?;
    // `all_purge_requests_all` is not generated (the list is behind a `$ref`,
    // see completeness.rs), so page by hand.
    let mut token: Option<String> = None;
    loop {
        let mut call = purge_cache.all_purge_requests().limit(100);
        if let Some(token) = token {
            call = call.continuation_token(token);
        }
        let page = call.await?;
        let _ = page.requests.len();
        token = page.continuation_token;
        if token.is_none() {
            break;
        }
    }
    Ok(())
}

#[allow(dead_code)]
async fn use_secrets() -> Result {
    use tc_client::secrets::{Secret, Secrets};

    let secrets = Secrets::from_env()?;
    let secret = Secret::new(Time::from_now("30 days")?, [("token", "s3cr3t")]);
    secrets.set("project/example/deploy", &secret).await?;
    let fetched: Secret = secrets.get("project/example/deploy").await?;
    let _ = fetched.secret.get("token");
    let _url = secrets.get_url("project/example/deploy")?;
    let _signed = secrets.get_signed_url("project/example/deploy", Duration::from_secs(60))?;
    let names: Vec<tc_client::Result<String>> = secrets.list_all().collect().await;
    let _ = names;
    Ok(())
}

#[allow(dead_code)]
async fn use_web_server() -> Result {
    use tc_client::web_server::WebServer;

    let web_server = WebServer::new(None, ROOT_URL)?;
    web_server.ping().await?;
    web_server.task_profile(TASK_ID).await?;
    let _url = web_server.task_group_profile_url(TASK_ID)?;
    Ok(())
}

#[allow(dead_code)]
async fn use_worker_manager() -> Result {
    use tc_client::worker_manager::{
        WorkerManager, WorkerPoolDefinition, WorkerPoolFullDefinition,
    };

    let worker_manager = WorkerManager::from_env()?;
    let config = serde_json::json!({ "minCapacity": 0, "maxCapacity": 10, "launchConfigs": [] });
    let definition = WorkerPoolDefinition::new(
        config.as_object().cloned().unwrap_or_default(),
        "CI workers",
        false,
        "ci@example.com",
        "static".parse()?,
    );
    let pool: WorkerPoolFullDefinition = worker_manager
        .create_worker_pool("proj-example/ci", &definition)
        .await?;
    let _ = pool.current_capacity;
    let stop = worker_manager
        .should_worker_terminate("proj-example/ci", "us-east-1", "i-0123456789abcdef0")
        .await?;
    let _ = stop.terminate;
    let _url = worker_manager.worker_pool_url("proj-example/ci")?;
    let _signed =
        worker_manager.worker_pool_signed_url("proj-example/ci", Duration::from_secs(60))?;
    let mut pools = pin!(worker_manager.list_worker_pools_all());
    while let Some(pool) = pools.next().await {
        let _ = pool?.worker_pool_id;
    }
    let mut workers = pin!(
        worker_manager
            .list_workers_for_worker_pool("proj-example/ci")
            .state("running")
            .all()
    );
    while let Some(worker) = workers.next().await {
        let _ = worker?.state;
    }
    Ok(())
}

// ---------------------------------------------------------------------------

#[test]
fn urls_without_network() {
    use tc_client::purge_cache::PurgeCache;
    use tc_client::queue::Queue;
    use tc_client::web_server::WebServer;
    use tc_client::worker_manager::WorkerManager;

    let queue = Queue::new(None, ROOT_URL).unwrap();
    assert_eq!(
        queue.status_url("abc").unwrap(),
        "https://tc.example.com/api/queue/v1/task/abc/status"
    );
    assert_eq!(
        queue.ping_url().unwrap(),
        "https://tc.example.com/api/queue/v1/ping"
    );
    // Path arguments are percent-encoded, `/` included, like the official clients.
    assert_eq!(
        queue
            .get_artifact_url(TASK_ID, "0", "public/build/target.tar.gz")
            .unwrap(),
        "https://tc.example.com/api/queue/v1/task/fN1SbArXTPSVFNUvaOlinQ/runs/0/artifacts/public%2Fbuild%2Ftarget.tar.gz"
    );
    assert_eq!(
        queue
            .get_latest_artifact_url(TASK_ID, "public/logs/live log.txt")
            .unwrap(),
        "https://tc.example.com/api/queue/v1/task/fN1SbArXTPSVFNUvaOlinQ/artifacts/public%2Flogs%2Flive%20log.txt"
    );
    // Query arguments that are set, in reference order.
    assert_eq!(
        queue
            .list_artifacts(TASK_ID, 1)
            .limit(100)
            .continuation_token("a b/c")
            .url()
            .unwrap(),
        "https://tc.example.com/api/queue/v1/task/fN1SbArXTPSVFNUvaOlinQ/runs/1/artifacts?continuationToken=a%20b%2Fc&limit=100"
    );
    assert_eq!(
        queue.list_artifacts(TASK_ID, "1").url().unwrap(),
        "https://tc.example.com/api/queue/v1/task/fN1SbArXTPSVFNUvaOlinQ/runs/1/artifacts"
    );
    assert_eq!(
        queue.list_artifacts_url(TASK_ID, 1).unwrap(),
        queue.list_artifacts(TASK_ID, 1).url().unwrap()
    );
    // A trailing slash on the root URL changes nothing.
    let queue_slash = Queue::new(None, "https://tc.example.com/").unwrap();
    assert_eq!(
        queue_slash.status_url("abc").unwrap(),
        "https://tc.example.com/api/queue/v1/task/abc/status"
    );

    // Hyphenated service names.
    let purge_cache = PurgeCache::new(None, ROOT_URL).unwrap();
    assert_eq!(
        purge_cache.purge_cache_url("proj-example/ci").unwrap(),
        "https://tc.example.com/api/purge-cache/v1/purge-cache/proj-example%2Fci"
    );
    assert_eq!(
        purge_cache
            .purge_requests("proj-example/ci")
            .since("2026-11-24T10:00:00.000Z".parse().unwrap())
            .url()
            .unwrap(),
        "https://tc.example.com/api/purge-cache/v1/purge-cache/proj-example%2Fci?since=2026-11-24T10%3A00%3A00.000Z"
    );
    let worker_manager = WorkerManager::new(None, ROOT_URL).unwrap();
    assert_eq!(
        worker_manager.worker_pool_url("proj-example/ci").unwrap(),
        "https://tc.example.com/api/worker-manager/v1/worker-pool/proj-example%2Fci"
    );
    assert_eq!(
        worker_manager.list_worker_pools().limit(10).url().unwrap(),
        "https://tc.example.com/api/worker-manager/v1/worker-pools?limit=10"
    );
    let web_server = WebServer::new(None, ROOT_URL).unwrap();
    assert_eq!(
        web_server.task_profile_url(TASK_ID).unwrap(),
        "https://tc.example.com/api/web-server/v1/task/fN1SbArXTPSVFNUvaOlinQ/profile"
    );

    // The other services, one URL each.
    let auth = tc_client::auth::Auth::new(None, ROOT_URL).unwrap();
    assert_eq!(
        auth.client_url("project/example").unwrap(),
        "https://tc.example.com/api/auth/v1/clients/project%2Fexample"
    );
    let hooks = tc_client::hooks::Hooks::new(None, ROOT_URL).unwrap();
    assert_eq!(
        hooks.hook_url("project-example", "nightly").unwrap(),
        "https://tc.example.com/api/hooks/v1/hooks/project-example/nightly"
    );
    let index = tc_client::index::Index::new(None, ROOT_URL).unwrap();
    assert_eq!(
        index.find_task_url("project.example.latest").unwrap(),
        "https://tc.example.com/api/index/v1/task/project.example.latest"
    );
    let secrets = tc_client::secrets::Secrets::new(None, ROOT_URL).unwrap();
    assert_eq!(
        secrets.get_url("project/example/deploy").unwrap(),
        "https://tc.example.com/api/secrets/v1/secret/project%2Fexample%2Fdeploy"
    );
    let object = tc_client::object::Object::new(None, ROOT_URL).unwrap();
    assert_eq!(
        object.object_url("project/example/hello.txt").unwrap(),
        "https://tc.example.com/api/object/v1/metadata/project%2Fexample%2Fhello.txt"
    );
    let github = tc_client::github::Github::new(None, ROOT_URL).unwrap();
    assert_eq!(
        github.badge_url("tc-client", "tc-client", "main").unwrap(),
        "https://tc.example.com/api/github/v1/repository/tc-client/tc-client/main/badge.svg"
    );
    let notify = tc_client::notify::Notify::new(None, ROOT_URL).unwrap();
    assert_eq!(
        notify.list_denylist_url().unwrap(),
        "https://tc.example.com/api/notify/v1/denylist/list"
    );
}

#[test]
fn signed_urls_need_credentials() {
    use tc_client::queue::Queue;

    let queue = Queue::new(None, ROOT_URL).unwrap();
    let err = queue
        .get_artifact_signed_url(TASK_ID, "0", "private/build/a.txt", Duration::from_secs(60))
        .unwrap_err();
    assert!(
        matches!(err, tc_client::Error::Credentials(_)),
        "expected a credentials error, got {err:?}"
    );
    let err = tc_client::secrets::Secrets::new(None, ROOT_URL)
        .unwrap()
        .get_signed_url("project/example/deploy", Duration::from_secs(60))
        .unwrap_err();
    assert!(matches!(err, tc_client::Error::Credentials(_)), "{err:?}");

    // With credentials: the plain URL plus a bewit, never the access token.
    let queue = Queue::new(Some(Credentials::new("tester", "no-secret-here")), ROOT_URL).unwrap();
    let plain = queue
        .get_artifact_url(TASK_ID, "0", "private/build/a.txt")
        .unwrap();
    let signed = queue
        .get_artifact_signed_url(TASK_ID, "0", "private/build/a.txt", Duration::from_secs(60))
        .unwrap();
    assert!(signed.starts_with(&format!("{plain}?bewit=")), "{signed}");
    assert!(!signed.contains("no-secret-here"), "{signed}");
}
