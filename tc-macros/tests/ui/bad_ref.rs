// A $ref points at a JSON pointer that does not exist.
tc_macros::taskcluster_service!(
    "widgets",
    references = "../../../tmp/tc-fixtures/bad-ref"
);

fn main() {}
