// api.json names an input schema file that is absent.
tc_macros::taskcluster_service!(
    "widgets",
    references = "../../../tmp/tc-fixtures/missing-file"
);

fn main() {}
