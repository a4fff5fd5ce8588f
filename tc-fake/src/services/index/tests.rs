// Included from mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the index service: insertion, lookups, listings and expiry.

use super::*;
use crate::services::auth::Auth;
use crate::services::testing::{call, json, status};

fn index() -> Index {
    let auth = Auth::new(
        vec![crate::static_client::StaticClient {
            client_id: "static/index".into(),
            access_token: "index-token".into(),
            scopes: vec!["queue:get-artifact:*".into()],
        }],
        vec![],
    );
    Index::new(auth.signer())
}

fn go(
    i: &Index,
    name: &str,
    args: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
) -> Result<Response, ApiError> {
    call(i, "index", name, args, query, body)
}

fn insert(i: &Index, path: &str, task_id: &str, rank: f64, expires_ms: i64) -> Value {
    json(go(
        i,
        "insertTask",
        &[("namespace", path)],
        &[],
        Some(json!({
            "taskId": task_id, "rank": rank, "data": {"path": path}, "expires": format_ms(expires_ms),
        })),
    ))
}

#[test]
fn rank_semantics() {
    let i = index();
    let (a, b, c) = (slugid::nice(), slugid::nice(), slugid::nice());
    let later = now_ms() + 3_600_000;
    let first = insert(&i, "proj.app.latest", &a, 10.0, later);
    assert_eq!(first["namespace"], "proj.app.latest");
    assert_eq!(first["taskId"], a.as_str());
    // Lower rank: ignored, existing entry answered.
    let lower = insert(&i, "proj.app.latest", &b, 5.0, later);
    assert_eq!(lower["taskId"], a.as_str());
    // Equal rank replaces.
    let equal = insert(&i, "proj.app.latest", &b, 10.0, later);
    assert_eq!(equal["taskId"], b.as_str());
    let higher = insert(&i, "proj.app.latest", &c, 11.0, later);
    assert_eq!(higher["taskId"], c.as_str());
    let found = json(go(
        &i,
        "findTask",
        &[("indexPath", "proj.app.latest")],
        &[],
        None,
    ));
    assert_eq!(found["taskId"], c.as_str());
    assert_eq!(found["rank"], 11.0);
    assert_eq!(
        status(go(
            &i,
            "findTask",
            &[("indexPath", "proj.app.nope")],
            &[],
            None
        )),
        404
    );
    assert!(matches!(
        go(
            &i,
            "deleteTask",
            &[("namespace", "proj.app.latest")],
            &[],
            None
        ),
        Ok(Response::Empty)
    ));
    assert_eq!(
        status(go(
            &i,
            "findTask",
            &[("indexPath", "proj.app.latest")],
            &[],
            None
        )),
        404
    );
}

#[test]
fn expired_entries_are_not_found_nor_ranked() {
    let i = index();
    let (a, b) = (slugid::nice(), slugid::nice());
    insert(&i, "x.y", &a, 100.0, now_ms() - 1000);
    assert_eq!(
        status(go(&i, "findTask", &[("indexPath", "x.y")], &[], None)),
        404
    );
    let replaced = insert(&i, "x.y", &b, 1.0, now_ms() + 60_000);
    assert_eq!(replaced["taskId"], b.as_str());
}

#[test]
fn namespaces_and_task_listing_page() {
    let i = index();
    let later = now_ms() + 3_600_000;
    for n in 0..7 {
        insert(&i, &format!("root.ns{n}.task"), &slugid::nice(), 0.0, later);
        insert(&i, &format!("root.t{n}"), &slugid::nice(), 0.0, later);
    }
    let top = json(go(&i, "listNamespaces", &[("namespace", "")], &[], None));
    assert_eq!(
        top["namespaces"],
        json!([{
            "namespace": "root", "name": "root",
            "expires": format_ms((later.div_euclid(DAY_MS) + 1) * DAY_MS),
        }])
    );
    for (entry, key, expected) in [
        ("listNamespaces", "namespaces", 7),
        ("listTasks", "tasks", 7),
    ] {
        let mut token: Option<String> = None;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let mut query = vec![("limit", "3")];
            if let Some(t) = &token {
                query.push(("continuationToken", t.as_str()));
            }
            let page = json(go(&i, entry, &[("namespace", "root")], &query, None));
            pages += 1;
            for item in page[key].as_array().unwrap() {
                seen.push(item["namespace"].as_str().unwrap().to_string());
            }
            match page.get("continuationToken") {
                Some(t) => token = Some(t.as_str().unwrap().to_string()),
                None => break,
            }
        }
        assert_eq!(pages, 3, "{entry}");
        assert_eq!(seen.len(), expected, "{entry}");
    }
    let found = json(go(
        &i,
        "findTasksAtIndex",
        &[],
        &[],
        Some(json!({"indexes": ["root.t1", "root.nope", "root.t2"]})),
    ));
    let names: Vec<&str> = found["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["namespace"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["root.t1", "root.t2"]);
}

#[test]
fn find_artifact_redirects_to_a_signed_queue_url() {
    let i = index();
    let task_id = slugid::nice();
    insert(&i, "a.b", &task_id, 0.0, now_ms() + 60_000);
    match go(
        &i,
        "findArtifactFromTask",
        &[("indexPath", "a.b"), ("name", "public/build/x y.zip")],
        &[],
        None,
    ) {
        Ok(Response::Redirect { location, .. }) => {
            let prefix = format!(
                "http://127.0.0.1:1234/api/queue/v1/task/{task_id}/artifacts/public%2Fbuild%2Fx%20y.zip?bewit="
            );
            assert!(location.starts_with(&prefix), "{location}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        status(go(
            &i,
            "findArtifactFromTask",
            &[("indexPath", "a.c"), ("name", "x")],
            &[],
            None
        )),
        404
    );
    // Without any static client: unsigned.
    let bare = Index::new(Auth::new(vec![], vec![]).signer());
    json(go(
        &bare,
        "insertTask",
        &[("namespace", "a.b")],
        &[],
        Some(json!({
            "taskId": task_id, "rank": 0, "data": {}, "expires": format_ms(now_ms() + 60_000),
        })),
    ));
    match go(
        &bare,
        "findArtifactFromTask",
        &[("indexPath", "a.b"), ("name", "x")],
        &[],
        None,
    ) {
        Ok(Response::Redirect { location, .. }) => {
            assert_eq!(
                location,
                format!("http://127.0.0.1:1234/api/queue/v1/task/{task_id}/artifacts/x")
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn scope_params_supply_index_paths() {
    let i = index();
    let caller = crate::services::testing::root();
    let request = Request {
        service: "index",
        entry: crate::services::testing::entry("index", "findTasksAtIndex"),
        args: Default::default(),
        query: Default::default(),
        body: Some(json!({"indexes": ["a.b", "c"]})),
        caller: &caller,
        root_url: "http://x",
    };
    assert_eq!(
        crate::services::registry::scope_params(&i, &request)["indexPaths"],
        json!(["a.b", "c"])
    );
}
