//! Hawk verification: who is calling, with which scopes.
//!
//! Requests authenticate as Taskcluster's auth service checks them
//! (`signaturevalidator.js` and the Hawk library it uses):
//!
//! - no `Authorization` header and no `bewit` query parameter: anonymous,
//!   holding the expansion of `assume:anonymous`;
//! - `Authorization: Hawk id=.., ts=.., nonce=.., mac=..[, ext=..]`: the MAC
//!   covers method, host, port, path and query (and `ext`); the timestamp may
//!   be at most 15 minutes away from the server's clock;
//! - a `bewit` query parameter (signed URLs; GET, and HEAD as Hawk allows):
//!   the MAC covers the URL without the bewit, and the bewit expires;
//! - both at once: rejected.
//!
//! The Hawk `ext` is base64 JSON `{"certificate": {..}, "authorizedScopes":
//! [..]}`, both optional. A certificate (temporary credentials, version 1)
//! is checked against its issuer's access token, its temporary access token
//! is derived from its seed, and the caller's scopes become the certificate's
//! scopes; `authorizedScopes` then narrow the scopes further (they must be
//! satisfied by the credentials' scopes and the anonymous role's). Whatever
//! narrowed them, every caller also holds `assume:anonymous` and its
//! expansion, as in Taskcluster. Every failure is a 401
//! `AuthenticationFailed` with a message saying what went wrong.

use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use hawk::mac::{Mac, MacType};
use hawk::{Bewit, DigestAlgorithm, Header, Key, RequestBuilder};
use ring::hmac;
use serde_json::{Map, Value};

use crate::authentication::caller::{Caller, ClientRecord, Directory};
use crate::authentication::scopes;
use crate::error::ApiError;

/// The role every caller assumes, with credentials or without.
const ANONYMOUS: &str = "assume:anonymous";

/// How far a Hawk header's timestamp may be from the server's clock
/// (Taskcluster allows 15 minutes).
pub const TIMESTAMP_SKEW: Duration = Duration::from_secs(15 * 60);

/// Clock skew allowed on a certificate's `start` and `expiry`, in
/// milliseconds (5 minutes, as Taskcluster).
const CERTIFICATE_SKEW_MS: i64 = 5 * 60 * 1000;

/// The longest a certificate may span from `start` to `expiry`, in
/// milliseconds (31 days).
const MAX_CERTIFICATE_SPAN_MS: i64 = 31 * 24 * 60 * 60 * 1000;

/// The length of a certificate seed.
const SEED_LEN: usize = 44;

/// The parts of an HTTP request Hawk verification looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HawkRequest<'a> {
    /// The HTTP method (any case).
    pub method: &'a str,
    /// The host the client addressed (the `Host` header without the port).
    pub host: &'a str,
    /// The port the client addressed.
    pub port: u16,
    /// The path and query exactly as received (percent-escapes untouched),
    /// possibly with a `bewit=` parameter for signed URLs.
    pub path_and_query: &'a str,
    /// The `Authorization` header, if any.
    pub authorization: Option<&'a str>,
}

/// Authenticates `request` against the clients and roles of `dir` at time
/// `now`: the caller and its scopes (role-expanded, narrowed by a
/// certificate and by `authorizedScopes`).
///
/// # Errors
///
/// 401 `AuthenticationFailed` ([`ApiError::authentication`]) for anything
/// that does not authenticate: a malformed header or bewit, an unknown,
/// disabled or expired client, a wrong MAC, a stale timestamp, an expired
/// bewit, an invalid certificate, `authorizedScopes` the credentials do not
/// satisfy, a bewit on a method other than GET or HEAD, or both a header and
/// a bewit.
pub fn authenticate(
    dir: &dyn Directory,
    request: &HawkRequest<'_>,
    now: SystemTime,
) -> Result<Caller, ApiError> {
    let (unbewitted, bewit) = split_bewit(request.path_and_query)?;
    match (request.authorization, bewit) {
        (Some(_), Some(_)) => Err(ApiError::authentication(
            "Cannot use two authentication schemes at once: this request has both a bewit \
             in its query string and an Authorization header",
        )),
        (None, None) => Ok(Caller {
            client_id: None,
            scopes: dir.expand(&[ANONYMOUS.to_owned()]),
        }),
        (Some(authorization), None) => authenticate_header(dir, request, authorization, now),
        (None, Some(bewit)) => authenticate_bewit(dir, request, &unbewitted, bewit, now),
    }
}

