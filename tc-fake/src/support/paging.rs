//! Paged listings: `limit` and opaque `continuationToken`s, a last page
//! without a token, as Taskcluster pages.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::Value;

use crate::error::ApiError;

/// One page of a listing: where it starts and how many items it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    /// Index of the first item.
    pub offset: usize,
    /// Maximum number of items; `None`: all of them.
    pub limit: Option<usize>,
}

impl Paging {
    /// Reads `continuationToken` and `limit` from the query. `default_limit`
    /// applies when `limit` is absent or zero (`None`: no limit); any limit
    /// is capped at `max_limit` when one is given.
    pub(crate) fn from_query(
        query: &BTreeMap<String, String>,
        default_limit: Option<usize>,
        max_limit: Option<usize>,
    ) -> Result<Paging, ApiError> {
        let offset = match query.get("continuationToken") {
            Some(token) => decode_token(token)?,
            None => 0,
        };
        let limit = match query.get("limit") {
            Some(text) => {
                let n: usize = text
                    .parse()
                    .map_err(|_| ApiError::input(format!("invalid limit `{text}`")))?;
                if n == 0 { default_limit } else { Some(n) }
            }
            None => default_limit,
        };
        let limit = match (limit, max_limit) {
            (Some(n), Some(max)) => Some(n.min(max)),
            (None, Some(max)) => Some(max),
            (limit, None) => limit,
        };
        Ok(Paging { offset, limit })
    }

    /// The items of this page and the token of the next one, if any.
    pub(crate) fn apply<T>(self, items: Vec<T>) -> (Vec<T>, Option<String>) {
        let total = items.len();
        let start = self.offset.min(total);
        let end = match self.limit {
            Some(limit) => start.saturating_add(limit).min(total),
            None => total,
        };
        let page: Vec<T> = items.into_iter().skip(start).take(end - start).collect();
        let token = (end < total).then(|| encode_token(end));
        (page, token)
    }
}

/// Continuation tokens: the offset, opaque to callers.
fn encode_token(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn decode_token(token: &str) -> Result<usize, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("offset:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| ApiError::input(format!("invalid continuationToken `{token}`")))
}

/// Adds `continuationToken` to a listing body when there is a next page.
pub(crate) fn with_token(mut body: Value, token: Option<String>) -> Value {
    if let (Some(token), Some(map)) = (token, body.as_object_mut()) {
        map.insert("continuationToken".into(), Value::String(token));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_walks_pages_and_rejects_bad_tokens() {
        let items: Vec<u32> = (0..7).collect();
        let mut query = BTreeMap::new();
        query.insert("limit".to_string(), "3".to_string());
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let paging = Paging::from_query(&query, Some(1000), Some(1000)).unwrap();
            let (page, token) = paging.apply(items.clone());
            assert!(page.len() <= 3);
            seen.extend(page);
            pages += 1;
            match token {
                Some(t) => query.insert("continuationToken".into(), t),
                None => break,
            };
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, items);
        query.insert("continuationToken".into(), "garbage".into());
        assert_eq!(
            Paging::from_query(&query, None, None).unwrap_err().status,
            400
        );
        let mut query = BTreeMap::new();
        query.insert("limit".to_string(), "x".to_string());
        assert!(Paging::from_query(&query, None, None).is_err());
    }
}
