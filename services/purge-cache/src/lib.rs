//! The `purge_cache` module of tc-client: the purge-cache service's types, its client and its
//! exchanges, generated from its API reference. Programs use it as
//! `tc_client::purge_cache` (it is a crate of its own so that the services compile side
//! by side, and an edit of one service's reference rebuilds that service only).
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated code names the runtime `::tc_client`.
extern crate tc_client_runtime as tc_client;

tc_macros::taskcluster_service!("purge-cache", feature = "purge-cache");
