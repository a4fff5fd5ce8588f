//! The user's code of `user.rs`, compiled against v1 and v2 of the gizmos
//! service, run against tc-fake serving each version's references, with the
//! gizmos entries answered as that version of the service answers them (and
//! checked by the fake against that version's schemas):
//!
//! - built against v1, against a v1 deployment: everything is known;
//! - built against v1, against a v2 deployment (an older client, a newer
//!   service): the new state, the new power and the new field decode, the
//!   unknown ones are kept, and the gizmo is written back unchanged;
//! - built against v2, against v2: the same code, now knowing v2's types.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use tc_client::Credentials;
use tc_fake::{ApiError, Request, Response, Service, TcFake};

#[path = "../fixture.rs"]
mod fixture;

/// The user's code against v1 of the service.
mod v1 {
    use tc_bump::v1::gizmos;
    include!("../user.rs");
}

/// The same code against v2.
mod v2 {
    use tc_bump::v2::gizmos;
    include!("../user.rs");
}

/// The reference folder of `version`, a folder of its own under the test's
/// temporary folder.
fn references(version: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dest = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("tc-bump")
        .join(format!("{version}-{}-{n}", std::process::id()));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    fixture::write_fixture(&fixtures, version, &dest).unwrap();
    dest
}

/// The gizmos service as each version answers: it keeps the gizmos created,
/// and v2 answers with what v2 adds (a `weight`, the `retired` state, the
/// `solar` power).
struct Gizmos {
    v2: bool,
    gizmos: Mutex<Vec<Value>>,
}

impl Gizmos {
    fn new(v2: bool) -> Gizmos {
        let others: Vec<Value> = ["kettle", "lamp"]
            .iter()
            .map(|name| {
                let mut gizmo = json!({
                    "gizmoId": format!("g-{name}"),
                    "name": name,
                    "state": "new",
                    "power": {"kind": "mains", "socket": "type-g"},
                    "created": "2026-12-01T10:00:00.000Z",
                });
                if v2 {
                    gizmo["weight"] = json!(900);
                }
                gizmo
            })
            .collect();
        Gizmos {
            v2,
            gizmos: Mutex::new(others),
        }
    }
}

impl Service for Gizmos {
    fn handle(&self, request: &Request<'_>) -> Option<Result<Response, ApiError>> {
        let mut gizmos = self.gizmos.lock().unwrap();
        let answer = match request.entry.name.as_str() {
            "createGizmo" => {
                let body = request.body.clone().unwrap_or_default();
                let mut gizmo = json!({
                    "gizmoId": request.args["gizmoId"],
                    "name": body["name"],
                    "created": "2026-12-02T10:00:00.000Z",
                });
                if let Some(tags) = body.get("tags") {
                    gizmo["tags"] = tags.clone();
                }
                if self.v2 {
                    // What the newer service answers, whatever was asked.
                    gizmo["state"] = json!("retired");
                    gizmo["power"] = json!({"kind": "solar", "panels": 4});
                    gizmo["weight"] = json!(120);
                } else {
                    gizmo["state"] = json!("active");
                    gizmo["power"] = body["power"].clone();
                }
                gizmos.insert(0, gizmo.clone());
                Ok(Response::Json(gizmo))
            }
            "gizmo" => gizmos
                .iter()
                .find(|g| g["gizmoId"] == json!(request.args["gizmoId"]))
                .cloned()
                .map(Response::Json)
                .ok_or_else(|| ApiError::not_found("no such gizmo")),
            "listGizmos" => {
                let limit: usize = request
                    .query
                    .get("limit")
                    .map_or(1000, |l| l.parse().unwrap());
                let start: usize = request
                    .query
                    .get("continuationToken")
                    .map_or(0, |t| t.parse().unwrap());
                let page: Vec<Value> = gizmos.iter().skip(start).take(limit).cloned().collect();
                let mut answer = json!({ "gizmos": page });
                if start + limit < gizmos.len() {
                    answer["continuationToken"] = json!((start + limit).to_string());
                }
                Ok(Response::Json(answer))
            }
            _ => return None,
        };
        Some(answer)
    }
}

