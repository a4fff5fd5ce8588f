//! `tc signed-url <service> <method> [path args...] [--query NAME=VALUE]... --ttl 10m`:
//! the URL of a GET method with a bewit, which works without credentials until it
//! expires.

use clap::{Arg, ArgMatches, Command};

use crate::commands::api::{self, path_and_query_args};
use crate::failure::Failure;
use crate::output;
use crate::settings::Settings;
use crate::table::SERVICES;
use crate::time_text::duration;

/// The `signed-url` command: a subcommand per service and per GET entry.
pub fn command() -> Command {
    Command::new("signed-url")
        .about("The URL of a GET method, signed for a while with the environment's credentials")
        .subcommand_required(true)
        .subcommands(SERVICES.iter().map(|service| {
            api::service_command(service).subcommands(
                service
                    .entries
                    .iter()
                    .filter(|e| e.endpoint.method == tc_client::HttpMethod::Get)
                    .map(|entry| {
                        path_and_query_args(Command::new(entry.command).about(entry.title), entry)
                            .arg(
                                Arg::new("ttl")
                                    .long("ttl")
                                    .value_name("DURATION")
                                    .default_value("15m")
                                    .help("How long the URL works (`10m`, `1h`, `2 days`)"),
                            )
                    }),
            )
        }))
}

/// Runs a matched `tc signed-url ...`.
pub fn run(matches: &ArgMatches, settings: &Settings) -> Result<(), Failure> {
    let Some((service, entry, matches)) = api::matched(matches) else {
        return Err(Failure::Usage("no such method".to_owned()));
    };
    let ttl = duration(
        matches
            .get_one::<String>("ttl")
            .map_or("15m", String::as_str),
    )?;
    let args = api::path_args(entry, matches);
    let query = api::query_args(entry, matches)?;
    let client = (service.client)(settings)?;
    let url =
        tc_client::__private::endpoint_signed_url(&client, &entry.endpoint, &args, &query, ttl)?;
    output::line(&url)
}
