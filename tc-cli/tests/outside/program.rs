//! A program of a crate outside tc-client's workspace: it generates the secrets service
//! from references imported with `tc references import` (into `taskcluster-references/`)
//! and calls it on the deployment of TASKCLUSTER_ROOT_URL. tc-cli's tests/outside.rs
//! writes the crate around it and runs it against tc-fake.

mod deployment {
    //! The secrets service of this crate's own references.
    tc_macros::taskcluster_service!("secrets", references = "taskcluster-references");
}

use deployment::secrets::{Secret, Secrets};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secrets = Secrets::from_env()?;
    let expires = tc_client::Time::from_now("1 day")?;
    let mut value = serde_json::Map::new();
    value.insert("answer".into(), 42.into());
    secrets
        .set("outside/secret", &Secret::new(expires, value))
        .await?;
    let read = secrets.get("outside/secret").await?;
    println!("{}", serde_json::json!({"answer": read.secret["answer"]}));
    Ok(())
}
