//! Realistic documents of every service through the generated types: each is
//! deserialized, serialized back and compared with the input, as a
//! `serde_json::Value` and, for documents made only of fields the schema knows
//! (keys in the order serde writes them), byte for byte with the compact input.
//!
//! The documents are shaped like what a deployment returns or accepts (slug
//! ids, Taskcluster timestamps, worker pool and hook definitions, ...).

use std::any::type_name;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tc_client::Time;

// ---------------------------------------------------------------------------
// Helpers

/// Removes the whitespace outside the strings of a JSON text.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// Where two JSON values differ, as JSON pointers with both sides.
fn differences(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let at = format!("{path}/{key}");
                match got.get(key) {
                    Some(other) => differences(&at, value, other, out),
                    None => out.push(format!("{at}: {value} was dropped")),
                }
            }
            for (key, value) in got {
                if !want.contains_key(key) {
                    out.push(format!("{path}/{key}: {value} was added"));
                }
            }
        }
        (Value::Array(want), Value::Array(got)) if want.len() == got.len() => {
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                differences(&format!("{path}/{i}"), w, g, out);
            }
        }
        _ if expected != actual => {
            out.push(format!("{path}: {expected} became {actual}"));
        }
        _ => {}
    }
}

/// Deserializes `json` into `T`, serializes it back and checks that the
/// result is the same JSON value.
#[track_caller]
fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let input: Value = serde_json::from_str(json).expect("the test document is JSON");
    let typed: T = serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "the document does not deserialize into {}: {e}",
            type_name::<T>()
        )
    });
    let output = serde_json::to_value(&typed).expect("serializes");
    let mut diffs = Vec::new();
    differences("", &input, &output, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{} does not round-trip:\n  {}",
        type_name::<T>(),
        diffs.join("\n  ")
    );
    typed
}

/// [`round_trip`], and the serialization is byte-identical to the compact input.
#[track_caller]
fn round_trip_exact<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let typed = round_trip::<T>(json);
    assert_eq!(
        serde_json::to_string(&typed).unwrap(),
        compact(json),
        "{} is not written back byte for byte",
        type_name::<T>()
    );
    typed
}

fn object(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn helpers() {
    assert_eq!(
        compact("{ \"a b\": [1, 2],\n \"c\": \"x\\\" y\" }"),
        "{\"a b\":[1,2],\"c\":\"x\\\" y\"}"
    );
    let mut diffs = Vec::new();
    differences(
        "",
        &serde_json::json!({"a": 1, "b": [1, {"c": 2}]}),
        &serde_json::json!({"a": 1.0, "b": [1, {"d": 2}]}),
        &mut diffs,
    );
    assert_eq!(
        diffs,
        [
            "/a: 1 became 1.0",
            "/b/1/c: 2 was dropped",
            "/b/1/d: 2 was added"
        ]
    );
}

// ---------------------------------------------------------------------------
// Queue

/// A generic-worker (multiuser, Linux) payload like the Go client's README
/// builds: command, maxRunTime, env, artifacts, mounts.
const GENERIC_WORKER_PAYLOAD: &str = r#"{
  "artifacts": [
    {"expires": "2026-12-24T10:00:00.000Z", "name": "public/build/target.tar.gz", "path": "dist/target.tar.gz", "type": "file"},
    {"name": "public/logs", "path": "logs", "type": "directory"}
  ],
  "command": [
    ["/bin/bash", "-c", "git clone https://github.com/example/project checkouts/project"],
    ["/bin/bash", "-c", "cd checkouts/project && make dist"]
  ],
  "env": {"MOZ_BUILD_DATE": "20261124100000", "RUST_BACKTRACE": "1"},
  "features": {"chainOfTrust": true, "taskclusterProxy": true},
  "maxRunTime": 3600,
  "mounts": [
    {"cacheName": "example-checkouts", "directory": "checkouts"},
    {"content": {"sha256": "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447", "url": "https://example.com/toolchains/rust-1.95.tar.zst"}, "directory": "toolchain", "format": "tar.zst"},
    {"content": {"artifact": "public/build/sccache.tar.xz", "taskId": "b6BiHbnoSwm4swPBJryE2g"}, "directory": "sccache", "format": "tar.xz"},
    {"content": {"raw": "[user]\n\temail = ci@example.com\n"}, "file": ".gitconfig"}
  ],
  "onExitStatus": {"retry": [72]},
  "osGroups": ["docker"]
}"#;

