//! Writes each version of the gizmos reference set into `$OUT_DIR/<version>`, which
//! that version's `taskcluster_service!` reads (the project tracks no JSON under a
//! `references/` folder, so each set is stored as one fixture file).

#[path = "fixture.rs"]
mod fixture;

use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    for version in ["v1", "v2", "v2-required"] {
        let dest = Path::new(&out_dir).join(version);
        if let Err(e) = fixture::write_fixture(Path::new("fixtures"), version, &dest) {
            panic!("{e}");
        }
        println!("cargo::rerun-if-changed=fixtures/gizmos-{version}.fixture.json");
    }
    println!("cargo::rerun-if-changed=fixture.rs");
}
