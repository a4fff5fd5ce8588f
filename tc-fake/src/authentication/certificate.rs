//! Temporary credentials the fake issues (for claims, artifacts and objects),
//! signed as the Taskcluster clients sign them.

use base64::Engine as _;
use serde_json::{Value, json};

/// Temporary credentials (certificate version 1) issued by `issuer`, exactly
/// as the Taskcluster clients make them: `name` makes them named (with
/// `issuer` in the certificate).
pub(crate) fn temporary_credentials(
    issuer_id: &str,
    issuer_token: &str,
    name: Option<&str>,
    start_ms: i64,
    expiry_ms: i64,
    scopes: &[String],
) -> Value {
    let seed = format!("{}{}", slugid::v4(), slugid::v4());
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, issuer_token.as_bytes());
    let mut text = String::from("version:1\n");
    if let Some(name) = name {
        text.push_str(&format!("clientId:{name}\nissuer:{issuer_id}\n"));
    }
    text.push_str(&format!(
        "seed:{seed}\nstart:{start_ms}\nexpiry:{expiry_ms}\nscopes:\n"
    ));
    text.push_str(&scopes.join("\n"));
    let signature = base64::engine::general_purpose::STANDARD
        .encode(ring::hmac::sign(&key, text.as_bytes()).as_ref());
    let access_token = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(ring::hmac::sign(&key, seed.as_bytes()).as_ref());
    let mut certificate = json!({
        "version": 1,
        "scopes": scopes,
        "start": start_ms,
        "expiry": expiry_ms,
        "seed": seed,
        "signature": signature,
    });
    if let (Some(_), Some(map)) = (name, certificate.as_object_mut()) {
        map.insert("issuer".into(), Value::String(issuer_id.to_string()));
    }
    json!({
        "clientId": name.unwrap_or(issuer_id),
        "accessToken": access_token,
        "certificate": certificate.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_credentials_match_the_reference_algorithm() {
        let creds = temporary_credentials(
            "issuer",
            "secret",
            Some("named"),
            1000,
            2000,
            &["a".into(), "b".into()],
        );
        assert_eq!(creds["clientId"], "named");
        let cert: Value = serde_json::from_str(creds["certificate"].as_str().unwrap()).unwrap();
        assert_eq!(cert["issuer"], "issuer");
        assert_eq!(cert["version"], 1);
        let seed = cert["seed"].as_str().unwrap();
        assert_eq!(seed.len(), 44);
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"secret");
        let text = format!(
            "version:1\nclientId:named\nissuer:issuer\nseed:{seed}\nstart:1000\nexpiry:2000\nscopes:\na\nb"
        );
        let sig = base64::engine::general_purpose::STANDARD
            .encode(ring::hmac::sign(&key, text.as_bytes()).as_ref());
        assert_eq!(cert["signature"], Value::String(sig));
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(ring::hmac::sign(&key, seed.as_bytes()).as_ref());
        assert_eq!(creds["accessToken"], Value::String(token));
        let unnamed = temporary_credentials("issuer", "secret", None, 1000, 2000, &[]);
        assert_eq!(unnamed["clientId"], "issuer");
        let cert: Value = serde_json::from_str(unnamed["certificate"].as_str().unwrap()).unwrap();
        assert!(cert.get("issuer").is_none());
    }
}
