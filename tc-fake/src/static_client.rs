//! The clients a fake knows from the start.

/// The client id of the root client every fake has.
pub const ROOT_CLIENT_ID: &str = "static/tc-fake/root";

/// A client the fake knows from the start, like a deployment's static clients.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticClient {
    /// The client id.
    pub client_id: String,
    /// Its access token.
    pub access_token: String,
    /// Its scopes (role-expanded when used).
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for StaticClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticClient")
            .field("client_id", &self.client_id)
            .field("access_token", &"<redacted>")
            .field("scopes", &self.scopes)
            .finish()
    }
}
