//! What the generated code is built on: string enums with opaque unknowns,
//! compiled patterns, struct decoding, numbers, paging, Pulse bindings, unknown JSON and
//! worker payload maps (reached through `__private` and the public types).

pub(crate) mod binding;
pub(crate) mod number;
pub(crate) mod paginate;
pub(crate) mod pattern;
#[cfg(feature = "payloads")]
pub(crate) mod payload_map;
pub(crate) mod string_enum;
pub(crate) mod struct_decode;
pub(crate) mod unknown;