/// `queue.createTask` input, with every collection non-empty.
fn task_definition() -> String {
    format!(
        r#"{{
  "created": "2026-11-24T10:00:00.000Z",
  "deadline": "2026-11-24T13:00:00.000Z",
  "dependencies": ["avwKhxhTSZS_7Q_-DP_Jdg"],
  "expires": "2027-11-24T10:00:00.000Z",
  "extra": {{"treeherder": {{"machine": {{"platform": "linux64"}}, "symbol": "B"}}}},
  "metadata": {{
    "description": "Build the project on Linux",
    "name": "build-linux64",
    "owner": "dev@example.com",
    "source": "https://github.com/example/project/blob/main/.taskcluster.yml"
  }},
  "payload": {GENERIC_WORKER_PAYLOAD},
  "priority": "low",
  "projectId": "example",
  "requires": "all-completed",
  "retries": 5,
  "routes": ["index.project.example.v2.latest.build-linux64", "tc-treeherder.v2.example.0123456789abcdef"],
  "schedulerId": "taskcluster-github",
  "scopes": ["generic-worker:cache:example-checkouts", "queue:get-artifact:private/build/*"],
  "tags": {{"kind": "build", "os": "linux"}},
  "taskGroupId": "fN1SbArXTPSVFNUvaOlinQ",
  "taskQueueId": "proj-example/b-linux"
}}"#
    )
}

#[test]
fn queue_task_definition_request() {
    use tc_client::queue::{TaskDefinitionRequest, TaskPriority};

    let definition = round_trip_exact::<TaskDefinitionRequest>(&task_definition());
    assert_eq!(definition.priority, Some(TaskPriority::Low));
    assert_eq!(definition.created.to_string(), "2026-11-24T10:00:00.000Z");
    assert_eq!(definition.metadata.name, "build-linux64");
    assert_eq!(&*definition.dependencies[0], "avwKhxhTSZS_7Q_-DP_Jdg");
    assert_eq!(definition.payload["maxRunTime"], 3600);
}

/// The task of the Go client's README sets every collection, empty.
/// Explicit empty collections are part of the document and should survive.
#[test]
fn queue_task_definition_with_empty_collections() {
    // The Go client's task spells out its empty collections. Optional lists
    // and maps are plain `Vec`/`BTreeMap`s that are left out when empty, so
    // the queue applies its own default (the same empty value): the
    // definition reads back identically, minus the explicit empties.
    let json = r#"{
  "created": "2026-11-24T10:00:00.000Z",
  "deadline": "2026-11-24T13:00:00.000Z",
  "dependencies": [],
  "expires": "2026-11-25T10:00:00.000Z",
  "extra": {},
  "metadata": {"description": "xxxx", "name": "xxxx", "owner": "nobody@example.com", "source": "https://hg.mozilla.org/try/file/xxxx"},
  "payload": {"command": [["echo", "Hello World!"]], "maxRunTime": 60},
  "priority": "normal",
  "provisionerId": "some-provisioner-id",
  "requires": "all-completed",
  "retries": 5,
  "routes": [],
  "schedulerId": "-",
  "scopes": [],
  "tags": {},
  "taskGroupId": "fN1SbArXTPSVFNUvaOlinQ",
  "workerType": "some-worker-type"
}"#;
    let typed: tc_client::queue::TaskDefinitionRequest = serde_json::from_str(json).unwrap();
    assert!(typed.dependencies.is_empty() && typed.routes.is_empty() && typed.scopes.is_empty());
    let mut expected: Value = serde_json::from_str(json).unwrap();
    for empty in ["dependencies", "extra", "routes", "scopes", "tags"] {
        expected.as_object_mut().unwrap().remove(empty);
    }
    assert_eq!(serde_json::to_value(&typed).unwrap(), expected);
}

/// `queue.task` output: the stored definition, defaults filled in.
#[test]
fn queue_task_definition_response() {
    use tc_client::queue::{DependencyRequirementSemantics, TaskDefinitionResponse};

    let task = round_trip_exact::<TaskDefinitionResponse>(
        r#"{
  "created": "2026-11-24T10:00:00.000Z",
  "deadline": "2026-11-25T10:00:00.000Z",
  "dependencies": [],
  "expires": "2027-11-24T10:00:00.000Z",
  "extra": {},
  "metadata": {"description": "Lint the sources", "name": "lint", "owner": "dev@example.com", "source": "https://github.com/example/project"},
  "payload": {"command": ["/bin/bash", "-c", "make lint"], "image": "rust:1.95", "maxRunTime": 600},
  "priority": "lowest",
  "projectId": "none",
  "provisionerId": "proj-example",
  "requires": "all-completed",
  "retries": 5,
  "routes": [],
  "schedulerId": "-",
  "scopes": [],
  "tags": {},
  "taskGroupId": "SHb9tH16QzW8ghE4SpCuRg",
  "taskQueueId": "proj-example/docker",
  "workerType": "docker"
}"#,
    );
    assert_eq!(task.requires, DependencyRequirementSemantics::AllCompleted);
    assert!(task.routes.is_empty());
}

