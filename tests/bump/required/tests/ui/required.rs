// user.rs, unchanged, against the v2 whose `CreateGizmoRequest` requires `color`.
use tc_bump::v2_required::gizmos;

include!("../../../user.rs");

fn main() {}
