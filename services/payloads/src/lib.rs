//! The `payloads` module of tc-client: typed payloads of the standard workers
//! (generic-worker, docker-worker), generated from their schemas. Programs use it as
//! `tc_client::payloads` (a crate of its own so that it compiles beside the services).
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generated code names the runtime `::tc_client`.
extern crate tc_client_runtime as tc_client;

/// Typed payloads of the standard workers, for a task's `payload`.
#[cfg_attr(docsrs, doc(cfg(feature = "payloads")))]
pub mod payloads {
    pub use tc_client::__private::to_payload;

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