const TASK_STATUS: &str = r#"{
  "status": {
    "deadline": "2026-11-24T13:00:00.000Z",
    "expires": "2027-11-24T10:00:00.000Z",
    "priority": "low",
    "projectId": "example",
    "provisionerId": "proj-example",
    "retriesLeft": 4,
    "runs": [
      {
        "reasonCreated": "scheduled",
        "reasonResolved": "worker-shutdown",
        "resolved": "2026-11-24T10:21:07.315Z",
        "runId": 0,
        "scheduled": "2026-11-24T10:00:00.412Z",
        "started": "2026-11-24T10:02:13.001Z",
        "state": "exception",
        "takenUntil": "2026-11-24T10:42:13.001Z",
        "workerGroup": "us-east-1",
        "workerId": "i-0a1b2c3d4e5f67890"
      },
      {
        "reasonCreated": "retry",
        "runId": 1,
        "scheduled": "2026-11-24T10:21:07.315Z",
        "started": "2026-11-24T10:22:00.000Z",
        "state": "running",
        "takenUntil": "2026-11-24T10:42:00.000Z",
        "workerGroup": "us-east-1",
        "workerId": "i-0fedcba9876543210"
      }
    ],
    "schedulerId": "taskcluster-github",
    "state": "running",
    "taskGroupId": "fN1SbArXTPSVFNUvaOlinQ",
    "taskId": "cAPWrjtmSPGtaLRp6ES1mw",
    "taskQueueId": "proj-example/b-linux",
    "workerType": "b-linux"
  }
}"#;

#[test]
fn queue_task_status_response() {
    use tc_client::queue::{ReasonResolved, RunState, State, TaskStatusResponse};

    let status = round_trip_exact::<TaskStatusResponse>(TASK_STATUS).status;
    assert_eq!(status.state, State::Running);
    assert_eq!(status.runs.len(), 2);
    assert_eq!(status.runs[0].state, RunState::Exception);
    assert_eq!(
        status.runs[0].reason_resolved,
        Some(ReasonResolved::WorkerShutdown)
    );
    assert!(status.runs[1].resolved.is_none());
    assert_eq!(&*status.task_id, "cAPWrjtmSPGtaLRp6ES1mw");
}

#[test]
fn queue_list_artifacts_response() {
    use tc_client::queue::{ArtifactStorageType, ListArtifactsResponse};

    let list = round_trip_exact::<ListArtifactsResponse>(
        r#"{
  "artifacts": [
    {"contentLength": 1048576, "contentType": "application/gzip", "expires": "2026-12-24T10:00:00.000Z", "name": "public/build/target.tar.gz", "storageType": "object"},
    {"contentType": "text/plain; charset=utf-8", "expires": "2026-12-24T10:00:00.000Z", "name": "public/logs/live.log", "storageType": "reference"},
    {"contentType": "text/plain; charset=utf-8", "expires": "2026-12-24T10:00:00.000Z", "name": "public/logs/live_backing.log", "storageType": "s3"},
    {"contentType": "application/json", "expires": "2026-12-24T10:00:00.000Z", "name": "public/build/missing.json", "storageType": "error"},
    {"contentType": "text/plain; charset=utf-8", "expires": "2026-12-24T10:00:00.000Z", "name": "public/logs/latest.log", "storageType": "link"}
  ],
  "continuationToken": "eyJ0YXNrSWQiOiJjQVBXcmp0bVNQR3RhTFJwNkVTMW13In0"
}"#,
    );
    let kinds: Vec<ArtifactStorageType> = list
        .artifacts
        .iter()
        .map(|a| a.storage_type.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            ArtifactStorageType::Object,
            ArtifactStorageType::Reference,
            ArtifactStorageType::S3,
            ArtifactStorageType::Error,
            ArtifactStorageType::Link
        ]
    );
    assert_eq!(list.artifacts[0].content_length, Some(1_048_576));
    assert!(list.continuation_token.is_some());
}

#[test]
fn queue_artifact_content_responses() {
    use tc_client::queue::GetArtifactContentResponse;

    let object = round_trip::<GetArtifactContentResponse>(
        r#"{"storageType": "object", "name": "t/cAPWrjtmSPGtaLRp6ES1mw/0/public/build/target.tar.gz",
            "credentials": {"clientId": "task-client/cAPWrjtmSPGtaLRp6ES1mw/0/on/us-east-1/i-0a1b2c3d4e5f67890/until/1795518000.000", "accessToken": "abc", "certificate": "{\"version\":1}"}}"#,
    );
    assert!(matches!(object, GetArtifactContentResponse::Object { .. }));
    // serde writes the tag first: that order is byte-identical.
    round_trip_exact::<GetArtifactContentResponse>(
        r#"{"storageType":"error","message":"Artifact not found on worker","reason":"file-missing-on-worker"}"#,
    );
}

