//! `tc creds temp --scope S... --ttl 1h [--name N]`: temporary credentials issued by the
//! environment's, as shell `export` lines.

use clap::Subcommand;

use crate::failure::Failure;
use crate::output;
use crate::settings::Settings;
use crate::time_text::duration;

/// `tc creds ...`.
#[derive(Debug, Subcommand)]
pub enum CredsCommand {
    /// Temporary credentials, printed as `export` lines for a shell's `eval`
    Temp {
        /// A scope they get (repeat it; each must be one the issuer has)
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// How long they last (at most 31 days)
        #[arg(long, default_value = "1h")]
        ttl: String,
        /// Named temporary credentials: their client id (needs `auth:create-client:<name>`)
        #[arg(long)]
        name: Option<String>,
    },
}

/// Runs `tc creds ...`.
pub fn run(command: &CredsCommand, settings: &Settings) -> Result<(), Failure> {
    let CredsCommand::Temp { scopes, ttl, name } = command;
    let issuer = settings.credentials()?;
    let ttl = duration(ttl)?;
    let temp = match name {
        Some(name) => issuer.create_named_temp_creds(name, ttl, scopes.iter())?,
        None => issuer.create_temp_creds(ttl, scopes.iter())?,
    };
    output::line(&format!(
        "export TASKCLUSTER_CLIENT_ID={}",
        quoted(temp.client_id())
    ))?;
    output::line(&format!(
        "export TASKCLUSTER_ACCESS_TOKEN={}",
        quoted(temp.access_token())
    ))?;
    if let Some(certificate) = temp.certificate() {
        output::line(&format!(
            "export TASKCLUSTER_CERTIFICATE={}",
            quoted(certificate)
        ))?;
    }
    Ok(())
}

/// `text` as one single-quoted shell word.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(super::quoted(r#"{"a":"it's"}"#), r#"'{"a":"it'\''s"}'"#);
    }
}
