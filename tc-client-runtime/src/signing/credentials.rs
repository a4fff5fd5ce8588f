//! Taskcluster credentials: [`Credentials`].

use std::fmt;

use crate::error::{Error, Redacted, Result};

const CLIENT_ID_VAR: &str = "TASKCLUSTER_CLIENT_ID";
const ACCESS_TOKEN_VAR: &str = "TASKCLUSTER_ACCESS_TOKEN";
const CERTIFICATE_VAR: &str = "TASKCLUSTER_CERTIFICATE";

/// The credentials of a Taskcluster client: a client id and an access token,
/// plus, for temporary credentials, a certificate, and optionally a list of
/// `authorizedScopes` that restricts requests to a subset of the client's
/// scopes.
///
/// The access token is a secret: neither [`Debug`](fmt::Debug) nor
/// [`Display`](fmt::Display) ever print it or the certificate (`Display`
/// prints only the client id).
///
/// ```
/// use tc_client::Credentials;
///
/// let creds = Credentials::new("project/my-client", "my-secret-token")
///     .with_authorized_scopes(["queue:create-task:highest:proj-example/*"]);
/// assert_eq!(creds.client_id(), "project/my-client");
/// assert_eq!(creds.to_string(), "project/my-client");
/// assert!(!format!("{creds:?}").contains("my-secret-token"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    client_id: String,
    access_token: String,
    certificate: Option<String>,
    authorized_scopes: Option<Vec<String>>,
}

impl Credentials {
    /// Permanent credentials: a client id and its access token.
    pub fn new(client_id: impl Into<String>, access_token: impl Into<String>) -> Credentials {
        Credentials {
            client_id: client_id.into(),
            access_token: access_token.into(),
            certificate: None,
            authorized_scopes: None,
        }
    }

    /// The same credentials carrying `certificate`, the JSON certificate of
    /// temporary credentials (as [`Credentials::create_temp_creds`] makes, or
    /// as found in `TASKCLUSTER_CERTIFICATE`).
    ///
    /// The certificate is checked when it is used: one that is not a JSON
    /// object makes signing fail with [`Error::Credentials`].
    #[must_use]
    pub fn with_certificate(mut self, certificate: impl Into<String>) -> Credentials {
        self.certificate = Some(certificate.into());
        self
    }