#[test]
fn queue_task_completed_message() {
    use tc_client::queue::TaskCompletedMessage;

    let message = format!(
        r#"{{"runId": 1, "status": {}, "task": {{"tags": {{"kind": "build"}}}}, "version": 1, "workerGroup": "us-east-1", "workerId": "i-0fedcba9876543210"}}"#,
        serde_json::from_str::<Value>(TASK_STATUS).unwrap()["status"]
    );
    let message = round_trip::<TaskCompletedMessage>(&message);
    assert_eq!(*message.version, 1);
    assert_eq!(message.run_id, 1);
}

// ---------------------------------------------------------------------------
// Worker payloads

#[test]
fn generic_worker_payload() {
    use tc_client::payloads::generic_worker::{
        GenericWorkerPayload, Mount, PayloadMultiuserPosix, PayloadMultiuserPosixContent,
        WritableDirectoryCacheFormat,
    };

    let payload = round_trip_exact::<GenericWorkerPayload>(GENERIC_WORKER_PAYLOAD);
    assert_eq!(payload.max_run_time.get(), 3600);
    assert_eq!(payload.command[1][2], "cd checkouts/project && make dist");
    assert_eq!(payload.env["RUST_BACKTRACE"], "1");
    assert_eq!(payload.artifacts.len(), 2);
    assert_eq!(
        payload.artifacts[0].name.as_deref(),
        Some("public/build/target.tar.gz")
    );
    assert!(matches!(
        payload.mounts[0],
        Mount::WritableDirectoryCache(_)
    ));
    match &payload.mounts[1] {
        Mount::ReadOnlyDirectory(dir) => {
            assert_eq!(dir.format, WritableDirectoryCacheFormat::TarZst);
            assert!(matches!(
                dir.content,
                PayloadMultiuserPosixContent::UrlContent(_)
            ));
        }
        other => panic!("expected a read-only directory, got {other:?}"),
    }
    match &payload.mounts[2] {
        Mount::ReadOnlyDirectory(dir) => {
            assert!(matches!(
                dir.content,
                PayloadMultiuserPosixContent::ArtifactContent(_)
            ));
        }
        other => panic!("expected a read-only directory, got {other:?}"),
    }
    match &payload.mounts[3] {
        Mount::FileMount(file) => {
            assert!(matches!(
                file.content,
                PayloadMultiuserPosixContent::RawContent(_)
            ));
        }
        other => panic!("expected a file mount, got {other:?}"),
    }

    // The payload of the task definition decodes into the schema's root type.
    let definition: tc_client::queue::TaskDefinitionRequest =
        serde_json::from_str(&task_definition()).unwrap();
    let root: PayloadMultiuserPosix =
        serde_json::from_value(Value::Object(definition.payload)).unwrap();
    assert!(matches!(
        root,
        PayloadMultiuserPosix::GenericWorkerPayload(_)
    ));
}

#[test]
fn generic_worker_windows_payload() {
    use tc_client::payloads::generic_worker::multiuser_windows::GenericWorkerPayloadMultiuserWindows;

    let payload = round_trip_exact::<GenericWorkerPayloadMultiuserWindows>(
        r#"{
  "artifacts": [{"name": "public/build/setup.exe", "path": "dist\\setup.exe", "type": "file"}],
  "command": ["set", "echo hello world > hello_world.txt", "set GOPATH=C:\\Go"],
  "env": {"GOOS": "windows", "PATH": "C:\\Windows\\system32;C:\\Windows"},
  "maxRunTime": 1800,
  "osGroups": ["Administrators"]
}"#,
    );
    assert_eq!(payload.command.len(), 3);
}

const DOCKER_WORKER_PAYLOAD: &str = r#"{
  "artifacts": {
    "public/build": {"expires": "2026-12-24T10:00:00.000Z", "path": "/builds/worker/artifacts", "type": "directory"},
    "public/logs/build.log": {"path": "/builds/worker/logs/build.log", "type": "file"}
  },
  "cache": {"example-level-3-checkouts": "/builds/worker/checkouts"},
  "capabilities": {"devices": {"kvm": true}},
  "command": ["/bin/bash", "-c", "./mach build"],
  "env": {"GECKO_HEAD_REV": "0123456789abcdef0123456789abcdef01234567", "MOZ_AUTOMATION": "1"},
  "features": {"chainOfTrust": true, "taskclusterProxy": true},
  "image": {"path": "public/image.tar.zst", "taskId": "F3VocCTnTq2dx7Mr6zMf9A", "type": "task-image"},
  "maxRunTime": 7200,
  "onExitStatus": {"retry": [137]}
}"#;

