//! The deployment and credentials of a command: the library's environment variables
//! (`TASKCLUSTER_ROOT_URL`, `TASKCLUSTER_CLIENT_ID`, `TASKCLUSTER_ACCESS_TOKEN`,
//! `TASKCLUSTER_CERTIFICATE`, `TASKCLUSTER_PROXY_URL`), overridden by `--root-url` and
//! narrowed by `--authorized-scopes`.

use tc_client::{ClientBuilder, Credentials, Service};

use crate::failure::Failure;

/// What every command that talks to a deployment is built from.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--root-url`, which wins over the environment.
    pub root_url: Option<String>,
    /// `--authorized-scopes`: the scopes the calls are restricted to.
    pub authorized_scopes: Option<Vec<String>>,
}

impl Settings {
    /// A client of service `S`.
    pub fn build<S: Service>(&self) -> Result<S, Failure> {
        let builder = match &self.root_url {
            Some(root_url) => ClientBuilder::<S>::default()
                .root_url(root_url.clone())
                .credentials(Credentials::from_env_optional()?),
            None if !set("TASKCLUSTER_ROOT_URL") && !set("TASKCLUSTER_PROXY_URL") => {
                return Err(Failure::Usage(
                    "no deployment: set TASKCLUSTER_ROOT_URL or give --root-url".to_owned(),
                ));
            }
            None => ClientBuilder::<S>::default().from_env()?,
        };
        let builder = match &self.authorized_scopes {
            Some(scopes) => builder.authorized_scopes(scopes.clone()),
            None => builder,
        };
        Ok(builder.build()?)
    }

    /// The credentials of the environment, required (with `--authorized-scopes`).
    pub fn credentials(&self) -> Result<Credentials, Failure> {
        let credentials = Credentials::from_env_optional()?.ok_or_else(|| {
            Failure::Usage(
                "no credentials: set TASKCLUSTER_CLIENT_ID and TASKCLUSTER_ACCESS_TOKEN".to_owned(),
            )
        })?;
        Ok(match &self.authorized_scopes {
            Some(scopes) => credentials.with_authorized_scopes(scopes.clone()),
            None => credentials,
        })
    }
}

/// Whether environment variable `name` is set and not empty.
fn set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}
