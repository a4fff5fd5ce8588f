//! Listing a task's artifacts and downloading one, with unnamed temporary
//! credentials narrowed by authorized scopes, as the Go client's
//! temporary-credentials example does.
//!
//! From the permanent credentials it has, the example issues unnamed
//! temporary credentials (valid for an hour, no call to the auth service)
//! holding only what it needs: `queue:status:<TASK_ID>`,
//! `queue:list-artifacts:<TASK_ID>:*` and `queue:get-artifact:<DIR>/*`, where
//! `<DIR>` is the folder of the artifact it downloads. Each request is then
//! narrowed further with authorized scopes, to the one run it lists
//! (`queue:list-artifacts:<TASK_ID>:<RUN_ID>`) and the one artifact it
//! downloads (`queue:get-artifact:<ARTIFACT>`). The listing walks every page
//! with the paging helper `list_artifacts_all` (two artifacts a page, to show
//! the paging); the download goes through `download_artifact` (to a buffer), which
//! handles every storage type and checks the object service's hashes.
//!
//! Without `TASKCLUSTER_ROOT_URL` it starts tc-fake, creates and claims a task
//! and uploads five small artifacts to its run first; it also shows that a
//! sibling artifact that the temporary credentials could read is refused
//! under the narrowed scopes.
//!
//! Against a real deployment:
//!
//! ```sh
//! TASKCLUSTER_ROOT_URL=https://tc.example.com \
//! TASKCLUSTER_CLIENT_ID=... TASKCLUSTER_ACCESS_TOKEN=... \
//! TASK_ID=fN1SbArXTPSVFNUvaOlinQ [RUN_ID=0] [ARTIFACT=public/logs/live_backing.log] \
//! cargo run --example list_artifacts
//! ```
//!
//! The credentials must be permanent ones (temporary credentials cannot issue
//! others) holding the three scopes above. `RUN_ID` defaults to the task's
//! latest run and `ARTIFACT` to `public/logs/live_backing.log`.

use std::time::Duration;

use futures_util::StreamExt;
use tc_client::queue::Queue;
use tc_client::transfer::{Downloaded, from_bytes, to_buffer};
use tc_examples::{BoxError, Deployment, create_and_claim_task, non_empty_env, required_env};

/// The artifact downloaded from a real task unless `ARTIFACT` says otherwise.
const DEFAULT_ARTIFACT: &str = "public/logs/live_backing.log";

/// What the example uploads to its task on tc-fake: name, content type, content.
const FAKE_ARTIFACTS: [(&str, &str, &str); 5] = [
    (
        "private/build/log.txt",
        "text/plain",
        "compiling tc-client\nrunning 12 tests\nbuild finished: 12 passed\n",
    ),
    (
        "private/build/checksums.txt",
        "text/plain",
        "3f786850e387550fdab836ed7e6dc881de23001b  app.tar.gz\n",
    ),
    (
        "private/build/report.json",
        "application/json",
        "{\"passed\":12,\"failed\":0}\n",
    ),
    (
        "private/notes/todo.txt",
        "text/plain",
        "write the changelog\n",
    ),
    ("public/summary.txt", "text/plain", "a build of tc-client\n"),
];

/// The artifact downloaded from the task on tc-fake.
const FAKE_DOWNLOAD: &str = "private/build/log.txt";

