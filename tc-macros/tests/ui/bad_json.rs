// A schema file is not valid JSON.
tc_macros::taskcluster_service!(
    "widgets",
    references = "../../../../tc-codegen/tests/fixtures/bad-json"
);

fn main() {}