#[test]
fn docker_worker_payload() {
    use tc_client::payloads::docker_worker::{DockerImage, DockerWorkerPayload};

    let payload = round_trip_exact::<DockerWorkerPayload>(DOCKER_WORKER_PAYLOAD);
    assert!(matches!(payload.image, DockerImage::DockerImageArtifact(_)));
    assert_eq!(payload.artifacts.len(), 2);
    assert_eq!(payload.max_run_time.get(), 7200);

    // The image as a plain string and as an indexed image.
    let simple = round_trip_exact::<DockerWorkerPayload>(
        r#"{"command":["make","test"],"image":"rust:1.95","maxRunTime":600}"#,
    );
    assert!(matches!(simple.image, DockerImage::String(_)));
    let indexed = round_trip_exact::<DockerWorkerPayload>(
        r#"{"image":{"namespace":"docker.images.v2.latest.example.build","path":"public/image.tar.zst","type":"indexed-image"},"maxRunTime":600}"#,
    );
    assert!(matches!(indexed.image, DockerImage::IndexedDockerImage(_)));

    // generic-worker also runs docker-worker payloads (d2g).
    let root: tc_client::payloads::generic_worker::PayloadMultiuserPosix =
        serde_json::from_str(DOCKER_WORKER_PAYLOAD).unwrap();
    assert!(matches!(
        root,
        tc_client::payloads::generic_worker::PayloadMultiuserPosix::DockerWorkerPayload(_)
    ));
}

// ---------------------------------------------------------------------------
// Other services

#[test]
fn worker_manager_worker_pool() {
    use tc_client::worker_manager::WorkerPoolFullDefinition;

    let pool = round_trip_exact::<WorkerPoolFullDefinition>(
        r#"{
  "config": {
    "launchConfigs": [
      {
        "capacityPerInstance": 1,
        "launchConfig": {
          "ImageId": "ami-0123456789abcdef0",
          "InstanceMarketOptions": {"MarketType": "spot"},
          "InstanceType": "m5.xlarge",
          "SubnetId": "subnet-0123456789abcdef0"
        },
        "region": "us-east-1",
        "workerConfig": {"genericWorker": {"config": {"idleTimeoutSecs": 900}}}
      }
    ],
    "lifecycle": {"registrationTimeout": 1800, "reregistrationTimeout": 345600},
    "maxCapacity": 50,
    "minCapacity": 0
  },
  "created": "2026-01-15T08:30:00.000Z",
  "currentCapacity": 3,
  "description": "Linux build workers",
  "emailOnError": false,
  "lastModified": "2026-11-24T10:00:00.000Z",
  "owner": "ci@example.com",
  "providerId": "aws",
  "requestedCapacity": 1,
  "requestedCount": 1,
  "runningCapacity": 2,
  "runningCount": 2,
  "stoppedCapacity": 0,
  "stoppedCount": 0,
  "stoppingCapacity": 0,
  "stoppingCount": 0,
  "workerPoolId": "proj-example/b-linux"
}"#,
    );
    assert_eq!(pool.current_capacity, 3);
    assert_eq!(
        pool.worker_pool_id.as_deref().map(|s| s.as_str()),
        Some("proj-example/b-linux")
    );
    assert_eq!(pool.config["maxCapacity"], 50);
}

#[test]
fn worker_manager_error_stats() {
    // `total` is a count; services write it as an integer.
    round_trip::<tc_client::worker_manager::WorkerPoolErrorStats>(
        r#"{
  "totals": {
    "code": {"InsufficientInstanceCapacity": 4},
    "daily": {"2026-11-24": 7},
    "hourly": {"2026-11-24T10:00": 7},
    "launchConfig": {"lc-0123456789abcdef": 7},
    "title": {"Instance Creation Error": 7},
    "total": 7,
    "workerPool": {"proj-example/b-linux": 7}
  },
  "workerPoolId": "proj-example/b-linux"
}"#,
    );
}

const HOOK_DEFINITION: &str = r#"{
  "bindings": [{"exchange": "exchange/taskcluster-github/v1/push", "routingKeyPattern": "primary.example.project"}],
  "hookGroupId": "project-example",
  "hookId": "nightly",
  "metadata": {"description": "Nightly build of the main branch", "emailOnError": true, "name": "Nightly build", "owner": "dev@example.com"},
  "schedule": ["0 0 3 * * *"],
  "task": {
    "created": {"$fromNow": "0 seconds"},
    "deadline": {"$fromNow": "1 day"},
    "metadata": {"description": "Nightly", "name": "nightly", "owner": "dev@example.com", "source": "https://github.com/example/project"},
    "payload": {"command": [["/bin/bash", "-c", "make nightly"]], "maxRunTime": 3600},
    "taskQueueId": "proj-example/b-linux"
  },
  "triggerSchema": {"additionalProperties": false, "properties": {"branch": {"type": "string"}}, "type": "object"}
}"#;

