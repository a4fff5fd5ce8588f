//! Rust names from reference names: one sanitizer for every identifier.

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words Rust reserves (strict and reserved keywords, 2024 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps letters, digits and separators, so that heck sees word boundaries.
fn clean(input: &str) -> String {
    input
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` type name; never empty, never starting with a digit.
pub fn type_name(input: &str) -> String {
    let mut name = clean(input).to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Unnamed");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'X');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// `snake_case` function, field or module name; never a keyword.
pub fn snake_name(input: &str) -> String {
    let mut name = clean(input).to_snake_case();
    if name.is_empty() {
        name.push_str("unnamed");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The client type of a service: its type name (`Queue`), with `Client` added
/// when one of the service's generated types has that name already.
pub fn client_name(service: &str, type_names: &std::collections::BTreeSet<String>) -> String {
    let mut name = type_name(service);
    if type_names.contains(&name) {
        name.push_str("Client");
    }
    name
}

/// `kebab-case` command name, as the CLI spells entries and exchanges
/// (`createTask` is `create-task`, `azureContainerSAS` is `azure-container-sas`).
pub fn command_name(input: &str) -> String {
    clean(input).to_kebab_case()
}

/// An identifier token for an already sanitized name.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The singular of an English plural, well enough for property names.
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses") || word.ends_with("uses") {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with("us") || word.ends_with("ss") {
        word.to_owned()
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_owned()
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_names_are_kebab_case() {
        assert_eq!(super::command_name("createTask"), "create-task");
        assert_eq!(
            super::command_name("azureContainerSAS"),
            "azure-container-sas"
        );
        assert_eq!(super::command_name("task-completed"), "task-completed");
    }

    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            type_name("Task Definition Request"),
            "TaskDefinitionRequest"
        );
        assert_eq!(type_name(".taskcluster.yml format"), "TaskclusterYmlFormat");
        assert_eq!(type_name("list-workers-response"), "ListWorkersResponse");
        assert_eq!(type_name("3d"), "X3d");
        assert_eq!(snake_name("createTask"), "create_task");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("gen"), "gen_");
        assert_eq!(snake_name("purge-cache"), "purge_cache");
        assert_eq!(snake_name("taskQueueId"), "task_queue_id");
        assert_eq!(singular("scopes"), "scope");
        assert_eq!(singular("dependencies"), "dependency");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("addresses"), "address");
    }
}
