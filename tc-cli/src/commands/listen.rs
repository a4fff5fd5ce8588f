//! `tc listen <service> <exchange> [--routing-key-part NAME=VALUE]...`: the typed
//! messages of one exchange as JSON lines, through the library's listener (which
//! reconnects and binds again after a broker restart).

use clap::{Arg, ArgAction, ArgMatches, Command};
use tc_client::pulse::Listener;

use crate::commands::api;
use crate::failure::Failure;
use crate::table::SERVICES;

/// The `listen` command: a subcommand per service with exchanges, and per exchange.
pub fn command() -> Command {
    Command::new("listen")
        .about("Print the messages of a Pulse exchange as JSON lines (RabbitMQ at PULSE_URL)")
        .subcommand_required(true)
        .arg(
            Arg::new("queue")
                .long("queue")
                .global(true)
                .value_name("NAME")
                .help("The queue's name (`queue/<user>/<name>`); a fresh one that goes away with the listener without"),
        )
        .arg(
            Arg::new("count")
                .long("count")
                .global(true)
                .value_name("N")
                .value_parser(clap::value_parser!(u64))
                .help("Stop after N messages"),
        )
        .subcommands(SERVICES.iter().filter(|s| !s.exchanges.is_empty()).map(|service| {
            api::service_command(service).subcommands(service.exchanges.iter().map(|exchange| {
                Command::new(exchange.command)
                    .about(exchange.title)
                    .long_about(format!(
                        "{}\n\nRouting key: {}\n\n{}",
                        exchange.title,
                        exchange.routing_key.join("."),
                        exchange.description.trim()
                    ))
                    .arg(
                        Arg::new("part")
                            .long("routing-key-part")
                            .value_name("NAME=VALUE")
                            .action(ArgAction::Append)
                            .help(format!("Match a part: {}", exchange.routing_key.join(", "))),
                    )
            }))
        }))
}

/// Runs a matched `tc listen ...`.
pub async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let url = std::env::var("PULSE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .ok_or_else(|| Failure::Usage("set PULSE_URL (amqp://user:password@host/vhost)".into()))?;
    let user = std::env::var("PULSE_USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| url_user(&url))
        .unwrap_or_else(|| "guest".to_owned());
    let (service_name, service_matches) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage("name a service".into()))?;
    let (exchange_name, exchange_matches) = service_matches
        .subcommand()
        .ok_or_else(|| Failure::Usage("name an exchange".into()))?;
    let exchange = SERVICES
        .iter()
        .find(|s| s.name == service_name)
        .and_then(|s| s.exchanges.iter().find(|e| e.command == exchange_name))
        .ok_or_else(|| Failure::Usage(format!("no exchange {service_name} {exchange_name}")))?;
    let mut parts = Vec::new();
    for pair in exchange_matches
        .get_many::<String>("part")
        .into_iter()
        .flatten()
    {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            Failure::Usage(format!("--routing-key-part {pair}: expected NAME=VALUE"))
        })?;
        if !exchange.routing_key.contains(&name) {
            return Err(Failure::Usage(format!(
                "--routing-key-part {name}: the routing key of {exchange_name} has {}",
                exchange.routing_key.join(", ")
            )));
        }
        parts.push((name.to_owned(), value.to_owned()));
    }
    let queue = matches
        .get_one::<String>("queue")
        .cloned()
        .unwrap_or_else(|| format!("tc-cli-{}", tc_client::slugid::nice()));
    // A queue of its own goes away with the listener; a named one stays for the next run.
    let exclusive = matches.get_one::<String>("queue").is_none();
    let listener = Listener::builder(&url, &user, &queue)
        .exclusive(exclusive)
        .connect()
        .await?;
    let count = matches.get_one::<u64>("count").copied();
    (exchange.listen)(&listener, parts, count).await
}

/// The user of an `amqp://user:password@host` URL.
fn url_user(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    (!parsed.username().is_empty()).then(|| parsed.username().to_owned())
}
