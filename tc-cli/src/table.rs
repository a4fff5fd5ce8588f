//! The command table: every service, entry and exchange of the references, expanded
//! at compile time by `tc_macros::taskcluster_cli_table!` from the model the generated
//! clients come from. The commands of `tc api`, `tc signed-url` and `tc listen` are
//! built from it at run time.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;
use tc_client::{Binding, Client, Endpoint, Service};

use crate::failure::Failure;
use crate::input;
use crate::settings::Settings;

/// One service: its name in URLs, prose, client and entries.
pub struct ServiceCommand {
    /// `queue`, `worker-manager`.
    pub name: &'static str,
    /// `v1`.
    pub api_version: &'static str,
    /// The reference's title.
    pub title: &'static str,
    /// The reference's description (markdown).
    pub description: &'static str,
    /// Builds a client of the service from the command line's settings.
    pub client: fn(&Settings) -> Result<Client, Failure>,
    /// Its API entries, in reference order.
    pub entries: &'static [EntryCommand],
    /// Its Pulse exchanges, in reference order.
    pub exchanges: &'static [ExchangeCommand],
}

/// One API entry.
pub struct EntryCommand {
    /// Its subcommand (`create-task` for `createTask`).
    pub command: &'static str,
    /// What the generated client's method sends.
    pub endpoint: Endpoint,
    /// The reference's title.
    pub title: &'static str,
    /// The reference's description (markdown).
    pub description: &'static str,
    /// `stable`, `experimental`, `deprecated`.
    pub stability: &'static str,
    /// The scope expression as a nested list (as the generated methods' docs write
    /// it), empty when the entry needs none.
    pub scopes: &'static str,
    /// The input schema's path, empty without one.
    pub input_schema: &'static str,
    /// The output schema's path, empty without one.
    pub output_schema: &'static str,
    /// Whether the entry pages with `continuationToken`.
    pub paged: bool,
    /// Decodes an input into the entry's generated request type and answers it
    /// encoded again; `None` for an entry without input.
    pub check: Option<CheckFn>,
}

/// One Pulse exchange.
pub struct ExchangeCommand {
    /// Its subcommand (`task-completed` for `taskCompleted`).
    pub command: &'static str,
    /// The reference's title.
    pub title: &'static str,
    /// The reference's description (markdown).
    pub description: &'static str,
    /// The names of its routing-key parts, in order.
    pub routing_key: &'static [&'static str],
    /// Listens with the exchange's generated binding, printing at most the count given.
    pub listen: ListenFn,
}

/// Decoder of one entry's input.
pub type CheckFn = fn(Value) -> Result<Value, String>;

/// What `tc listen` runs for one exchange: the listener, the routing-key values by
/// name, and the writer of each message.
pub type ListenFn = for<'a> fn(
    &'a tc_client::pulse::Listener,
    Vec<(String, String)>,
    Option<u64>,
) -> Pin<Box<dyn Future<Output = Result<(), Failure>> + 'a>>;

/// The decoder of inputs of type `T`, as the table holds it.
fn check<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> Result<Value, String> {
    input::check::<T>(value)
}

/// The listener of exchange `B`, as the table holds it.
fn listen<B>(
    listener: &tc_client::pulse::Listener,
    parts: Vec<(String, String)>,
    count: Option<u64>,
) -> Pin<Box<dyn Future<Output = Result<(), Failure>> + '_>>
where
    B: Binding + Default + Send + 'static,
    B::Message: serde::Serialize,
{
    Box::pin(crate::listening::listen_with::<B>(listener, parts, count))
}

impl Settings {
    /// A client of service `S`, as the table holds it.
    fn client<S: Service>(&self) -> Result<Client, Failure> {
        Ok(self.build::<S>()?.client().clone())
    }
}

tc_macros::taskcluster_cli_table!();

/// The service named `name`.
pub fn service(name: &str) -> Option<&'static ServiceCommand> {
    SERVICES.iter().find(|s| s.name == name)
}