#[test]
fn hooks_definition_and_status() {
    use tc_client::hooks::{HookDefinition, HookStatusResponse, HookStatusResponseLastFire};

    let hook = round_trip_exact::<HookDefinition>(HOOK_DEFINITION);
    assert_eq!(&*hook.hook_id, "nightly");
    assert_eq!(hook.schedule.len(), 1);
    assert_eq!(hook.metadata.email_on_error, Some(true));

    let status = round_trip_exact::<HookStatusResponse>(
        r#"{"lastFire":{"result":"success","taskId":"QYSXJA0YSICZGk4hS4fPoQ","time":"2026-11-24T03:00:00.123Z"},"nextScheduledDate":"2026-11-25T03:00:00.000Z"}"#,
    );
    assert!(matches!(
        status.last_fire,
        HookStatusResponseLastFire::Success { .. }
    ));
    let status = round_trip_exact::<HookStatusResponse>(r#"{"lastFire":{"result":"no-fire"}}"#);
    assert!(matches!(
        status.last_fire,
        HookStatusResponseLastFire::NoFire
    ));
    let status = round_trip_exact::<HookStatusResponse>(
        r#"{"lastFire":{"result":"error","error":{"code":"InsufficientScopes","message":"Client ID static/taskcluster/hooks does not have sufficient scopes"},"time":"2026-11-24T03:00:00.000Z"}}"#,
    );
    assert!(matches!(
        status.last_fire,
        HookStatusResponseLastFire::Error { .. }
    ));
}

#[test]
fn secrets_secret() {
    let secret = round_trip_exact::<tc_client::secrets::Secret>(
        r#"{"expires":"2027-11-24T10:00:00.000Z","secret":{"password":"hunter2","username":"ci-bot"}}"#,
    );
    assert_eq!(secret.secret["username"], "ci-bot");
}

#[test]
fn index_find_task_response() {
    // Ranks are integers in practice (0, or a push timestamp).
    round_trip_exact::<tc_client::index::IndexedTaskResponse>(
        r#"{"data":{},"expires":"2027-11-24T10:00:00.000Z","namespace":"project.example.v2.latest.build-linux64","rank":1795514400,"taskId":"cAPWrjtmSPGtaLRp6ES1mw"}"#,
    );
}

#[test]
fn auth_client_response() {
    let client = round_trip_exact::<tc_client::auth::GetClientResponse>(
        r#"{
  "clientId": "project/example/ci",
  "created": "2026-01-15T08:30:00.000Z",
  "deleteOnExpiration": false,
  "description": "CI client of the example project",
  "disabled": false,
  "expandedScopes": ["assume:project:example:ci", "queue:create-task:highest:proj-example/*", "secrets:get:project/example/*"],
  "expires": "3026-01-15T08:30:00.000Z",
  "lastDateUsed": "2026-11-24T09:58:31.000Z",
  "lastModified": "2026-01-15T08:30:00.000Z",
  "lastRotated": "2026-06-01T00:00:00.000Z",
  "scopes": ["assume:project:example:ci"]
}"#,
    );
    assert_eq!(client.expanded_scopes.len(), 3);
    assert!(!client.disabled);
}

#[test]
fn auth_client_message() {
    // The message of `exchange/taskcluster-auth/v1/client-created`.
    round_trip_exact::<tc_client::auth::ClientMessage>(
        r#"{"clientId":"project/example/ci","version":1}"#,
    );
}

#[test]
fn notify_requests() {
    use tc_client::notify::{SendEmailRequest, SendSlackMessage, Template};

    let email = round_trip_exact::<SendEmailRequest>(
        r#"{
  "address": "dev@example.com",
  "content": "Task [build-linux64](https://tc.example.com/tasks/cAPWrjtmSPGtaLRp6ES1mw) failed.",
  "link": {"href": "https://tc.example.com/tasks/cAPWrjtmSPGtaLRp6ES1mw", "text": "Inspect task"},
  "replyTo": "ci@example.com",
  "subject": "Task failed: build-linux64",
  "template": "fullscreen"
}"#,
    );
    assert_eq!(email.template, Some(Template::Fullscreen));
    round_trip_exact::<SendSlackMessage>(
        r#"{"blocks":[{"text":{"text":"*Build failed*","type":"mrkdwn"},"type":"section"}],"channelId":"C0123456789","text":"Build failed","unfurlLinks":false}"#,
    );
    round_trip_exact::<tc_client::notify::PostPulseMessageRequest>(
        r#"{"message":{"taskId":"cAPWrjtmSPGtaLRp6ES1mw"},"routingKey":"project.example.build-failed"}"#,
    );
}