/// A sibling of [`FAKE_DOWNLOAD`] that the narrowed scopes leave out.
const FAKE_OUTSIDE: &str = "private/build/checksums.txt";

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let deployment = Deployment::start_or_from_env().await?;
    println!("deployment: {}", deployment.describe());
    let permanent = deployment.require_credentials()?.clone();

    // The task, its run and the artifact to download.
    let (task_id, run_id, artifact) = if deployment.fake().is_some() {
        let (task_id, run_id) = upload_fake_artifacts(&deployment).await?;
        (task_id, Some(run_id), FAKE_DOWNLOAD.to_owned())
    } else {
        let task_id = required_env("TASK_ID", "the task whose artifacts to list")?;
        let artifact = non_empty_env("ARTIFACT").unwrap_or_else(|| DEFAULT_ARTIFACT.to_owned());
        (task_id, non_empty_env("RUN_ID"), artifact)
    };
    let folder = match artifact.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/*"),
        None => "*".to_owned(),
    };

    // Unnamed temporary credentials: the same client id, a certificate
    // limiting them to three scopes, an hour of validity.
    let temporary_scopes = [
        format!("queue:status:{task_id}"),
        format!("queue:list-artifacts:{task_id}:*"),
        format!("queue:get-artifact:{folder}"),
    ];
    let temporary =
        permanent.create_temp_creds(Duration::from_secs(3600), temporary_scopes.clone())?;
    println!(
        "temporary credentials: client {} for 1 hour, scopes {}",
        temporary.client_id(),
        temporary_scopes.join(", ")
    );

    let run_id = match run_id {
        Some(run_id) => run_id,
        None => {
            let queue = deployment
                .builder::<Queue>()
                .credentials(temporary.clone())
                .build()?;
            let status = queue.status(&task_id).await?;
            let latest = status
                .status
                .runs
                .last()
                .ok_or_else(|| format!("task {task_id} has no run yet"))?;
            latest.run_id.to_string()
        }
    };

    // The same temporary credentials, narrowed per request to one run's
    // listing and one artifact.
    let narrowed_scopes = [
        format!("queue:list-artifacts:{task_id}:{run_id}"),
        format!("queue:get-artifact:{artifact}"),
    ];
    let queue = deployment
        .builder::<Queue>()
        .credentials(temporary)
        .authorized_scopes(narrowed_scopes.clone())
        .build()?;
    println!("authorized scopes: {}", narrowed_scopes.join(", "));

    // Every page of the listing, as one stream.
    println!("artifacts of task {task_id} run {run_id}:");
    let mut count = 0;
    let listing = queue.list_artifacts(&task_id, &run_id).limit(2).all();
    futures_util::pin_mut!(listing);
    while let Some(item) = listing.next().await {
        let item = item?;
        println!(
            "  artifact {} ({}, {}, expires {})",
            item.name,
            item.storage_type.as_str(),
            item.content_type,
            item.expires
        );
        count += 1;
    }
    match deployment.fake() {
        Some(fake) => println!(
            "listed {count} artifacts in {} pages of at most 2",
            fake.requests("queue", "listArtifacts")
        ),
        None => println!("listed {count} artifacts"),
    }

    let Downloaded {
        data: bytes,
        content_type,
        ..
    } = queue
        .download_artifact(&task_id, &artifact, to_buffer())
        .run_id(&run_id)
        .await?;
    println!(
        "downloaded {artifact}: {} bytes of {content_type}",
        bytes.len()
    );
    if content_type.starts_with("text/") {
        for line in String::from_utf8_lossy(&bytes).lines().take(10) {
            println!("  | {line}");
        }
    }

    if deployment.fake().is_some() {
        // Readable with the temporary credentials, but not within the
        // authorized scopes.
        match queue
            .download_artifact(&task_id, FAKE_OUTSIDE, to_buffer())
            .run_id(&run_id)
            .await
        {
            Ok(_) => {
                return Err(
                    format!("{FAKE_OUTSIDE} was readable outside the authorized scopes").into(),
                );
            }
            Err(error) => println!(
                "outside the authorized scopes, {FAKE_OUTSIDE} is refused: {} {}",
                error
                    .status()
                    .map_or_else(|| "?".to_owned(), |s| s.to_string()),
                error.code().unwrap_or("(no code)")
            ),
        }
    }
    Ok(())
}

/// On tc-fake: creates and claims a task, then uploads [`FAKE_ARTIFACTS`] to
/// its run with the claim's credentials; answers the task and run ids.
async fn upload_fake_artifacts(deployment: &Deployment) -> Result<(String, String), BoxError> {
    let queue: Queue = deployment.client()?;
    let run = create_and_claim_task(deployment, &queue, "list_artifacts").await?;
    println!(
        "created and claimed task {} run {}",
        run.task_id, run.run_id
    );
    for (name, content_type, content) in FAKE_ARTIFACTS {
        run.worker
            .upload_artifact(
                &run.task_id,
                &run.run_id,
                name,
                from_bytes(content.as_bytes()),
            )
            .content_type(content_type)
            .expires(run.expires)
            .await?;
        println!("uploaded {name} ({} bytes)", content.len());
    }
    Ok((run.task_id, run.run_id))
}
