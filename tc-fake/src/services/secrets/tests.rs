// Included from mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of the secrets service: set, get, expiry and listing.

use super::*;
use crate::services::testing::{call, json, status};

fn go(
    s: &Secrets,
    name: &str,
    args: &[(&str, &str)],
    query: &[(&str, &str)],
    body: Option<Value>,
) -> Result<Response, ApiError> {
    call(s, "secrets", name, args, query, body)
}

#[test]
fn set_get_remove() {
    let s = Secrets::new();
    assert_eq!(status(go(&s, "get", &[("name", "a/b")], &[], None)), 404);
    let expires = format_ms(now_ms() + 60_000);
    let answer = go(
        &s,
        "set",
        &[("name", "a/b")],
        &[],
        Some(json!({"secret": {"k": "v"}, "expires": expires})),
    );
    assert!(matches!(answer, Ok(Response::Empty)));
    let got = json(go(&s, "get", &[("name", "a/b")], &[], None));
    assert_eq!(got, json!({"secret": {"k": "v"}, "expires": expires}));
    // Overwrite.
    go(
        &s,
        "set",
        &[("name", "a/b")],
        &[],
        Some(json!({"secret": {"k": 2}, "expires": expires})),
    )
    .unwrap();
    assert_eq!(
        json(go(&s, "get", &[("name", "a/b")], &[], None))["secret"]["k"],
        2
    );
    assert!(matches!(
        go(&s, "remove", &[("name", "a/b")], &[], None),
        Ok(Response::Empty)
    ));
    assert!(matches!(
        go(&s, "remove", &[("name", "a/b")], &[], None),
        Ok(Response::Empty)
    ));
    assert_eq!(status(go(&s, "get", &[("name", "a/b")], &[], None)), 404);
}

#[test]
fn expired_secrets_answer_410() {
    let s = Secrets::new();
    let past = format_ms(now_ms() - 1000);
    go(
        &s,
        "set",
        &[("name", "old")],
        &[],
        Some(json!({"secret": {}, "expires": past})),
    )
    .unwrap();
    let err = go(&s, "get", &[("name", "old")], &[], None).unwrap_err();
    assert_eq!((err.status, err.code), (410, "ResourceExpired"));
    // Setting it again revives it.
    let future = format_ms(now_ms() + 60_000);
    go(
        &s,
        "set",
        &[("name", "old")],
        &[],
        Some(json!({"secret": {"x": 1}, "expires": future})),
    )
    .unwrap();
    assert_eq!(
        json(go(&s, "get", &[("name", "old")], &[], None))["secret"]["x"],
        1
    );
}

#[test]
fn list_pages() {
    let s = Secrets::new();
    let expires = format_ms(now_ms() + 60_000);
    for i in 0..8 {
        go(
            &s,
            "set",
            &[("name", &format!("s{i}"))],
            &[],
            Some(json!({"secret": {}, "expires": expires})),
        )
        .unwrap();
    }
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = vec![("limit", "3")];
        if let Some(t) = &token {
            query.push(("continuationToken", t.as_str()));
        }
        let page = json(go(&s, "list", &[], &query, None));
        pages += 1;
        names.extend(
            page["secrets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string()),
        );
        match page.get("continuationToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, (0..8).map(|i| format!("s{i}")).collect::<Vec<_>>());
    assert_eq!(
        status(go(&s, "list", &[], &[("continuationToken", "bad!")], None)),
        400
    );
}
