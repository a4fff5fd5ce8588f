//! The gizmos service of the bump test's reference set `v1`.
#![deny(missing_docs)]

tc_macros::taskcluster_service!("gizmos", references = "$OUT_DIR/references");
