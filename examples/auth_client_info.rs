//! A client's expiry and expanded scopes, as the Go client's auth example
//! does: `auth.client` answers the client's own scopes and the scopes they
//! expand to through the roles they assume.
//!
//! Without `TASKCLUSTER_ROOT_URL` it starts tc-fake and first creates role
//! `project:examples/reader` (two scopes) and a client expiring in 90 days
//! that assumes it, so that the expansion shows.
//!
//! Against a real deployment, name the client with `CLIENT_ID` or as the
//! first argument (default: your own, `TASKCLUSTER_CLIENT_ID`):
//!
//! ```sh
//! TASKCLUSTER_ROOT_URL=https://tc.example.com \
//! TASKCLUSTER_CLIENT_ID=... TASKCLUSTER_ACCESS_TOKEN=... \
//! cargo run --example auth_client_info -- project/my-client
//! ```
//!
//! Reading a client takes `auth:get-client:<clientId>`.

use tc_client::Time;
use tc_client::auth::{Auth, CreateClientRequest, CreateRoleRequest};
use tc_examples::{BoxError, Deployment, non_empty_env};

/// The role the client made on tc-fake assumes.
const FAKE_ROLE: &str = "project:examples/reader";

/// On tc-fake: creates [`FAKE_ROLE`] and a client assuming it; answers the
/// client's id.
async fn create_fake_client(auth: &Auth) -> Result<String, BoxError> {
    let role = CreateRoleRequest::new(
        "Reads the examples' private artifacts and secrets",
        [
            "queue:get-artifact:private/examples/*".parse()?,
            "secrets:get:project/examples/*".parse()?,
        ],
    );
    auth.create_role(FAKE_ROLE, &role).await?;
    println!(
        "created role {FAKE_ROLE} granting {}",
        role.scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let client_id = format!("project/examples/client-info-{}", tc_client::slugid::nice());
    let request = CreateClientRequest::new(
        "A client of the auth_client_info example",
        Time::from_now("90 days")?,
    )
    .scopes([
        format!("assume:{FAKE_ROLE}").parse()?,
        "queue:create-task:low:proj-examples/*".parse()?,
    ])
    .delete_on_expiration(true);
    let created = auth.create_client(&client_id, &request).await?;
    println!(
        "created client {} expiring {}",
        created.client_id.as_str(),
        created.expires
    );
    Ok(client_id)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let deployment = Deployment::start_or_from_env().await?;
    println!("deployment: {}", deployment.describe());
    let auth: Auth = deployment.client()?;

    let client_id = match deployment.fake() {
        Some(_) => create_fake_client(&auth).await?,
        None => std::env::args()
            .nth(1)
            .or_else(|| non_empty_env("CLIENT_ID"))
            .or_else(|| deployment.credentials().map(|c| c.client_id().to_owned()))
            .ok_or("name the client to describe: CLIENT_ID=<clientId>, or as the first argument")?,
    };

    let client = auth.client(&client_id).await?;
    let days_left = ((client.expires - Time::now()).as_seconds_f64() / 86_400.0).round();
    println!("client {}", client.client_id.as_str());
    println!("  description: {}", client.description);
    println!("  expires: {} (in {days_left} days)", client.expires);
    println!("  disabled: {}", client.disabled);
    println!("scopes ({}):", client.scopes.len());
    for scope in &client.scopes {
        println!("  - {}", scope.as_str());
    }
    println!("expanded scopes ({}):", client.expanded_scopes.len());
    for scope in &client.expanded_scopes {
        println!("  - {}", scope.as_str());
    }
    Ok(())
}
