//! The user's code of `user.rs` against the v2 that makes the optional
//! `color` of a request required: it no longer compiles, and the message says
//! which constructor wants one more argument (pinned in `tests/ui`).

#[test]
fn a_field_made_required_fails_to_compile_where_it_must_be_given() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/required.rs");
}
