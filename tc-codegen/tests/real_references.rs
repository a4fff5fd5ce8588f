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

#[test]
fn the_entries_that_answer_with_a_redirect_are_the_five_the_references_describe() {
    let mut redirecting = Vec::new();
    for service in tc_codegen::services(&references()).expect("references imported") {
        let path = references().join(format!("references/{service}/v1/api.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        let reference: tc_codegen::reference::ApiReference = serde_json::from_str(&text).unwrap();
        for entry in reference
            .entries
            .iter()
            .filter(|e| e.answers_with_redirect())
        {
            redirecting.push(format!("{service}.{}", entry.name));
        }
    }
    redirecting.sort();
    assert_eq!(
        redirecting,
        [
            "github.latest",
            "index.findArtifactFromTask",
            "object.download",
            "queue.getArtifact",
            "queue.getLatestArtifact",
        ]
    );
}
