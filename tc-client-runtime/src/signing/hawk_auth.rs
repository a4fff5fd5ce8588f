//! Hawk signing of requests and URLs, the way Taskcluster expects it.
//!
//! Every authenticated request carries `Authorization: Hawk id=..., ts=...,
//! nonce=..., mac=...[, ext=...]`; signed URLs carry the same authentication
//! as a Hawk bewit in the `bewit` query parameter. Taskcluster's `ext` is the
//! base64 (standard alphabet, padded) of a JSON object with the certificate of
//! temporary credentials (`certificate`, as a JSON object) and the
//! `authorizedScopes`, each only when present. No payload hash is sent.

use std::time::{Duration, SystemTime};

use ::url::Url;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hawk::{DigestAlgorithm, Key, RequestBuilder};

use crate::error::{Error, Result};
use crate::signing::credentials::Credentials;

/// Credentials made ready for signing: the Hawk key, the `ext` and the
/// certificate's expiry are worked out once, not on every request.
pub(crate) struct Signer {
    credentials: Credentials,
    hawk: hawk::Credentials,
    ext: Option<String>,
    expires: Option<SystemTime>,
}

impl Signer {
    /// Prepares `credentials`; fails with [`Error::Credentials`] when their
    /// certificate is not a JSON object or the token cannot key an HMAC.
    pub(crate) fn new(credentials: Credentials) -> Result<Signer> {
        let ext = ext(&credentials)?;
        let hawk = hawk_credentials(&credentials)?;
        let expires = certificate_expiry(&credentials);
        Ok(Signer {
            credentials,
            hawk,
            ext,
            expires,
        })
    }

    /// The credentials this signer signs with.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// When the certificate of temporary credentials expires; `None` for
    /// permanent credentials (or a certificate without a readable expiry).
    pub(crate) fn expires(&self) -> Option<SystemTime> {
        self.expires
    }

    /// The value of the `Authorization` header for `method` (upper case) on
    /// `url`: `Hawk id="...", ts="...", nonce="...", mac="..."[, ext="..."]`.
    ///
    /// The Hawk host and port come from `url` (the scheme's default port when
    /// it has none); the resource is the path and query (the fragment, which
    /// is never sent, is ignored).
    pub(crate) fn authorization_header(&self, method: &str, url: &Url) -> Result<String> {
        let header = if url.fragment().is_some() {
            self.make_header(method, &without_fragment(url))?
        } else {
            self.make_header(method, url)?
        };
        Ok(header_value(&header))
    }

    fn make_header(&self, method: &str, url: &Url) -> Result<hawk::Header> {
        request_builder(method, url)?
            .ext(self.ext.as_deref())
            .request()
            .make_header_full(
                &self.hawk,
                SystemTime::now(),
                crate::signing::nonce::nonce()?,
            )
            .map_err(|e| Error::Credentials(format!("could not sign the request: {e}")))
    }

    /// `url` with a `bewit` query parameter that authenticates a GET of it
    /// for `ttl` from now (Hawk bewits have second precision).
    ///
    /// Fails with [`Error::InvalidArgument`] when `url` already has a `bewit`
    /// parameter or `ttl` is absurdly large.
    pub(crate) fn signed_url(&self, url: &Url, ttl: Duration) -> Result<Url> {
        let expires = SystemTime::now().checked_add(ttl).ok_or_else(|| {
            Error::InvalidArgument(format!("signed URL lifetime {ttl:?} is too long"))
        })?;
        self.signed_url_until(url, expires)
    }

    /// [`Signer::signed_url`] with an explicit expiry.
    fn signed_url_until(&self, url: &Url, expires: SystemTime) -> Result<Url> {
        if url.query_pairs().any(|(name, _)| name == "bewit") {
            return Err(Error::InvalidArgument(format!(
                "cannot sign {}: it already has a bewit",
                without_query(url)
            )));
        }
        // The MAC covers the path and query as the server sees them once it
        // has taken the bewit out: no fragment, and no `?` when there is no
        // query.
        let mut signed = url.clone();
        if signed.query() == Some("") {
            signed.set_query(None);
        }
        let target = without_fragment(&signed);
        let bewit = request_builder("GET", &target)?
            .ext(self.ext.as_deref())
            .request()
            .make_bewit(&self.hawk, expires)
            .map_err(|e| Error::Credentials(format!("could not sign the URL: {e}")))?
            .to_str();

        // The bewit is URL-safe base64 without padding: it needs no escaping.
        let query = match signed.query() {
            Some(query) => format!("{query}&bewit={bewit}"),
            None => format!("bewit={bewit}"),
        };
        signed.set_query(Some(&query));
        Ok(signed)
    }
}

