//! The HTTP side of the fake: the server loop, the pipeline of an API
//! request, the routing of requests to entries, injected faults, answers
//! (gzip included), their trace and request ids, and the data URLs of objects and
//! `s3` artifacts.

pub(crate) mod body;
pub(crate) mod compress;
pub(crate) mod data_urls;
pub(crate) mod faults;
pub(crate) mod pipeline;
pub(crate) mod responses;
pub(crate) mod router;
pub(crate) mod server;
pub(crate) mod shared;
pub(crate) mod trace;
