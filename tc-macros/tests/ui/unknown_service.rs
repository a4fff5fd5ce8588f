// The manifest does not list the service.
tc_macros::taskcluster_service!(
    "gadgets",
    references = "../../../tmp/tc-fixtures/widgets"
);

fn main() {}