async fn fake(version: &str) -> TcFake {
    TcFake::builder()
        .references(references(version))
        .service("gizmos", Gizmos::new(version == "v2"))
        .start()
        .await
        .unwrap()
}

fn root(tc: &TcFake) -> Credentials {
    let (client_id, access_token) = tc.root_credentials();
    Credentials::new(client_id, access_token)
}

#[tokio::test]
async fn code_built_against_v1_runs_against_v1() {
    let tc = fake("v1").await;
    let seen = v1::exercise(tc.root_url(), root(&tc)).await.unwrap();
    assert_eq!(seen.state, "active");
    assert_eq!(seen.power, "battery of 9 volts");
    assert_eq!(seen.first_page, ["clock", "kettle"]);
    assert_eq!(seen.all, ["clock", "kettle", "lamp"]);
    assert_eq!(seen.pattern, "primary.g-1.#");
    assert_eq!(
        seen.written_back,
        json!({
            "gizmoId": "g-1", "name": "clock", "tags": ["kitchen"], "state": "active",
            "power": {"kind": "battery", "volts": 9}, "created": "2026-12-02T10:00:00.000Z",
        })
    );
    assert_eq!(
        tc.requests("gizmos", "listGizmos"),
        1 + 2,
        "one page, then every page of two"
    );
}

#[tokio::test]
async fn code_built_against_v1_decodes_what_v2_answers_and_keeps_what_it_does_not_know() {
    let tc = fake("v2").await;
    let seen = v1::exercise(tc.root_url(), root(&tc)).await.unwrap();
    assert_eq!(seen.state, "a state this code does not know: retired");
    assert_eq!(
        seen.power,
        r#"a power this code does not know: {"kind":"solar","panels":4}"#
    );
    assert_eq!(seen.all, ["clock", "kettle", "lamp"]);
    // The unknown state and power are written back as they came; the field v1
    // does not know (`weight`) is not in v1's type, so it is the one thing left out.
    assert_eq!(
        seen.written_back,
        json!({
            "gizmoId": "g-1", "name": "clock", "tags": ["kitchen"], "state": "retired",
            "power": {"kind": "solar", "panels": 4}, "created": "2026-12-02T10:00:00.000Z",
        })
    );
}

#[tokio::test]
async fn the_same_code_built_against_v2_runs_against_v2() {
    let tc = fake("v2").await;
    let seen = v2::exercise(tc.root_url(), root(&tc)).await.unwrap();
    // v2 knows `retired` and `solar`, which the v1-era code still does not name.
    assert_eq!(seen.state, "a state this code does not know: retired");
    assert!(seen.power.starts_with("Solar("), "{}", seen.power);
    assert_eq!(seen.written_back["weight"], 120);
    assert_eq!(
        seen.written_back["power"],
        json!({"kind": "solar", "panels": 4})
    );
    assert_eq!(seen.first_page, ["clock", "kettle"]);
    assert_eq!(seen.all, ["clock", "kettle", "lamp"]);
    assert_eq!(seen.pattern, "primary.g-1.#");

    // What v2 adds is there for code written against it.
    use tc_bump::v2::gizmos::{CreateGizmoRequest, GizmoPower, GizmoPowerSolar, Gizmos, State};
    let client: Gizmos = Gizmos::builder()
        .root_url(tc.root_url())
        .credentials(root(&tc))
        .retry(tc_client::RetryPolicy::none())
        .build()
        .unwrap();
    let request = CreateGizmoRequest::new(
        "panel",
        GizmoPower::Solar(GizmoPowerSolar::new(2.try_into().unwrap())),
    )
    .color("green");
    let created = client.create_gizmo("g-2", &request).await.unwrap();
    assert_eq!(created.state, State::Retired);
    assert_eq!(created.weight, 120);
    let retired = client
        .list_gizmos()
        .state("retired")
        .limit(1)
        .await
        .unwrap();
    assert_eq!(retired.gizmos.len(), 1);
    // The new method is there; this fake service does not implement it.
    let error = client.delete_gizmo("g-2").await.unwrap_err();
    assert_eq!(error.status(), Some(501), "{error}");
}
