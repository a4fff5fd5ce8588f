//! Percent-encoding of URL path components.

/// Percent-encodes one URL path component as JavaScript's
/// `encodeURIComponent` does (what the Taskcluster clients use for path
/// arguments).
pub(crate) fn encode_component(text: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'~')
        .remove(b'*')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')');
    percent_encoding::utf8_percent_encode(text, SET).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_component_matches_encode_uri_component() {
        assert_eq!(
            encode_component("public/build a.tar.gz"),
            "public%2Fbuild%20a.tar.gz"
        );
        assert_eq!(encode_component("a-b_c.d!~*'()"), "a-b_c.d!~*'()");
    }
}
