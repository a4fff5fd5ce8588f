//! Credential rotation over real HTTP against tc-fake: a client built with a
//! `CredentialsSource` asks it for credentials when it has none, when its
//! temporary credentials come near their expiry, and after a 401 caused by
//! temporary credentials the service no longer takes, retrying that request
//! once. The source here mints real temporary credentials from tc-fake's root
//! client, each generation carrying a scope that names it, and
//! `auth.currentScopes` tells which generation signed a request.

mod wire_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tc_client::auth::Auth;
use tc_client::{Credentials, Error, Service, Time, credentials_source};
use tc_fake::TcFake;
use wire_common::{api_failure, root_creds};

/// The lifetime of one generation of temporary credentials: `Some(d)`
/// expires `d` from now, `None` expired an hour ago.
type Lifetime = Option<Duration>;

/// A source minting generation `n` (from 1) with `lifetimes[n - 1]` (the
/// last entry repeats), counting how often it was asked.
struct Minter {
    issuer: Credentials,
    lifetimes: Vec<Lifetime>,
    asked: AtomicUsize,
}

impl Minter {
    fn new(tc: &TcFake, lifetimes: Vec<Lifetime>) -> Arc<Minter> {
        Arc::new(Minter {
            issuer: root_creds(tc),
            lifetimes,
            asked: AtomicUsize::new(0),
        })
    }

    fn mint(&self) -> Result<Credentials, Error> {
        let generation = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        let lifetime = self.lifetimes[(generation - 1).min(self.lifetimes.len() - 1)];
        let now = Time::now();
        let (start, expiry) = match lifetime {
            Some(lifetime) => (
                now.checked_sub(Duration::from_secs(60)).unwrap(),
                now.checked_add(lifetime).unwrap(),
            ),
            None => (
                now.checked_sub(Duration::from_secs(7200)).unwrap(),
                now.checked_sub(Duration::from_secs(3600)).unwrap(),
            ),
        };
        self.issuer
            .temp_creds_builder([format!("test:generation:{generation}"), "auth:*".into()])
            .start(start)
            .expiry(expiry)
            .build()
    }

    fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }

    /// An `Auth` client on `tc` taking its credentials from this minter.
    fn client(self: &Arc<Self>, tc: &TcFake, margin: Duration) -> Auth {
        let minter = Arc::clone(self);
        Auth::builder()
            .root_url(tc.root_url())
            .credentials_source(credentials_source::from_fn(move || {
                let minter = Arc::clone(&minter);
                async move { minter.mint() }
            }))
            .credentials_refresh_margin(margin)
            .build()
            .unwrap()
    }
}

/// The generation whose credentials signed an `auth.currentScopes` call.
async fn generation(auth: &Auth) -> Result<u32, Error> {
    let scopes = auth.current_scopes().await?;
    let generations: Vec<u32> = scopes
        .scopes
        .iter()
        .filter_map(|s| s.as_str().strip_prefix("test:generation:"))
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(generations.len(), 1, "{:?}", scopes.scopes);
    Ok(generations[0])
}

#[tokio::test]
async fn fresh_credentials_are_asked_for_once_and_shared_by_concurrent_calls() {
    let tc = tc_fake::start().await.unwrap();
    let minter = Minter::new(&tc, vec![Some(Duration::from_secs(3600))]);
    let auth = minter.client(&tc, Duration::from_secs(60));
    assert!(
        Service::client(&auth).credentials().is_none(),
        "nothing asked yet"
    );

    let calls = (0..16).map(|_| generation(&auth));
    let generations = futures_util::future::try_join_all(calls).await.unwrap();
    assert!(generations.iter().all(|&g| g == 1), "{generations:?}");
    for _ in 0..5 {
        assert_eq!(generation(&auth).await.unwrap(), 1);
    }
    assert_eq!(minter.asked(), 1, "one answer serves every call");
    assert_eq!(tc.requests("auth", "currentScopes"), 21, "no call retried");
    assert!(
        Service::client(&auth)
            .credentials()
            .unwrap()
            .certificate()
            .is_some()
    );
}

