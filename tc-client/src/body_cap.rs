//! Reading an API answer's body up to a cap: a hostile or broken server cannot make the
//! client hold more than the cap in memory. (Object and artifact transfers stream their
//! data and are not capped.)

use bytes::Bytes;

/// The default cap on an API answer's body: 32 MiB. The largest answers of Taskcluster's
/// APIs are pages of up to 1,000 entries (`queue.listTaskGroup`, each entry with its
/// task's definition) and `auth.listRoles`, which is not paged; 32 MiB allows such a
/// page 32 KiB per entry, while a client facing a hostile server holds a third of the
/// 100 MB it may be sent.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 32 * 1024 * 1024;

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
