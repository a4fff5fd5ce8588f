//! AMQP topic matching (`*` one word, `#` any number), to route a
//! delivery to the streams whose pattern it matches.

/// Whether an AMQP topic pattern (`*` one word, `#` any number) matches a
/// routing key.
///
/// ```
/// use tc_client::pulse::topic_matches;
///
/// assert!(topic_matches("primary.*.0.#", "primary.fN1SbArXTPSVFNUvaOlinQ.0.wg.wi"));
/// assert!(topic_matches("route.index.#", "route.index"));
/// assert!(!topic_matches("primary.*", "primary.a.b"));
/// ```
pub fn topic_matches(pattern: &str, routing_key: &str) -> bool {
    fn go(pattern: &[&str], key: &[&str]) -> bool {
        match pattern.split_first() {
            None => key.is_empty(),
            Some((&"#", rest)) => (0..=key.len()).any(|skip| go(rest, &key[skip..])),
            Some((word, rest)) => match key.split_first() {
                Some((k, key_rest)) => (*word == "*" || word == k) && go(rest, key_rest),
                None => false,
            },
        }
    }
    let pattern: Vec<&str> = pattern.split('.').collect();
    let key: Vec<&str> = if routing_key.is_empty() {
        Vec::new()
    } else {
        routing_key.split('.').collect()
    };
    go(&pattern, &key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_patterns() {
        assert!(topic_matches("a.*.#", "a.b"));
        assert!(topic_matches("a.*.#", "a.b.c.d"));
        assert!(!topic_matches("a.*.#", "a"));
        assert!(topic_matches("#.d", "a.b.c.d"));
        assert!(!topic_matches("a.*", "a.b.c"));
        assert!(topic_matches("#", "anything.at.all"));
    }
}
