//! Authentication failures over real HTTP against tc-fake: each fails with
//! `Error::Api { status: 401, .. }` (and is not retried), while the same call
//! with correct credentials succeeds; and a client configured for
//! taskcluster-proxy sends its requests unsigned.

mod wire_common;

use std::time::Duration;

use tc_client::auth::Auth;
use tc_client::queue::Queue;
use tc_client::{Credentials, Error, Service, Time};
use tc_fake::TcFake;
use wire_common::{
    api_failure, client_with, create_task, nothing_public, quick_retries, root_creds,
};

/// `auth.currentScopes` signed with `credentials`, retrying like a real
/// client would (so the tests also show a 401 is never retried); without
/// `assume:anonymous`, which every caller holds.
async fn current_scopes(tc: &TcFake, credentials: Credentials) -> Result<Vec<String>, Error> {
    let auth: Auth = client_with(tc, Some(credentials), quick_retries());
    let scopes = auth.current_scopes().await?;
    let mut scopes: Vec<String> = scopes
        .scopes
        .iter()
        .map(|s| s.as_str().to_owned())
        .filter(|s| s != "assume:anonymous")
        .collect();
    scopes.sort();
    Ok(scopes)
}

/// A 401 `AuthenticationFailed` after one attempt whose message contains `why`.
fn assert_unauthenticated(error: &Error, why: &str) {
    let failure = api_failure(error);
    assert_eq!(failure.status, 401, "{error}");
    assert_eq!(failure.code, "AuthenticationFailed", "{error}");
    assert_eq!(failure.attempts, 1, "a 401 is not retried: {error}");
    assert!(
        failure.message.contains(why),
        "expected {why:?} in: {error}"
    );
}

#[tokio::test]
async fn a_wrong_access_token_fails_with_401_and_is_not_retried() {
    let tc = nothing_public().start().await.unwrap();
    let (id, token) = tc.root_credentials();
    assert_eq!(
        current_scopes(&tc, Credentials::new(&id, &token))
            .await
            .unwrap(),
        ["*"]
    );

    let wrong = format!("{token}x");
    let error = current_scopes(&tc, Credentials::new(&id, wrong))
        .await
        .unwrap_err();
    assert_unauthenticated(&error, "");
    let error = current_scopes(&tc, Credentials::new("project/nobody", token))
        .await
        .unwrap_err();
    assert_unauthenticated(&error, "project/nobody");
    assert_eq!(tc.requests("auth", "currentScopes"), 3);
}

#[tokio::test]
async fn expired_temporary_credentials_fail_with_401() {
    let tc = nothing_public().start().await.unwrap();
    let root = root_creds(&tc);
    let scopes = ["auth:current-scopes", "secrets:get:project/wire/*"];

    // Control: the same builder with a window around now works.
    let current = root
        .temp_creds_builder(scopes)
        .start(Time::now() - Duration::from_secs(60))
        .expiry(Time::from_now("1 hour").unwrap())
        .build()
        .unwrap();
    assert_eq!(current_scopes(&tc, current).await.unwrap(), scopes);

    // An hour ago, for a minute: well past the 5 minutes of allowed skew.
    let past = Time::now() - Duration::from_secs(3600);
    let expired = root
        .temp_creds_builder(scopes)
        .start(past)
        .expiry(past + Duration::from_secs(60))
        .build()
        .unwrap();
    let error = current_scopes(&tc, expired).await.unwrap_err();
    assert_unauthenticated(&error, "expired");
    assert_eq!(tc.requests("auth", "currentScopes"), 2);
}

