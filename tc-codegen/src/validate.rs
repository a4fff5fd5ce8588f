//! Checks on reference documents before anything is generated, so that a
//! malformed reference is a precise error instead of broken Rust.

use std::collections::BTreeSet;

use crate::error::{CodegenError, Location, Result};
use crate::reference::{ApiReference, ExchangesReference};

fn invalid(
    service: &str,
    entry: &str,
    file: &str,
    pointer: String,
    message: String,
) -> CodegenError {
    CodegenError::Invalid {
        location: Box::new(Location {
            service: service.to_owned(),
            entry: Some(entry.to_owned()),
            file: Some(file.to_owned()),
            pointer: Some(pointer),
        }),
        message,
    }
}

/// Validates an API reference read from `file`.
pub fn api(reference: &ApiReference, file: &str) -> Result<()> {
    let service = &reference.service_name;
    let mut names = BTreeSet::new();
    for (index, entry) in reference.entries.iter().enumerate() {
        let at = |field: &str| format!("/entries/{index}/{field}");
        if !names.insert(entry.name.as_str()) {
            return Err(invalid(
                service,
                &entry.name,
                file,
                at("name"),
                "duplicate entry name".into(),
            ));
        }
        if !is_identifier(&entry.name) {
            return Err(invalid(
                service,
                &entry.name,
                file,
                at("name"),
                format!("`{}` is not an identifier", entry.name),
            ));
        }
        if !matches!(
            entry.method.as_str(),
            "get" | "post" | "put" | "delete" | "patch"
        ) {
            return Err(invalid(
                service,
                &entry.name,
                file,
                at("method"),
                format!("unsupported HTTP method `{}`", entry.method),
            ));
        }
        if !entry.route.starts_with('/') {
            return Err(invalid(
                service,
                &entry.name,
                file,
                at("route"),
                format!("route `{}` does not start with `/`", entry.route),
            ));
        }
        let placeholders = placeholders(&entry.route);
        let args: BTreeSet<&str> = entry.args.iter().map(String::as_str).collect();
        if placeholders != args || args.len() != entry.args.len() {
            return Err(invalid(
                service,
                &entry.name,
                file,
                at("args"),
                format!(
                    "route `{}` and args {:?} do not name the same arguments",
                    entry.route, entry.args
                ),
            ));
        }
        for (q, query) in entry.query.iter().enumerate() {
            if !is_identifier(query) {
                return Err(invalid(
                    service,
                    &entry.name,
                    file,
                    format!("/entries/{index}/query/{q}"),
                    format!("query argument `{query}` is not an identifier"),
                ));
            }
        }
    }
    Ok(())
}

/// Validates an exchanges reference read from `file`.
pub fn exchanges(reference: &ExchangesReference, file: &str) -> Result<()> {
    let service = &reference.service_name;
    let mut names = BTreeSet::new();
    for (index, entry) in reference.entries.iter().enumerate() {
        if !names.insert(entry.name.as_str()) || !is_identifier(&entry.name) {
            return Err(invalid(
                service,
                &entry.name,
                file,
                format!("/entries/{index}/name"),
                "exchange names must be unique identifiers".into(),
            ));
        }
        let mut parts = BTreeSet::new();
        for (p, part) in entry.routing_key.iter().enumerate() {
            if !parts.insert(part.name.as_str()) || !is_identifier(&part.name) {
                return Err(invalid(
                    service,
                    &entry.name,
                    file,
                    format!("/entries/{index}/routingKey/{p}/name"),
                    format!(
                        "routing-key part `{}` is not a unique identifier",
                        part.name
                    ),
                ));
            }
        }
        if entry
            .routing_key
            .iter()
            .filter(|p| p.multiple_words)
            .count()
            > 1
        {
            return Err(invalid(
                service,
                &entry.name,
                file,
                format!("/entries/{index}/routingKey"),
                "at most one routing-key part may span several words".into(),
            ));
        }
    }
    Ok(())
}

fn placeholders(route: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = route;
    while let Some(start) = rest.find('<') {
        match rest[start..].find('>') {
            Some(len) => {
                out.insert(&rest[start + 1..start + len]);
                rest = &rest[start + len + 1..];
            }
            None => break,
        }
    }
    out
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_placeholders() {
        let found = placeholders("/task/<taskId>/runs/<runId>");
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            vec!["runId", "taskId"]
        );
        assert!(is_identifier("createTask"));
        assert!(!is_identifier("create-task"));
        assert!(!is_identifier(""));
    }
}
