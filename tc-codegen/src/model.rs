//! The model of a deployment's services, built once from its references and
//! read by everything that needs to know what a service offers: the method and
//! exchange emitters of tc-client and the router of tc-fake.
//!
//! A [`Service`] holds its entries (HTTP method, route, path and query
//! arguments, input and output schema files, scope expression, paging, whether
//! the answer is a redirect) and its exchanges (full name, routing-key parts,
//! message schema file). The references are validated ([`crate::validate`])
//! as the model is built, so every route's placeholders are its arguments.
//! The Rust types of the schemas come later, from the bundler and typify.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{CodegenError, Location, Result};
use crate::loader::{Loader, schema_file};
use crate::reference::{
    ApiEntry, ApiReference, ExchangeEntry, ExchangesReference, Manifest, RoutingKeyEntry,
};
use crate::validate;

/// One service of a deployment.
#[derive(Debug, Clone)]
pub struct Service {
    /// Service name in URLs (`queue`).
    pub name: String,
    /// API version in URLs (`v1`).
    pub version: String,
    /// The API reference (title, description, the entries' prose).
    pub api: ApiReference,
    /// Root-relative path of the API reference (`/references/queue/v1/api.json`).
    pub api_file: String,
    /// The API methods (the reference's entries of type `function`), in
    /// reference order.
    pub entries: Vec<Entry>,
    /// The Pulse exchanges, when the service has an exchanges reference.
    pub exchanges: Option<Exchanges>,
}

impl Service {
    /// The service's title (`Queue Service`; empty when the reference has none).
    pub fn title(&self) -> &str {
        &self.api.title
    }

    /// The service's description (markdown).
    pub fn description(&self) -> &str {
        &self.api.description
    }

    /// The entry called `name` (`createTask`).
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name() == name)
    }
}

/// One API method.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The reference's entry (name, prose, stability, ...).
    pub reference: ApiEntry,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The route as text runs and argument slots.
    pub route: Vec<RoutePart>,
    /// Root-relative path of the input schema file, if the entry takes a body.
    pub input: Option<String>,
    /// Root-relative path of the output schema file, if the entry answers JSON.
    pub output: Option<String>,
    /// Whether the entry pages with `continuationToken`.
    pub paged: bool,
    /// Whether the entry answers with a redirect
    /// ([`ApiEntry::answers_with_redirect`]).
    pub redirect: bool,
    /// The scope expression a caller must satisfy (strings, `AllOf`, `AnyOf`,
    /// `for`/`each`/`in`, `if`/`then`/`else`), or `None` when the entry needs
    /// no scopes.
    pub scopes: Option<Value>,
}

impl Entry {
    /// The entry's name (`createTask`).
    pub fn name(&self) -> &str {
        &self.reference.name
    }

    /// The entry's title (`Create New Task`; may be empty).
    pub fn title(&self) -> &str {
        &self.reference.title
    }

    /// The entry's description (markdown; may be empty).
    pub fn description(&self) -> &str {
        &self.reference.description
    }

    /// The entry's stability (`stable`, `experimental`, `deprecated`; may
    /// be empty).
    pub fn stability(&self) -> &str {
        &self.reference.stability
    }

    /// The route as the reference writes it (`/task/<taskId>/status`).
    pub fn route_template(&self) -> &str {
        &self.reference.route
    }

    /// Whether a call needs scopes (and so credentials).
    pub fn needs_scopes(&self) -> bool {
        self.scopes.is_some()
    }

    /// The path arguments, in route order.
    pub fn args(&self) -> &[String] {
        &self.reference.args
    }

    /// The query arguments.
    pub fn query(&self) -> &[String] {
        &self.reference.query
    }

    /// The route's `/`-separated components after the leading `/`
    /// (`/task/<taskId>/status` → `task`, `<taskId>`, `status`; a trailing `/`
    /// gives a final empty literal), as a request path is matched.
    pub fn components(&self) -> Vec<Component<'_>> {
        let route = &self.reference.route;
        route
            .strip_prefix('/')
            .unwrap_or(route)
            .split('/')
            .map(
                |part| match part.strip_prefix('<').and_then(|p| p.strip_suffix('>')) {
                    Some(arg) => Component::Arg(arg),
                    None => Component::Literal(part),
                },
            )
            .collect()
    }
}

/// An HTTP method of an API entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl HttpMethod {
    /// The method as HTTP writes it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
        }
    }

    /// The method of a reference (`get`, lower case, as validated).
    fn of(reference: &str) -> Option<HttpMethod> {
        Some(match reference {
            "get" => HttpMethod::Get,
            "post" => HttpMethod::Post,
            "put" => HttpMethod::Put,
            "delete" => HttpMethod::Delete,
            "patch" => HttpMethod::Patch,
            _ => return None,
        })
    }
}

/// A piece of a route, for building URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoutePart {
    /// Literal text (`/task/`).
    Literal(String),
    /// The path argument at this index of [`Entry::args`].
    Arg(usize),
}

