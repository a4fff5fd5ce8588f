//! Taskcluster temporary credentials (certificate version 1).
//!
//! Permanent credentials can issue temporary credentials for a subset of
//! their scopes, valid for at most 31 days, without asking the auth service.
//! The temporary credentials are:
//!
//! - a client id: the issuer's for unnamed credentials, or the chosen name
//!   for named ones;
//! - an access token, derived from a random seed: HMAC-SHA256 of the seed
//!   keyed with the issuer's access token, in URL-safe base64 without
//!   padding;
//! - a certificate, the JSON object
//!   `{"version":1,"scopes":[..],"start":ms,"expiry":ms,"seed":"..","signature":"..","issuer":".."}`
//!   (`issuer` only for named credentials; `start` and `expiry` in
//!   milliseconds since the Unix epoch), whose `signature` is the base64
//!   HMAC-SHA256, keyed with the issuer's access token, of the lines
//!   `version:1`, then `clientId:<name>` and `issuer:<issuer>` for named
//!   credentials only, `seed:<seed>`, `start:<start>`, `expiry:<expiry>`,
//!   `scopes:` and one line per scope, joined with `\n` (as the auth service
//!   joins them: with no scopes, the text ends with `scopes:`).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::hmac;

use crate::error::{Error, Result};
use crate::signing::credentials::Credentials;
use crate::time::Time;

/// The longest time temporary credentials may span, from `start` to `expiry`.
pub const MAX_TEMP_CREDENTIALS_DURATION: Duration = Duration::from_secs(31 * 24 * 3600);

/// How far in the past [`Credentials::create_temp_creds`] starts credentials,
/// to absorb clock drift between this machine and the services.
const START_BACKDATE: Duration = Duration::from_secs(5 * 60);

/// The length of a certificate seed: two slugids.
const SEED_LEN: usize = 44;

impl Credentials {
    /// Temporary credentials with `scopes`, valid from 5 minutes ago until
    /// `duration` from now; their client id is this client's.
    ///
    /// `duration` must be at most 31 days. Because Taskcluster rejects
    /// certificates spanning more than 31 days from start to expiry, the
    /// start is moved forward when needed so the span stays within that
    /// limit (with a 31-day duration, credentials start now).
    ///
    /// The scopes must be satisfied by this client's scopes, or the services
    /// reject requests signed with the result.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `duration` exceeds 31 days;
    /// [`Error::Credentials`] when `self` are temporary credentials (they
    /// carry a certificate), which cannot issue temporary credentials.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tc_client::Credentials;
    ///
    /// let creds = Credentials::new("project/ci", "issuer-token");
    /// let temp = creds.create_temp_creds(Duration::from_secs(3600), ["queue:get-artifact:private/*"])?;
    /// assert_eq!(temp.client_id(), "project/ci");
    /// assert!(temp.certificate().is_some());
    /// assert_ne!(temp.access_token(), creds.access_token());
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn create_temp_creds(
        &self,
        duration: Duration,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Credentials> {
        self.temp_creds_for(None, duration, scopes)
    }

    /// Named temporary credentials: like [`Credentials::create_temp_creds`],
    /// but their client id is `name` and their certificate names this client
    /// as `issuer`.
    ///
    /// The issuing client needs the scope `auth:create-client:<name>` for
    /// the services to accept them.
    ///
    /// # Errors
    ///
    /// As [`Credentials::create_temp_creds`], and [`Error::InvalidArgument`]
    /// when `name` is empty or the issuer's own client id.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tc_client::Credentials;
    ///
    /// let creds = Credentials::new("project/ci", "issuer-token");
    /// let temp = creds.create_named_temp_creds(
    ///     "project/ci/build-42",
    ///     Duration::from_secs(3600),
    ///     ["queue:create-task:lowest:proj-ci/*"],
    /// )?;
    /// assert_eq!(temp.client_id(), "project/ci/build-42");
    /// assert!(temp.certificate().is_some_and(|c| c.contains(r#""issuer":"project/ci""#)));
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn create_named_temp_creds(
        &self,
        name: &str,
        duration: Duration,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Credentials> {
        self.temp_creds_for(Some(name), duration, scopes)
    }

    fn temp_creds_for(
        &self,
        name: Option<&str>,
        duration: Duration,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Credentials> {
        if duration > MAX_TEMP_CREDENTIALS_DURATION {
            return Err(Error::InvalidArgument(format!(
                "temporary credentials must expire within 31 days; {duration:?} was asked for"
            )));
        }
        let now = Time::now();
        let expiry = now.checked_add(duration).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "temporary credentials lasting {duration:?} would expire out of range"
            ))
        })?;
        let backdated = now.checked_sub(START_BACKDATE).unwrap_or(now);
        let earliest = expiry
            .checked_sub(MAX_TEMP_CREDENTIALS_DURATION)
            .unwrap_or(backdated);
        let start = backdated.max(earliest);

