// Included from tests/mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the queue's claims.

use super::*;

#[test]
fn exceptions_retries_cancel_and_timeouts() {
    let (q, published) = queue();
    let t = slugid::nice();
    create(&q, &t, json!({"retries": 1}));
    claim_one(&q);
    let s = json(go(
        &q,
        "reportException",
        &run_args(&t, "0"),
        &[],
        Some(json!({"reason": "worker-shutdown"})),
    ))["status"]
        .clone();
    assert_eq!(s["state"], "pending");
    assert_eq!(s["retriesLeft"], 0);
    assert_eq!(s["runs"][1]["reasonCreated"], "retry");
    // Repeat is idempotent.
    json(go(
        &q,
        "reportException",
        &run_args(&t, "0"),
        &[],
        Some(json!({"reason": "worker-shutdown"})),
    ));
    claim_one(&q);
    let s = json(go(
        &q,
        "reportException",
        &run_args(&t, "1"),
        &[],
        Some(json!({"reason": "intermittent-task"})),
    ))["status"]
        .clone();
    assert_eq!(s["state"], "exception");
    assert_eq!(s["runs"].as_array().unwrap().len(), 2);
    assert_eq!(
        status(go(
            &q,
            "reportException",
            &run_args(&t, "1"),
            &[],
            Some(json!({"reason": "malformed-payload"}))
        )),
        409
    );
    assert_eq!(
        status(go(&q, "reportCompleted", &run_args(&t, "7"), &[], None)),
        404
    );
    assert_eq!(
        status(go(
            &q,
            "reportCompleted",
            &run_args(&slugid::nice(), "0"),
            &[],
            None
        )),
        404
    );

    // Cancel: unscheduled gets an exception run, pending is resolved; idempotent.
    let (u, p) = (slugid::nice(), slugid::nice());
    create(&q, &u, json!({"dependencies": [u]}));
    let s = json(go(&q, "cancelTask", &[("taskId", &u)], &[], None))["status"].clone();
    assert_eq!(
        (
            s["state"].as_str(),
            s["runs"][0]["reasonCreated"].as_str(),
            s["runs"][0]["reasonResolved"].as_str()
        ),
        (Some("exception"), Some("exception"), Some("canceled"))
    );
    create(&q, &p, json!({}));
    let s = json(go(&q, "cancelTask", &[("taskId", &p)], &[], None))["status"].clone();
    assert_eq!(s["runs"][0]["reasonResolved"], "canceled");
    assert_eq!(
        json(go(&q, "cancelTask", &[("taskId", &p)], &[], None))["status"],
        s
    );
    assert_eq!(
        status(go(
            &q,
            "cancelTask",
            &[("taskId", &slugid::nice())],
            &[],
            None
        )),
        404
    );

    // Claim expiry (retried) and deadline (resolved), applied lazily.
    let (e, x) = (slugid::nice(), slugid::nice());
    create(&q, &e, json!({}));
    claim_one(&q);
    create(&q, &x, json!({}));
    {
        let mut data = lock(&q.data);
        if let Some(run) = data.tasks.get_mut(&e).and_then(|t| t.runs.last_mut()) {
            run.taken_until = Some(now_ms() - 1);
        }
        if let Some(task) = data.tasks.get_mut(&x) {
            task.deadline_ms = now_ms() - 1;
        }
    }
    let s = json(go(&q, "status", &[("taskId", &e)], &[], None))["status"].clone();
    assert_eq!(
        (
            s["runs"][0]["reasonResolved"].as_str(),
            s["runs"][1]["reasonCreated"].as_str(),
            s["state"].as_str()
        ),
        (Some("claim-expired"), Some("retry"), Some("pending"))
    );
    let s = json(go(&q, "status", &[("taskId", &x)], &[], None))["status"].clone();
    assert_eq!(
        (s["state"].as_str(), s["runs"][0]["reasonResolved"].as_str()),
        (Some("exception"), Some("deadline-exceeded"))
    );
    assert_eq!(
        status(go(&q, "rerunTask", &[("taskId", &x)], &[], None)),
        409
    );
    check_messages(&published);
}

#[test]
fn claim_task_and_priorities() {
    let (q, _) = queue();
    let (low, high) = (slugid::nice(), slugid::nice());
    create(&q, &low, json!({"priority": "low"}));
    create(&q, &high, json!({"priority": "very-high"}));
    let first = claim_one(&q);
    assert_eq!(first["status"]["taskId"], high.as_str());
    let body = json!({"workerGroup": "wg", "workerId": "other"});
    let claimed = json(go(
        &q,
        "claimTask",
        &run_args(&low, "0"),
        &[],
        Some(body.clone()),
    ));
    assert_eq!(claimed["workerId"], "other");
    // Same worker again: same claim; another worker: conflict.
    json(go(&q, "claimTask", &run_args(&low, "0"), &[], Some(body)));
    assert_eq!(
        status(go(
            &q,
            "claimTask",
            &run_args(&low, "0"),
            &[],
            Some(json!({"workerGroup": "wg", "workerId": "x"}))
        )),
        409
    );
    assert_eq!(
        status(go(
            &q,
            "claimTask",
            &run_args(&low, "4"),
            &[],
            Some(json!({"workerGroup": "wg", "workerId": "x"}))
        )),
        404
    );
    // Without a publisher nothing breaks.
    let blobs = Arc::new(Blobs::new());
    let objects = Arc::new(Objects::new(blobs.clone()));
    let bare = Queue::new(
        Auth::new(vec![], vec![]).signer(),
        objects,
        blobs,
        messages(),
    );
    let t = slugid::nice();
    create(&bare, &t, json!({}));
    let claim = claim_one(&bare);
    assert_eq!(
        claim["credentials"]["clientId"]
            .as_str()
            .unwrap()
            .split('/')
            .next(),
        Some("task-client")
    );
}