#[tokio::test]
async fn credentials_near_their_expiry_are_replaced_before_the_next_request() {
    let tc = tc_fake::start().await.unwrap();
    let minter = Minter::new(
        &tc,
        vec![
            Some(Duration::from_secs(4)),
            Some(Duration::from_secs(3600)),
        ],
    );
    let auth = minter.client(&tc, Duration::from_secs(2));

    assert_eq!(
        generation(&auth).await.unwrap(),
        1,
        "4 s left: more than the margin"
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        generation(&auth).await.unwrap(),
        2,
        "1.5 s left: within the margin"
    );
    assert_eq!(generation(&auth).await.unwrap(), 2);
    assert_eq!(minter.asked(), 2);
    assert_eq!(
        tc.requests("auth", "currentScopes"),
        3,
        "replaced before sending: no request was refused"
    );
}

#[tokio::test]
async fn a_401_for_expired_temporary_credentials_is_retried_once_with_new_ones() {
    let tc = tc_fake::start().await.unwrap();
    // The first answer is already expired by the server's clock (as when
    // the source's clock runs behind the deployment's).
    let minter = Minter::new(&tc, vec![None, Some(Duration::from_secs(3600))]);
    let auth = minter.client(&tc, Duration::ZERO);

    assert_eq!(generation(&auth).await.unwrap(), 2);
    assert_eq!(minter.asked(), 2);
    assert_eq!(
        tc.requests("auth", "currentScopes"),
        2,
        "refused once, then accepted"
    );
    assert_eq!(
        generation(&auth).await.unwrap(),
        2,
        "the new answer stays in use"
    );
    assert_eq!(minter.asked(), 2);
}

#[tokio::test]
async fn a_source_that_keeps_answering_expired_credentials_gets_one_retry_only() {
    let tc = tc_fake::start().await.unwrap();
    let minter = Minter::new(&tc, vec![None]);
    let auth = minter.client(&tc, Duration::ZERO);

    let error = generation(&auth).await.unwrap_err();
    let failure = api_failure(&error);
    assert_eq!(failure.status, 401, "{error}");
    assert!(failure.message.contains("expired"), "{error}");
    assert_eq!(minter.asked(), 2);
    assert_eq!(
        tc.requests("auth", "currentScopes"),
        2,
        "one retry, no more"
    );
}

#[tokio::test]
async fn a_401_for_permanent_credentials_is_not_retried() {
    let tc = tc_fake::start().await.unwrap();
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let auth = Auth::builder()
        .root_url(tc.root_url())
        .credentials_source(credentials_source::from_fn(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok(Credentials::new("static/tc-tests/nobody", "wrong-token")) }
        }))
        .build()
        .unwrap();

    let error = auth.current_scopes().await.unwrap_err();
    assert_eq!(api_failure(&error).status, 401, "{error}");
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    assert_eq!(tc.requests("auth", "currentScopes"), 1);
}

#[tokio::test]
async fn a_failing_source_fails_the_call_with_its_error_and_sends_nothing() {
    let tc = tc_fake::start().await.unwrap();
    let auth = Auth::builder()
        .root_url(tc.root_url())
        .credentials_source(credentials_source::from_fn(|| async {
            Err(Error::Credentials("the vault is sealed".into()))
        }))
        .build()
        .unwrap();

    let error = auth.current_scopes().await.unwrap_err();
    assert!(
        matches!(&error, Error::Credentials(m) if m == "the vault is sealed"),
        "{error:?}"
    );
    assert_eq!(tc.requests("auth", "currentScopes"), 0);
}

#[tokio::test]
async fn signed_urls_use_the_credentials_the_source_answered() {
    let tc = tc_fake::start().await.unwrap();
    let minter = Minter::new(&tc, vec![Some(Duration::from_secs(3600))]);
    let auth = minter.client(&tc, Duration::from_secs(60));

    let error = auth
        .current_scopes_signed_url(Duration::from_secs(60))
        .unwrap_err();
    assert!(
        matches!(&error, Error::Credentials(m) if m.contains("refresh_credentials")),
        "{error:?}"
    );

    let credentials = Service::client(&auth)
        .refresh_credentials()
        .await
        .unwrap()
        .unwrap();
    assert!(credentials.certificate().is_some());
    let url = auth
        .current_scopes_signed_url(Duration::from_secs(60))
        .unwrap();
    let body = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let scopes = body["scopes"].as_array().unwrap();
    assert!(scopes.iter().any(|s| s == "test:generation:1"), "{body}");
    assert_eq!(minter.asked(), 1);
}
