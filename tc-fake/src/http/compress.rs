//! Content negotiation for gzip: which requests accept it, and the API
//! answers Taskcluster's services compress (their `compression` middleware
//! gzips answers of 1 KiB and more when the client accepts it).

use std::io::Write as _;

use hyper::HeaderMap;
use hyper::header;

/// The size from which an API answer is compressed (the middleware's
/// default threshold).
pub(crate) const THRESHOLD: usize = 1024;

/// Whether the request's `Accept-Encoding` lists gzip (with a non-zero q).
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    value.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let is_gzip = parts
            .next()
            .is_some_and(|coding| coding.eq_ignore_ascii_case("gzip"));
        let refused = parts.any(|param| {
            param
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        is_gzip && !refused
    })
}

/// `body` gzip-encoded, when the request accepts gzip and the body is at
/// least [`THRESHOLD`] bytes; `None` when it is sent as it is.
pub(crate) fn gzip_answer(body: &[u8], request_headers: &HeaderMap) -> Option<Vec<u8>> {
    if body.len() < THRESHOLD || !accepts_gzip(request_headers) {
        return None;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn gzip_is_accepted_unless_refused_with_q_0() {
        let accepts = |value: &str| accepts_gzip(&accepting(value));
        assert!(accepts("gzip"));
        assert!(accepts("br, GZIP;q=0.5"));
        assert!(accepts("deflate, gzip ; q=1"));
        assert!(!accepts("gzip;q=0"));
        assert!(!accepts("gzip; q=0.000"));
        assert!(!accepts("identity, br"));
        assert!(!accepts("x-gzip2"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn answers_from_the_threshold_are_compressed() {
        let gzip = accepting("gzip");
        assert_eq!(gzip_answer(&[b' '; THRESHOLD - 1], &gzip), None);
        assert_eq!(gzip_answer(&[b' '; THRESHOLD], &HeaderMap::new()), None);
        let compressed = gzip_answer(&[b' '; THRESHOLD], &gzip).unwrap();
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&compressed[..]),
            &mut decoded,
        )
        .unwrap();
        assert_eq!(decoded, vec![b' '; THRESHOLD]);
    }
}
