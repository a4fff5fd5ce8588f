// Included from tests/mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the queue's lifecycle.

use super::*;

#[test]
fn task_lifecycle_with_claims_artifacts_and_messages() {
    let (q, published) = queue();
    let task_id = slugid::nice();
    let status0 = create(
        &q,
        &task_id,
        json!({"priority": "high", "scopes": ["secrets:get:x"]}),
    );
    assert_eq!(status0["state"], "pending");
    assert_eq!(status0["runs"][0]["reasonCreated"], "scheduled");
    assert_eq!(status0["provisionerId"], "prov");
    assert_eq!(status0["workerType"], "worker-type");
    assert_eq!(status0["retriesLeft"], 5);

    // Idempotent; a different definition conflicts.
    let def = definition(json!({"priority": "high", "scopes": ["secrets:get:x"]}));
    let mut same = def.clone();
    same["created"] = status0["runs"][0]["scheduled"].clone();
    let task = json(go(&q, "task", &[("taskId", &task_id)], &[], None));
    same["created"] = task["created"].clone();
    same["deadline"] = task["deadline"].clone();
    assert_eq!(
        json(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(same.clone())
        ))["status"],
        status0
    );
    same["priority"] = json!("low");
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(same)
        )),
        409
    );

    // Defaults filled in.
    assert_eq!(task["taskGroupId"], task_id.as_str());
    assert_eq!(task["schedulerId"], "-");
    assert_eq!(task["projectId"], "none");
    assert_eq!(task["requires"], "all-completed");
    assert_eq!(task["retries"], 5);
    assert_eq!(task["tags"], json!({}));
    assert_eq!(
        task["expires"],
        format_ms(plus_one_year(
            parse_time(task["deadline"].as_str().unwrap(), "d").unwrap()
        ))
    );

    let counts = json(go(
        &q,
        "taskQueueCounts",
        &[("taskQueueId", "prov/worker-type")],
        &[],
        None,
    ));
    assert_eq!(
        (
            counts["pendingTasks"].as_u64(),
            counts["claimedTasks"].as_u64()
        ),
        (Some(1), Some(0))
    );

    // Claim.
    let claim = claim_one(&q);
    assert_eq!(claim["runId"], 0);
    assert_eq!(claim["status"]["state"], "running");
    assert_eq!(claim["task"]["priority"], "high");
    let taken_until = parse_time(claim["takenUntil"].as_str().unwrap(), "t").unwrap();
    assert!((taken_until - now_ms() - CLAIM_TIMEOUT_MS).abs() < 5_000);
    let creds = &claim["credentials"];
    let client_id = creds["clientId"].as_str().unwrap();
    assert!(
        client_id.starts_with(&format!("task-client/{task_id}/0/on/wg/wi/until/")),
        "{client_id}"
    );
    let cert: Value = serde_json::from_str(creds["certificate"].as_str().unwrap()).unwrap();
    assert_eq!(cert["issuer"], "static/taskcluster/queue");
    assert_eq!(cert["expiry"].as_i64(), Some(taken_until));
    let scopes = string_list(cert.get("scopes"));
    assert!(scopes.contains(&format!("queue:resolve-task:{task_id}/0")));
    assert!(scopes.contains(&"secrets:get:x".to_string()));
    let text = format!(
        "version:1\nclientId:{client_id}\nissuer:static/taskcluster/queue\nseed:{}\nstart:{}\nexpiry:{}\nscopes:\n{}",
        cert["seed"].as_str().unwrap(),
        cert["start"],
        cert["expiry"],
        scopes.join("\n")
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, QUEUE_TOKEN.as_bytes());
    let sig = base64::engine::general_purpose::STANDARD
        .encode(ring::hmac::sign(&key, text.as_bytes()).as_ref());
    assert_eq!(cert["signature"], Value::String(sig));
    // Nothing left to claim.
    assert_eq!(
        json(go(
            &q,
            "claimWork",
            &[("taskQueueId", "prov/worker-type")],
            &[],
            Some(json!({
                "workerGroup": "wg", "workerId": "wi", "tasks": 4,
            }))
        ))["tasks"],
        json!([])
    );

    let reclaim = json(go(&q, "reclaimTask", &run_args(&task_id, "0"), &[], None));
    assert_eq!(reclaim["workerId"], "wi");
    assert_eq!(
        status(go(&q, "reclaimTask", &run_args(&task_id, "1"), &[], None)),
        404
    );

    // Artifacts.
    let expires = format_ms(now_ms() + 3_600_000);
    let created = json(go(
        &q,
        "createArtifact",
        &[
            ("taskId", &task_id),
            ("runId", "0"),
            ("name", "public/log.txt"),
        ],
        &[],
        Some(json!({
            "storageType": "reference", "url": "https://example.com/log.txt", "contentType": "text/plain", "expires": expires,
        })),
    ));
    assert_eq!(created, json!({"storageType": "reference"}));
    json(go(
        &q,
        "createArtifact",
        &[
            ("taskId", &task_id),
            ("runId", "0"),
            ("name", "public/missing"),
        ],
        &[],
        Some(json!({
            "storageType": "error", "reason": "file-missing-on-worker", "message": "no such file", "expires": expires,
        })),
    ));
    json(go(
        &q,
        "createArtifact",
        &[
            ("taskId", &task_id),
            ("runId", "0"),
            ("name", "public/link"),
        ],
        &[],
        Some(json!({
            "storageType": "link", "artifact": "public/log.txt", "expires": expires,
        })),
    ));
    // Repeat: fine; changing an error artifact: conflict; reference may change its URL.
    json(go(
        &q,
        "createArtifact",
        &[
            ("taskId", &task_id),
            ("runId", "0"),
            ("name", "public/log.txt"),
        ],
        &[],
        Some(json!({
            "storageType": "reference", "url": "https://example.com/log2.txt", "contentType": "text/plain", "expires": expires,
        })),
    ));
    assert_eq!(
        status(go(
            &q,
            "createArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", "public/missing")
            ],
            &[],
            Some(json!({
                "storageType": "error", "reason": "file-missing-on-worker", "message": "other", "expires": expires,
            }))
        )),
        409
    );
    let object = json!({
        "storageType": "object", "contentType": "text/plain", "expires": expires,
    });
    let obj_args = [
        ("taskId", task_id.as_str()),
        ("runId", "0"),
        ("name", "obj"),
    ];
    let created = json(go(
        &q,
        "createArtifact",
        &obj_args,
        &[],
        Some(object.clone()),
    ));
    assert_eq!(created["name"], json!(format!("t/{task_id}/0/obj")));
    assert_eq!(created["projectId"], "none");
    assert_eq!(created["expires"], json!(expires));
    // each call would lock in another uploadId: a repeat is a conflict
    assert_eq!(
        status(go(&q, "createArtifact", &obj_args, &[], Some(object))),
        409
    );
    // not present (and not announced) until finished
    assert_eq!(status(go(&q, "getArtifact", &obj_args, &[], None)), 404);
    assert_eq!(status(go(&q, "artifactInfo", &obj_args, &[], None)), 404);
    let finish = json!({"uploadId": created["uploadId"]});
    assert_eq!(
        status(go(&q, "finishArtifact", &obj_args, &[], Some(finish))),
        400,
        "the object is not uploaded"
    );

    let get = go(
        &q,
        "getArtifact",
        &[
            ("taskId", &task_id),
            ("runId", "0"),
            ("name", "public/log.txt"),
        ],
        &[],
        None,
    )
    .unwrap();
    assert_eq!(
        get,
        Response::Redirect {
            location: "https://example.com/log2.txt".into(),
            body: json!({"storageType": "reference", "url": "https://example.com/log2.txt"}),
            headers: vec![(STORAGE_TYPE_HEADER.to_owned(), "reference".to_owned())],
        }
    );
    let via_link = go(
        &q,
        "getLatestArtifact",
        &[("taskId", &task_id), ("name", "public/link")],
        &[],
        None,
    )
    .unwrap();
    assert!(
        matches!(via_link, Response::Redirect { ref location, .. } if location == "https://example.com/log2.txt")
    );
    let missing = go(
        &q,
        "getLatestArtifact",
        &[("taskId", &task_id), ("name", "public/missing")],
        &[],
        None,
    )
    .unwrap();
    assert_eq!(
        missing,
        Response::Status {
            status: 424,
            body: json!({"reason": "file-missing-on-worker", "message": "no such file"}),
            headers: vec![("x-taskcluster-artifact-storage-type".into(), "error".into())],
        }
    );
    assert_eq!(
        status(go(
            &q,
            "getArtifact",
            &[("taskId", &task_id), ("runId", "0"), ("name", "nope")],
            &[],
            None
        )),
        404
    );
    assert_eq!(
        status(go(
            &q,
            "getArtifact",
            &[("taskId", &task_id), ("runId", "3"), ("name", "nope")],
            &[],
            None
        )),
        404
    );
    let info = json(go(
        &q,
        "latestArtifactInfo",
        &[("taskId", &task_id), ("name", "public/missing")],
        &[],
        None,
    ));
    assert_eq!(info["contentType"], "application/binary");
    assert_eq!(
        status(go(
            &q,
            "finishArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", "public/link")
            ],
            &[],
            Some(json!({"uploadId": slugid::nice()}))
        )),
        400
    );

    // Scope parameters of getArtifact follow links.
    let caller = crate::services::testing::root();
    let request = Request {
        service: "queue",
        entry: crate::services::testing::entry("queue", "getLatestArtifact"),
        args: [("taskId", task_id.as_str()), ("name", "public/link")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        query: Default::default(),
        body: None,
        caller: &caller,
        root_url: "http://x",
    };
    assert_eq!(
        crate::services::registry::scope_params(&q, &request)["names"],
        json!(["public/link", "public/log.txt"])
    );

    // Resolve.
    let done = json(go(
        &q,
        "reportCompleted",
        &run_args(&task_id, "0"),
        &[],
        None,
    ));
    assert_eq!(done["status"]["state"], "completed");
    assert_eq!(done["status"]["runs"][0]["reasonResolved"], "completed");
    // Idempotent, but not failed afterwards, and no more artifacts or reclaims.
    json(go(
        &q,
        "reportCompleted",
        &run_args(&task_id, "0"),
        &[],
        None,
    ));
    assert_eq!(
        status(go(&q, "reportFailed", &run_args(&task_id, "0"), &[], None)),
        409
    );
    assert_eq!(
        status(go(&q, "reclaimTask", &run_args(&task_id, "0"), &[], None)),
        409
    );
    assert_eq!(
        status(go(
            &q,
            "createArtifact",
            &[("taskId", &task_id), ("runId", "0"), ("name", "late")],
            &[],
            Some(json!({
                "storageType": "reference", "url": "https://example.com/", "contentType": "text/plain", "expires": expires,
            }))
        )),
        409
    );

    check_messages(&published);
    assert_eq!(
        exchanges(&published),
        [
            "task-defined",
            "task-pending",
            "task-running",
            "artifact-created",
            "artifact-created",
            "artifact-created",
            "artifact-created",
            "task-completed",
            "task-group-resolved",
        ]
    );
    let messages = lock(&published);
    let (exchange, key, cc, _) = &messages[2];
    assert_eq!(exchange, "exchange/taskcluster-queue/v1/task-running");
    assert_eq!(
        key,
        &format!("primary.{task_id}.0.wg.wi.prov.worker-type.-.{task_id}._")
    );
    assert_eq!(cc, &vec!["route.index.a.b".to_string()]);
    assert_eq!(
        messages[0].1,
        format!("primary.{task_id}._._._.prov.worker-type.-.{task_id}._")
    );
    assert_eq!(messages[8].1, format!("primary.{task_id}.-._"));
}