/// One `/`-separated component of a route, for matching request paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component<'e> {
    /// Must be exactly this text.
    Literal(&'e str),
    /// A path argument (`taskId`).
    Arg(&'e str),
}

/// A service's Pulse exchanges.
#[derive(Debug, Clone)]
pub struct Exchanges {
    /// The exchanges reference (prefix, title, description).
    pub reference: ExchangesReference,
    /// Root-relative path of the exchanges reference.
    pub file: String,
    /// The exchanges, in reference order.
    pub exchanges: Vec<Exchange>,
}

/// One exchange.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The reference's entry (name, routing key, prose).
    pub reference: ExchangeEntry,
    /// The full exchange name (`exchange/taskcluster-queue/v1/task-defined`).
    pub full_name: String,
    /// Root-relative path of the message schema file.
    pub schema: String,
}

impl Exchanges {
    /// The exchanges' title (may be empty).
    pub fn title(&self) -> &str {
        &self.reference.title
    }

    /// The exchanges' description (markdown).
    pub fn description(&self) -> &str {
        &self.reference.description
    }
}

impl Exchange {
    /// The exchange's title (may be empty).
    pub fn title(&self) -> &str {
        &self.reference.title
    }

    /// The exchange's description (markdown; may be empty).
    pub fn description(&self) -> &str {
        &self.reference.description
    }

    /// The exchange's name (`taskDefined`).
    pub fn name(&self) -> &str {
        &self.reference.name
    }

    /// The routing-key parts, in order.
    pub fn routing_key(&self) -> &[RoutingKeyEntry] {
        &self.reference.routing_key
    }
}

/// The services the manifest lists an `api.json` for, sorted by name.
pub fn service_names(loader: &mut Loader) -> Result<Vec<String>> {
    let manifest = manifest(loader, &Location::default())?;
    let mut names: Vec<String> = manifest
        .references
        .iter()
        .filter_map(|r| api_file_service(r).map(str::to_owned))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// The model of the service called `name`.
pub fn service(loader: &mut Loader, name: &str) -> Result<Service> {
    let location = Location {
        service: name.to_owned(),
        ..Location::default()
    };
    let manifest = manifest(loader, &location)?;
    let find = |suffix: &str| {
        manifest
            .references
            .iter()
            .find(|r| {
                r.strip_prefix("/references/")
                    .and_then(|rest| rest.strip_prefix(name))
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|rest| rest.ends_with(suffix) && rest.matches('/').count() == 1)
            })
            .cloned()
    };
    let Some(api_file) = find("/api.json") else {
        return Err(CodegenError::UnknownService {
            service: name.to_owned(),
            known: service_names(loader)?.join(", "),
        });
    };
    let api: ApiReference = load_as(loader, &api_file, &location)?;
    validate::api(&api, &api_file)?;
    let exchanges = match find("/exchanges.json") {
        Some(file) => {
            let reference: ExchangesReference = load_as(loader, &file, &location)?;
            validate::exchanges(&reference, &file)?;
            Some(exchanges_of(reference, file))
        }
        None => None,
    };
    let entries = api
        .entries
        .iter()
        .filter(|e| e.kind == "function")
        .map(|e| entry_of(&api.service_name, e, &api_file))
        .collect::<Result<Vec<_>>>()?;
    Ok(Service {
        name: api.service_name.clone(),
        version: api.api_version.clone(),
        api,
        api_file,
        entries,
        exchanges,
    })
}

/// The models of every service the manifest lists.
pub fn services(loader: &mut Loader) -> Result<Vec<Service>> {
    service_names(loader)?
        .iter()
        .map(|name| service(loader, name))
        .collect()
}

fn manifest(loader: &mut Loader, location: &Location) -> Result<Manifest> {
    load_as(loader, "/references/manifest.json", location)
}

/// `/references/queue/v1/api.json` → `queue`.
fn api_file_service(file: &str) -> Option<&str> {
    let rest = file.strip_prefix("/references/")?;
    let (service, file) = rest.split_once('/')?;
    file.ends_with("/api.json").then_some(service)
}

fn load_as<T: DeserializeOwned>(loader: &mut Loader, file: &str, location: &Location) -> Result<T> {
    let value = loader.load(file, location)?.clone();
    serde_json::from_value(value).map_err(|e| CodegenError::Invalid {
        location: Box::new(Location {
            file: Some(file.to_owned()),
            ..location.clone()
        }),
        message: format!("not a valid reference document: {e}"),
    })
}

fn entry_of(schema_service: &str, entry: &ApiEntry, file: &str) -> Result<Entry> {
    let method = HttpMethod::of(&entry.method).ok_or_else(|| CodegenError::Invalid {
        location: Box::new(Location {
            service: schema_service.to_owned(),
            entry: Some(entry.name.clone()),
            file: Some(file.to_owned()),
            pointer: None,
        }),
        message: format!("unsupported HTTP method `{}`", entry.method),
    })?;
    let output = match entry.output.as_deref() {
        Some("blob") | None => None,
        Some(output) => Some(schema_file(schema_service, output)),
    };
    Ok(Entry {
        method,
        route: route_parts(&entry.route, &entry.args),
        input: entry
            .input
            .as_deref()
            .map(|input| schema_file(schema_service, input)),
        output,
        paged: entry.query.iter().any(|q| q == "continuationToken"),
        redirect: entry.answers_with_redirect(),
        scopes: entry.scopes.clone(),
        reference: entry.clone(),
    })
}

