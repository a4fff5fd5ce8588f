//! `tc`: a Taskcluster command line built from the same references and service model
//! as tc-client. Every API method is a subcommand of `tc api`, its input decoded into
//! the method's generated request type before anything is sent; the shell client's
//! everyday commands (`task`, `group`, `artifact`, `object`, `from-now`, `slugid`),
//! temporary credentials, signed URLs and Pulse listening sit beside it.
#![deny(missing_docs)]

mod call;
mod cli;
mod commands;
mod failure;
mod input;
mod listening;
mod output;
mod settings;
mod table;
mod time_text;

use std::process::ExitCode;

use clap::FromArgMatches;

use crate::cli::Written;
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;

fn main() -> ExitCode {
    let matches = match cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            // --help and --version end well; a usage error is exit code 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(failure::EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tc: cannot start: {e}");
            return ExitCode::from(failure::EXIT_OTHER);
        }
    };
    match runtime.block_on(run(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("tc: {failure}");
            failure.exit_code()
        }
    }
}

async fn run(matches: &clap::ArgMatches) -> Result<(), Failure> {
    let settings = Settings {
        root_url: matches.get_one::<String>("root-url").cloned(),
        authorized_scopes: matches
            .get_many::<String>("authorized-scopes")
            .map(|scopes| scopes.cloned().collect()),
    };
    let output = Output::new(matches.get_flag("compact"));
    match matches.subcommand() {
        Some(("api", sub)) => return commands::api::run(sub, &settings, output).await,
        Some(("signed-url", sub)) => return commands::signed_url::run(sub, &settings),
        Some(("listen", sub)) => return commands::listen::run(sub).await,
        _ => {}
    }
    let written = Written::from_arg_matches(matches).map_err(|e| Failure::Usage(e.to_string()))?;
    match &written {
        Written::Creds(command) => commands::creds::run(command, &settings),
        Written::Task(command) => commands::task::run(command, &settings, output).await,
        Written::Group(command) => commands::group::run(command, &settings, output).await,
        Written::Artifact(command) => commands::artifact::run(command, &settings).await,
        Written::Object(command) => commands::object::run(command, &settings, output).await,
        Written::References(command) => commands::references::run(command, &settings).await,
        Written::FromNow { duration } => commands::simple::from_now(duration),
        Written::Slugid { command } => commands::simple::slugid(command.as_ref()),
        Written::Completions { shell } => {
            let mut command = cli::command();
            clap_complete::generate(*shell, &mut command, "tc", &mut std::io::stdout());
            Ok(())
        }
    }
}
