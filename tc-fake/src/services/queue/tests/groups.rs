// Included from tests/mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the queue's groups.

use super::*;

#[test]
fn task_groups_and_listings_page() {
    let (q, published) = queue();
    let group = slugid::nice();
    let mut ids = Vec::new();
    for _ in 0..7 {
        let id = slugid::nice();
        create(&q, &id, json!({"taskGroupId": group, "schedulerId": "s"}));
        ids.push(id);
    }
    let mut token: Option<String> = None;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let mut query = vec![("limit", "3")];
        if let Some(t) = &token {
            query.push(("continuationToken", t.as_str()));
        }
        let page = json(go(
            &q,
            "listTaskGroup",
            &[("taskGroupId", &group)],
            &query,
            None,
        ));
        pages += 1;
        assert_eq!(page["schedulerId"], "s");
        for t in page["tasks"].as_array().unwrap() {
            seen.push(t["status"]["taskId"].as_str().unwrap().to_string());
        }
        match page.get("continuationToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => break,
        }
    }
    assert_eq!((pages, &seen), (3, &ids));
    assert_eq!(
        status(go(
            &q,
            "listTaskGroup",
            &[("taskGroupId", &slugid::nice())],
            &[],
            None
        )),
        404
    );
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &slugid::nice())],
            &[],
            Some(definition(json!({"taskGroupId": group})))
        )),
        409
    );

    let statuses = json(go(
        &q,
        "statuses",
        &[],
        &[("limit", "2")],
        Some(json!({"taskIds": [ids[0], "nope", ids[1], ids[2]]})),
    ));
    assert_eq!(statuses["statuses"].as_array().unwrap().len(), 2);
    assert!(statuses.get("continuationToken").is_some());
    let tasks = json(go(
        &q,
        "tasks",
        &[],
        &[],
        Some(json!({"taskIds": [ids[3]]})),
    ));
    assert_eq!(tasks["tasks"][0]["task"]["schedulerId"], "s");

    // Artifacts of one run, paged.
    let claim = claim_one(&q);
    let task_id = claim["status"]["taskId"].as_str().unwrap().to_string();
    let expires = format_ms(now_ms() + 3_600_000);
    for i in 0..7 {
        json(go(
            &q,
            "createArtifact",
            &[
                ("taskId", &task_id),
                ("runId", "0"),
                ("name", &format!("a/{i}")),
            ],
            &[],
            Some(json!({
                "storageType": "reference", "url": "https://example.com/", "contentType": "text/plain", "expires": expires,
            })),
        ));
    }
    for entry in ["listArtifacts", "listLatestArtifacts"] {
        let mut token: Option<String> = None;
        let mut names = Vec::new();
        let mut pages = 0;
        loop {
            let mut query = vec![("limit", "3")];
            if let Some(t) = &token {
                query.push(("continuationToken", t.as_str()));
            }
            let page = json(go(&q, entry, &run_args(&task_id, "0"), &query, None));
            pages += 1;
            names.extend(
                page["artifacts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["name"].as_str().unwrap().to_string()),
            );
            match page.get("continuationToken") {
                Some(t) => token = Some(t.as_str().unwrap().to_string()),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(names, (0..7).map(|i| format!("a/{i}")).collect::<Vec<_>>());
    }
    assert_eq!(
        status(go(&q, "listArtifacts", &run_args(&task_id, "5"), &[], None)),
        404
    );

    // Seal, then cancel the rest.
    assert_eq!(
        status(go(
            &q,
            "cancelTaskGroup",
            &[("taskGroupId", &group)],
            &[],
            None
        )),
        409
    );
    let sealed = json(go(
        &q,
        "sealTaskGroup",
        &[("taskGroupId", &group)],
        &[],
        None,
    ));
    assert!(sealed.get("sealed").is_some());
    assert_eq!(
        json(go(
            &q,
            "getTaskGroup",
            &[("taskGroupId", &group)],
            &[],
            None
        )),
        sealed
    );
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &slugid::nice())],
            &[],
            Some(definition(
                json!({"taskGroupId": group, "schedulerId": "s"})
            ))
        )),
        409
    );
    let cancelled = json(go(
        &q,
        "cancelTaskGroup",
        &[("taskGroupId", &group)],
        &[],
        None,
    ));
    assert_eq!(
        (
            cancelled["taskGroupSize"].as_u64(),
            cancelled["cancelledCount"].as_u64()
        ),
        (Some(7), Some(7))
    );
    let pending = json(go(
        &q,
        "pendingTasks",
        &[("taskQueueId", "prov/worker-type")],
        &[],
        None,
    ));
    assert_eq!(pending["pendingTasks"], 0);
    check_messages(&published);
    let all = exchanges(&published);
    assert_eq!(
        all.iter().filter(|e| *e == "task-group-resolved").count(),
        1
    );
    assert_eq!(all.iter().filter(|e| *e == "task-group-sealed").count(), 1);
}
