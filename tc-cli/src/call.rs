//! One call of an entry of the command table, with its pages walked when asked:
//! what `tc api` and the task and group shortcuts run on.

use serde_json::Value;
use tc_client::{Client, PathArg};

use crate::failure::Failure;
use crate::settings::Settings;
use crate::table::EntryCommand;

/// Calls `entry` and answers its JSON (`None` for an entry that answers nothing).
/// With `all`, a paged entry is called again with each `continuationToken` until the
/// last page, and the answer is the first page with every page's items.
pub async fn call_entry(
    client: &Client,
    entry: &'static EntryCommand,
    args: &[PathArg<'_>],
    query: &mut [Option<String>],
    body: Option<&Value>,
    all: bool,
) -> Result<Option<Value>, Failure> {
    let endpoint = &entry.endpoint;
    if entry.output_schema.is_empty() && !endpoint.redirects {
        tc_client::__private::call_no_output(client, endpoint, args, query, body).await?;
        return Ok(None);
    }
    let mut answer: Value = tc_client::__private::call(client, endpoint, args, query, body).await?;
    if all && entry.paged {
        let slot = endpoint
            .query
            .iter()
            .position(|n| *n == "continuationToken");
        while let (Some(slot), Some(token)) = (slot, continuation(&answer)) {
            query[slot] = Some(token);
            let page: Value =
                tc_client::__private::call(client, endpoint, args, query, body).await?;
            merge_page(&mut answer, page);
        }
        if let Value::Object(map) = &mut answer {
            map.remove("continuationToken");
        }
    }
    Ok(Some(answer))
}

/// Calls `service.entry` by its reference names, with text arguments, a checked
/// body and every page (`null` for an entry that answers nothing).
pub async fn invoke(
    settings: &Settings,
    service: &str,
    entry: &str,
    args: &[&str],
    body: Option<&Value>,
) -> Result<Value, Failure> {
    let missing = || Failure::Other(format!("the references have no {service}.{entry}"));
    let service = crate::table::service(service).ok_or_else(missing)?;
    let entry = service
        .entries
        .iter()
        .find(|e| e.endpoint.name == entry)
        .ok_or_else(missing)?;
    let client = (service.client)(settings)?;
    let args: Vec<PathArg<'_>> = args.iter().map(|a| PathArg::from(*a)).collect();
    let mut query = vec![None; entry.endpoint.query.len()];
    let body = match (entry.check, body) {
        (Some(check), Some(body)) => Some(check(body.clone()).map_err(Failure::Usage)?),
        _ => None,
    };
    let answer = call_entry(&client, entry, &args, &mut query, body.as_ref(), true).await?;
    Ok(answer.unwrap_or(Value::Null))
}

/// The page's `continuationToken`, if another page follows.
fn continuation(page: &Value) -> Option<String> {
    page.get("continuationToken")?.as_str().map(str::to_owned)
}

/// Appends the lists of `page` to those of `all`, whose token becomes the page's.
fn merge_page(all: &mut Value, page: Value) {
    let (Value::Object(all), Value::Object(page)) = (all, page) else {
        return;
    };
    all.remove("continuationToken");
    for (key, value) in page {
        match (all.get_mut(&key), value) {
            (Some(Value::Array(items)), Value::Array(more)) => items.extend(more),
            (_, value) => {
                all.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_merge_their_lists() {
        let mut all =
            serde_json::json!({"taskGroupId": "g", "tasks": [1], "continuationToken": "a"});
        merge_page(
            &mut all,
            serde_json::json!({"taskGroupId": "g", "tasks": [2, 3], "continuationToken": "b"}),
        );
        assert_eq!(
            all,
            serde_json::json!({"taskGroupId": "g", "tasks": [1, 2, 3], "continuationToken": "b"})
        );
        merge_page(
            &mut all,
            serde_json::json!({"taskGroupId": "g", "tasks": [4]}),
        );
        assert_eq!(
            all,
            serde_json::json!({"taskGroupId": "g", "tasks": [1, 2, 3, 4]})
        );
    }
}
