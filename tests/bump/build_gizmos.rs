//! Build script of the gizmos service crates: writes the crate's version of
//! the reference set (`tc-bump-gizmos-<version>`) into `$OUT_DIR/references`,
//! which its `taskcluster_service!` reads.

#[path = "fixture.rs"]
mod fixture;

fn main() {
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
    let version = package.trim_start_matches("tc-bump-gizmos-");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    let dest = std::path::Path::new(&out_dir).join("references");
    if let Err(e) = fixture::write_fixture(std::path::Path::new("../fixtures"), version, &dest) {
        panic!("{e}");
    }
    println!("cargo::rerun-if-changed=../fixtures/gizmos-{version}.fixture.json");
}
