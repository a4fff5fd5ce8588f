//! Leaf helpers the rest of the fake builds on: time, JSON fields, paging,
//! URL encoding and locks. They import nothing of the fake but
//! [`ApiError`](crate::error::ApiError), itself a leaf.

pub(crate) mod clock;
pub(crate) mod json;
pub(crate) mod paging;
pub(crate) mod sync;
pub(crate) mod url;
