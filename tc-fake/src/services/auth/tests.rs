// Included from mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the auth service: clients, roles, scope expansion and the scope parameters of its entries.

use super::*;
use crate::authentication::caller::Caller;
use crate::services::testing::{call, call_as, json, status};

fn auth() -> Auth {
    Auth::new(
        vec![crate::static_client::StaticClient {
            client_id: "static/root".into(),
            access_token: "root-token".into(),
            scopes: vec!["*".into()],
        }],
        vec![
            (
                "project:a".into(),
                vec!["secrets:get:a/*".into(), "assume:project:b".into()],
            ),
            ("project:b".into(), vec!["index:find-task:b.*".into()]),
        ],
    )
}

fn go(
    a: &Auth,
    name: &str,
    args: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
) -> Result<Response, ApiError> {
    call(a, "auth", name, args, query, body)
}

fn in_a_day() -> String {
    format_ms(now_ms() + 86_400_000)
}

#[test]
fn client_lifecycle() {
    let a = auth();
    let created = json(go(
        &a,
        "createClient",
        &[("clientId", "me/test")],
        &[],
        Some(json!({
            "description": "test client", "expires": in_a_day(), "scopes": ["assume:project:a", "queue:x"],
        })),
    ));
    let token = created["accessToken"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 44);
    let expanded = string_list(created.get("expandedScopes"));
    assert!(expanded.contains(&"secrets:get:a/*".to_string()));
    assert!(expanded.contains(&"index:find-task:b.*".to_string()));

    // Directory sees it.
    let record = Directory::client(&a, "me/test").unwrap();
    assert_eq!(record.access_token, token);
    assert!(!record.disabled);

    // Idempotent repeat returns the same token; a different one conflicts.
    let again = json(go(
        &a,
        "createClient",
        &[("clientId", "me/test")],
        &[],
        Some(json!({
            "description": "test client", "expires": created["expires"], "scopes": ["assume:project:a", "queue:x"],
        })),
    ));
    assert_eq!(again["accessToken"], created["accessToken"]);
    assert_eq!(
        status(go(
            &a,
            "createClient",
            &[("clientId", "me/test")],
            &[],
            Some(json!({
                "description": "other", "expires": in_a_day(),
            }))
        )),
        409
    );

    let got = json(go(&a, "client", &[("clientId", "me/test")], &[], None));
    assert!(got.get("accessToken").is_none());
    assert_eq!(got["description"], "test client");

    let updated = json(go(
        &a,
        "updateClient",
        &[("clientId", "me/test")],
        &[],
        Some(json!({
            "description": "new description", "expires": in_a_day(),
        })),
    ));
    assert_eq!(updated["description"], "new description");
    assert_eq!(updated["scopes"], json!(["assume:project:a", "queue:x"]));

    let disabled = json(go(
        &a,
        "disableClient",
        &[("clientId", "me/test")],
        &[],
        None,
    ));
    assert_eq!(disabled["disabled"], true);
    assert!(Directory::client(&a, "me/test").unwrap().disabled);
    let enabled = json(go(
        &a,
        "enableClient",
        &[("clientId", "me/test")],
        &[],
        None,
    ));
    assert_eq!(enabled["disabled"], false);

    let reset = json(go(
        &a,
        "resetAccessToken",
        &[("clientId", "me/test")],
        &[],
        None,
    ));
    assert_ne!(reset["accessToken"], created["accessToken"]);
    assert_eq!(
        Directory::client(&a, "me/test").unwrap().access_token,
        reset["accessToken"].as_str().unwrap()
    );

    assert!(matches!(
        go(&a, "deleteClient", &[("clientId", "me/test")], &[], None),
        Ok(Response::Empty)
    ));
    assert_eq!(
        status(go(&a, "client", &[("clientId", "me/test")], &[], None)),
        404
    );
    assert!(Directory::client(&a, "me/test").is_none());
    assert_eq!(
        status(go(
            &a,
            "resetAccessToken",
            &[("clientId", "me/test")],
            &[],
            None
        )),
        404
    );
    assert_eq!(
        status(go(
            &a,
            "updateClient",
            &[("clientId", "nope")],
            &[],
            Some(json!({
                "description": "x", "expires": in_a_day(),
            }))
        )),
        404
    );
}

