//! Credentials and signing: static and temporary credentials, sources of
//! rotating credentials, the authenticator a client signs with, Hawk
//! headers and bewits, and nonces.

pub(crate) mod authenticator;
pub(crate) mod credentials;
pub mod credentials_source;
pub(crate) mod hawk_auth;
pub(crate) mod nonce;
pub(crate) mod temp_credentials;
