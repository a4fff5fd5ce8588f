//! One `taskcluster_service!` per service, each behind its cargo feature.

#[cfg(feature = "auth")]
tc_macros::taskcluster_service!("auth", feature = "auth");
#[cfg(feature = "github")]
tc_macros::taskcluster_service!("github", feature = "github");
#[cfg(feature = "hooks")]
tc_macros::taskcluster_service!("hooks", feature = "hooks");
#[cfg(feature = "index")]
tc_macros::taskcluster_service!("index", feature = "index");
#[cfg(feature = "notify")]
tc_macros::taskcluster_service!("notify", feature = "notify");
#[cfg(feature = "object")]
tc_macros::taskcluster_service!("object", feature = "object");
#[cfg(feature = "purge-cache")]
tc_macros::taskcluster_service!("purge-cache", feature = "purge-cache");
#[cfg(feature = "queue")]
tc_macros::taskcluster_service!("queue", feature = "queue");
#[cfg(feature = "secrets")]
tc_macros::taskcluster_service!("secrets", feature = "secrets");
#[cfg(feature = "web-server")]
tc_macros::taskcluster_service!("web-server", feature = "web-server");
#[cfg(feature = "worker-manager")]
tc_macros::taskcluster_service!("worker-manager", feature = "worker-manager");

/// Typed payloads of the standard workers, for a task's `payload`.
#[cfg(feature = "payloads")]
#[cfg_attr(docsrs, doc(cfg(feature = "payloads")))]
pub mod payloads {
    pub use crate::generated_support::payload_map::to_payload;

    /// Payload of generic-worker in its multiuser mode on Linux and macOS
    /// (`generic-worker/multiuser_posix.json`); the other engines are in
    /// [`insecure_posix`](generic_worker::insecure_posix) and
    /// [`multiuser_windows`](generic_worker::multiuser_windows).
    pub mod generic_worker {
        #![allow(clippy::all, rustdoc::all)]
        tc_macros::taskcluster_schema!("generic-worker/multiuser_posix.json");

        /// Payload of generic-worker's insecure engine on Linux and macOS.
        pub mod insecure_posix {
            #![allow(clippy::all, rustdoc::all)]
            tc_macros::taskcluster_schema!("generic-worker/insecure_posix.json");
        }

        /// Payload of generic-worker in its multiuser mode on Windows.
        pub mod multiuser_windows {
            #![allow(clippy::all, rustdoc::all)]
            tc_macros::taskcluster_schema!("generic-worker/multiuser_windows.json");
        }
    }

    /// Payload of docker-worker (`docker-worker/v1/payload.json`).
    pub mod docker_worker {
        #![allow(clippy::all, rustdoc::all)]
        tc_macros::taskcluster_schema!("docker-worker/v1/payload.json");
    }
}
