//! [`ClientBuilder`]: the root URL, credentials (fixed or from a source),
//! retries, timeouts, body cap and HTTP client of a service client.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::client::api_url::normalize_root_url;
use crate::client::body_cap::DEFAULT_MAX_RESPONSE_SIZE;
use crate::client::{
    Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Inner, Service, ServiceBase,
    install_crypto_provider,
};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::signing::authenticator::{Authenticator, DEFAULT_REFRESH_MARGIN};
use crate::signing::credentials::Credentials;
use crate::signing::credentials_source::CredentialsSource;

/// Configures a service client; made by `Queue::builder()` and its siblings.
///
/// ```
/// use std::time::Duration;
/// use tc_client::{Credentials, RetryPolicy};
/// use tc_client::queue::Queue;
///
/// let queue = Queue::builder()
///     .root_url("https://tc.example.com")
///     .credentials(Credentials::new("my-client", "my-token"))
///     .retry(RetryPolicy::default().max_retries(2))
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(queue.ping_url()?, "https://tc.example.com/api/queue/v1/ping");
/// # Ok::<(), tc_client::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder<S> {
    root_url: Option<String>,
    credentials: Option<Credentials>,
    source: Option<Box<dyn CredentialsSource>>,
    refresh_margin: Duration,
    authorized_scopes: Option<Vec<String>>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_size: u64,
    http: Option<reqwest::Client>,
    proxy: bool,
    service: PhantomData<fn() -> S>,
}

impl<S: Service> Default for ClientBuilder<S> {
    fn default() -> Self {
        ClientBuilder {
            root_url: None,
            credentials: None,
            source: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            authorized_scopes: None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            http: None,
            proxy: false,
            service: PhantomData,
        }
    }
}