#[test]
fn static_clients_are_read_only() {
    let a = auth();
    let got = json(go(&a, "client", &[("clientId", "static/root")], &[], None));
    assert_eq!(got["expandedScopes"], json!(["*"]));
    assert_eq!(
        Directory::client(&a, "static/root").unwrap().access_token,
        "root-token"
    );
    let body = json!({"description": "x", "expires": in_a_day()});
    for name in ["updateClient", "createClient"] {
        assert_eq!(
            status(go(
                &a,
                name,
                &[("clientId", "static/root")],
                &[],
                Some(body.clone())
            )),
            400
        );
    }
    for name in [
        "resetAccessToken",
        "deleteClient",
        "disableClient",
        "enableClient",
    ] {
        assert_eq!(
            status(go(&a, name, &[("clientId", "static/root")], &[], None)),
            400
        );
    }
    assert_eq!(
        status(go(
            &a,
            "createClient",
            &[("clientId", "static/other")],
            &[],
            Some(body)
        )),
        400
    );
}

#[test]
fn list_clients_pages_and_filters() {
    let a = auth();
    for i in 0..7 {
        go(
            &a,
            "createClient",
            &[("clientId", &format!("p/{i}"))],
            &[],
            Some(json!({
                "description": "x", "expires": in_a_day(),
            })),
        )
        .unwrap();
    }
    let mut token: Option<String> = None;
    let mut ids = Vec::new();
    let mut pages = 0;
    loop {
        let mut query = vec![("prefix", "p/"), ("limit", "3")];
        if let Some(t) = &token {
            query.push(("continuationToken", t.as_str()));
        }
        let page = json(go(&a, "listClients", &[], &query, None));
        pages += 1;
        for c in page["clients"].as_array().unwrap() {
            ids.push(c["clientId"].as_str().unwrap().to_string());
        }
        match page.get("continuationToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(ids, (0..7).map(|i| format!("p/{i}")).collect::<Vec<_>>());
    let all = json(go(&a, "listClients", &[], &[], None));
    assert_eq!(all["clients"].as_array().unwrap().len(), 8);
    assert!(all.get("continuationToken").is_none());
}

#[test]
fn role_lifecycle_and_expansion() {
    let a = auth();
    let role = json(go(&a, "role", &[("roleId", "project:a")], &[], None));
    assert_eq!(
        role["expandedScopes"],
        json!([
            "assume:project:a",
            "assume:project:b",
            "index:find-task:b.*",
            "secrets:get:a/*"
        ])
    );
    let created = json(go(
        &a,
        "createRole",
        &[("roleId", "worker:*")],
        &[],
        Some(json!({
            "description": "workers", "scopes": ["queue:claim-work:*"],
        })),
    ));
    assert_eq!(created["scopes"], json!(["queue:claim-work:*"]));
    // Same again is fine, different conflicts.
    go(
        &a,
        "createRole",
        &[("roleId", "worker:*")],
        &[],
        Some(json!({
            "description": "workers", "scopes": ["queue:claim-work:*"],
        })),
    )
    .unwrap();
    assert_eq!(
        status(go(
            &a,
            "createRole",
            &[("roleId", "worker:*")],
            &[],
            Some(json!({
                "description": "other", "scopes": [],
            }))
        )),
        409
    );
    let expanded = json(go(
        &a,
        "expandScopes",
        &[],
        &[],
        Some(json!({"scopes": ["assume:worker:x"]})),
    ));
    assert!(string_list(expanded.get("scopes")).contains(&"queue:claim-work:*".to_string()));
    assert!(
        Directory::expand(&a, &["assume:worker:y".into()])
            .contains(&"queue:claim-work:*".to_string())
    );

    let updated = json(go(
        &a,
        "updateRole",
        &[("roleId", "worker:*")],
        &[],
        Some(json!({
            "description": "workers 2", "scopes": ["queue:claim-work:a/*"],
        })),
    ));
    assert_eq!(updated["description"], "workers 2");
    assert_eq!(
        status(go(
            &a,
            "updateRole",
            &[("roleId", "nope")],
            &[],
            Some(json!({
                "description": "x", "scopes": [],
            }))
        )),
        404
    );

    let ids = json(go(&a, "listRoleIds", &[], &[], None));
    assert_eq!(
        ids["roleIds"],
        json!(["project:a", "project:b", "worker:*"])
    );
    let page = json(go(&a, "listRoleIds", &[], &[("limit", "2")], None));
    assert_eq!(page["roleIds"].as_array().unwrap().len(), 2);
    let token = page["continuationToken"].as_str().unwrap().to_string();
    let page2 = json(go(
        &a,
        "listRoles2",
        &[],
        &[("limit", "2"), ("continuationToken", &token)],
        None,
    ));
    assert_eq!(page2["roles"].as_array().unwrap().len(), 1);
    assert!(page2.get("continuationToken").is_none());
    let all = json(go(&a, "listRoles", &[], &[], None));
    assert_eq!(all.as_array().unwrap().len(), 3);

    assert!(matches!(
        go(&a, "deleteRole", &[("roleId", "worker:*")], &[], None),
        Ok(Response::Empty)
    ));
    assert!(matches!(
        go(&a, "deleteRole", &[("roleId", "worker:*")], &[], None),
        Ok(Response::Empty)
    ));
    assert_eq!(
        status(go(&a, "role", &[("roleId", "worker:*")], &[], None)),
        404
    );
}

#[test]
fn current_scopes_and_scope_params() {
    let a = auth();
    let caller = Caller {
        client_id: Some("x".into()),
        scopes: vec!["a".into(), "b".into()],
    };
    let current = json(call_as(
        &a,
        "auth",
        "currentScopes",
        &[],
        &[],
        None,
        &caller,
    ));
    assert_eq!(current["scopes"], json!(["a", "b"]));

    go(
        &a,
        "createClient",
        &[("clientId", "c")],
        &[],
        Some(json!({
            "description": "x", "expires": in_a_day(), "scopes": ["s1"],
        })),
    )
    .unwrap();
    let entry = crate::services::testing::entry("auth", "updateClient");
    let request = Request {
        service: "auth",
        entry,
        args: [("clientId".to_string(), "c".to_string())]
            .into_iter()
            .collect(),
        query: Default::default(),
        body: Some(json!({"description": "x", "expires": in_a_day(), "scopes": ["s1", "s2"]})),
        caller: &caller,
        root_url: "http://x",
    };
    let params = crate::services::registry::scope_params(&a, &request);
    assert_eq!(params["scopesAdded"], json!(["s2"]));
    assert_eq!(params["clientId"], "c");
    let entry = crate::services::testing::entry("auth", "createClient");
    let request = Request {
        entry,
        body: Some(json!({"description": "x", "expires": in_a_day()})),
        ..request
    };
    assert_eq!(
        crate::services::registry::scope_params(&a, &request)["scopes"],
        json!([])
    );
}

#[test]
fn signer_prefers_a_static_client_with_the_scopes() {
    let a = Auth::new(
        vec![
            crate::static_client::StaticClient {
                client_id: "static/small".into(),
                access_token: "t1".into(),
                scopes: vec!["queue:x".into()],
            },
            crate::static_client::StaticClient {
                client_id: "static/big".into(),
                access_token: "t2".into(),
                scopes: vec!["assume:admin".into()],
            },
        ],
        vec![("admin".into(), vec!["*".into()])],
    );
    let signer = a.signer();
    assert_eq!(
        signer.issuer(&["queue:x".into()]).unwrap().0,
        "static/small"
    );
    assert_eq!(signer.issuer(&["queue:y".into()]).unwrap().0, "static/big");
    assert!(Auth::new(vec![], vec![]).signer().issuer(&[]).is_none());
}
