//! Rotating credentials: [`CredentialsSource`] and its closure adapter
//! [`from_fn`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::error::Result;
use crate::signing::credentials::Credentials;

/// The future a [`CredentialsSource`] answers with.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials>> + Send + 'a>>;

/// Where a long-running client gets its credentials from, again and again.
///
/// Give one to [`ClientBuilder::credentials_source`](crate::ClientBuilder::credentials_source)
/// instead of fixed [`Credentials`]. The client asks it
///
/// - before its first authenticated request,
/// - before a request when the temporary credentials it last answered expire
///   within the refresh margin
///   ([`ClientBuilder::credentials_refresh_margin`](crate::ClientBuilder::credentials_refresh_margin),
///   one minute by default), and
/// - after the service refused a request with 401 while temporary
///   credentials were in use (they expired by the server's clock, or were
///   revoked); when the new answer differs, the request is sent once more.
///
/// Concurrent requests share one question: the source is never asked twice
/// for the same refresh. A source that fails makes the request fail with its
/// error.
///
/// Implement it for a type of your own, or wrap an async closure with
/// [`from_fn`].
///
/// ```
/// use tc_client::{Credentials, CredentialsFuture, CredentialsSource};
///
/// /// Hands out the credentials a secrets file holds right now.
/// struct FromFile(std::path::PathBuf);
///
/// impl CredentialsSource for FromFile {
///     fn credentials(&self) -> CredentialsFuture<'_> {
///         Box::pin(async move {
///             let text = tokio::fs::read_to_string(&self.0).await.map_err(|e| {
///                 tc_client::Error::Credentials(format!("{}: {e}", self.0.display()))
///             })?;
///             let (id, token) = text.trim().split_once(':').ok_or_else(|| {
///                 tc_client::Error::Credentials("expected <clientId>:<accessToken>".into())
///             })?;
///             Ok(Credentials::new(id, token))
///         })
///     }
/// }
///
/// let queue = tc_client::queue::Queue::builder()
///     .root_url("https://tc.example.com")
///     .credentials_source(FromFile("/run/secrets/taskcluster".into()))
///     .build()?;
/// # Ok::<(), tc_client::Error>(())
/// ```
pub trait CredentialsSource: Send + Sync + 'static {
    /// The credentials to sign with from now on.
    fn credentials(&self) -> CredentialsFuture<'_>;
}

/// A [`CredentialsSource`] that calls an async closure; made by [`from_fn`].
#[derive(Clone)]
pub struct FnSource<F>(F);

impl<F> fmt::Debug for FnSource<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnSource")
    }
}

/// A [`CredentialsSource`] that calls `f` each time the client needs
/// credentials.
///
/// Here a worker-like service mints itself short-lived temporary credentials
/// from a permanent client whenever the last ones run out:
///
/// ```
/// use std::time::Duration;
/// use tc_client::{Credentials, credentials_source};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let fake = tc_fake::start().await?;
/// # let (id, token) = fake.root_credentials();
/// # let root_url = fake.root_url();
/// let permanent = Credentials::new(id, token);
/// let source = credentials_source::from_fn(move || {
///     let permanent = permanent.clone();
///     async move { permanent.create_temp_creds(Duration::from_secs(3600), ["queue:*"]) }
/// });
/// let queue = tc_client::queue::Queue::builder()
///     .root_url(root_url)
///     .credentials_source(source)
///     .build()?;
/// queue.pending_tasks("proj-example/ci").await?;
/// # Ok(()) }
/// ```
pub fn from_fn<F, Fut>(f: F) -> FnSource<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Credentials>> + Send + 'static,
{
    FnSource(f)
}

impl<F, Fut> CredentialsSource for FnSource<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Credentials>> + Send + 'static,
{
    fn credentials(&self) -> CredentialsFuture<'_> {
        Box::pin((self.0)())
    }
}