/// `Hawk ` and the attributes of `header`, as `hawk::Header`'s `Display`
/// writes them (id, ts, nonce, mac, ext, hash, app, dlg, those present, in
/// that order), without the formatting machinery: going through `format!`
/// cost a fifth of signing a request.
fn header_value(header: &hawk::Header) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(
        128 + header.id.as_ref().map_or(0, String::len)
            + header.ext.as_ref().map_or(0, String::len),
    );
    out.push_str("Hawk ");
    let mut sep = "";
    let mut text = |out: &mut String, name: &str, value: &str| {
        out.push_str(sep);
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(value);
        out.push('"');
        sep = ", ";
    };
    if let Some(id) = &header.id {
        text(&mut out, "id", id);
    }
    if let Some(ts) = header.ts {
        let secs = ts
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut digits = String::with_capacity(20);
        let _ = write!(digits, "{secs}");
        text(&mut out, "ts", &digits);
    }
    if let Some(nonce) = &header.nonce {
        text(&mut out, "nonce", nonce);
    }
    if let Some(mac) = &header.mac {
        text(&mut out, "mac", &STANDARD.encode(&mac[..]));
    }
    if let Some(ext) = &header.ext {
        text(&mut out, "ext", ext);
    }
    if let Some(hash) = &header.hash {
        text(&mut out, "hash", &STANDARD.encode(hash));
    }
    if let Some(app) = &header.app {
        text(&mut out, "app", app);
    }
    if let Some(dlg) = &header.dlg {
        text(&mut out, "dlg", dlg);
    }
    out
}

/// The value of the `Authorization` header for `method` on `url`, signed
/// with `creds` (see [`Signer::authorization_header`]).
#[cfg(test)]
pub(crate) fn authorization_header(creds: &Credentials, method: &str, url: &Url) -> Result<String> {
    Signer::new(creds.clone())?.authorization_header(&method.to_ascii_uppercase(), url)
}

/// `url` signed with `creds` for `ttl` (see [`Signer::signed_url`]).
#[cfg(test)]
pub(crate) fn signed_url(creds: &Credentials, url: &Url, ttl: Duration) -> Result<Url> {
    Signer::new(creds.clone())?.signed_url(url, ttl)
}

#[cfg(test)]
fn signed_url_until(creds: &Credentials, url: &Url, expires: SystemTime) -> Result<Url> {
    Signer::new(creds.clone())?.signed_url_until(url, expires)
}

/// The `expiry` (milliseconds since the epoch) of `creds`' certificate.
fn certificate_expiry(creds: &Credentials) -> Option<SystemTime> {
    #[derive(serde::Deserialize)]
    struct Certificate {
        expiry: Option<u64>,
    }
    let certificate: Certificate = serde_json::from_str(creds.certificate()?).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(certificate.expiry?))
}

/// Taskcluster's Hawk `ext` for `creds`, or `None` when it has nothing to say.
pub(crate) fn ext(creds: &Credentials) -> Result<Option<String>> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Ext<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        certificate: Option<serde_json::Map<String, serde_json::Value>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        authorized_scopes: Option<&'a [String]>,
    }

    let certificate = match creds.certificate() {
        None => None,
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => Some(map),
            Ok(_) => {
                return Err(Error::Credentials(format!(
                    "the certificate of client {} is not a JSON object",
                    creds.client_id()
                )));
            }
            Err(e) => {
                return Err(Error::Credentials(format!(
                    "the certificate of client {} is not valid JSON: {e}",
                    creds.client_id()
                )));
            }
        },
    };
    let ext = Ext {
        certificate,
        authorized_scopes: creds.authorized_scopes(),
    };
    if ext.certificate.is_none() && ext.authorized_scopes.is_none() {
        return Ok(None);
    }
    let json = serde_json::to_vec(&ext)
        .map_err(|e| Error::Credentials(format!("could not encode the Hawk ext: {e}")))?;
    Ok(Some(STANDARD.encode(json)))
}