#[test]
fn github_builds_response() {
    use tc_client::github::{BuildsResponse, State};

    let builds = round_trip_exact::<BuildsResponse>(
        r#"{
  "builds": [
    {
      "created": "2026-11-24T10:00:00.000Z",
      "eventId": "2a4b6c8e-0123-4567-89ab-cdef01234567",
      "eventType": "push",
      "organization": "example",
      "repository": "project",
      "sha": "0123456789abcdef0123456789abcdef01234567",
      "state": "success",
      "taskGroupId": "fN1SbArXTPSVFNUvaOlinQ",
      "updated": "2026-11-24T10:35:12.000Z"
    },
    {
      "created": "2026-11-24T11:00:00.000Z",
      "eventId": "3b5d7f90-1234-5678-9abc-def012345678",
      "eventType": "pull_request.synchronize",
      "organization": "example",
      "pullRequestNumber": 42,
      "repository": "project",
      "sha": "89abcdef0123456789abcdef0123456789abcdef",
      "state": "pending",
      "taskGroupId": "FZrLuoWlSiCUrDEWwgSBkw",
      "updated": "2026-11-24T11:00:01.000Z"
    }
  ],
  "continuationToken": "2"
}"#,
    );
    assert_eq!(builds.builds[0].state, State::Success);
    assert_eq!(builds.builds[1].pull_request_number, Some(42));
}

#[test]
fn object_upload_request_and_response() {
    use tc_client::object::{CreateUploadRequest, CreateUploadResponse};

    let request = round_trip_exact::<CreateUploadRequest>(
        r#"{
  "expires": "2026-12-24T10:00:00.000Z",
  "hashes": {
    "sha256": "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447",
    "sha512": "db3974a97f2407b7cae1ae637c0030687a11913274d578492558e39c16c017de84eacdc8c62fe34ee4e12b4b1428817f09b6a2760c3f8a664ceae94d2434a593"
  },
  "projectId": "example",
  "proposedUploadMethods": {
    "dataInline": {"contentType": "text/plain", "objectData": "aGVsbG8gd29ybGQK"},
    "putUrl": {"contentLength": 12, "contentType": "text/plain"}
  },
  "uploadId": "cAsT9_C4TV6Xr1cqTOO1Sw"
}"#,
    );
    assert!(request.proposed_upload_methods.data_inline.is_some());
    let response = round_trip_exact::<CreateUploadResponse>(
        r#"{"expires":"2026-11-24T11:00:00.000Z","projectId":"example","uploadId":"cAsT9_C4TV6Xr1cqTOO1Sw","uploadMethod":{"putUrl":{"expires":"2026-11-24T11:00:00.000Z","headers":{"Content-Length":"12","Content-Type":"text/plain"},"url":"https://example-objects.s3.amazonaws.com/example/hello.txt?X-Amz-Signature=abc"}}}"#,
    );
    assert!(response.upload_method.put_url.is_some());
}

#[test]
fn object_download_responses() {
    use tc_client::object::DownloadObjectResponse;

    let simple = round_trip_exact::<DownloadObjectResponse>(
        r#"{"method":"simple","url":"https://example-objects.s3.amazonaws.com/example/hello.txt"}"#,
    );
    assert!(matches!(
        simple,
        DownloadObjectResponse::SimpleDownloadResponse(_)
    ));
    // A `getUrl` answer must keep its hashes: clients verify downloads with them.
    let get_url = round_trip_exact::<DownloadObjectResponse>(
        r#"{"expires":"2026-11-24T11:00:00.000Z","hashes":{"sha256":"a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"},"method":"getUrl","url":"https://example-objects.s3.amazonaws.com/example/hello.txt?X-Amz-Signature=abc"}"#,
    );
    assert!(
        matches!(get_url, DownloadObjectResponse::GetUrlDownloadResponse(_)),
        "a getUrl response decoded as {get_url:?}"
    );
}

