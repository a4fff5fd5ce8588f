// The manifest does not list the service.
tc_macros::taskcluster_service!(
    "gadgets",
    references = "../../../../tc-codegen/tests/fixtures/widgets"
);

fn main() {}
