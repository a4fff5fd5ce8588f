// The references folder does not exist.
tc_macros::taskcluster_service!(
    "widgets",
    references = "../../../tmp/tc-fixtures/does-not-exist"
);

fn main() {}
