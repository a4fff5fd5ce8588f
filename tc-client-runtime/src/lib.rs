//! What the generated code of tc-client runs on: clients and their builder,
//! credentials and Hawk signing, retries, signed URLs, timestamps, paging, the
//! support of generated types, and the Pulse listener.
//!
//! Programs depend on [tc-client](https://docs.rs/tc-client), which re-exports
//! all of this beside every service; this crate is its lower half, split off
//! so that the services, each a crate of its own, compile side by side.
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]
// docs.rs marks what each cargo feature brings.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod backoff;
mod client;
mod error;
mod generated_support;
mod retry;
mod signing;
mod time;
pub mod urls;

pub use client::body_cap::DEFAULT_MAX_RESPONSE_SIZE;
pub use client::builder::ClientBuilder;
pub use client::endpoint::{Endpoint, HttpMethod, RouteSegment};
pub use client::path_arg::PathArg;
pub use client::{Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Service};
pub use error::{Error, Result};
pub use generated_support::binding::{
    Binding, RoutingKeyPart, routing_key_pattern, split_routing_key,
};
pub use generated_support::number::Number;
pub use generated_support::unknown::{UnknownJson, UnknownString};
pub use retry::RetryPolicy;
pub use signing::credentials::Credentials;
/// Where credentials come from when they change while a client runs.
pub use signing::credentials_source;
pub use signing::credentials_source::{CredentialsFuture, CredentialsSource};
pub use signing::temp_credentials::TempCredentialsBuilder;
pub use time::Time;

#[cfg(feature = "pulse")]
#[cfg_attr(docsrs, doc(cfg(feature = "pulse")))]
pub mod pulse;

/// The JSON crate of the generated types' free-form fields (`serde_json::Map`,
/// `serde_json::Value`): the version tc-client uses, for programs that have no
/// dependency of their own on it.
pub use serde_json;

/// Slug ids: the 22-character URL-safe task ids Taskcluster uses.
///
/// [`nice`](crate::slugid::nice) is what task ids (and task group ids) should be: a random v4
/// UUID in URL-safe base64, whose first character is a letter, so the id
/// never starts with `-` (which would read as an option on a command line).
/// [`v4`](crate::slugid::v4) allows any first character.
///
/// ```
/// let task_id = tc_client::slugid::nice();
/// assert_eq!(task_id.len(), 22);
/// assert!(task_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
/// assert!(!task_id.starts_with('-'));
/// ```
pub mod slugid {
    pub use ::slugid::{nice, v4};
}

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::client::call::{call, call_no_output, endpoint_signed_url, endpoint_url};
    pub use crate::generated_support::paginate::paginate;

    /// The future of a generated method call with query arguments.
    pub type BoxFuture<'a, T> =
        ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = T> + Send + 'a>>;
    pub use crate::generated_support::pattern::{AnyPattern, Piece, SimplePattern, refused};
    #[cfg(feature = "payloads")]
    pub use crate::generated_support::payload_map::to_payload;
    pub use crate::generated_support::string_enum::deserialize_str_with;
    pub use crate::generated_support::struct_decode::{FieldKey, field, required, skip_value};
    pub use crate::generated_support::unknown::{decode_union, unknown_string};
    pub use futures_core::Stream;

    /// What tc-client-object's transfers use of the client (its HTTP client,
    /// retries, timeouts and error wording).
    #[cfg(feature = "transfer")]
    pub mod transfer {
        pub use crate::client::api_url::shown_url;
        pub use crate::client::call_site::{CallSite, ShownText, unexpected_answer};
        pub use crate::client::transfer_access::{http, retry_policy, sibling, timeout};
        pub use crate::error::excerpt;
        pub use crate::retry::{retry_after, with_retries};
    }
    pub use regress;
    pub use serde;
    pub use serde_json;
}
