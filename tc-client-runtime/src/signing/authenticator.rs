//! How a client signs: not at all, with fixed credentials, or with
//! credentials it asks a [`CredentialsSource`] for again as they run out.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::error::Result;
use crate::signing::credentials::Credentials;
use crate::signing::credentials_source::CredentialsSource;
use crate::signing::hawk_auth::Signer;

/// Default of [`ClientBuilder::credentials_refresh_margin`](crate::ClientBuilder::credentials_refresh_margin).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The signing state of a client; shared by its clones.
pub(crate) enum Authenticator {
    /// Requests go unsigned.
    Anonymous,
    /// Requests are signed with the same credentials for the client's life.
    Fixed(Arc<Signer>),
    /// Requests are signed with whatever a source last answered.
    Rotating(Rotating),
}

pub(crate) struct Rotating {
    source: Box<dyn CredentialsSource>,
    authorized_scopes: Option<Vec<String>>,
    margin: Duration,
    /// The signer in use; `None` before the first answer.
    current: Mutex<Option<Arc<Signer>>>,
    /// Held while the source is being asked, so that concurrent requests
    /// wait for one answer instead of asking again.
    refreshing: tokio::sync::Mutex<()>,
}

impl Authenticator {
    /// Signs with `credentials` (restricted to `authorized_scopes`) for good.
    pub(crate) fn fixed(
        credentials: Option<Credentials>,
        authorized_scopes: Option<Vec<String>>,
    ) -> Result<Authenticator> {
        Ok(match credentials {
            None => Authenticator::Anonymous,
            Some(credentials) => Authenticator::Fixed(Arc::new(Signer::new(restrict(
                credentials,
                authorized_scopes.as_deref(),
            ))?)),
        })
    }

    /// Signs with what `source` answers, asking again `margin` before the
    /// answer expires.
    pub(crate) fn rotating(
        source: Box<dyn CredentialsSource>,
        authorized_scopes: Option<Vec<String>>,
        margin: Duration,
    ) -> Authenticator {
        Authenticator::Rotating(Rotating {
            source,
            authorized_scopes,
            margin,
            current: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        })
    }

    /// The signer for the next request (`None`: send it unsigned), asking
    /// the source first when it has no fresh answer.
    pub(crate) async fn signer(&self) -> Result<Option<Arc<Signer>>> {
        match self {
            Authenticator::Anonymous => Ok(None),
            Authenticator::Fixed(signer) => Ok(Some(Arc::clone(signer))),
            Authenticator::Rotating(rotating) => rotating.fresh(None).await.map(Some),
        }
    }

    /// After the service refused `failed` with 401: new credentials to try
    /// once more with, or `None` when there is nothing new to try.
    ///
    /// Only temporary credentials from a source are asked again: they are
    /// the ones that run out, and a source is what can replace them.
    pub(crate) async fn after_unauthorized(
        &self,
        failed: &Arc<Signer>,
    ) -> Result<Option<Arc<Signer>>> {
        let Authenticator::Rotating(rotating) = self else {
            return Ok(None);
        };
        if failed.credentials().certificate().is_none() {
            return Ok(None);
        }
        let next = rotating.fresh(Some(failed)).await?;
        let changed = next.credentials().access_token() != failed.credentials().access_token()
            || next.credentials().certificate() != failed.credentials().certificate();
        Ok(changed.then_some(next))
    }

    /// The signer in use right now, without asking a source (for signed
    /// URLs, which are made synchronously).
    pub(crate) fn current(&self) -> Option<Arc<Signer>> {
        match self {
            Authenticator::Anonymous => None,
            Authenticator::Fixed(signer) => Some(Arc::clone(signer)),
            Authenticator::Rotating(rotating) => rotating.load(),
        }
    }

    /// Whether requests are signed at all.
    pub(crate) fn is_anonymous(&self) -> bool {
        matches!(self, Authenticator::Anonymous)
    }
}

impl Rotating {
    fn load(&self) -> Option<Arc<Signer>> {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn store(&self, signer: Arc<Signer>) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(signer);
    }

    /// Whether `signer` can still be used: it is not the one that just
    /// failed, and it does not expire within the margin.
    fn usable(&self, signer: &Arc<Signer>, failed: Option<&Arc<Signer>>) -> bool {
        if failed.is_some_and(|failed| Arc::ptr_eq(failed, signer)) {
            return false;
        }
        match signer.expires() {
            None => true,
            Some(expires) => SystemTime::now() + self.margin < expires,
        }
    }

    /// A usable signer: the current one when it is, else the source's next
    /// answer (asked once however many requests are waiting for it).
    async fn fresh(&self, failed: Option<&Arc<Signer>>) -> Result<Arc<Signer>> {
        if let Some(signer) = self.load()
            && self.usable(&signer, failed)
        {
            return Ok(signer);
        }
        let _asking = self.refreshing.lock().await;
        // Another request may have had an answer while this one waited.
        if let Some(signer) = self.load()
            && self.usable(&signer, failed)
        {
            return Ok(signer);
        }
        let credentials = self.source.credentials().await?;
        let signer = Arc::new(Signer::new(restrict(
            credentials,
            self.authorized_scopes.as_deref(),
        ))?);
        tracing::debug!(
            client_id = signer.credentials().client_id(),
            expires = ?signer.expires(),
            "new credentials from the credentials source"
        );
        self.store(Arc::clone(&signer));
        Ok(signer)
    }
}

fn restrict(credentials: Credentials, authorized_scopes: Option<&[String]>) -> Credentials {
    match authorized_scopes {
        Some(scopes) => credentials.with_authorized_scopes(scopes.iter().cloned()),
        None => credentials,
    }
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Authenticator::Anonymous => f.write_str("Anonymous"),
            Authenticator::Fixed(signer) => {
                f.debug_tuple("Fixed").field(signer.credentials()).finish()
            }
            Authenticator::Rotating(rotating) => f
                .debug_struct("Rotating")
                .field("current", &rotating.load().map(|s| s.credentials().clone()))
                .field("margin", &rotating.margin)
                .finish_non_exhaustive(),
        }
    }
}
