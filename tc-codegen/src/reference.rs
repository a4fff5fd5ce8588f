//! The reference documents of a deployment, as the generator reads them.

use serde::Deserialize;
use serde_json::Value;

/// `references/<service>/v1/api.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiReference {
    /// Service name in URLs (`queue`).
    pub service_name: String,
    /// API version in URLs (`v1`).
    pub api_version: String,
    /// Human title.
    #[serde(default)]
    pub title: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// The API methods.
    pub entries: Vec<ApiEntry>,
}

/// One API method.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiEntry {
    /// `function` for API methods.
    #[serde(rename = "type")]
    pub kind: String,
    /// camelCase name (`createTask`).
    pub name: String,
    /// HTTP method, lower case.
    pub method: String,
    /// Route with `<arg>` placeholders.
    pub route: String,
    /// Path argument names, in order.
    #[serde(default)]
    pub args: Vec<String>,
    /// Query argument names.
    #[serde(default)]
    pub query: Vec<String>,
    /// Input schema, relative to `/schemas/<service>/`.
    pub input: Option<String>,
    /// Output schema, relative to `/schemas/<service>/`; `blob` for none.
    pub output: Option<String>,
    /// The scope expression.
    pub scopes: Option<Value>,
    /// `stable`, `experimental`, `deprecated`.
    #[serde(default)]
    pub stability: String,
    /// Human title.
    #[serde(default)]
    pub title: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// Grouping for docs.
    #[serde(default)]
    pub category: String,
}

impl ApiEntry {
    /// Whether the entry answers with a redirect, a `303 See Other` whose body (if
    /// any) is its answer: a GET whose reference says it redirects (in v106
    /// `queue.getArtifact`, `queue.getLatestArtifact`, `index.findArtifactFromTask`,
    /// `github.latest` and `object.download`). The references have no field for
    /// this; their descriptions say it.
    pub fn answers_with_redirect(&self) -> bool {
        self.method == "get" && self.description.to_ascii_lowercase().contains("redirect")
    }
}

/// `references/<service>/v1/exchanges.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangesReference {
    /// Service name (`queue`).
    pub service_name: String,
    /// API version (`v1`).
    pub api_version: String,
    /// Prefix of every exchange name.
    pub exchange_prefix: String,
    /// Human title.
    #[serde(default)]
    pub title: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// The exchanges.
    pub entries: Vec<ExchangeEntry>,
}

/// One exchange.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeEntry {
    /// Exchange name after the prefix (`task-defined`).
    pub exchange: String,
    /// camelCase name (`taskDefined`).
    pub name: String,
    /// Routing-key parts, in order.
    pub routing_key: Vec<RoutingKeyEntry>,
    /// Message schema, relative to `/schemas/<service>/`.
    pub schema: String,
    /// Human title.
    #[serde(default)]
    pub title: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
}

/// One part of an exchange's routing key.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutingKeyEntry {
    /// camelCase name (`taskId`).
    pub name: String,
    /// What it holds.
    #[serde(default)]
    pub summary: String,
    /// Whether it may span several words.
    #[serde(default)]
    pub multiple_words: bool,
    /// Whether publishers always set it.
    #[serde(default)]
    pub required: bool,
    /// A fixed value, if any.
    pub constant: Option<String>,
}

/// `references/manifest.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// Root-relative paths of every reference document.
    pub references: Vec<String>,
}
