//! Who is calling and what they may do: Hawk verification (headers and
//! bewits, temporary certificates), the caller's scopes, scope expressions,
//! the anonymous role and the temporary credentials the fake issues.

pub(crate) mod anonymous;
pub(crate) mod caller;
pub(crate) mod certificate;
pub(crate) mod hawk_verify;
pub(crate) mod scopes;
