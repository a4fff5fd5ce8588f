// A $ref points at a schema file that does not exist.
tc_macros::taskcluster_service!(
    "widgets",
    references = "../../../tmp/tc-fixtures/bad-ref-file"
);

fn main() {}
