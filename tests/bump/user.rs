// A user's code, written against v1 of the gizmos service and never changed:
// `tests/bump.rs` compiles it against v1 and against v2 (as `gizmos`), and
// `required/tests/ui/required.rs` against the v2 that makes a field required, each a
// crate other than the generated code's, as a user's is.
// Included with `include!`: items only.

use futures_util::TryStreamExt as _;
use gizmos::events::GizmoCreated;
use gizmos::{CreateGizmoRequest, Gizmo, GizmoPower, GizmoPowerBattery, Gizmos, State};
use tc_client::{Binding as _, Credentials};

/// What the user's code saw of the service.
#[derive(Debug)]
pub struct Seen {
    /// The state of the gizmo read back, as the code names it.
    pub state: String,
    /// Its power, as the code names it.
    pub power: String,
    /// The gizmo read back, written out again.
    pub written_back: serde_json::Value,
    /// The names of the first page of at most two gizmos.
    pub first_page: Vec<String>,
    /// The names of every gizmo, through every page of at most two.
    pub all: Vec<String>,
    /// The routing-key pattern of the binding for the gizmo.
    pub pattern: String,
}

/// Creates a gizmo with a request built from its required fields and one
/// optional one, reads it back, lists the gizmos by pages, and matches on
/// what it got as code written against v1 does.
pub async fn exercise(root_url: &str, credentials: Credentials) -> Result<Seen, tc_client::Error> {
    let client = Gizmos::new(Some(credentials), root_url)?;
    client.ping().await?;

    let battery = GizmoPowerBattery::new(std::num::NonZeroU64::MIN.saturating_add(8));
    let request = CreateGizmoRequest::new("clock", GizmoPower::Battery(battery)).tags(["kitchen"]);
    let created: Gizmo = client.create_gizmo("g-1", &request).await?;
    let gizmo = client.gizmo(&created.gizmo_id).await?;

    let state = match &gizmo.state {
        State::New => "new".to_owned(),
        State::Active => "active".to_owned(),
        other => format!("a state this code does not know: {}", other.as_str()),
    };
    let power = match &gizmo.power {
        GizmoPower::Battery(battery) => format!("battery of {} volts", battery.volts),
        GizmoPower::Mains(mains) => format!("mains at {}", mains.socket),
        GizmoPower::Unknown(unknown) => format!("a power this code does not know: {}", unknown.as_json()),
        other => format!("{other:?}"),
    };
    let written_back = serde_json::to_value(&gizmo)
        .map_err(|e| tc_client::Error::InvalidArgument(format!("writing the gizmo back: {e}")))?;

    let page = client.list_gizmos().limit(2).await?;
    let first_page = page.gizmos.into_iter().map(|g| g.name).collect();
    let all: Vec<Gizmo> = client.list_gizmos().limit(2).all().try_collect().await?;
    let all = all.into_iter().map(|g| g.name).collect();

    let binding = GizmoCreated {
        gizmo_id: Some(gizmo.gizmo_id.to_string()),
        ..Default::default()
    };
    Ok(Seen {
        state,
        power,
        written_back,
        first_page,
        all,
        pattern: binding.routing_key_pattern(),
    })
}
