//! Static facts about one API method, emitted by the code generator.
//!
//! Generated methods are thin: each passes a `&'static Endpoint` and its
//! arguments to the generic runtime in [`crate::Client`].

/// HTTP method of an API entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The method as written on the wire (`"GET"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Patch => reqwest::Method::PATCH,
        }
    }
}

/// One piece of a route template, pre-split by the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteSegment {
    /// Literal text, copied as is.
    Literal(&'static str),
    /// The path argument at this index, percent-encoded.
    Arg(usize),
}

/// An API entry of a service reference.
///
/// The generator writes one `static` per entry, private to the service's
/// module, and each method hands its own to the runtime with its arguments;
/// programs do not normally build one. The entry behind
/// `Queue::get_artifact` reads:
///
/// ```
/// use tc_client::{Endpoint, HttpMethod, RouteSegment};
///
/// static GET_ARTIFACT: Endpoint = Endpoint {
///     service: "queue",
///     name: "getArtifact",
///     method: HttpMethod::Get,
///     route: "/task/<taskId>/runs/<runId>/artifacts/<name>",
///     segments: &[
///         RouteSegment::Literal("/task/"),
///         RouteSegment::Arg(0),
///         RouteSegment::Literal("/runs/"),
///         RouteSegment::Arg(1),
///         RouteSegment::Literal("/artifacts/"),
///         RouteSegment::Arg(2),
///     ],
///     args: &["taskId", "runId", "name"],
///     query: &[],
///     needs_scopes: true,
///     redirects: true,
/// };
/// assert_eq!(GET_ARTIFACT.method.as_str(), "GET");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// Service name (`"queue"`).
    pub service: &'static str,
    /// Entry name as in the reference (`"createTask"`).
    pub name: &'static str,
    /// HTTP method.
    pub method: HttpMethod,
    /// The route as written in the reference (`"/task/<taskId>"`).
    pub route: &'static str,
    /// The route, split into literal pieces and argument slots.
    pub segments: &'static [RouteSegment],
    /// Names of the path arguments, in order.
    pub args: &'static [&'static str],
    /// Names of the query arguments.
    pub query: &'static [&'static str],
    /// Whether the entry requires scopes (and so credentials).
    pub needs_scopes: bool,
    /// Whether the entry answers with a redirect (`303 See Other`), whose body is
    /// then its answer; any other entry's 3xx is an error.
    pub redirects: bool,
}
