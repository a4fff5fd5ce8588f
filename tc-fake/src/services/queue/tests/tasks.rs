// Included from tests/mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the queue's tasks.

use super::*;

#[test]
fn create_task_validation_and_scope_params() {
    let (q, _) = queue();
    let task_id = slugid::nice();
    let mut def = definition(json!({}));
    def.as_object_mut().unwrap().remove("taskQueueId");
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(def.clone())
        )),
        400
    );
    def["provisionerId"] = json!("p");
    def["workerType"] = json!("w");
    def["taskQueueId"] = json!("p/other");
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(def.clone())
        )),
        400
    );
    let past = definition(json!({"deadline": format_ms(now_ms() - 1000)}));
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(past)
        )),
        400
    );
    let far = definition(json!({"deadline": format_ms(now_ms() + 6 * 86_400_000)}));
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(far)
        )),
        400
    );
    let old = definition(json!({"created": format_ms(now_ms() - 3_600_000)}));
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(old)
        )),
        400
    );
    let missing_dep = definition(json!({"dependencies": [slugid::nice()]}));
    assert_eq!(
        status(go(
            &q,
            "createTask",
            &[("taskId", &task_id)],
            &[],
            Some(missing_dep)
        )),
        400
    );
    assert_eq!(
        status(go(&q, "status", &[("taskId", &task_id)], &[], None)),
        404
    );

    let caller = crate::services::testing::root();
    let mut body =
        definition(json!({"priority": "high", "schedulerId": "sched", "projectId": "proj"}));
    body.as_object_mut().unwrap().remove("taskQueueId");
    body["provisionerId"] = json!("p");
    body["workerType"] = json!("w");
    let request = Request {
        service: "queue",
        entry: crate::services::testing::entry("queue", "createTask"),
        args: [("taskId".to_string(), task_id.clone())]
            .into_iter()
            .collect(),
        query: Default::default(),
        body: Some(body),
        caller: &caller,
        root_url: "http://x",
    };
    let params = crate::services::registry::scope_params(&q, &request);
    assert_eq!(
        params["priorities"],
        json!(["highest", "very-high", "high"])
    );
    assert_eq!(params["taskQueueId"], "p/w");
    assert_eq!(params["taskGroupId"], task_id.as_str());
    assert_eq!(params["scopes"], json!([]));
    assert_eq!(params["routes"], json!(["index.a.b"]));
    let expr = crate::services::testing::entry("queue", "createTask")
        .scopes
        .clone()
        .unwrap();
    let have = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let base = [
        "queue:route:index.a.b",
        "queue:create-task:project:proj",
        "queue:scheduler-id:sched",
    ];
    let mut with_higher = have(&base);
    with_higher.push("queue:create-task:highest:p/w".into());
    assert!(crate::authentication::scopes::evaluate(&expr, &params, &with_higher).is_ok());
    let mut with_lower = have(&base);
    with_lower.push("queue:create-task:low:p/w".into());
    assert!(crate::authentication::scopes::evaluate(&expr, &params, &with_lower).is_err());

    // Task-derived parameters.
    let created = create(
        &q,
        &task_id,
        json!({"schedulerId": "sched", "projectId": "proj"}),
    );
    assert_eq!(created["schedulerId"], "sched");
    let request = Request {
        entry: crate::services::testing::entry("queue", "cancelTask"),
        body: None,
        ..request
    };
    let params = crate::services::registry::scope_params(&q, &request);
    assert_eq!(
        (
            params["schedulerId"].as_str(),
            params["taskGroupId"].as_str(),
            params["projectId"].as_str()
        ),
        (Some("sched"), Some(task_id.as_str()), Some("proj"))
    );
    assert!(
        crate::authentication::scopes::evaluate(
            crate::services::testing::entry("queue", "cancelTask")
                .scopes
                .as_ref()
                .unwrap(),
            &params,
            &[format!("queue:cancel-task:sched/{task_id}/{task_id}")]
        )
        .is_ok()
    );
}

#[test]
fn dependencies_schedule_dependents() {
    let (q, published) = queue();
    let (a, b, c, d) = (
        slugid::nice(),
        slugid::nice(),
        slugid::nice(),
        slugid::nice(),
    );
    create(&q, &a, json!({}));
    let group = json!(a);
    assert_eq!(
        create(&q, &b, json!({"dependencies": [a], "taskGroupId": group}))["state"],
        "unscheduled"
    );
    assert_eq!(
        create(
            &q,
            &c,
            json!({"dependencies": [a], "requires": "all-resolved", "taskGroupId": group})
        )["state"],
        "unscheduled"
    );
    let deps = json(go(&q, "listDependentTasks", &[("taskId", &a)], &[], None));
    assert_eq!(deps["tasks"].as_array().unwrap().len(), 2);
    let page = json(go(
        &q,
        "listDependentTasks",
        &[("taskId", &a)],
        &[("limit", "1")],
        None,
    ));
    assert_eq!(page["tasks"][0]["status"]["taskId"], b.as_str());
    assert!(page.get("continuationToken").is_some());

    // A fails: only the all-resolved dependent runs.
    let claim = claim_one(&q);
    assert_eq!(claim["status"]["taskId"], a.as_str());
    json(go(&q, "reportFailed", &run_args(&a, "0"), &[], None));
    assert_eq!(
        json(go(&q, "status", &[("taskId", &b)], &[], None))["status"]["state"],
        "unscheduled"
    );
    assert_eq!(
        json(go(&q, "status", &[("taskId", &c)], &[], None))["status"]["state"],
        "pending"
    );

    // A rerun and completed: B runs now.
    assert_eq!(
        json(go(&q, "rerunTask", &[("taskId", &a)], &[], None))["status"]["runs"][1]["reasonCreated"],
        "rerun"
    );
    let claim = claim_one(&q);
    let claimed = claim["status"]["taskId"].as_str().unwrap().to_string();
    let other = claim_one(&q);
    let other_id = other["status"]["taskId"].as_str().unwrap().to_string();
    let run_of = |id: &str| if id == a { "1" } else { "0" };
    json(go(
        &q,
        "reportCompleted",
        &run_args(&claimed, run_of(&claimed)),
        &[],
        None,
    ));
    json(go(
        &q,
        "reportCompleted",
        &run_args(&other_id, run_of(&other_id)),
        &[],
        None,
    ));
    assert_eq!(
        json(go(&q, "status", &[("taskId", &b)], &[], None))["status"]["state"],
        "pending"
    );

    // Self-dependency waits for scheduleTask.
    assert_eq!(
        create(&q, &d, json!({"dependencies": [d]}))["state"],
        "unscheduled"
    );
    assert_eq!(
        json(go(&q, "scheduleTask", &[("taskId", &d)], &[], None))["status"]["state"],
        "pending"
    );
    assert_eq!(
        json(go(&q, "scheduleTask", &[("taskId", &d)], &[], None))["status"]["runs"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    check_messages(&published);
}
