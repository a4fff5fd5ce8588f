//! A typed async client for [Taskcluster](https://taskcluster.net).
//!
//! Every API method, every Pulse exchange and every schema of a Taskcluster
//! deployment is generated at compile time from the deployment's API
//! references by the `taskcluster_service!` macro: one module per service
//! (`queue`, `auth`, ...) with its types, a client struct and an `events`
//! module of exchange bindings.
//!
//! ```no_run
//! use tc_client::queue::Queue;
//!
//! # async fn run() -> Result<(), tc_client::Error> {
//! let queue = Queue::from_env()?;
//! queue.ping().await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]

// Generated code names this crate `::tc_client`, also from inside it.
extern crate self as tc_client;

mod authenticator;
mod binding;
mod client;
mod credentials;
pub mod credentials_source;
mod endpoint;
mod error;
mod hawk_auth;
mod number;
mod paginate;
mod retry;
mod string_enum;
mod temp_credentials;
mod time;
mod url;

pub use binding::{Binding, RoutingKeyPart, routing_key_pattern, split_routing_key};
pub use client::{Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Service};
pub use credentials::Credentials;
pub use credentials_source::{CredentialsFuture, CredentialsSource};
pub use endpoint::{Endpoint, HttpMethod, RouteSegment};
pub use error::{Error, Result};
pub use number::Number;
pub use retry::RetryPolicy;
pub use temp_credentials::TempCredentialsBuilder;
pub use time::Time;

#[cfg(feature = "object")]
pub mod transfer;

#[cfg(feature = "pulse")]
pub mod pulse;

/// Slug ids: the 22-character URL-safe task ids Taskcluster uses.
pub mod slugid {
    pub use ::slugid::{nice, v4};
}

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::paginate::paginate;
    pub use crate::string_enum::deserialize_str_with;
    pub use futures_core::Stream;
    pub use regress;
    pub use serde;
    pub use serde_json;
}

mod services;
pub use services::*;

/// The examples of README.md, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
