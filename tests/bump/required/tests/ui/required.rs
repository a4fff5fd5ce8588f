// src/user.rs, unchanged, against the v2 whose `CreateGizmoRequest` requires `color`.
use tc_bump_gizmos_v2_required::gizmos;

include!("../../../src/user.rs");

fn main() {}
