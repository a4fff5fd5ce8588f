//! The command line: the written commands (derived) with the table's `api`,
//! `signed-url` and `listen` added to them.

use clap::{Arg, ArgAction, Command, Subcommand};

use crate::commands::artifact::ArtifactCommand;
use crate::commands::creds::CredsCommand;
use crate::commands::group::GroupCommand;
use crate::commands::object::ObjectCommand;
use crate::commands::references::ReferencesCommand;
use crate::commands::simple::SlugidCommand;
use crate::commands::task::TaskCommand;
use crate::commands::{api, listen, signed_url};

/// The commands written once.
#[derive(Debug, Subcommand)]
pub enum Written {
    /// Temporary credentials
    #[command(subcommand)]
    Creds(CredsCommand),
    /// A task's status, definition, artifacts, log; cancel, rerun, retrigger, complete it
    #[command(subcommand)]
    Task(TaskCommand),
    /// A task group's tasks and their states; cancel it
    #[command(subcommand)]
    Group(GroupCommand),
    /// Download an artifact (any storage type, verified)
    #[command(subcommand)]
    Artifact(ArtifactCommand),
    /// Upload and download objects (hashed and verified)
    #[command(subcommand)]
    Object(ObjectCommand),
    /// Import, update, check and diff a deployment's references for tc-macros
    #[command(subcommand)]
    References(ReferencesCommand),
    /// The timestamp a duration from now (`2 days 3 hours`, `-1h`)
    FromNow {
        /// The duration
        #[arg(allow_hyphen_values = true)]
        duration: String,
    },
    /// Slug ids: a new one (`nice`, the default, or `v4`), or between slug and UUID
    Slugid {
        #[command(subcommand)]
        command: Option<SlugidCommand>,
    },
    /// A shell's completion script for `tc` (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

/// The whole command line.
pub fn command() -> Command {
    let command = Command::new("tc")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A Taskcluster command line: every API method, typed, from the references tc-client is built from")
        .long_about(
            "A Taskcluster command line: every API method, typed, from the references tc-client is built from.\n\n\
             The deployment and credentials come from TASKCLUSTER_ROOT_URL, TASKCLUSTER_CLIENT_ID, \
             TASKCLUSTER_ACCESS_TOKEN and TASKCLUSTER_CERTIFICATE (or TASKCLUSTER_PROXY_URL).\n\n\
             Exit codes: 0 success, 1 another failure, 2 a usage error or an input refused before \
             sending, 3 an API error (4xx), 4 a server error (5xx) after retries, 5 a transport \
             failure (connection, timeout).",
        )
        .subcommand_required(true)
        .arg(
            Arg::new("root-url")
                .long("root-url")
                .global(true)
                .value_name("URL")
                .help("The deployment's root URL (instead of TASKCLUSTER_ROOT_URL)"),
        )
        .arg(
            Arg::new("authorized-scopes")
                .long("authorized-scopes")
                .global(true)
                .value_name("SCOPE")
                .action(ArgAction::Append)
                .help("Restrict the calls to these scopes (repeat it)"),
        )
        .arg(
            Arg::new("compact")
                .long("compact")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Write JSON on one line, even on a terminal"),
        )
        .subcommand(api::command())
        .subcommand(signed_url::command())
        .subcommand(listen::command());
    Written::augment_subcommands(command)
}
