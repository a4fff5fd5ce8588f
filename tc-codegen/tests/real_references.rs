//! The engine against the imported reference set (`cargo xtask references import`).

use std::path::PathBuf;

fn references() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../references")
}

#[test]
fn every_service_generates_and_parses() {
    let services = tc_codegen::services(&references()).expect("references imported");
    assert_eq!(services.len(), 11, "{services:?}");
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/expanded");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut failures = Vec::new();
    for service in &services {
        match tc_codegen::generate_service(&references(), service) {
            Ok(generated) => {
                let text = tc_codegen::pretty(&generated.tokens).unwrap();
                std::fs::write(out_dir.join(format!("{service}.rs")), text).unwrap();
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    for schema in [
        "generic-worker/multiuser_posix.json",
        "generic-worker/insecure_posix.json",
        "generic-worker/multiuser_windows.json",
        "docker-worker/v1/payload.json",
    ] {
        match tc_codegen::generate_schema(&references(), schema) {
            Ok(generated) => {
                let text = tc_codegen::pretty(&generated.tokens).unwrap();
                let name = schema.replace('/', "-");
                std::fs::write(out_dir.join(name.replace(".json", ".rs")), text).unwrap();
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
