// The references folder does not exist.
tc_macros::taskcluster_service!(
    "widgets",
    references = "../../../../tc-codegen/tests/fixtures/does-not-exist"
);

fn main() {}