fn hawk_credentials(creds: &Credentials) -> Result<hawk::Credentials> {
    let key = Key::new(creds.access_token().as_bytes(), DigestAlgorithm::Sha256).map_err(|e| {
        Error::Credentials(format!(
            "unusable access token for client {}: {e}",
            creds.client_id()
        ))
    })?;
    Ok(hawk::Credentials {
        id: creds.client_id().to_owned(),
        key,
    })
}

fn request_builder<'a>(method: &'a str, url: &'a Url) -> Result<RequestBuilder<'a>> {
    RequestBuilder::from_url(method, url).map_err(|e| {
        Error::InvalidArgument(format!(
            "cannot sign a request to {}: {e}",
            without_query(url)
        ))
    })
}

fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

/// `url` without query or fragment, fit for an error message (no secrets).
fn without_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hawk::{Bewit, Header};
    use std::str::FromStr;

    fn key(token: &str) -> Key {
        Key::new(token.as_bytes(), DigestAlgorithm::Sha256).unwrap()
    }

    fn parse_header(value: &str) -> Header {
        let rest = value.strip_prefix("Hawk ").expect("Hawk prefix");
        Header::from_str(rest).unwrap()
    }

    fn validates(value: &str, method: &str, url: &Url, token: &str) -> bool {
        let header = parse_header(value);
        RequestBuilder::from_url(method, url)
            .unwrap()
            .request()
            .validate_header(&header, &key(token), Duration::from_secs(60))
    }

    fn decode_ext(ext: &str) -> serde_json::Value {
        serde_json::from_slice(&STANDARD.decode(ext).unwrap()).unwrap()
    }

    /// The server side of a bewit check: take the bewit out of the URL's
    /// path and query, then validate it against what remains.
    fn bewit_validates(url: &Url, token: &str) -> (bool, Option<String>) {
        let mut bewit = None;
        let request = RequestBuilder::from_url("GET", url)
            .unwrap()
            .extract_bewit(&mut bewit)
            .unwrap()
            .request();
        let bewit = bewit.expect("a bewit");
        let ok = request.validate_bewit(&bewit, &key(token));
        (ok, bewit.ext().map(str::to_owned))
    }

    fn bewit_param(url: &Url) -> String {
        url.query_pairs()
            .find(|(k, _)| k == "bewit")
            .map(|(_, v)| v.into_owned())
            .unwrap()
    }

    #[test]
    fn header_values_are_written_as_hawk_writes_them() {
        let url = Url::parse("https://tc.example.com/api/queue/v1/task/abc?x=1").unwrap();
        let permanent = Signer::new(Credentials::new("project/tester", "the-token")).unwrap();
        let temporary = Signer::new(
            Credentials::new("project/tester", "the-token")
                .with_certificate(r#"{"version":1,"expiry":1}"#)
                .with_authorized_scopes(["a"]),
        )
        .unwrap();
        for signer in [permanent, temporary] {
            let header = signer.make_header("GET", &url).unwrap();
            assert_eq!(header_value(&header), format!("Hawk {header}"));
        }
        let mut all = Signer::new(Credentials::new("c", "t"))
            .unwrap()
            .make_header("PUT", &url)
            .unwrap();
        all.hash = Some(vec![1, 2, 3]);
        all.app = Some("app".into());
        all.dlg = Some("dlg".into());
        assert_eq!(header_value(&all), format!("Hawk {all}"));
    }

    #[test]
    fn header_plain_client_validates_on_the_server_side() {
        let creds = Credentials::new("project/tester", "the-token");
        let url = Url::parse("https://tc.example.com/api/queue/v1/task/abc?x=1&y=2").unwrap();
        let value = authorization_header(&creds, "GET", &url).unwrap();
        assert!(
            value.starts_with("Hawk id=\"project/tester\", ts=\""),
            "{value}"
        );
        assert!(!value.contains("ext="), "{value}");
        assert!(!value.contains("hash="), "{value}");
        let header = parse_header(&value);
        assert_eq!(header.id.as_deref(), Some("project/tester"));
        assert!(header.nonce.is_some() && header.mac.is_some() && header.ts.is_some());
        assert!(validates(&value, "GET", &url, "the-token"));

        // Wrong key, method, path, query, host or port: no match.
        assert!(!validates(&value, "GET", &url, "another-token"));
        assert!(!validates(&value, "POST", &url, "the-token"));
        for other in [
            "https://tc.example.com/api/queue/v1/task/abd?x=1&y=2",
            "https://tc.example.com/api/queue/v1/task/abc?x=1&y=3",
            "https://tc2.example.com/api/queue/v1/task/abc?x=1&y=2",
            "https://tc.example.com:8443/api/queue/v1/task/abc?x=1&y=2",
        ] {
            assert!(!validates(
                &value,
                "GET",
                &Url::parse(other).unwrap(),
                "the-token"
            ));
        }
    }

    #[test]
    fn header_method_is_upper_cased_and_ports_default() {
        let creds = Credentials::new("c", "t");
        let url = Url::parse("http://127.0.0.1:8080/api/x").unwrap();
        let value = authorization_header(&creds, "post", &url).unwrap();
        assert!(validates(&value, "POST", &url, "t"));
        let h = RequestBuilder::new("POST", "127.0.0.1", 8080, "/api/x").request();
        assert!(h.validate_header(&parse_header(&value), &key("t"), Duration::from_secs(60)));

        let url = Url::parse("http://localhost/api/x").unwrap();
        let value = authorization_header(&creds, "PUT", &url).unwrap();
        let h = RequestBuilder::new("PUT", "localhost", 80, "/api/x").request();
        assert!(h.validate_header(&parse_header(&value), &key("t"), Duration::from_secs(60)));

        let url = Url::parse("https://localhost/api/x#frag").unwrap();
        let value = authorization_header(&creds, "GET", &url).unwrap();
        let h = RequestBuilder::new("GET", "localhost", 443, "/api/x").request();
        assert!(h.validate_header(&parse_header(&value), &key("t"), Duration::from_secs(60)));
    }

    #[test]
    fn header_ext_with_authorized_scopes() {
        let creds = Credentials::new("c", "t").with_authorized_scopes(["a:b", "c:*"]);
        let url = Url::parse("https://tc.example.com/api/auth/v1/scopes/current").unwrap();
        let value = authorization_header(&creds, "GET", &url).unwrap();
        assert!(validates(&value, "GET", &url, "t"));
        let header = parse_header(&value);
        let ext = header.ext.as_deref().unwrap();
        assert_eq!(
            decode_ext(ext),
            serde_json::json!({"authorizedScopes": ["a:b", "c:*"]})
        );
        // Standard alphabet with padding.
        assert_eq!(
            ext,
            STANDARD.encode(br#"{"authorizedScopes":["a:b","c:*"]}"#),
            "{ext}"
        );

        let none = Credentials::new("c", "t").with_authorized_scopes(Vec::<String>::new());
        let value = authorization_header(&none, "GET", &url).unwrap();
        let ext = parse_header(&value).ext.unwrap();
        assert_eq!(
            decode_ext(&ext),
            serde_json::json!({"authorizedScopes": []})
        );
    }

    #[test]
    fn header_ext_with_certificate_and_scopes() {
        let cert =
            r#"{"version":1,"scopes":["a:*"],"start":1,"expiry":2,"seed":"s","signature":"sig"}"#;
        let url = Url::parse("https://tc.example.com/api/queue/v1/ping").unwrap();

        let creds = Credentials::new("c", "t").with_certificate(cert);
        let value = authorization_header(&creds, "GET", &url).unwrap();
        assert!(validates(&value, "GET", &url, "t"));
        let ext = decode_ext(&parse_header(&value).ext.unwrap());
        assert_eq!(
            ext,
            serde_json::json!({"certificate": serde_json::from_str::<serde_json::Value>(cert).unwrap()})
        );

        let creds = creds.with_authorized_scopes(["a:b"]);
        let value = authorization_header(&creds, "GET", &url).unwrap();
        assert!(validates(&value, "GET", &url, "t"));
        let ext = decode_ext(&parse_header(&value).ext.unwrap());
        assert_eq!(ext["certificate"]["version"], 1);
        assert_eq!(ext["certificate"]["signature"], "sig");
        assert_eq!(ext["authorizedScopes"], serde_json::json!(["a:b"]));
        assert_eq!(ext.as_object().unwrap().len(), 2);
    }

    #[test]
    fn bad_certificate_is_a_credentials_error() {
        let url = Url::parse("https://tc.example.com/x").unwrap();
        for cert in ["not json", "{\"version\":1", "[1,2]", "\"text\"", ""] {
            let creds = Credentials::new("c", "t").with_certificate(cert);
            assert!(
                matches!(
                    authorization_header(&creds, "GET", &url),
                    Err(Error::Credentials(_))
                ),
                "{cert:?}"
            );
            assert!(
                matches!(
                    signed_url(&creds, &url, Duration::from_secs(60)),
                    Err(Error::Credentials(_))
                ),
                "{cert:?}"
            );
        }
    }

    #[test]
    fn url_without_host_is_invalid() {
        let creds = Credentials::new("c", "t");
        let url = Url::parse("data:text/plain,hello").unwrap();
        assert!(matches!(
            authorization_header(&creds, "GET", &url),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn bewit_validates_on_the_server_side() {
        let creds = Credentials::new("project/tester", "the-token");
        let url =
            Url::parse("https://tc.example.com/api/queue/v1/task/abc/artifacts/private%2Fx.log")
                .unwrap();
        let signed = signed_url(&creds, &url, Duration::from_secs(600)).unwrap();
        assert!(
            signed.as_str().starts_with(&format!("{url}?bewit=")),
            "{signed}"
        );

        let raw = bewit_param(&signed);
        let bewit = Bewit::from_str(&raw).unwrap();
        assert_eq!(bewit.id(), "project/tester");
        assert_eq!(bewit.ext(), None);
        let left = bewit.exp().duration_since(SystemTime::now()).unwrap();
        assert!(left > Duration::from_secs(590) && left <= Duration::from_secs(600));
        let request = RequestBuilder::from_url("GET", &url).unwrap().request();
        assert!(request.validate_bewit(&bewit, &key("the-token")));
        assert!(!request.validate_bewit(&bewit, &key("other")));

        let (ok, ext) = bewit_validates(&signed, "the-token");
        assert!(ok);
        assert_eq!(ext, None);
    }

    #[test]
    fn bewit_keeps_existing_query_and_carries_ext() {
        let creds = Credentials::new("c", "t")
            .with_certificate(r#"{"version":1,"seed":"x"}"#)
            .with_authorized_scopes(["queue:get-artifact:private/*"]);
        let url = Url::parse("https://tc.example.com/api/x?a=1&b=two%20words#top").unwrap();
        let signed = signed_url(&creds, &url, Duration::from_secs(60)).unwrap();
        assert_eq!(signed.query_pairs().count(), 3);
        assert!(
            signed
                .as_str()
                .starts_with("https://tc.example.com/api/x?a=1&b=two%20words&bewit=")
        );
        assert_eq!(signed.fragment(), Some("top"));
        let mut sent = signed.clone();
        sent.set_fragment(None);
        let (ok, ext) = bewit_validates(&sent, "t");
        assert!(ok);
        let ext = decode_ext(&ext.unwrap());
        assert_eq!(
            ext["certificate"],
            serde_json::json!({"version": 1, "seed": "x"})
        );
        assert_eq!(
            ext["authorizedScopes"],
            serde_json::json!(["queue:get-artifact:private/*"])
        );

        // An empty query is dropped rather than signed as `?`.
        let url = Url::parse("https://tc.example.com/api/x?").unwrap();
        let signed = signed_url(&creds, &url, Duration::from_secs(60)).unwrap();
        assert!(
            signed
                .as_str()
                .starts_with("https://tc.example.com/api/x?bewit=")
        );
        assert!(bewit_validates(&signed, "t").0);
    }

    #[test]
    fn expired_bewit_fails_validation() {
        let creds = Credentials::new("c", "t");
        let url = Url::parse("https://tc.example.com/api/x").unwrap();
        let past = SystemTime::now() - Duration::from_secs(10);
        let signed = signed_url_until(&creds, &url, past).unwrap();
        assert!(!bewit_validates(&signed, "t").0);

        let signed = signed_url(&creds, &url, Duration::ZERO).unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert!(!bewit_validates(&signed, "t").0);

        // The same construction with a future expiry does validate.
        let future = SystemTime::now() + Duration::from_secs(10);
        let signed = signed_url_until(&creds, &url, future).unwrap();
        assert!(bewit_validates(&signed, "t").0);
    }

    #[test]
    fn signing_rejects_bad_input() {
        let creds = Credentials::new("c", "t");
        let url = Url::parse("https://tc.example.com/api/x?bewit=abc").unwrap();
        assert!(matches!(
            signed_url(&creds, &url, Duration::from_secs(60)),
            Err(Error::InvalidArgument(msg)) if !msg.contains("abc")
        ));
        let url = Url::parse("https://tc.example.com/api/x").unwrap();
        assert!(matches!(
            signed_url(&creds, &url, Duration::MAX),
            Err(Error::InvalidArgument(_))
        ));
    }
}