/// `path_and_query` without its `bewit` parameter (as Hawk takes it out
/// before checking the MAC), and the bewit's raw value.
fn split_bewit(path_and_query: &str) -> Result<(String, Option<&str>), ApiError> {
    const PREFIX: &str = "bewit=";
    let Some((path, query)) = path_and_query.split_once('?') else {
        return Ok((path_and_query.to_owned(), None));
    };
    let (bewits, rest): (Vec<&str>, Vec<&str>) =
        query.split('&').partition(|part| part.starts_with(PREFIX));
    match bewits.as_slice() {
        [] => Ok((path_and_query.to_owned(), None)),
        [bewit] => {
            let unbewitted = if rest.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{}", rest.join("&"))
            };
            Ok((unbewitted, Some(&bewit[PREFIX.len()..])))
        }
        _ => Err(ApiError::authentication(
            "Bad bewit: the URL has more than one bewit parameter",
        )),
    }
}

fn authenticate_header(
    dir: &dyn Directory,
    request: &HawkRequest<'_>,
    authorization: &str,
    now: SystemTime,
) -> Result<Caller, ApiError> {
    let authorization = authorization.trim();
    let (scheme, attributes) = authorization
        .split_once(char::is_whitespace)
        .unwrap_or((authorization, ""));
    if !scheme.eq_ignore_ascii_case("hawk") {
        return Err(ApiError::authentication(format!(
            "Unsupported authentication scheme `{scheme}`: Taskcluster requests are signed with Hawk"
        )));
    }
    let header = Header::from_str(attributes.trim())
        .map_err(|e| ApiError::authentication(format!("Bad Hawk Authorization header: {e}")))?;
    let (Some(id), Some(ts), Some(_), Some(_)) =
        (&header.id, header.ts, &header.nonce, &header.mac)
    else {
        return Err(ApiError::authentication(
            "Bad Hawk Authorization header: missing attributes (id, ts, nonce and mac are required)",
        ));
    };

    let resolved = load_credentials(dir, id, header.ext.as_deref(), now)?;
    let key = hawk_key(&resolved.access_token)?;

    // Hawk's validate_header checks the timestamp against the machine's
    // clock and answers only true or false; with an unbounded skew it checks
    // the MAC alone, and the timestamp is checked below against `now`.
    let method = request.method.to_ascii_uppercase();
    let hawk_request =
        RequestBuilder::new(&method, request.host, request.port, request.path_and_query).request();
    if !hawk_request.validate_header(&header, &key, Duration::MAX) {
        return Err(ApiError::authentication(format!(
            "Bad mac: the Hawk signature of {method} {} does not match; the access token of \
             client `{id}` is wrong, or the request was altered (host {}, port {})",
            request.path_and_query, request.host, request.port
        )));
    }
    let skew = match now.duration_since(ts) {
        Ok(behind) => behind,
        Err(ahead) => ahead.duration(),
    };
    if skew > TIMESTAMP_SKEW {
        return Err(ApiError::authentication(format!(
            "Stale timestamp: the request was signed at {}, more than {} minutes from the \
             server's time {}; check the client's clock",
            describe_time(ts),
            TIMESTAMP_SKEW.as_secs() / 60,
            describe_time(now)
        )));
    }

    Ok(Caller {
        client_id: Some(id.clone()),
        scopes: resolved.scopes,
    })
}

