//! Writes the compile-time half of the completeness test (`tests/completeness/`): from
//! the references, a function per service calling every method of its client, and the
//! check of every binding type, into `$OUT_DIR/completeness_calls.rs`. Generated at
//! build time, so that a renamed method fails the build of the test and the reviewed
//! snapshot (`tests/completeness/names.txt`) shows the new names, not a stale list.

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "tests/completeness/expected.rs"]
mod expected;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let references = manifest_dir.join("../references");
    println!("cargo:rerun-if-changed=tests/completeness/expected.rs");
    println!("cargo:rerun-if-changed={}", references.display());
    let services = expected::services(&references);
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("completeness_calls.rs");
    std::fs::write(&out, expected::calls_source(&services))?;
    Ok(())
}