        let mut builder = self.temp_creds_builder(scopes).start(start).expiry(expiry);
        if let Some(name) = name {
            builder = builder.name(name);
        }
        builder.build()
    }

    /// A builder of temporary credentials with `scopes` that sets every input
    /// of the certificate, for exact reproduction: the same issuer, scopes,
    /// name, start, expiry and seed always give the same certificate and
    /// access token.
    ///
    /// ```
    /// use tc_client::{Credentials, Time};
    ///
    /// let creds = Credentials::new("project/ci", "issuer-token");
    /// let make = || {
    ///     creds
    ///         .temp_creds_builder(["secrets:get:project/ci/*"])
    ///         .name("project/ci/job")
    ///         .start("2026-11-24T10:00:00.000Z".parse::<Time>()?)
    ///         .expiry("2026-11-24T11:00:00.000Z".parse::<Time>()?)
    ///         .seed("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR")
    ///         .build()
    /// };
    /// let (a, b) = (make()?, make()?);
    /// assert_eq!(a.certificate(), b.certificate());
    /// assert_eq!(a.access_token(), b.access_token());
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn temp_creds_builder(
        &self,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> TempCredentialsBuilder<'_> {
        TempCredentialsBuilder {
            issuer: self,
            scopes: scopes.into_iter().map(Into::into).collect(),
            name: None,
            start: None,
            expiry: None,
            seed: None,
        }
    }
}

/// Builds temporary credentials with every input chosen; made by
/// [`Credentials::temp_creds_builder`].
///
/// Building with the same issuer, scopes, name, start, expiry and seed always
/// produces the same certificate (byte for byte) and access token.
///
/// Services check the certificate on every request: its signature, its
/// validity period, and (for named credentials) that the issuer may create
/// a client of that name.
///
/// ```
/// use tc_client::{Credentials, Error, Time, secrets::Secrets};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let tc = tc_fake::start().await?;
/// # let (client_id, access_token) = tc.root_credentials();
/// let issuer = Credentials::new(client_id, access_token);
/// let job = issuer
///     .temp_creds_builder(["secrets:get:project/ci/*"])
///     .name("project/ci/job-7")
///     .expiry(Time::from_now("10 minutes")?)
///     .build()?;
/// let secrets = Secrets::new(Some(job), tc.root_url())?;
/// // Accepted and authorized: the secret just does not exist.
/// let missing = secrets.get("project/ci/nothing").await.unwrap_err();
/// assert_eq!(missing.code(), Some("ResourceNotFound"));
///
/// // Credentials whose validity ended are refused.
/// let expired = issuer
///     .temp_creds_builder(["secrets:get:project/ci/*"])
///     .start(Time::from_now("-2 hours")?)
///     .expiry(Time::from_now("-1 hour")?)
///     .build()?;
/// let secrets = Secrets::new(Some(expired), tc.root_url())?;
/// let refused = secrets.get("project/ci/nothing").await.unwrap_err();
/// assert!(matches!(refused, Error::Api { status: 401, .. }), "{refused}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until .build() is called"]
pub struct TempCredentialsBuilder<'a> {
    issuer: &'a Credentials,
    scopes: Vec<String>,
    name: Option<String>,
    start: Option<Time>,
    expiry: Option<Time>,
    seed: Option<String>,
}

