//! Credentials as the services hand them out: the task credentials of a claim
//! (`claimWork`, `claimTask`, `reclaimTask`) and the object-service
//! credentials of an `object` artifact.
//!
//! ```
//! use tc_client::Credentials;
//! use tc_client::queue::TaskCredentials;
//!
//! let claimed: TaskCredentials = serde_json::from_value(serde_json::json!({
//!     "clientId": "task-client/fN1SbArXTPSVFNUvaOlinQ/0/on/example-workers/worker-1/until/1700000000",
//!     "accessToken": "a-token",
//!     "certificate": "{\"version\":1}",
//! }))?;
//! let credentials = Credentials::from(&claimed);
//! assert_eq!(credentials.client_id(), claimed.client_id);
//! assert_eq!(credentials.certificate(), Some("{\"version\":1}"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use tc_client::Credentials;

/// Credentials from their three parts; an empty certificate is none.
fn from_parts(client_id: String, access_token: String, certificate: String) -> Credentials {
    let credentials = Credentials::new(client_id, access_token);
    if certificate.is_empty() {
        credentials
    } else {
        credentials.with_certificate(certificate)
    }
}

impl From<crate::queue::TaskCredentials> for Credentials {
    fn from(value: crate::queue::TaskCredentials) -> Self {
        from_parts(value.client_id, value.access_token, value.certificate)
    }
}

impl From<&crate::queue::TaskCredentials> for Credentials {
    fn from(value: &crate::queue::TaskCredentials) -> Self {
        Credentials::from(value.clone())
    }
}

impl From<crate::queue::ObjectServiceCredentials> for Credentials {
    fn from(value: crate::queue::ObjectServiceCredentials) -> Self {
        from_parts(value.client_id, value.access_token, value.certificate)
    }
}

impl From<&crate::queue::ObjectServiceCredentials> for Credentials {
    fn from(value: &crate::queue::ObjectServiceCredentials) -> Self {
        Credentials::from(value.clone())
    }
}
