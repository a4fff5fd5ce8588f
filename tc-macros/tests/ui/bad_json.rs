// A schema file is not valid JSON.
tc_macros::taskcluster_service!(
    "widgets",
    references = "../../../tmp/tc-fixtures/bad-json"
);

fn main() {}
