//! The gizmos service of the bump test's reference set `v2`.
#![deny(missing_docs)]

tc_macros::taskcluster_service!("gizmos", references = "$OUT_DIR/references");