    /// The same credentials restricted to `scopes` (Taskcluster's
    /// `authorizedScopes`): requests signed with them only have these scopes,
    /// which must be satisfied by the client's own scopes. An empty list
    /// means no scopes at all.
    ///
    /// ```
    /// use tc_client::Credentials;
    ///
    /// let creds = Credentials::new("my-client", "token").with_authorized_scopes(["a", "b"]);
    /// assert_eq!(creds.authorized_scopes(), Some(&["a".to_string(), "b".to_string()][..]));
    /// ```
    #[must_use]
    pub fn with_authorized_scopes(
        mut self,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Credentials {
        self.authorized_scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The client id (for named temporary credentials, their name).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The access token. **This is a secret**: do not log or display it.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The certificate of temporary credentials (a JSON object as a string),
    /// or `None` for permanent credentials.
    pub fn certificate(&self) -> Option<&str> {
        self.certificate.as_deref()
    }

    /// The `authorizedScopes` restricting these credentials, if any.
    pub fn authorized_scopes(&self) -> Option<&[String]> {
        self.authorized_scopes.as_deref()
    }

    /// Credentials from the environment, as the other Taskcluster clients
    /// read them: `TASKCLUSTER_CLIENT_ID` and `TASKCLUSTER_ACCESS_TOKEN`
    /// (both required), and `TASKCLUSTER_CERTIFICATE` (optional; empty means
    /// none).
    ///
    /// # Errors
    ///
    /// A required variable that is missing or empty (or a variable that is
    /// not valid Unicode) is an [`Error::Credentials`] naming it.
    ///
    /// ```no_run
    /// let creds = tc_client::Credentials::from_env()?;
    /// println!("signing as {creds}");
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn from_env() -> Result<Credentials> {
        check_env_unicode()?;
        Credentials::from_lookup(env_lookup)
    }

    /// Like [`Credentials::from_env`], but `Ok(None)` when neither
    /// `TASKCLUSTER_CLIENT_ID` nor `TASKCLUSTER_ACCESS_TOKEN` is set (or both
    /// are empty), for clients that may run unauthenticated.
    ///
    /// # Errors
    ///
    /// Setting only one of the two is still an [`Error::Credentials`] naming
    /// the other; so is a variable that is not valid Unicode.
    ///
    /// ```no_run
    /// match tc_client::Credentials::from_env_optional()? {
    ///     Some(creds) => println!("signing as {creds}"),
    ///     None => println!("unauthenticated"),
    /// }
    /// # Ok::<(), tc_client::Error>(())
    /// ```
    pub fn from_env_optional() -> Result<Option<Credentials>> {
        check_env_unicode()?;
        Credentials::from_lookup_optional(env_lookup)
    }

    /// [`Credentials::from_env`] reading variables through `lookup`.
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Credentials> {
        let client_id = non_empty(&lookup, CLIENT_ID_VAR)
            .ok_or_else(|| missing(CLIENT_ID_VAR, "the client id"))?;
        let access_token = non_empty(&lookup, ACCESS_TOKEN_VAR)
            .ok_or_else(|| missing(ACCESS_TOKEN_VAR, "the access token"))?;
        let mut creds = Credentials::new(client_id, access_token);
        creds.certificate = non_empty(&lookup, CERTIFICATE_VAR);
        Ok(creds)
    }

    /// [`Credentials::from_env_optional`] reading variables through `lookup`.
    pub(crate) fn from_lookup_optional(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Credentials>> {
        if non_empty(&lookup, CLIENT_ID_VAR).is_none()
            && non_empty(&lookup, ACCESS_TOKEN_VAR).is_none()
        {
            return Ok(None);
        }
        Credentials::from_lookup(lookup).map(Some)
    }
}

fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Rejects variables that are set but not Unicode, which `env_lookup` would
/// otherwise report as missing.
fn check_env_unicode() -> Result<()> {
    for name in [CLIENT_ID_VAR, ACCESS_TOKEN_VAR, CERTIFICATE_VAR] {
        if let Err(std::env::VarError::NotUnicode(_)) = std::env::var(name) {
            return Err(Error::Credentials(format!(
                "environment variable {name} is not valid Unicode"
            )));
        }
    }
    Ok(())
}

fn non_empty(lookup: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name).filter(|value| !value.is_empty())
}

fn missing(name: &str, what: &str) -> Error {
    Error::Credentials(format!(
        "environment variable {name} ({what}) is missing or empty"
    ))
}

impl fmt::Debug for Credentials {
    /// Shows the client id, whether there is a certificate, and the
    /// authorized scopes; the access token and the certificate's text are
    /// `<redacted>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("access_token", &Redacted)
            .field("certificate", &self.certificate.as_ref().map(|_| Redacted))
            .field("authorized_scopes", &self.authorized_scopes)
            .finish()
    }
}

impl fmt::Display for Credentials {
    /// Just the client id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.client_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn credentials_error(result: Result<impl fmt::Debug>) -> String {
        match result {
            Err(Error::Credentials(msg)) => msg,
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }

    #[test]
    fn builder_and_accessors() {
        let creds = Credentials::new("client", "token");
        assert_eq!(creds.client_id(), "client");
        assert_eq!(creds.access_token(), "token");
        assert_eq!(creds.certificate(), None);
        assert_eq!(creds.authorized_scopes(), None);

        let creds = creds
            .with_certificate(String::from("{}"))
            .with_authorized_scopes(vec![String::from("a:b"), String::from("c:*")]);
        assert_eq!(creds.certificate(), Some("{}"));
        assert_eq!(
            creds.authorized_scopes(),
            Some(&["a:b".to_string(), "c:*".to_string()][..])
        );
        let empty = Credentials::new("c", "t").with_authorized_scopes(Vec::<String>::new());
        assert_eq!(empty.authorized_scopes(), Some(&[][..]));
    }

    #[test]
    fn from_env_reads_all_three() {
        let creds = Credentials::from_lookup(env(&[
            ("TASKCLUSTER_CLIENT_ID", "me"),
            ("TASKCLUSTER_ACCESS_TOKEN", "tok"),
            ("TASKCLUSTER_CERTIFICATE", "{\"version\":1}"),
        ]))
        .unwrap();
        assert_eq!(creds.client_id(), "me");
        assert_eq!(creds.access_token(), "tok");
        assert_eq!(creds.certificate(), Some("{\"version\":1}"));
        assert_eq!(creds.authorized_scopes(), None);
    }

