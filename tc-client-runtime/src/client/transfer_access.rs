//! The client's parts the transfers of tc-client-object use, re-exported
//! through `__private::transfer`: its HTTP client, retry policy and timeout,
//! and clients of other services sharing them.

use std::sync::Arc;
use std::time::Duration;

use super::{Client, Inner, Service, ServiceBase};
use crate::error::Result;
use crate::retry::RetryPolicy;
use crate::signing::authenticator::Authenticator;
use crate::signing::credentials::Credentials;

/// The HTTP client requests go through (for the transfers' data URLs).
pub fn http(client: &Client) -> &reqwest::Client {
    &client.inner.http
}

/// The retry policy.
pub fn retry_policy(client: &Client) -> &RetryPolicy {
    &client.inner.retry
}

/// The time allowed for one attempt of a request.
pub fn timeout(client: &Client) -> Duration {
    client.inner.timeout
}

/// A client of service `S` on the same deployment, sharing `client`'s HTTP
/// client, retry policy and timeout, and signing with `credentials`.
///
/// # Errors
///
/// When the service URL or `credentials` are not usable.
pub fn sibling<S: Service>(client: &Client, credentials: Option<Credentials>) -> Result<S> {
    let inner = &client.inner;
    Ok(S::from_client(Client {
        inner: Arc::new(Inner {
            root_url: inner.root_url.clone(),
            base: ServiceBase::new(&inner.root_url, S::NAME, S::API_VERSION)?,
            auth: Authenticator::fixed(credentials, None)?,
            http: inner.http.clone(),
            retry: inner.retry.clone(),
            timeout: inner.timeout,
            max_response_size: inner.max_response_size,
        }),
    }))
}
