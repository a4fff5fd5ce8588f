//! The URLs of a Taskcluster deployment, from its root URL: the functions of
//! taskcluster-lib-urls (the library the Go, Python and JS clients share), with
//! its rules.
//!
//! - The root URL loses its trailing slashes (`https://tc.example.com///` is
//!   `https://tc.example.com`); nothing else of it changes.
//! - A path or schema name loses its leading slashes (`/foo` and `foo` give
//!   the same URL); its trailing slashes, and an empty path, are kept
//!   (`api(root, "auth", "v1", "")` ends in `/api/auth/v1/`).
//! - Service names, versions and paths are used as given: no percent-encoding
//!   (the API methods' own `*_url` functions encode their arguments).
//!
//! ```
//! use tc_client::urls;
//!
//! let root = "https://tc.example.com/";
//! assert_eq!(
//!     urls::api(root, "queue", "v1", "/task/abc"),
//!     "https://tc.example.com/api/queue/v1/task/abc"
//! );
//! assert_eq!(
//!     urls::schema(root, "queue", "v1/task.json"),
//!     "https://tc.example.com/schemas/queue/v1/task.json"
//! );
//! assert_eq!(urls::ui(root, "tasks/abc"), "https://tc.example.com/tasks/abc");
//! ```

/// The root URL without its trailing slashes.
///
/// ```
/// assert_eq!(tc_client::urls::normalize_root_url("https://tc.example.com//"), "https://tc.example.com");
/// ```
pub fn normalize_root_url(root_url: &str) -> &str {
    root_url.trim_end_matches('/')
}

/// A path without its leading slashes.
fn clean_path(path: &str) -> &str {
    path.trim_start_matches('/')
}

/// `<rootUrl>/api/<service>/<version>/<path>`: a path of a service's API.
pub fn api(root_url: &str, service: &str, version: &str, path: &str) -> String {
    format!(
        "{}/api/{service}/{version}/{}",
        normalize_root_url(root_url),
        clean_path(path)
    )
}

/// `<rootUrl>/references/<service>/<version>/api.json`: a service's API reference.
pub fn api_reference(root_url: &str, service: &str, version: &str) -> String {
    format!(
        "{}/references/{service}/{version}/api.json",
        normalize_root_url(root_url)
    )
}

/// `<rootUrl>/docs/<path>`: a page of the deployment's documentation.
pub fn docs(root_url: &str, path: &str) -> String {
    format!("{}/docs/{}", normalize_root_url(root_url), clean_path(path))
}

/// `<rootUrl>/references/<service>/<version>/exchanges.json`: a service's
/// exchanges reference.
pub fn exchange_reference(root_url: &str, service: &str, version: &str) -> String {
    format!(
        "{}/references/{service}/{version}/exchanges.json",
        normalize_root_url(root_url)
    )
}

/// `<rootUrl>/schemas/<service>/<schema>`: one of a service's schemas, whose
/// name carries its version (`v1/task.json`).
pub fn schema(root_url: &str, service: &str, schema: &str) -> String {
    format!(
        "{}/schemas/{service}/{}",
        normalize_root_url(root_url),
        clean_path(schema)
    )
}

/// The schema of API references: `<rootUrl>/schemas/common/api-reference-<version>.json`.
pub fn api_reference_schema(root_url: &str, version: &str) -> String {
    schema(root_url, "common", &format!("api-reference-{version}.json"))
}

/// The schema of exchanges references:
/// `<rootUrl>/schemas/common/exchanges-reference-<version>.json`.
pub fn exchanges_reference_schema(root_url: &str, version: &str) -> String {
    schema(
        root_url,
        "common",
        &format!("exchanges-reference-{version}.json"),
    )
}

/// The schema of the API manifest: `<rootUrl>/schemas/common/manifest-<version>.json`.
pub fn api_manifest_schema(root_url: &str, version: &str) -> String {
    schema(root_url, "common", &format!("manifest-{version}.json"))
}

/// The metaschema of the deployment's schemas:
/// `<rootUrl>/schemas/common/metadata-metaschema.json`.
pub fn metadata_metaschema(root_url: &str) -> String {
    schema(root_url, "common", "metadata-metaschema.json")
}

