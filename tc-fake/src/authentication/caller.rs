//! Who is calling: the outcome of Hawk verification.

/// An authenticated (or anonymous) caller and the scopes it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Caller {
    /// The client id; `None` for an unauthenticated request.
    pub client_id: Option<String>,
    /// The caller's scopes: role-expanded, narrowed by authorizedScopes and a
    /// temporary certificate's scopes. Anonymous callers hold the expansion of
    /// `assume:anonymous`.
    pub scopes: Vec<String>,
}

/// A client the fake knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    /// The client's access token.
    pub access_token: String,
    /// The client's own scopes (not yet role-expanded).
    pub scopes: Vec<String>,
    /// Expiry in milliseconds since the epoch.
    pub expires_ms: i64,
    /// A disabled client cannot authenticate.
    pub disabled: bool,
}

/// Where Hawk verification finds clients and roles (the auth service's state).
pub trait Directory: Send + Sync {
    /// The client with this id, if any.
    fn client(&self, client_id: &str) -> Option<ClientRecord>;

    /// Expands `scopes` through the roles the fake knows (`assume:<roleId>`,
    /// with `*` role ids matching as Taskcluster does), to a fixed point.
    fn expand(&self, scopes: &[String]) -> Vec<String>;
}