impl TempCredentialsBuilder<'_> {
    /// Makes named temporary credentials, whose client id is `name` (which
    /// must differ from the issuer's client id). Without it the credentials
    /// are unnamed and use the issuer's client id.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// When the credentials become valid. Defaults to 5 minutes before
    /// [`build`](Self::build) is called.
    pub fn start(mut self, start: Time) -> Self {
        self.start = Some(start);
        self
    }

    /// When the credentials stop being valid. Required; at most 31 days
    /// after the start.
    pub fn expiry(mut self, expiry: Time) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The certificate's seed, from which the access token is derived: 44
    /// ASCII characters (normally two slugids). Defaults to two fresh random
    /// v4 slugids. Reuse a seed only to reproduce the same credentials.
    pub fn seed(mut self, seed: impl Into<String>) -> Self {
        self.seed = Some(seed.into());
        self
    }

    /// The temporary credentials. They carry the issuer's authorized scopes, if it
    /// has any ([`Credentials::with_authorized_scopes`]), so a restriction set on the
    /// issuer holds for what it issues.
    ///
    /// # Errors
    ///
    /// [`Error::Credentials`] when the issuer are themselves
    /// temporary credentials; [`Error::InvalidArgument`] when the expiry is
    /// missing, not after the start, or more than 31 days after it, when the
    /// seed is not 44 ASCII characters, or when the name is empty or the
    /// issuer's own client id.
    pub fn build(self) -> Result<Credentials> {
        let issuer = self.issuer;
        if issuer.certificate().is_some() {
            return Err(Error::Credentials(format!(
                "client {} holds temporary credentials, which cannot issue temporary credentials",
                issuer.client_id()
            )));
        }
        if let Some(name) = &self.name {
            if name.is_empty() {
                return Err(Error::InvalidArgument(
                    "the name of temporary credentials cannot be empty".into(),
                ));
            }
            if name == issuer.client_id() {
                return Err(Error::InvalidArgument(format!(
                    "the name of temporary credentials ({name}) must differ from the issuer's client id"
                )));
            }
        }
        let expiry = self
            .expiry
            .ok_or_else(|| Error::InvalidArgument("temporary credentials need an expiry".into()))?;
        let start = match self.start {
            Some(start) => start,
            None => {
                let now = Time::now();
                now.checked_sub(START_BACKDATE).unwrap_or(now)
            }
        };
        if expiry <= start {
            return Err(Error::InvalidArgument(format!(
                "temporary credentials must expire after they start (start {start}, expiry {expiry})"
            )));
        }
        let span_ms = expiry.unix_millis() - start.unix_millis();
        if span_ms > MAX_TEMP_CREDENTIALS_DURATION.as_millis() as i64 {
            return Err(Error::InvalidArgument(format!(
                "temporary credentials cannot span more than 31 days (start {start}, expiry {expiry})"
            )));
        }
        let seed = match self.seed {
            Some(seed) => {
                if seed.len() != SEED_LEN || !seed.is_ascii() {
                    return Err(Error::InvalidArgument(format!(
                        "the seed of temporary credentials must be {SEED_LEN} ASCII characters, not {} bytes",
                        seed.len()
                    )));
                }
                seed
            }
            None => format!("{}{}", slugid::v4(), slugid::v4()),
        };

        let key = hmac::Key::new(hmac::HMAC_SHA256, issuer.access_token().as_bytes());
        let start_ms = start.unix_millis();
        let expiry_ms = expiry.unix_millis();

        // The lines the auth service signs, joined as it joins them (so no
        // trailing newline after `scopes:` when there are no scopes).
        let mut lines = vec![String::from("version:1")];
        if let Some(name) = &self.name {
            lines.push(format!("clientId:{name}"));
            lines.push(format!("issuer:{}", issuer.client_id()));
        }
        lines.push(format!("seed:{seed}"));
        lines.push(format!("start:{start_ms}"));
        lines.push(format!("expiry:{expiry_ms}"));
        lines.push(String::from("scopes:"));
        lines.extend(self.scopes.iter().cloned());
        let signed = lines.join("\n");
        let signature = STANDARD.encode(hmac::sign(&key, signed.as_bytes()));
        let access_token = URL_SAFE_NO_PAD.encode(hmac::sign(&key, seed.as_bytes()));

        let certificate = Certificate {
            version: 1,
            scopes: &self.scopes,
            start: start_ms,
            expiry: expiry_ms,
            seed: &seed,
            signature: &signature,
            issuer: self.name.as_ref().map(|_| issuer.client_id()),
        };
        let certificate = serde_json::to_string(&certificate)
            .map_err(|e| Error::Credentials(format!("could not encode the certificate: {e}")))?;

        let client_id = self.name.unwrap_or_else(|| issuer.client_id().to_owned());
        let temporary = Credentials::new(client_id, access_token).with_certificate(certificate);
        // An issuer restricted by `authorizedScopes` stays restricted through what it
        // issues (the other Taskcluster clients carry them over too): the scopes of the
        // certificate are an upper bound, the authorized scopes what requests may use.
        Ok(match issuer.authorized_scopes() {
            Some(scopes) => temporary.with_authorized_scopes(scopes.iter().cloned()),
            None => temporary,
        })
    }
}

