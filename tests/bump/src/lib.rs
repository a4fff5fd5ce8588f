//! The bump test: [`user`](v1)'s code, written against v1 of the gizmos
//! service, compiled unchanged against v1 and against v2, which adds what a
//! Taskcluster release may add (an optional request field, a response field,
//! a string-enum value, a tagged-union variant, a query argument, a method,
//! an exchange).

/// The user's code against v1 of the service.
pub mod v1 {
    use tc_bump_gizmos_v1::gizmos;
    include!("user.rs");
}

/// The same code against v2.
pub mod v2 {
    use tc_bump_gizmos_v2::gizmos;
    include!("user.rs");
}