/// `<rootUrl>/<path>`: a page of the deployment's web UI.
pub fn ui(root_url: &str, path: &str) -> String {
    format!("{}/{}", normalize_root_url(root_url), clean_path(path))
}

/// `<rootUrl>/references/manifest.json`: the list of the deployment's references.
pub fn api_manifest(root_url: &str) -> String {
    format!("{}/references/manifest.json", normalize_root_url(root_url))
}

/// The root URL that Taskcluster's libraries use in tests,
/// `https://tc-tests.example.com`.
pub fn test_root_url() -> &'static str {
    "https://tc-tests.example.com"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Root URLs that name the same deployment.
    const ROOTS: [&str; 3] = [
        "https://tc.example.com",
        "https://tc.example.com/",
        "https://tc.example.com///",
    ];
    const ROOT: &str = "https://tc.example.com";

    #[test]
    fn every_function_follows_the_url_format() {
        for root in ROOTS {
            assert_eq!(
                api(root, "auth", "v1", "ping"),
                format!("{ROOT}/api/auth/v1/ping")
            );
            assert_eq!(
                api_reference(root, "auth", "v1"),
                format!("{ROOT}/references/auth/v1/api.json")
            );
            assert_eq!(
                docs(root, "manual/tasks"),
                format!("{ROOT}/docs/manual/tasks")
            );
            assert_eq!(
                exchange_reference(root, "queue", "v1"),
                format!("{ROOT}/references/queue/v1/exchanges.json")
            );
            assert_eq!(
                schema(root, "queue", "v1/task.json"),
                format!("{ROOT}/schemas/queue/v1/task.json")
            );
            assert_eq!(
                api_reference_schema(root, "v0"),
                format!("{ROOT}/schemas/common/api-reference-v0.json")
            );
            assert_eq!(
                exchanges_reference_schema(root, "v0"),
                format!("{ROOT}/schemas/common/exchanges-reference-v0.json")
            );
            assert_eq!(
                api_manifest_schema(root, "v3"),
                format!("{ROOT}/schemas/common/manifest-v3.json")
            );
            assert_eq!(
                metadata_metaschema(root),
                format!("{ROOT}/schemas/common/metadata-metaschema.json")
            );
            assert_eq!(ui(root, "tasks/abc"), format!("{ROOT}/tasks/abc"));
            assert_eq!(
                api_manifest(root),
                format!("{ROOT}/references/manifest.json")
            );
            assert_eq!(normalize_root_url(root), ROOT);
        }
    }

    #[test]
    fn leading_slashes_of_paths_go_and_trailing_ones_stay() {
        for path in ["foo/bar", "/foo/bar", "///foo/bar"] {
            assert_eq!(
                api(ROOT, "auth", "v1", path),
                format!("{ROOT}/api/auth/v1/foo/bar")
            );
            assert_eq!(docs(ROOT, path), format!("{ROOT}/docs/foo/bar"));
            assert_eq!(ui(ROOT, path), format!("{ROOT}/foo/bar"));
            assert_eq!(
                schema(ROOT, "auth", path),
                format!("{ROOT}/schemas/auth/foo/bar")
            );
        }
        assert_eq!(
            api(ROOT, "auth", "v1", "foo/bar/"),
            format!("{ROOT}/api/auth/v1/foo/bar/")
        );
        assert_eq!(ui(ROOT, "foo/"), format!("{ROOT}/foo/"));
    }

    #[test]
    fn empty_paths_end_in_a_slash() {
        for path in ["", "/", "//"] {
            assert_eq!(
                api(ROOT, "auth", "v1", path),
                format!("{ROOT}/api/auth/v1/")
            );
            assert_eq!(docs(ROOT, path), format!("{ROOT}/docs/"));
            assert_eq!(ui(ROOT, path), format!("{ROOT}/"));
        }
    }

    #[test]
    fn a_root_url_with_a_port_and_no_trailing_slash_is_kept_as_it_is() {
        assert_eq!(
            api_manifest("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/references/manifest.json"
        );
        assert_eq!(
            api(test_root_url(), "queue", "v1", "ping"),
            "https://tc-tests.example.com/api/queue/v1/ping"
        );
    }
}
