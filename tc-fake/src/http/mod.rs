//! The HTTP side of the fake: the server loop, the routing of requests to
//! entries, injected faults, gzip, and the data URLs of objects and `s3`
//! artifacts.

pub(crate) mod compress;
pub(crate) mod data_urls;
pub(crate) mod faults;
pub(crate) mod router;
pub(crate) mod server;
