//! Giving an existing client a new description and expiry, as the Go
//! client's update-client example does; it prints the client before and
//! after.
//!
//! `updateClient` replaces the description, the expiry and (when given) the
//! scopes: the example reads the client first and sends its scopes and
//! `deleteOnExpiration` back unchanged, so only the description and expiry
//! change.
//!
//! Without `TASKCLUSTER_ROOT_URL` it starts tc-fake and first creates a client
//! expiring in a day, then moves its expiry to 30 days from now.
//!
//! Against a real deployment:
//!
//! ```sh
//! TASKCLUSTER_ROOT_URL=https://tc.example.com \
//! TASKCLUSTER_CLIENT_ID=... TASKCLUSTER_ACCESS_TOKEN=... \
//! CLIENT_ID=project/my-client [DESCRIPTION="..."] [EXPIRES="30 days"] \
//! cargo run --example auth_update_client
//! ```
//!
//! `EXPIRES` is a Taskcluster `fromNow` expression (`"1 year"`, `"2 days 3
//! hours"`). It takes `auth:get-client:<CLIENT_ID>` and
//! `auth:update-client:<CLIENT_ID>`.

use tc_client::Time;
use tc_client::auth::{Auth, CreateClientRequest, GetClientResponse};
use tc_examples::{BoxError, Deployment, non_empty_env, required_env};

/// The new description unless `DESCRIPTION` says otherwise.
const DEFAULT_DESCRIPTION: &str = "Updated by tc-client's auth_update_client example";

/// The new expiry, from now, unless `EXPIRES` says otherwise.
const DEFAULT_EXPIRES: &str = "30 days";

fn show(label: &str, client: &GetClientResponse) {
    println!("{label} description: {}", client.description);
    println!("{label} expires: {}", client.expires);
    println!("{label} last modified: {}", client.last_modified);
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let deployment = Deployment::start_or_from_env().await?;
    println!("deployment: {}", deployment.describe());
    let auth: Auth = deployment.client()?;

    let client_id = match deployment.fake() {
        Some(_) => {
            let client_id = format!("project/examples/update-{}", tc_client::slugid::nice());
            let request = CreateClientRequest::new(
                "A client of the auth_update_client example",
                Time::from_now("1 day")?,
            )
            .scopes(["secrets:get:project/examples/*".parse()?])
            .delete_on_expiration(true);
            auth.create_client(&client_id, &request).await?;
            println!("created client {client_id}");
            client_id
        }
        None => required_env("CLIENT_ID", "the client to update")?,
    };
    let description = non_empty_env("DESCRIPTION").unwrap_or_else(|| DEFAULT_DESCRIPTION.into());
    let expires_in = non_empty_env("EXPIRES").unwrap_or_else(|| DEFAULT_EXPIRES.into());
    let expires = Time::from_now(&expires_in)?;

    let before = auth.client(&client_id).await?;
    show("before", &before);

    // Scopes and deleteOnExpiration unchanged: updateClient would otherwise reset them.
    let update = CreateClientRequest::new(description, expires)
        .scopes(before.scopes.clone())
        .delete_on_expiration(before.delete_on_expiration);
    let after = auth.update_client(&client_id, &update).await?;
    println!("updated client {client_id}: expiry moved to {expires_in} from now");
    show("after", &after);

    // Read back, to see what the service stored.
    let stored = auth.client(&client_id).await?;
    println!(
        "read back: description {:?}, expires {}, {} scope(s) unchanged: {}",
        stored.description,
        stored.expires,
        stored.scopes.len(),
        stored.scopes == before.scopes
    );
    Ok(())
}