/// The JSON certificate, fields in Taskcluster's order.
#[derive(serde::Serialize)]
struct Certificate<'a> {
    version: u32,
    scopes: &'a [String],
    start: i64,
    expiry: i64,
    seed: &'a str,
    signature: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::hawk_auth;

    const SEED: &str = "dYlK1lfTSfmKH2yYWSsNuQGGxS0SqoRSm6ZGE4dL4Gsw";

    fn issuer() -> Credentials {
        Credentials::new("project/issuer", "issuer-access-token")
    }

    fn t(s: &str) -> Time {
        s.parse().unwrap()
    }

    /// HMAC-SHA256 with `key`, standard base64: computed here with ring
    /// directly, independently of the code under test.
    fn hmac_b64(key: &str, data: &str) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes());
        STANDARD.encode(hmac::sign(&key, data.as_bytes()).as_ref())
    }

    fn cert_json(creds: &Credentials) -> serde_json::Value {
        serde_json::from_str(creds.certificate().unwrap()).unwrap()
    }

    #[test]
    fn unnamed_fixed_inputs_are_deterministic() {
        let make = || {
            issuer()
                .temp_creds_builder(["queue:get-artifact:private/*", "secrets:get:a"])
                .start(t("2026-11-24T10:00:00.000Z"))
                .expiry(t("2026-11-24T11:00:00.000Z"))
                .seed(SEED)
                .build()
                .unwrap()
        };
        let temp = make();
        assert_eq!(temp.client_id(), "project/issuer");

        let start = 1_795_514_400_000_i64;
        let expiry = 1_795_518_000_000_i64;
        let signed = format!(
            "version:1\nseed:{SEED}\nstart:{start}\nexpiry:{expiry}\nscopes:\nqueue:get-artifact:private/*\nsecrets:get:a"
        );
        let signature = hmac_b64("issuer-access-token", &signed);
        let expected_cert = format!(
            r#"{{"version":1,"scopes":["queue:get-artifact:private/*","secrets:get:a"],"start":{start},"expiry":{expiry},"seed":"{SEED}","signature":"{signature}"}}"#
        );
        assert_eq!(temp.certificate(), Some(expected_cert.as_str()));

        let token = hmac_b64("issuer-access-token", SEED)
            .replace('+', "-")
            .replace('/', "_")
            .replace('=', "");
        assert_eq!(temp.access_token(), token);
        assert_eq!(temp.access_token().len(), 43);
        assert_eq!(temp.authorized_scopes(), None);

        let again = make();
        assert_eq!(again.certificate(), temp.certificate());
        assert_eq!(again.access_token(), temp.access_token());
    }

    #[test]
    fn named_credentials_sign_name_and_issuer() {
        let temp = issuer()
            .temp_creds_builder(["a:b"])
            .name("project/issuer/worker-1")
            .start(t("2026-11-24T10:00:00.000Z"))
            .expiry(t("2026-11-25T10:00:00.000Z"))
            .seed(SEED)
            .build()
            .unwrap();
        assert_eq!(temp.client_id(), "project/issuer/worker-1");

        let signed = format!(
            "version:1\nclientId:project/issuer/worker-1\nissuer:project/issuer\nseed:{SEED}\nstart:1795514400000\nexpiry:1795600800000\nscopes:\na:b"
        );
        let signature = hmac_b64("issuer-access-token", &signed);
        let expected_cert = format!(
            r#"{{"version":1,"scopes":["a:b"],"start":1795514400000,"expiry":1795600800000,"seed":"{SEED}","signature":"{signature}","issuer":"project/issuer"}}"#
        );
        assert_eq!(temp.certificate(), Some(expected_cert.as_str()));

        // The access token only depends on the seed and the issuer's token.
        let unnamed = issuer()
            .temp_creds_builder(["a:b"])
            .start(t("2026-11-24T10:00:00.000Z"))
            .expiry(t("2026-11-25T10:00:00.000Z"))
            .seed(SEED)
            .build()
            .unwrap();
        assert_eq!(unnamed.access_token(), temp.access_token());
        assert_ne!(unnamed.certificate(), temp.certificate());
        assert_eq!(unnamed.client_id(), "project/issuer");
        assert!(cert_json(&unnamed).get("issuer").is_none());
        assert_eq!(cert_json(&temp)["issuer"], "project/issuer");
    }

    #[test]
    fn no_scopes_signs_an_empty_scope_list() {
        // The auth service joins `scopes:` and the scopes with newlines, so
        // with no scopes the signed text ends with `scopes:` (no newline).
        let temp = issuer()
            .temp_creds_builder(Vec::<String>::new())
            .start(t("2026-11-24T10:00:00.000Z"))
            .expiry(t("2026-11-24T10:00:01.000Z"))
            .seed(SEED)
            .build()
            .unwrap();
        let signed =
            format!("version:1\nseed:{SEED}\nstart:1795514400000\nexpiry:1795514401000\nscopes:");
        assert_eq!(
            cert_json(&temp)["signature"],
            hmac_b64("issuer-access-token", &signed)
        );
        assert_eq!(cert_json(&temp)["scopes"], serde_json::json!([]));
    }

    #[test]
    fn create_temp_creds_defaults() {
        let before = Time::now();
        let temp = issuer()
            .create_temp_creds(Duration::from_secs(3600), ["a:b"])
            .unwrap();
        let after = Time::now();
        assert_eq!(temp.client_id(), "project/issuer");
        let cert = cert_json(&temp);
        let keys: Vec<&str> = cert
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 6, "{keys:?}");
        assert!(cert.get("issuer").is_none());
        assert_eq!(cert["version"], 1);
        assert_eq!(cert["scopes"], serde_json::json!(["a:b"]));
        let start = cert["start"].as_i64().unwrap();
        let expiry = cert["expiry"].as_i64().unwrap();
        assert!(start >= before.unix_millis() - 300_000 && start <= after.unix_millis() - 300_000);
        assert!(
            expiry >= before.unix_millis() + 3_600_000 && expiry <= after.unix_millis() + 3_600_000
        );
        let seed = cert["seed"].as_str().unwrap();
        assert_eq!(seed.len(), 44);
        assert!(
            seed.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        // Signature and token check out against the documented algorithm.
        let signed =
            format!("version:1\nseed:{seed}\nstart:{start}\nexpiry:{expiry}\nscopes:\na:b");
        assert_eq!(cert["signature"], hmac_b64("issuer-access-token", &signed));
        let token = hmac_b64("issuer-access-token", seed)
            .replace('+', "-")
            .replace('/', "_")
            .replace('=', "");
        assert_eq!(temp.access_token(), token);

        // Fresh seeds each time.
        let other = issuer()
            .create_temp_creds(Duration::from_secs(3600), ["a:b"])
            .unwrap();
        assert_ne!(cert_json(&other)["seed"], cert["seed"]);
        assert_ne!(other.access_token(), temp.access_token());
    }

    #[test]
    fn create_named_temp_creds_defaults() {
        let temp = issuer()
            .create_named_temp_creds("project/issuer/named", Duration::from_secs(60), ["x"])
            .unwrap();
        assert_eq!(temp.client_id(), "project/issuer/named");
        let cert = cert_json(&temp);
        assert_eq!(cert["issuer"], "project/issuer");
        let text = temp.certificate().unwrap();
        assert!(
            text.starts_with(r#"{"version":1,"scopes":["x"],"start":"#),
            "{text}"
        );
        assert!(text.ends_with(r#","issuer":"project/issuer"}"#), "{text}");

        assert!(matches!(
            issuer().create_named_temp_creds("project/issuer", Duration::from_secs(60), ["x"]),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            issuer().create_named_temp_creds("", Duration::from_secs(60), ["x"]),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn thirty_one_day_limit() {
        let day = Duration::from_secs(86_400);
        let temp = issuer().create_temp_creds(31 * day, ["a"]).unwrap();
        let cert = cert_json(&temp);
        let span = cert["expiry"].as_i64().unwrap() - cert["start"].as_i64().unwrap();
        assert!(span <= 31 * 86_400_000, "{span}");

        let temp = issuer()
            .create_temp_creds(31 * day - Duration::from_secs(60), ["a"])
            .unwrap();
        let cert = cert_json(&temp);
        let span = cert["expiry"].as_i64().unwrap() - cert["start"].as_i64().unwrap();
        assert_eq!(span, 31 * 86_400_000);

        for too_long in [
            31 * day + Duration::from_millis(1),
            365 * day,
            Duration::MAX,
        ] {
            assert!(matches!(
                issuer().create_temp_creds(too_long, ["a"]),
                Err(Error::InvalidArgument(_))
            ));
            assert!(matches!(
                issuer().create_named_temp_creds("n", too_long, ["a"]),
                Err(Error::InvalidArgument(_))
            ));
        }

        let start = t("2026-11-01T00:00:00.000Z");
        let ok = issuer()
            .temp_creds_builder(["a"])
            .start(start)
            .expiry(start + 31 * day)
            .build();
        assert!(ok.is_ok());
        let too_long = issuer()
            .temp_creds_builder(["a"])
            .start(start)
            .expiry(start + 31 * day + Duration::from_millis(1))
            .build();
        assert!(matches!(too_long, Err(Error::InvalidArgument(_))));
    }

    #[test]
    fn temporary_credentials_cannot_issue_more() {
        let temp = issuer()
            .create_temp_creds(Duration::from_secs(60), ["a"])
            .unwrap();
        assert!(matches!(
            temp.create_temp_creds(Duration::from_secs(60), ["a"]),
            Err(Error::Credentials(_))
        ));
        assert!(matches!(
            temp.create_named_temp_creds("other", Duration::from_secs(60), ["a"]),
            Err(Error::Credentials(_))
        ));
        let with_any_cert = Credentials::new("c", "t").with_certificate("{}");
        assert!(matches!(
            with_any_cert
                .temp_creds_builder(["a"])
                .expiry(Time::now() + Duration::from_secs(60))
                .build(),
            Err(Error::Credentials(_))
        ));
    }

    #[test]
    fn expiry_must_follow_start() {
        let start = t("2026-11-24T10:00:00.000Z");
        for expiry in [start, start - Duration::from_secs(1)] {
            assert!(matches!(
                issuer()
                    .temp_creds_builder(["a"])
                    .start(start)
                    .expiry(expiry)
                    .build(),
                Err(Error::InvalidArgument(_))
            ));
        }
        // Without an explicit start, an expiry in the distant past is before it.
        assert!(matches!(
            issuer()
                .temp_creds_builder(["a"])
                .expiry(start - Duration::from_secs(86_400 * 365))
                .build(),
            Err(Error::InvalidArgument(_))
        ));
        // An expiry is required.
        assert!(matches!(
            issuer().temp_creds_builder(["a"]).start(start).build(),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn seed_must_be_44_ascii_characters() {
        let build = |seed: &str| {
            issuer()
                .temp_creds_builder(["a"])
                .start(t("2026-11-24T10:00:00.000Z"))
                .expiry(t("2026-11-24T11:00:00.000Z"))
                .seed(seed)
                .build()
        };
        assert!(build(SEED).is_ok());
        for bad in [
            "",
            "short",
            &SEED[..43],
            &format!("{SEED}x"),
            &format!("{}é", &SEED[..42]),
        ] {
            assert!(
                matches!(build(bad), Err(Error::InvalidArgument(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn temporary_credentials_sign_requests() {
        let temp = issuer()
            .create_named_temp_creds("project/issuer/t", Duration::from_secs(600), ["a"])
            .unwrap()
            .with_authorized_scopes(["a"]);
        let url = ::url::Url::parse("https://tc.example.com/api/queue/v1/ping").unwrap();
        let value = hawk_auth::authorization_header(&temp, "GET", &url).unwrap();
        let header: hawk::Header = value.strip_prefix("Hawk ").unwrap().parse().unwrap();
        assert_eq!(header.id.as_deref(), Some("project/issuer/t"));
        let ext: serde_json::Value =
            serde_json::from_slice(&STANDARD.decode(header.ext.as_deref().unwrap()).unwrap())
                .unwrap();
        assert_eq!(ext["certificate"], cert_json(&temp));
        assert_eq!(ext["authorizedScopes"], serde_json::json!(["a"]));
        // The server derives the temporary key from the issuer's token and the seed.
        let seed = ext["certificate"]["seed"].as_str().unwrap();
        let derived = hmac_b64("issuer-access-token", seed)
            .replace('+', "-")
            .replace('/', "_")
            .replace('=', "");
        let key = hawk::Key::new(derived.as_bytes(), hawk::DigestAlgorithm::Sha256).unwrap();
        let request = hawk::RequestBuilder::from_url("GET", &url)
            .unwrap()
            .request();
        assert!(request.validate_header(&header, &key, Duration::from_secs(60)));
    }
}
