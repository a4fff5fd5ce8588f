//! The services the runtime's own code is built on, each behind its cargo feature:
//! the queue (task credentials, artifact transfers) and the object service (object
//! transfers). The other services are crates of their own (`services/` in the
//! workspace), which tc-client re-exports beside these.

#[cfg(feature = "object")]
tc_macros::taskcluster_service!("object", feature = "object");
#[cfg(feature = "queue")]
tc_macros::taskcluster_service!("queue", feature = "queue");