#[test]
fn purge_cache_request_and_list() {
    use tc_client::purge_cache::{OpenPurgeRequestList, PurgeCacheRequest};

    let request =
        round_trip_exact::<PurgeCacheRequest>(r#"{"cacheName":"example-level-3-checkouts"}"#);
    assert_eq!(request.cache_name, "example-level-3-checkouts");
    let list = round_trip_exact::<OpenPurgeRequestList>(
        r#"{"requests":[{"before":"2026-11-24T10:00:00.000Z","cacheName":"example-level-3-checkouts","provisionerId":"proj-example","workerType":"b-linux"}]}"#,
    );
    assert_eq!(list.requests.len(), 1);
}

/// web-server's methods have no output schema (its answers are not JSON
/// documents of the reference), so there is nothing typed to round-trip;
/// check that the reference indeed declares none.
#[test]
fn web_server_has_no_typed_output() {
    let api: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../references/references/web-server/v1/api.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for entry in api["entries"].as_array().unwrap() {
        assert!(entry.get("output").is_none(), "{}", entry["name"]);
    }
}

// ---------------------------------------------------------------------------
// Tolerance and exactness

#[test]
fn output_types_accept_unknown_fields() {
    use tc_client::queue::TaskStatusResponse;

    let mut document: Value = serde_json::from_str(TASK_STATUS).unwrap();
    document["status"]["newField"] = serde_json::json!({"added": "in a later release"});
    document["status"]["runs"][0]["workerPoolId"] = "proj-example/b-linux".into();
    document["serverTime"] = "2026-11-24T10:00:00.000Z".into();
    let status: TaskStatusResponse =
        serde_json::from_value(document).expect("unknown fields are accepted");
    // Written back, only the known fields remain: the original document.
    assert_eq!(
        serde_json::to_string(&status).unwrap(),
        compact(TASK_STATUS)
    );
}

#[test]
fn enums_accept_unknown_values() {
    use tc_client::queue::{
        ArtifactStorageType, ListArtifactsResponse, ReasonResolved, State, TaskStatusResponse,
    };

    let document = TASK_STATUS
        .replace(
            r#""state": "running",
    "taskGroupId""#,
            r#""state": "blocked",
    "taskGroupId""#,
        )
        .replace("\"worker-shutdown\"", "\"worker-preempted\"");
    assert_ne!(document, TASK_STATUS);
    let status = round_trip_exact::<TaskStatusResponse>(&document).status;
    assert_eq!(status.state, State::from("blocked"));
    assert_eq!(
        status.runs[0].reason_resolved,
        Some(ReasonResolved::from("worker-preempted"))
    );
    assert_eq!(status.state.as_str(), "blocked");
    assert_eq!(serde_json::to_string(&status.state).unwrap(), "\"blocked\"");

    let list = round_trip_exact::<ListArtifactsResponse>(
        r#"{"artifacts":[{"contentType":"application/zstd","expires":"2026-12-24T10:00:00.000Z","name":"public/build/target.tar.zst","storageType":"bundle"}]}"#,
    );
    assert_eq!(
        list.artifacts[0].storage_type,
        ArtifactStorageType::from("bundle")
    );
}

#[test]
fn timestamps_round_trip_byte_identically() {
    for text in [
        "\"2026-11-24T10:00:00.000Z\"",
        "\"2026-11-24T10:00:00.123Z\"",
        "\"2026-02-28T23:59:59.999Z\"",
    ] {
        let time: Time = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&time).unwrap(), text);
        assert_eq!(format!("\"{time}\""), text);
    }
    let time: Time = "2026-11-24T10:00:00.000Z".parse().unwrap();
    assert_eq!(time.to_string(), "2026-11-24T10:00:00.000Z");
    let secret: tc_client::secrets::Secret =
        serde_json::from_str(r#"{"expires":"2026-11-24T10:00:00.000Z","secret":{}}"#).unwrap();
    assert_eq!(secret.expires.to_string(), "2026-11-24T10:00:00.000Z");
}

#[test]
fn unset_optional_fields_are_not_serialized() {
    use tc_client::auth::CreateClientRequest;
    use tc_client::queue::{TaskDefinitionRequest, TaskMetadata};

    let created: Time = "2026-11-24T10:00:00.000Z".parse().unwrap();
    let metadata = TaskMetadata::new(
        "d",
        "n",
        "dev@example.com",
        "https://github.com/example/project".parse().unwrap(),
    );
    let definition = TaskDefinitionRequest::new(
        created,
        created + std::time::Duration::from_secs(3600),
        metadata,
        object(serde_json::json!({"command": [["true"]], "maxRunTime": 60})),
    )
    .task_queue_id("proj-example/b-linux".parse().unwrap());
    // No schema default (priority `lowest`, retries 5, requires
    // `all-completed`, schedulerId `-`, ...) is forced into the request.
    assert_eq!(
        serde_json::to_string(&definition).unwrap(),
        r#"{"created":"2026-11-24T10:00:00.000Z","deadline":"2026-11-24T11:00:00.000Z","metadata":{"description":"d","name":"n","owner":"dev@example.com","source":"https://github.com/example/project"},"payload":{"command":[["true"]],"maxRunTime":60},"taskQueueId":"proj-example/b-linux"}"#
    );

    // `scopes` is optional (without a default): an empty list is left out.
    let request = CreateClientRequest::new("a client", created);
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"description":"a client","expires":"2026-11-24T10:00:00.000Z"}"#
    );

    let email = tc_client::notify::SendEmailRequest::new("dev@example.com", "c", "s");
    assert_eq!(
        serde_json::to_string(&email).unwrap(),
        r#"{"address":"dev@example.com","content":"c","subject":"s"}"#
    );
}