fn authenticate_bewit(
    dir: &dyn Directory,
    request: &HawkRequest<'_>,
    unbewitted: &str,
    raw: &str,
    now: SystemTime,
) -> Result<Caller, ApiError> {
    let method = request.method.to_ascii_uppercase();
    if method != "GET" && method != "HEAD" {
        return Err(ApiError::authentication(format!(
            "Invalid method: a bewit (signed URL) only authenticates GET requests, not {method}"
        )));
    }
    if raw.is_empty() {
        return Err(ApiError::authentication("Bad bewit: empty bewit"));
    }
    let bewit =
        Bewit::from_str(raw).map_err(|e| ApiError::authentication(format!("Bad bewit: {e}")))?;
    if bewit.exp() <= now {
        return Err(ApiError::authentication(format!(
            "Access expired: the signed URL expired at {} (server time {})",
            describe_time(bewit.exp()),
            describe_time(now)
        )));
    }

    let resolved = load_credentials(dir, bewit.id(), bewit.ext(), now)?;
    let key = hawk_key(&resolved.access_token)?;

    // Hawk's validate_bewit checks the expiry against the machine's clock;
    // the MAC is computed here so that `now` alone decides (checked above).
    // Hawk signs bewits as GET, whatever the method.
    let expected = Mac::new(
        MacType::Bewit,
        &key,
        bewit.exp(),
        "",
        "GET",
        request.host,
        request.port,
        unbewitted,
        None,
        bewit.ext(),
    )
    .map_err(|e| ApiError::authentication(format!("Bad bewit: cannot compute its MAC: {e}")))?;
    if &expected != bewit.mac() {
        return Err(ApiError::authentication(format!(
            "Bad mac: the bewit of GET {unbewitted} does not match; the access token of client \
             `{}` is wrong, or the URL was altered (host {}, port {})",
            bewit.id(),
            request.host,
            request.port
        )));
    }

    Ok(Caller {
        client_id: Some(bewit.id().to_owned()),
        scopes: resolved.scopes,
    })
}

fn hawk_key(access_token: &str) -> Result<Key, ApiError> {
    Key::new(access_token.as_bytes(), DigestAlgorithm::Sha256)
        .map_err(|e| ApiError::authentication(format!("Unusable access token: {e}")))
}

/// The key and scopes of the credentials named `credential_name`, with `ext`.
struct Resolved {
    access_token: String,
    scopes: Vec<String>,
}

/// Loads the credentials the request was signed with: the client, or the
/// issuer of a certificate in `ext`, then applies the certificate and the
/// `authorizedScopes` of `ext`.
fn load_credentials(
    dir: &dyn Directory,
    credential_name: &str,
    ext: Option<&str>,
    now: SystemTime,
) -> Result<Resolved, ApiError> {
    let ext = ext.map(parse_ext).transpose()?;
    let certificate = ext
        .as_ref()
        .and_then(|ext| ext.get("certificate"))
        .filter(|cert| !cert.is_null());

    // A named certificate names its issuer; otherwise the caller is it.
    let issuer = match certificate.and_then(|cert| cert.get("issuer")) {
        None | Some(Value::Null) => credential_name,
        Some(Value::String(issuer)) if issuer == credential_name => {
            return Err(ApiError::authentication(
                "ext.certificate.issuer must differ from the supplied clientId",
            ));
        }
        Some(Value::String(issuer)) => issuer.as_str(),
        Some(_) => {
            return Err(ApiError::authentication(
                "ext.certificate.issuer must be a string",
            ));
        }
    };

    let now_ms = unix_millis(now);
    let client = dir.client(issuer).ok_or_else(|| {
        if issuer == credential_name {
            ApiError::authentication(format!(
                "Unknown client: no client with clientId `{issuer}`"
            ))
        } else {
            ApiError::authentication(format!(
                "ext.certificate.issuer `{issuer}` is not a known client"
            ))
        }
    })?;
    check_usable(issuer, &client, now_ms)?;

    let mut access_token = client.access_token.clone();
    let mut scopes = dir.expand(&client.scopes);

    if let Some(certificate) = certificate {
        let verified = verify_certificate(
            certificate,
            credential_name,
            issuer,
            &client.access_token,
            &scopes,
            now_ms,
        )?;
        access_token = verified.access_token;
        scopes = dir.expand(&verified.scopes);
    }

    let authorized = ext
        .as_ref()
        .and_then(|ext| ext.get("authorizedScopes"))
        .filter(|value| !value.is_null());
    if let Some(authorized) = authorized {
        let authorized = scope_list(authorized, "ext.authorizedScopes")?;
        // As Taskcluster does, the anonymous role counts towards satisfying
        // `authorizedScopes`.
        scopes.push(ANONYMOUS.to_owned());
        let held = dir.expand(&scopes);
        if !scopes::all_satisfied(&held, &authorized) {
            return Err(ApiError::authentication(format!(
                "Supplied credentials do not satisfy authorizedScopes; credentials have \
                 scopes:\n\n```\n{}\n```\n\nauthorizedScopes are:\n\n```\n{}\n```",
                held.join("\n"),
                authorized.join("\n")
            )));
        }
        scopes = authorized;
    }
    // Every caller also holds the anonymous role, whatever narrowed its scopes.
    scopes.push(ANONYMOUS.to_owned());
    let scopes = dir.expand(&scopes);

    Ok(Resolved {
        access_token,
        scopes,
    })
}

