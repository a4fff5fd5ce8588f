//! Generated clients of a tc-fake, and the credentials they sign with.

use std::time::Duration;

use serde_json::Value;
use tc_client::{ClientBuilder, Credentials, RetryPolicy, Service};
use tc_fake::{TcFake, TcFakeBuilder};

/// Installs ring as rustls' crypto provider, which reqwest (built without one) needs
/// for a client of its own; a provider installed already is kept.
pub fn install_crypto_provider() {
    // An error means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The credentials of `tc`'s root client (scope `*`).
pub fn root_credentials(tc: &TcFake) -> Credentials {
    let (id, token) = tc.root_credentials();
    Credentials::new(id, token)
}

/// A client of service `S` on `tc` with `credentials` (or none) and `policy`.
pub fn client_with<S: Service>(
    tc: &TcFake,
    credentials: impl Into<Option<Credentials>>,
    policy: RetryPolicy,
) -> S {
    ClientBuilder::<S>::default()
        .root_url(tc.root_url())
        .credentials(credentials)
        .retry(policy)
        .build()
        .unwrap()
}

/// A client of service `S` on `tc` with `credentials` (or none) that never retries.
pub fn client<S: Service>(tc: &TcFake, credentials: impl Into<Option<Credentials>>) -> S {
    client_with(tc, credentials, RetryPolicy::none())
}

/// A client of service `S` on `tc` signed as its root client, that never retries.
pub fn root<S: Service>(tc: &TcFake) -> S {
    client(tc, root_credentials(tc))
}

/// A retry policy whose backoff is a millisecond or so, for counting attempts.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// Credentials as the services answer them in JSON: `clientId`, `accessToken` and
/// `certificate` (temporary credentials).
pub fn credentials_of(value: &Value) -> Credentials {
    Credentials::new(
        value["clientId"].as_str().unwrap(),
        value["accessToken"].as_str().unwrap(),
    )
    .with_certificate(value["certificate"].as_str().unwrap())
}

/// A fake deployment whose `anonymous` role grants nothing (tc-fake's default, like a
/// real deployment's, grants public reads such as `queue:status:*` to every caller):
/// for tests of what a scope guards.
pub fn nothing_public() -> TcFakeBuilder {
    TcFake::builder().anonymous_scopes(Vec::<String>::new())
}
