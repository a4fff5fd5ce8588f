//! What names a call in its errors: the service method, the HTTP method and
//! the URL (shown without its query, which may carry a signature).

use std::fmt;

use crate::error::Error;

/// One call, as its errors name it.
#[derive(Clone, Copy)]
pub struct CallSite<'a> {
    /// Like `queue.createTask` (for data transfers, the method whose answer
    /// gave the URL, like `object.getUrl`).
    pub service_method: &'a (dyn fmt::Display + Sync),
    /// `"GET"`, ...
    pub method: &'static str,
    /// The URL, displayed as errors show it (as `ShownUrl` does).
    pub url: &'a (dyn fmt::Display + Sync),
}

impl CallSite<'_> {
    /// The call, or its retries, ran out of time.
    pub fn timeout(&self, attempts: u32) -> Error {
        Error::Timeout {
            service_method: self.service_method.to_string(),
            method: self.method,
            url: self.url.to_string(),
            attempts,
        }
    }

    /// The request could not be sent or the answer not read.
    pub fn transport(
        &self,
        attempts: u32,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Error {
        Error::Transport {
            service_method: self.service_method.to_string(),
            method: self.method,
            url: self.url.to_string(),
            attempts,
            source,
        }
    }

    /// An answer (of `status`, when one arrived) that cannot be decoded or used.
    pub fn decode(&self, status: Option<u16>, message: String, excerpt: String) -> Error {
        Error::Decode {
            service_method: self.service_method.to_string(),
            method: self.method,
            url: self.url.to_string(),
            status,
            message,
            excerpt,
        }
    }
}

/// A URL given as text, displayed as errors show URLs: without its query,
/// fragment and password.
#[cfg(feature = "transfer")]
pub struct ShownText<'a>(pub &'a str);

#[cfg(feature = "transfer")]
impl fmt::Display for ShownText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match url::Url::parse(self.0) {
            Ok(parsed) => crate::client::api_url::ShownUrl(&parsed).fmt(f),
            Err(_) => f.write_str(self.0.split(['?', '#']).next().unwrap_or_default()),
        }
    }
}

/// An answer a generated method decoded that the transfer code cannot act on
/// (a variant this version does not know): a decode error of that call, whose
/// URL `url` gives (the method's `_url` function; without its query).
#[cfg(feature = "transfer")]
pub fn unexpected_answer(
    service_method: &str,
    method: &'static str,
    url: crate::error::Result<String>,
    message: String,
    excerpt: String,
) -> Error {
    let url = url.unwrap_or_default();
    let site = CallSite {
        service_method: &service_method,
        method,
        url: &ShownText(&url),
    };
    site.decode(Some(200), message, excerpt)
}