fn exchanges_of(reference: ExchangesReference, file: String) -> Exchanges {
    let exchanges = reference
        .entries
        .iter()
        .map(|entry| Exchange {
            full_name: format!("{}{}", reference.exchange_prefix, entry.exchange),
            schema: schema_file(&reference.service_name, &entry.schema),
            reference: entry.clone(),
        })
        .collect();
    Exchanges {
        reference,
        file,
        exchanges,
    }
}

/// Splits `/task/<taskId>/runs/<runId>` into text runs and argument slots.
pub fn route_parts(route: &str, args: &[String]) -> Vec<RoutePart> {
    let mut out = Vec::new();
    let mut rest = route;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if let Some(index) = args.iter().position(|a| a == name) {
            if start > 0 {
                out.push(RoutePart::Literal(rest[..start].to_owned()));
            }
            out.push(RoutePart::Arg(index));
        } else {
            out.push(RoutePart::Literal(rest[..start + len + 1].to_owned()));
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(RoutePart::Literal(rest.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn loader() -> Loader {
        Loader::new(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../references")
                .as_path(),
        )
        .unwrap()
    }

    #[test]
    fn routes_split_into_runs_and_components() {
        let args = vec!["taskId".to_owned(), "runId".to_owned()];
        assert_eq!(
            route_parts("/task/<taskId>/runs/<runId>/artifacts", &args),
            vec![
                RoutePart::Literal("/task/".into()),
                RoutePart::Arg(0),
                RoutePart::Literal("/runs/".into()),
                RoutePart::Arg(1),
                RoutePart::Literal("/artifacts".into()),
            ]
        );
        assert_eq!(
            route_parts("/ping", &[]),
            vec![RoutePart::Literal("/ping".into())]
        );

        let queue = service(&mut loader(), "queue").unwrap();
        let status = queue.entry("status").unwrap();
        assert_eq!(
            status.components(),
            [
                Component::Literal("task"),
                Component::Arg("taskId"),
                Component::Literal("status")
            ]
        );
        let auth = service(&mut loader(), "auth").unwrap();
        assert_eq!(
            auth.entry("listClients").unwrap().components(),
            [Component::Literal("clients"), Component::Literal("")]
        );
    }

    #[test]
    fn entries_know_their_method_schemas_paging_and_redirects() {
        let queue = service(&mut loader(), "queue").unwrap();
        assert_eq!(
            (queue.name.as_str(), queue.version.as_str()),
            ("queue", "v1")
        );
        let create = queue.entry("createTask").unwrap();
        assert_eq!(create.method, HttpMethod::Put);
        assert_eq!(create.args(), ["taskId"]);
        assert_eq!(
            create.input.as_deref(),
            Some("/schemas/queue/v1/create-task-request.json")
        );
        assert_eq!(
            create.output.as_deref(),
            Some("/schemas/queue/v1/task-status-response.json")
        );
        assert!(!create.paged && !create.redirect);
        assert!(create.reference.scopes.is_some());
        assert_eq!(create.scopes, create.reference.scopes);
        assert!(create.needs_scopes());
        assert_eq!(create.route_template(), "/task/<taskId>");
        assert_eq!(create.title(), create.reference.title);
        assert!(!queue.entry("ping").unwrap().needs_scopes());
        let group = queue.entry("listTaskGroup").unwrap();
        assert!(group.paged);
        assert!(queue.entry("getArtifact").unwrap().redirect);
        assert!(queue.entry("ping").unwrap().input.is_none());
    }

    #[test]
    fn exchanges_have_full_names_and_schema_files() {
        let queue = service(&mut loader(), "queue").unwrap();
        let exchanges = queue.exchanges.as_ref().unwrap();
        let defined = exchanges
            .exchanges
            .iter()
            .find(|e| e.name() == "taskDefined")
            .unwrap();
        assert_eq!(
            defined.full_name,
            "exchange/taskcluster-queue/v1/task-defined"
        );
        assert_eq!(
            defined.schema,
            "/schemas/queue/v1/task-defined-message.json"
        );
        assert_eq!(defined.routing_key()[0].name, "routingKeyKind");
        assert!(
            service(&mut loader(), "secrets")
                .unwrap()
                .exchanges
                .is_none()
        );
    }

    #[test]
    fn every_listed_service_has_a_model() {
        let all = services(&mut loader()).unwrap();
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        assert!(
            names.contains(&"queue") && names.contains(&"purge-cache"),
            "{names:?}"
        );
        assert!(matches!(
            service(&mut loader(), "nope"),
            Err(CodegenError::UnknownService { .. })
        ));
    }
}
