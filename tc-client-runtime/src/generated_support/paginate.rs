//! Walking every page of a `continuationToken` listing as one stream.

use std::future::Future;

use futures_core::Stream;
use futures_util::stream;

use crate::error::Result;

/// Turns a page-fetching closure into a stream of items.
///
/// `fetch` gets the continuation token of the previous page (`first` for the
/// first page, normally `None`) and answers a page; `split` takes a page apart
/// into its items and the next token. The stream ends after a page without a
/// token; an error is yielded once and ends the stream.
#[doc(hidden)]
pub fn paginate<'a, P, T, F, Fut>(
    first: Option<String>,
    fetch: F,
    split: fn(P) -> (Vec<T>, Option<String>),
) -> impl Stream<Item = Result<T>> + 'a
where
    F: FnMut(Option<String>) -> Fut + 'a,
    Fut: Future<Output = Result<P>> + 'a,
    P: 'a,
    T: 'a,
{
    enum State<F> {
        Next(F, Option<String>),
        Done,
    }
    let pages = stream::unfold(State::Next(fetch, first), move |state| async move {
        let State::Next(mut fetch, token) = state else {
            return None;
        };
        match fetch(token).await {
            Ok(page) => {
                let (items, next) = split(page);
                let state = match next {
                    Some(token) if !token.is_empty() => State::Next(fetch, Some(token)),
                    _ => State::Done,
                };
                Some((Ok(items), state))
            }
            Err(error) => Some((Err(error), State::Done)),
        }
    });
    use futures_util::StreamExt;
    pages.flat_map(|page| match page {
        Ok(items) => stream::iter(items.into_iter().map(Ok)).left_stream(),
        Err(error) => stream::iter(std::iter::once(Err(error))).right_stream(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[tokio::test]
    async fn walks_pages_until_no_token() {
        let pages = [
            (vec![1, 2], Some("a".to_string())),
            (vec![3], Some("b".to_string())),
            (vec![], Some("c".to_string())),
            (vec![4, 5], None),
        ];
        let mut seen_tokens = Vec::new();
        let items: Vec<i32> = paginate(
            None,
            |token: Option<String>| {
                let index = match token.as_deref() {
                    None => 0,
                    Some("a") => 1,
                    Some("b") => 2,
                    Some("c") => 3,
                    _ => 99,
                };
                seen_tokens.push(token);
                let page = pages.get(index).cloned();
                async move { page.ok_or_else(|| crate::Error::InvalidArgument("no page".into())) }
            },
            |p: (Vec<i32>, Option<String>)| p,
        )
        .map(|r| r.unwrap())
        .collect()
        .await;
        assert_eq!(items, vec![1, 2, 3, 4, 5]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let results: Vec<Result<i32>> = paginate(
            None,
            |token: Option<String>| async move {
                match token {
                    None => Ok((vec![1], Some("x".to_string()))),
                    Some(_) => Err(crate::Error::InvalidArgument("boom".into())),
                }
            },
            |p: (Vec<i32>, Option<String>)| p,
        )
        .collect()
        .await;
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok());
        assert!(results[1].is_err());
    }
}