    #[test]
    fn from_env_empty_certificate_is_none() {
        for vars in [
            &[
                ("TASKCLUSTER_CLIENT_ID", "me"),
                ("TASKCLUSTER_ACCESS_TOKEN", "tok"),
            ][..],
            &[
                ("TASKCLUSTER_CLIENT_ID", "me"),
                ("TASKCLUSTER_ACCESS_TOKEN", "tok"),
                ("TASKCLUSTER_CERTIFICATE", ""),
            ][..],
        ] {
            let creds = Credentials::from_lookup(env(vars)).unwrap();
            assert_eq!(creds.certificate(), None);
        }
    }

    #[test]
    fn from_env_names_the_missing_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("TASKCLUSTER_ACCESS_TOKEN", "tok")],
                "TASKCLUSTER_CLIENT_ID",
            ),
            (
                &[
                    ("TASKCLUSTER_CLIENT_ID", ""),
                    ("TASKCLUSTER_ACCESS_TOKEN", "tok"),
                ],
                "TASKCLUSTER_CLIENT_ID",
            ),
            (
                &[("TASKCLUSTER_CLIENT_ID", "me")],
                "TASKCLUSTER_ACCESS_TOKEN",
            ),
            (
                &[
                    ("TASKCLUSTER_CLIENT_ID", "me"),
                    ("TASKCLUSTER_ACCESS_TOKEN", ""),
                ],
                "TASKCLUSTER_ACCESS_TOKEN",
            ),
            (&[], "TASKCLUSTER_CLIENT_ID"),
        ];
        for (vars, name) in cases {
            let msg = credentials_error(Credentials::from_lookup(env(vars)));
            assert!(msg.contains(name), "{msg:?} should name {name}");
        }
    }

    #[test]
    fn from_env_optional() {
        assert!(
            Credentials::from_lookup_optional(env(&[]))
                .unwrap()
                .is_none()
        );
        assert!(
            Credentials::from_lookup_optional(env(&[
                ("TASKCLUSTER_CLIENT_ID", ""),
                ("TASKCLUSTER_ACCESS_TOKEN", ""),
                ("TASKCLUSTER_CERTIFICATE", "{}"),
            ]))
            .unwrap()
            .is_none()
        );
        let creds = Credentials::from_lookup_optional(env(&[
            ("TASKCLUSTER_CLIENT_ID", "me"),
            ("TASKCLUSTER_ACCESS_TOKEN", "tok"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(creds.client_id(), "me");

        let msg = credentials_error(Credentials::from_lookup_optional(env(&[(
            "TASKCLUSTER_CLIENT_ID",
            "me",
        )])));
        assert!(msg.contains("TASKCLUSTER_ACCESS_TOKEN"), "{msg}");
        let msg = credentials_error(Credentials::from_lookup_optional(env(&[(
            "TASKCLUSTER_ACCESS_TOKEN",
            "tok",
        )])));
        assert!(msg.contains("TASKCLUSTER_CLIENT_ID"), "{msg}");
    }

    #[test]
    fn debug_and_display_never_show_secrets() {
        let token = "s3cr3t-t0ken-value";
        let cert = r#"{"version":1,"seed":"cert-seed-text","signature":"cert-signature"}"#;
        let creds = Credentials::new("project/me", token)
            .with_certificate(cert)
            .with_authorized_scopes(["queue:get-artifact:private/*"]);
        for text in [
            format!("{creds:?}"),
            format!("{creds:#?}"),
            format!("{creds}"),
            format!("{:?}", Some(&creds)),
        ] {
            assert!(!text.contains(token), "{text}");
            assert!(!text.contains("cert-seed-text"), "{text}");
            assert!(!text.contains("cert-signature"), "{text}");
        }
        let debug = format!("{creds:?}");
        assert_eq!(
            debug,
            "Credentials { client_id: \"project/me\", access_token: <redacted>, \
             certificate: Some(<redacted>), authorized_scopes: Some([\"queue:get-artifact:private/*\"]) }"
        );
        assert_eq!(creds.to_string(), "project/me");

        let plain = format!("{:?}", Credentials::new("me", token));
        assert!(plain.contains("certificate: None"), "{plain}");
        assert!(!plain.contains(token));
    }
}