/// Replaces the certificate of `creds` by `edit` of its JSON, keeping the
/// signature, client id and access token.
fn tampered(
    creds: &Credentials,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Credentials {
    let mut certificate: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(creds.certificate().unwrap()).unwrap();
    edit(&mut certificate);
    Credentials::new(creds.client_id(), creds.access_token())
        .with_certificate(serde_json::to_string(&certificate).unwrap())
}

#[tokio::test]
async fn a_tampered_certificate_fails_with_401_for_its_signature() {
    let tc = nothing_public().start().await.unwrap();
    let temp = root_creds(&tc)
        .create_temp_creds(
            Duration::from_secs(3600),
            ["auth:current-scopes", "secrets:get:project/wire/a"],
        )
        .unwrap();
    // Control: the certificate as issued, and re-serialized unchanged.
    assert_eq!(
        current_scopes(&tc, temp.clone()).await.unwrap(),
        ["auth:current-scopes", "secrets:get:project/wire/a"]
    );
    assert_eq!(
        current_scopes(&tc, tampered(&temp, |_| {})).await.unwrap(),
        ["auth:current-scopes", "secrets:get:project/wire/a"]
    );

    // A scope widened inside the certificate (the issuer holds `*`, so only
    // the signature can catch it).
    let widened = tampered(&temp, |cert| {
        cert["scopes"][1] = "secrets:get:*".into();
    });
    let error = current_scopes(&tc, widened).await.unwrap_err();
    assert_unauthenticated(&error, "signature");

    // The expiry pushed back.
    let prolonged = tampered(&temp, |cert| {
        let expiry = cert["expiry"].as_i64().unwrap();
        cert["expiry"] = (expiry + 24 * 3600 * 1000).into();
    });
    let error = current_scopes(&tc, prolonged).await.unwrap_err();
    assert_unauthenticated(&error, "signature");
    assert_eq!(tc.requests("auth", "currentScopes"), 4);
}

#[tokio::test]
async fn temporary_credentials_with_scopes_their_issuer_lacks_fail_with_401() {
    let tc = nothing_public()
        .client(
            "project/wire/issuer",
            "issuer-token",
            ["auth:current-scopes"],
        )
        .start()
        .await
        .unwrap();
    let issuer = Credentials::new("project/wire/issuer", "issuer-token");
    let fine = issuer
        .create_temp_creds(Duration::from_secs(60), ["auth:current-scopes"])
        .unwrap();
    assert_eq!(
        current_scopes(&tc, fine).await.unwrap(),
        ["auth:current-scopes"]
    );
    let greedy = issuer
        .create_temp_creds(Duration::from_secs(60), ["auth:current-scopes", "queue:*"])
        .unwrap();
    let error = current_scopes(&tc, greedy).await.unwrap_err();
    assert_unauthenticated(&error, "doesn't satisfy");
}

#[tokio::test]
async fn temporary_credentials_keep_their_issuers_authorized_scopes() {
    let tc = nothing_public()
        .client(
            "project/wire/issuer",
            "issuer-token",
            ["auth:current-scopes", "secrets:get:a", "secrets:get:b"],
        )
        .start()
        .await
        .unwrap();
    let restricted = Credentials::new("project/wire/issuer", "issuer-token")
        .with_authorized_scopes(["auth:current-scopes", "secrets:get:a"]);
    let temporary = restricted
        .create_temp_creds(
            Duration::from_secs(60),
            ["auth:current-scopes", "secrets:get:a", "secrets:get:b"],
        )
        .unwrap();
    assert_eq!(
        temporary.authorized_scopes(),
        restricted.authorized_scopes()
    );
    // The deployment sees the restriction: `secrets:get:b` is in the certificate
    // but not usable.
    assert_eq!(
        current_scopes(&tc, temporary).await.unwrap(),
        ["auth:current-scopes", "secrets:get:a"]
    );
}

#[tokio::test]
async fn a_client_built_with_a_proxy_url_sends_no_authorization_even_when_given_credentials() {
    let tc = nothing_public().start().await.unwrap();
    let task_id = create_task(&tc).await;

    // Signed with the root credentials, the call succeeds.
    let signed: Queue = client_with(&tc, Some(root_creds(&tc)), quick_retries());
    signed.status(&task_id).await.unwrap();

    let proxied: Queue = Queue::builder()
        .credentials(root_creds(&tc))
        .proxy_url(tc.root_url())
        .retry(quick_retries())
        .build()
        .unwrap();
    assert!(proxied.client().credentials().is_none());
    proxied.ping().await.unwrap();
    // Unsigned, the fake sees an anonymous caller: a scoped call is refused.
    let error = proxied.status(&task_id).await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (403, "InsufficientScopes"),
        "{error}"
    );
}
