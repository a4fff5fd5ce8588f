//! Reading an API answer's body up to a cap: a hostile or broken server cannot make the
//! client hold more than the cap in memory. (Object and artifact transfers stream their
//! data and are not capped.)

use bytes::Bytes;

/// The default cap on an API answer's body: 256 MiB.
///
/// Measured on a real v106 queue (2026-12-03): a `listTaskGroup` page holds up to 1,000
/// entries of a task's definition and status, about 1.3 KB over the definition each;
/// 1,000 tasks of 30 KB (a large CI task) made a 31.6 MB page, and createTask accepts
/// definitions up to its 10 MB request limit (9.9 MB taken, 10.5 MB refused), so no
/// cap short of about 10 GB covers every page the queue may send. 256 MiB allows a full
/// page of 1,000 tasks of 268 KB each, about nine times that large CI task, while a
/// client facing a hostile server holds no more than that. Past the cap a call ends
/// with [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge); a paged method's
/// `limit` or the builder's `max_response_size` then gets the answer.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 256 * 1024 * 1024;

/// Reads the body of `response`, or `None` (without reading further) as soon as it is
/// known to exceed `limit` bytes: from its `Content-Length`, or while it arrives.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
) -> reqwest::Result<Option<Bytes>> {
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Ok(None);
    }
    // Most answers come in one chunk, which is returned as it is; more are joined once.
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut total: u64 = 0;
    while let Some(chunk) = response.chunk().await? {
        total += chunk.len() as u64;
        if total > limit {
            return Ok(None);
        }
        chunks.push(chunk);
    }
    Ok(Some(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => Bytes::from(chunks.concat()),
    }))
}
