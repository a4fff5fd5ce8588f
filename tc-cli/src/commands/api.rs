//! `tc api <service> <method> [path args...] [--query NAME=VALUE]... [--input FILE|-]
//! [--all]`: any API method, its subcommands built from the command table.

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::Value;
use tc_client::PathArg;

use crate::call::call_entry;
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;
use crate::table::{EntryCommand, SERVICES, ServiceCommand};

/// The `api` command, with a subcommand per service and per entry.
pub fn command() -> Command {
    Command::new("api")
        .about("Call any API method of any service, its input checked before it is sent")
        .subcommand_required(true)
        .subcommands(SERVICES.iter().map(|service| {
            service_command(service).subcommands(service.entries.iter().map(entry_command))
        }))
}

/// A service's subcommand (without its entries).
pub fn service_command(service: &'static ServiceCommand) -> Command {
    Command::new(service.name)
        .about(service.title)
        .long_about(format!(
            "{} ({} {})\n\n{}",
            service.title,
            service.name,
            service.api_version,
            service.description.trim()
        ))
        .subcommand_required(true)
}

/// What `--help` says of an entry: title, route, stability, scopes, description.
fn long_help(entry: &EntryCommand) -> String {
    let endpoint = &entry.endpoint;
    let mut text = format!(
        "{}\n\n{} {}   (stability: {})\n",
        entry.title,
        endpoint.method.as_str(),
        endpoint.route,
        if entry.stability.is_empty() {
            "unspecified"
        } else {
            entry.stability
        }
    );
    if entry.scopes.is_empty() {
        text.push_str("\nRequired scopes: none\n");
    } else {
        text.push_str(&format!("\nRequired scopes:\n{}", entry.scopes));
    }
    if !entry.input_schema.is_empty() {
        text.push_str(&format!("Input: {}\n", entry.input_schema));
    }
    if !entry.output_schema.is_empty() {
        text.push_str(&format!("Output: {}\n", entry.output_schema));
    }
    text.push('\n');
    text.push_str(entry.description.trim());
    text
}

/// An entry's subcommand: its path arguments, `--query`, `--input`, `--all`.
pub fn entry_command(entry: &'static EntryCommand) -> Command {
    let mut command = Command::new(entry.command)
        .about(entry.title)
        .long_about(long_help(entry));
    command = path_and_query_args(command, entry);
    if entry.check.is_some() {
        command = command.arg(
            Arg::new("input")
                .long("input")
                .value_name("FILE|-")
                .required(true)
                .help(
                    "The request body, JSON (`-`: stdin); checked against its type before sending",
                ),
        );
    }
    if entry.paged {
        command = command.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Walk every page and answer one page holding all items"),
        );
    }
    command
}

/// The positional path arguments and `--query` of an entry.
pub fn path_and_query_args(mut command: Command, entry: &'static EntryCommand) -> Command {
    for name in entry.endpoint.args {
        command = command.arg(
            Arg::new(*name)
                .value_name(*name)
                .required(true)
                .help(format!("<{name}> of the route")),
        );
    }
    if !entry.endpoint.query.is_empty() {
        command = command.arg(
            Arg::new("query")
                .long("query")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help(format!(
                    "A query argument: {}",
                    entry.endpoint.query.join(", ")
                )),
        );
    }
    command
}

/// The service and entry a matched `api` (or `signed-url`) command names.
pub fn matched(
    matches: &ArgMatches,
) -> Option<(&'static ServiceCommand, &'static EntryCommand, &ArgMatches)> {
    let (service_name, service_matches) = matches.subcommand()?;
    let service = SERVICES.iter().find(|s| s.name == service_name)?;
    let (entry_name, entry_matches) = service_matches.subcommand()?;
    let entry = service.entries.iter().find(|e| e.command == entry_name)?;
    Some((service, entry, entry_matches))
}

/// The path arguments, in route order.
pub fn path_args<'m>(entry: &EntryCommand, matches: &'m ArgMatches) -> Vec<PathArg<'m>> {
    entry
        .endpoint
        .args
        .iter()
        .map(|name| PathArg::from(matches.get_one::<String>(name).map_or("", String::as_str)))
        .collect()
}

/// The query arguments, one slot per name the entry takes.
pub fn query_args(
    entry: &EntryCommand,
    matches: &ArgMatches,
) -> Result<Vec<Option<String>>, Failure> {
    let names = entry.endpoint.query;
    let mut values = vec![None; names.len()];
    let given = matches
        .try_get_many::<String>("query")
        .ok()
        .flatten()
        .into_iter()
        .flatten();
    for pair in given {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--query {pair}: expected NAME=VALUE"
            )));
        };
        let Some(slot) = names.iter().position(|n| *n == name) else {
            return Err(Failure::Usage(format!(
                "--query {name}: {}.{} takes {}",
                entry.endpoint.service,
                entry.endpoint.name,
                names.join(", ")
            )));
        };
        values[slot] = Some(value.to_owned());
    }
    Ok(values)
}

/// Reads `--input` (a file, or `-` for stdin) as JSON and checks it.
fn input(entry: &EntryCommand, matches: &ArgMatches) -> Result<Option<Value>, Failure> {
    let Some(check) = entry.check else {
        return Ok(None);
    };
    let source = matches
        .get_one::<String>("input")
        .map_or("-", String::as_str);
    let text = if source == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| Failure::Usage(format!("--input -: cannot read stdin: {e}")))?
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| Failure::Usage(format!("--input {source}: {e}")))?
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("--input {source}: not JSON: {e}")))?;
    let service_method = format!("{}.{}", entry.endpoint.service, entry.endpoint.name);
    check(value)
        .map(Some)
        .map_err(|e| Failure::Usage(format!("{service_method}: the input is refused: {e}")))
}

/// Runs a matched `tc api ...`.
pub async fn run(matches: &ArgMatches, settings: &Settings, output: Output) -> Result<(), Failure> {
    let Some((service, entry, matches)) = matched(matches) else {
        return Err(Failure::Usage("no such method".to_owned()));
    };
    let args = path_args(entry, matches);
    let mut query = query_args(entry, matches)?;
    let body = input(entry, matches)?;
    let client = (service.client)(settings)?;
    let all = entry.paged && matches.get_flag("all");
    let answer = call_entry(&client, entry, &args, &mut query, body.as_ref(), all).await?;
    match answer {
        Some(answer) => output.json(&answer),
        None => Ok(()),
    }
}
