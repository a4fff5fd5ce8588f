//! The `object` module of tc-client (the object service's types, client and
//! exchanges, generated from its API reference) and the transfers built on it:
//! programs use them as `tc_client::object` and `tc_client::transfer`. A crate of
//! its own so that the services compile side by side, and an edit of one service's
//! reference rebuilds that service only.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated code names the runtime `::tc_client`.
extern crate tc_client_runtime as tc_client;

tc_macros::taskcluster_service!("object", feature = "object");

#[cfg_attr(docsrs, doc(cfg(feature = "object")))]
pub mod transfer;