impl<S: Service> std::fmt::Debug for ClientBuilder<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &S::NAME)
            .field("root_url", &self.root_url)
            .field("credentials", &self.credentials)
            .field("credentials_source", &self.source.is_some())
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl<S: Service> ClientBuilder<S> {
    /// Sets the deployment's root URL (`https://tc.example.com`).
    pub fn root_url(mut self, root_url: impl Into<String>) -> Self {
        self.root_url = Some(root_url.into());
        self
    }

    /// Sets the credentials requests are signed with (none: unauthenticated).
    ///
    /// Replaces a [`credentials_source`](Self::credentials_source) given before.
    pub fn credentials(mut self, credentials: impl Into<Option<Credentials>>) -> Self {
        self.credentials = credentials.into();
        self.source = None;
        self
    }

    /// Signs requests with credentials asked from `source`, again whenever
    /// its temporary credentials come near their expiry or the service
    /// refuses them (see [`CredentialsSource`]).
    ///
    /// Replaces [`credentials`](Self::credentials) given before.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tc_client::{Credentials, credentials_source};
    /// use tc_client::queue::Queue;
    ///
    /// let issuer = Credentials::new("project/ci", "issuer-token");
    /// let queue = Queue::builder()
    ///     .root_url("https://tc.example.com")
    ///     .credentials_source(credentials_source::from_fn(move || {
    ///         let issuer = issuer.clone();
    ///         async move { issuer.create_temp_creds(Duration::from_secs(3600), ["queue:*"]) }
    ///     }))
    ///     .credentials_refresh_margin(Duration::from_secs(300))
    ///     .build()?;
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn credentials_source(mut self, source: impl CredentialsSource) -> Self {
        self.source = Some(Box::new(source));
        self.credentials = None;
        self
    }

    /// How long before their expiry temporary credentials from a
    /// [`credentials_source`](Self::credentials_source) are replaced
    /// (default: one minute). Keep it well below the credentials' lifetime,
    /// or the source is asked before every request.
    pub fn credentials_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Narrows the scopes of every request to `scopes` (Taskcluster's
    /// authorizedScopes), whatever order it is called in with
    /// [`credentials`](Self::credentials).
    ///
    /// Has no effect without credentials.
    pub fn authorized_scopes(
        mut self,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.authorized_scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the time allowed for one attempt of a request, body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the time allowed to open a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the largest API answer read, in bytes ([`DEFAULT_MAX_RESPONSE_SIZE`],
    /// 256 MiB, by default); a larger one ends the call with
    /// [`Error::ResponseTooLarge`], read no further. Object and artifact
    /// transfers are streamed and not capped.
    ///
    /// ```
    /// use tc_client::queue::Queue;
    ///
    /// let queue = Queue::builder()
    ///     .root_url("https://tc.example.com")
    ///     .max_response_size(8 * 1024 * 1024)
    ///     .build()?;
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Uses a caller-supplied `reqwest::Client` (its own timeouts and TLS
    /// settings then apply; the per-attempt timeout still does).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sends requests to a taskcluster-proxy at `proxy_url`, unsigned: the proxy signs them.
    pub fn proxy_url(mut self, proxy_url: impl Into<String>) -> Self {
        self.root_url = Some(proxy_url.into());
        self.proxy = true;
        self
    }

    /// Reads `TASKCLUSTER_ROOT_URL` (or `TASKCLUSTER_PROXY_URL`, which wins) and the
    /// credentials variables (`TASKCLUSTER_CLIENT_ID`, `TASKCLUSTER_ACCESS_TOKEN`,
    /// `TASKCLUSTER_CERTIFICATE`).
    pub fn from_env(self) -> Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(proxy) = var("TASKCLUSTER_PROXY_URL") {
            return Ok(self.proxy_url(proxy));
        }
        let root_url = var("TASKCLUSTER_ROOT_URL").ok_or_else(|| {
            Error::Configuration("environment variable TASKCLUSTER_ROOT_URL is not set".into())
        })?;
        let credentials = Credentials::from_env_optional()?;
        Ok(self.root_url(root_url).credentials(credentials))
    }

    /// Builds the service client.
    pub fn build(self) -> Result<S> {
        let root_url = self
            .root_url
            .ok_or_else(|| Error::Configuration("no root URL was given".into()))?;
        let root_url = normalize_root_url(&root_url)?;
        let http = match self.http {
            Some(http) => http,
            None => default_http_client(self.connect_timeout)?,
        };
        let auth = match (self.proxy, self.source) {
            (true, _) => Authenticator::Anonymous,
            (false, Some(source)) => {
                Authenticator::rotating(source, self.authorized_scopes, self.refresh_margin)
            }
            (false, None) => Authenticator::fixed(self.credentials, self.authorized_scopes)?,
        };
        let base = ServiceBase::new(&root_url, S::NAME, S::API_VERSION)?;
        Ok(S::from_client(Client {
            inner: Arc::new(Inner {
                root_url,
                base,
                auth,
                http,
                retry: self.retry,
                timeout: self.timeout,
                max_response_size: self.max_response_size,
            }),
        }))
    }
}

fn default_http_client(connect_timeout: Duration) -> Result<reqwest::Client> {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Configuration(format!("cannot build the HTTP client: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::test_service::Queue;

    #[test]
    fn authorized_scopes_apply_whichever_comes_first() {
        let scopes = ["queue:get-artifact:private/build/*"];
        let before = Queue::builder()
            .root_url("https://tc.example.com")
            .authorized_scopes(scopes)
            .credentials(Credentials::new("c", "t"))
            .build()
            .unwrap();
        let after = Queue::builder()
            .root_url("https://tc.example.com")
            .credentials(Credentials::new("c", "t"))
            .authorized_scopes(scopes)
            .build()
            .unwrap();
        for queue in [before, after] {
            let credentials = queue.client().credentials().unwrap();
            assert_eq!(credentials.authorized_scopes().unwrap(), scopes);
        }
    }

    #[test]
    fn a_proxy_client_sends_no_credentials() {
        let queue = Queue::builder()
            .credentials(Credentials::new("c", "t"))
            .proxy_url("http://taskcluster")
            .build()
            .unwrap();
        assert!(queue.client().credentials().is_none());
        assert_eq!(
            queue.ping_url().unwrap(),
            "http://taskcluster/api/queue/v1/ping"
        );
    }
}