/// A disabled or expired client cannot authenticate.
fn check_usable(client_id: &str, client: &ClientRecord, now_ms: i64) -> Result<(), ApiError> {
    if client.disabled {
        return Err(ApiError::authentication(format!(
            "Client `{client_id}` is disabled"
        )));
    }
    if client.expires_ms < now_ms {
        return Err(ApiError::authentication(format!(
            "Client `{client_id}` expired at {}",
            describe_millis(client.expires_ms)
        )));
    }
    Ok(())
}

/// The JSON object in a Hawk `ext` (base64, padded or not, standard or
/// URL-safe alphabet, as Node's decoder accepts).
fn parse_ext(ext: &str) -> Result<Map<String, Value>, ApiError> {
    let normalized: String = ext
        .trim()
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            other => other,
        })
        .collect();
    let bytes = STANDARD_NO_PAD
        .decode(normalized.as_bytes())
        .map_err(|e| ApiError::authentication(format!("Failed to parse ext: not base64: {e}")))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::authentication(
            "Failed to parse ext: it must be a JSON object",
        )),
        Err(e) => Err(ApiError::authentication(format!(
            "Failed to parse ext: not JSON: {e}"
        ))),
    }
}

/// A valid scope: printable ASCII only (as Taskcluster's `validScope`).
fn valid_scope(scope: &str) -> bool {
    scope.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// `value` as a list of valid scopes, or a 401 naming `what`.
fn scope_list(value: &Value, what: &str) -> Result<Vec<String>, ApiError> {
    let Value::Array(items) = value else {
        return Err(ApiError::authentication(format!("{what} must be an array")));
    };
    items
        .iter()
        .map(|item| match item {
            Value::String(scope) if valid_scope(scope) => Ok(scope.clone()),
            _ => Err(ApiError::authentication(format!(
                "{what} must be an array of valid scopes"
            ))),
        })
        .collect()
}

/// A JSON number that is a whole number of milliseconds.
fn whole_number(value: Option<&Value>) -> Option<i64> {
    let number = value?.as_number()?;
    if let Some(n) = number.as_i64() {
        return Some(n);
    }
    let float = number.as_f64()?;
    // Whole and within ±2^53, where f64 holds integers exactly.
    let limit = 9_007_199_254_740_992.0;
    if float.fract() == 0.0 && float.abs() <= limit {
        format!("{float:.0}").parse().ok()
    } else {
        None
    }
}

/// What a valid certificate gives: the temporary key and its scopes.
struct VerifiedCertificate {
    access_token: String,
    scopes: Vec<String>,
}

/// Checks a version 1 certificate issued by `issuer` (whose access token is
/// `issuer_token` and expanded scopes `issuer_scopes`) for the credentials
/// named `credential_name`, as Taskcluster's auth service does.
fn verify_certificate(
    certificate: &Value,
    credential_name: &str,
    issuer: &str,
    issuer_token: &str,
    issuer_scopes: &[String],
    now_ms: i64,
) -> Result<VerifiedCertificate, ApiError> {
    let fail = |message: String| Err(ApiError::authentication(message));
    let Value::Object(cert) = certificate else {
        return fail("ext.certificate must be a JSON object".into());
    };
    if cert.get("version").and_then(Value::as_i64) != Some(1)
        && whole_number(cert.get("version")) != Some(1)
    {
        return fail("ext.certificate.version must be 1".into());
    }
    let Some(seed) = cert.get("seed").and_then(Value::as_str) else {
        return fail("ext.certificate.seed must be a string".into());
    };
    if seed.chars().count() != SEED_LEN {
        return fail(format!(
            "ext.certificate.seed must be {SEED_LEN} characters"
        ));
    }
    let Some(start) = whole_number(cert.get("start")) else {
        return fail("ext.certificate.start must be a number".into());
    };
    let Some(expiry) = whole_number(cert.get("expiry")) else {
        return fail("ext.certificate.expiry must be a number".into());
    };
    let cert_scopes = match cert.get("scopes") {
        Some(value @ Value::Array(_)) => scope_list(value, "ext.certificate.scopes")?,
        _ => return fail("ext.certificate.scopes must be an array".into()),
    };

    if start > now_ms.saturating_add(CERTIFICATE_SKEW_MS) {
        return fail(format!(
            "ext.certificate.start > now: the certificate starts at {}, the server's time is {}",
            describe_millis(start),
            describe_millis(now_ms)
        ));
    }
    if expiry < now_ms.saturating_sub(CERTIFICATE_SKEW_MS) {
        return fail(format!(
            "ext.certificate.expiry < now: the temporary credentials expired at {} (server time {})",
            describe_millis(expiry),
            describe_millis(now_ms)
        ));
    }
    if expiry.saturating_sub(start) > MAX_CERTIFICATE_SPAN_MS {
        return fail("ext.certificate cannot last longer than 31 days!".into());
    }

    let named = issuer != credential_name;
    if named {
        let create_scope = format!("auth:create-client:{credential_name}");
        if !scopes::satisfies(issuer_scopes, &create_scope) {
            return fail(format!(
                "ext.certificate issuer `{issuer}` doesn't have `{create_scope}` for supplied clientId."
            ));
        }
    } else if cert.contains_key("clientId") {
        return fail(
            "ext.certificate.clientId must only be used with ext.certificate.issuer".into(),
        );
    }

    if !scopes::all_satisfied(issuer_scopes, &cert_scopes) {
        return fail(format!(
            "ext.certificate issuer `{issuer}` doesn't satisfy all certificate scopes {}.  The \
             temporary credentials were not generated correctly.",
            cert_scopes.join(", ")
        ));
    }

    // The signed text, as the auth service builds it.
    let mut lines = vec![String::from("version:1")];
    if named {
        lines.push(format!("clientId:{credential_name}"));
        lines.push(format!("issuer:{issuer}"));
    }
    lines.push(format!("seed:{seed}"));
    lines.push(format!("start:{start}"));
    lines.push(format!("expiry:{expiry}"));
    lines.push(String::from("scopes:"));
    lines.extend(cert_scopes.iter().cloned());
    let signed = lines.join("\n");

    let key = hmac::Key::new(hmac::HMAC_SHA256, issuer_token.as_bytes());
    let signature_ok = cert
        .get("signature")
        .and_then(Value::as_str)
        .and_then(|sig| STANDARD.decode(sig).ok())
        .is_some_and(|sig| hmac::verify(&key, signed.as_bytes(), &sig).is_ok());
    if !signature_ok {
        return fail(if named {
            "ext.certificate.signature is not valid, or wrong clientId provided".into()
        } else {
            "ext.certificate.signature is not valid".into()
        });
    }

    let access_token = URL_SAFE_NO_PAD.encode(hmac::sign(&key, seed.as_bytes()));
    Ok(VerifiedCertificate {
        access_token,
        scopes: cert_scopes,
    })
}

/// Milliseconds since the Unix epoch (negative before it).
fn unix_millis(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

/// `ms` since the epoch as an RFC 3339 time, for messages.
fn describe_millis(ms: i64) -> String {
    let formatted = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        });
    formatted.unwrap_or_else(|| format!("{ms} ms since the epoch"))
}

fn describe_time(time: SystemTime) -> String {
    describe_millis(unix_millis(time))
}

#[cfg(test)]
mod tests;
