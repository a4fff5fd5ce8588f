//! Reading fields of JSON objects, with 400 `InputError`s naming the field.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::support::clock::parse_time;

/// A string field of a JSON object, or `default` when it is missing or not a
/// string.
pub(crate) fn text_or(body: &Map<String, Value>, key: &str, default: &str) -> String {
    body.get(key)
        .and_then(Value::as_str)
        .unwrap_or(default)
        .to_string()
}

/// A string field of a JSON object that must be there (400 when missing).
pub(crate) fn required_text(body: &Map<String, Value>, key: &str) -> Result<String, ApiError> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| ApiError::input(format!("`{key}` is required")))
}

/// Reads a date-time field of a JSON object (400 when missing or invalid).
pub(crate) fn time_field(body: &Map<String, Value>, key: &str) -> Result<i64, ApiError> {
    match body.get(key).and_then(Value::as_str) {
        Some(value) => parse_time(value, key),
        None => Err(ApiError::input(format!("`{key}` is required"))),
    }
}

/// A JSON array of strings as a `Vec` (anything else: empty).
pub(crate) fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Removes duplicates, keeping the first occurrence of each item.
pub(crate) fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect()
}
