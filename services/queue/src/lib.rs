//! The `queue` module of tc-client: the queue service's types, its client and its
//! exchanges, generated from its API reference, with the credentials of its claims
//! and (with the `object` feature) the artifact transfers on `Queue`. Programs use
//! it as `tc_client::queue`. A crate of its own so that the services compile side by
//! side, and an edit of one service's reference rebuilds that service only.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated code names the runtime `::tc_client`.
extern crate tc_client_runtime as tc_client;

tc_macros::taskcluster_service!("queue", feature = "queue");

#[cfg(feature = "object")]
mod artifacts;
mod credentials_from;

#[cfg(feature = "object")]
pub use artifacts::{ArtifactDownload, ArtifactUpload};
