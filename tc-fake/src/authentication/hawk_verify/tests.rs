// Included from mod.rs under #[cfg(test)]: all of this file is test code.
//! Unit tests of Hawk verification: headers, bewits, temporary certificates and authorizedScopes.

use super::*;
use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use tc_client::{Credentials, Time};

const ROOT_TOKEN: &str = "root-access-token";
const LIMITED_TOKEN: &str = "limited-access-token";
const HOST: &str = "127.0.0.1";
const PORT: u16 = 40123;
const PATH: &str = "/api/queue/v1/task/abc?x=1";

struct TestDir {
    clients: BTreeMap<String, ClientRecord>,
    roles: Vec<(String, Vec<String>)>,
}

impl Directory for TestDir {
    fn client(&self, client_id: &str) -> Option<ClientRecord> {
        self.clients.get(client_id).cloned()
    }

    fn expand(&self, scopes: &[String]) -> Vec<String> {
        scopes::expand(scopes, &self.roles)
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn far_future_ms() -> i64 {
    unix_millis(SystemTime::now()) + 365 * 24 * 3600 * 1000
}

fn record(token: &str, scopes: &[&str]) -> ClientRecord {
    ClientRecord {
        access_token: token.to_owned(),
        scopes: strings(scopes),
        expires_ms: far_future_ms(),
        disabled: false,
    }
}

fn dir() -> TestDir {
    let mut clients = BTreeMap::new();
    clients.insert("static/root".to_owned(), record(ROOT_TOKEN, &["*"]));
    clients.insert(
        "project/limited".to_owned(),
        record(
            LIMITED_TOKEN,
            &["assume:project:limited", "queue:get-task:*"],
        ),
    );
    let mut expired = record("expired-token", &["queue:*"]);
    expired.expires_ms = unix_millis(SystemTime::now()) - 60_000;
    clients.insert("project/expired".to_owned(), expired);
    let mut disabled = record("disabled-token", &["queue:*"]);
    disabled.disabled = true;
    clients.insert("project/disabled".to_owned(), disabled);
    TestDir {
        clients,
        roles: vec![
            (
                "project:limited".to_owned(),
                strings(&[
                    "secrets:get:limited/*",
                    "auth:create-client:project/limited/*",
                ]),
            ),
            ("anonymous".to_owned(), strings(&["queue:ping"])),
        ],
    }
}

fn limited() -> Credentials {
    Credentials::new("project/limited", LIMITED_TOKEN)
}

fn root() -> Credentials {
    Credentials::new("static/root", ROOT_TOKEN)
}

/// Taskcluster's `ext` for `creds`, built as tc-client's hawk_auth does.
fn ext_of(creds: &Credentials) -> Option<String> {
    let mut ext = Map::new();
    if let Some(cert) = creds.certificate() {
        ext.insert("certificate".into(), serde_json::from_str(cert).unwrap());
    }
    if let Some(scopes) = creds.authorized_scopes() {
        ext.insert("authorizedScopes".into(), json!(scopes));
    }
    (!ext.is_empty()).then(|| STANDARD.encode(serde_json::to_vec(&Value::Object(ext)).unwrap()))
}

/// The `Authorization` header for `method` on `path`, signed at `ts`
/// with Hawk's client API, as tc-client signs it.
fn header_at(creds: &Credentials, method: &str, path: &str, ts: SystemTime) -> String {
    let ext = ext_of(creds);
    let hawk_creds = hawk::Credentials {
        id: creds.client_id().to_owned(),
        key: Key::new(creds.access_token().as_bytes(), DigestAlgorithm::Sha256).unwrap(),
    };
    let header = RequestBuilder::new(method, HOST, PORT, path)
        .ext(ext.as_deref())
        .request()
        .make_header_full(&hawk_creds, ts, "nonce1")
        .unwrap();
    format!("Hawk {header}")
}

fn header(creds: &Credentials) -> String {
    header_at(creds, "GET", PATH, SystemTime::now())
}

fn auth_header(value: &str, method: &str, path: &str) -> Result<Caller, ApiError> {
    let request = HawkRequest {
        method,
        host: HOST,
        port: PORT,
        path_and_query: path,
        authorization: Some(value),
    };
    authenticate(&dir(), &request, SystemTime::now())
}

fn auth(creds: &Credentials) -> Result<Caller, ApiError> {
    auth_header(&header(creds), "GET", PATH)
}

fn expect_401(result: Result<Caller, ApiError>, fragment: &str) {
    match result {
        Ok(caller) => panic!("expected a 401 containing {fragment:?}, got {caller:?}"),
        Err(e) => {
            assert_eq!(e.status, 401, "{e:?}");
            assert_eq!(e.code, "AuthenticationFailed", "{e:?}");
            assert!(
                e.message.contains(fragment),
                "{fragment:?} not in {:?}",
                e.message
            );
        }
    }
}

#[test]
fn anonymous_requests_assume_anonymous() {
    let request = HawkRequest {
        method: "GET",
        host: HOST,
        port: PORT,
        path_and_query: "/api/queue/v1/ping?bewitness=1",
        authorization: None,
    };
    let caller = authenticate(&dir(), &request, SystemTime::now()).unwrap();
    assert_eq!(caller.client_id, None);
    assert_eq!(caller.scopes, strings(&["assume:anonymous", "queue:ping"]));
}

#[test]
fn plain_clients() {
    let caller = auth(&root()).unwrap();
    assert_eq!(caller.client_id.as_deref(), Some("static/root"));
    assert_eq!(caller.scopes, strings(&["*"]));

    let caller = auth(&limited()).unwrap();
    assert_eq!(caller.client_id.as_deref(), Some("project/limited"));
    assert_eq!(
        caller.scopes,
        strings(&[
            "assume:anonymous",
            "assume:project:limited",
            "auth:create-client:project/limited/*",
            "queue:get-task:*",
            "queue:ping",
            "secrets:get:limited/*"
        ])
    );

    // Lower-case method and the scheme in any case.
    let value = header_at(&root(), "POST", "/api/x", SystemTime::now());
    assert!(auth_header(&value, "post", "/api/x").is_ok());
    let value = value.replacen("Hawk", "hawk", 1);
    assert!(auth_header(&value, "POST", "/api/x").is_ok());
}

#[test]
fn wrong_token_method_path_or_host_is_a_bad_mac() {
    let wrong = Credentials::new("static/root", "not-the-token");
    expect_401(auth(&wrong), "Bad mac");
    let value = header(&root());
    expect_401(auth_header(&value, "POST", PATH), "Bad mac");
    expect_401(
        auth_header(&value, "GET", "/api/queue/v1/task/abd?x=1"),
        "Bad mac",
    );
    let request = HawkRequest {
        method: "GET",
        host: "localhost",
        port: PORT,
        path_and_query: PATH,
        authorization: Some(&value),
    };
    expect_401(authenticate(&dir(), &request, SystemTime::now()), "Bad mac");
}

#[test]
fn stale_timestamps() {
    let old = SystemTime::now() - Duration::from_secs(20 * 60);
    expect_401(
        auth_header(&header_at(&root(), "GET", PATH, old), "GET", PATH),
        "Stale timestamp",
    );
    let future = SystemTime::now() + Duration::from_secs(20 * 60);
    expect_401(
        auth_header(&header_at(&root(), "GET", PATH, future), "GET", PATH),
        "Stale timestamp",
    );
    // Within 15 minutes is fine.
    let skewed = SystemTime::now() - Duration::from_secs(10 * 60);
    assert!(auth_header(&header_at(&root(), "GET", PATH, skewed), "GET", PATH).is_ok());
    // `now` decides, not the machine's clock.
    let value = header(&root());
    let request = HawkRequest {
        method: "GET",
        host: HOST,
        port: PORT,
        path_and_query: PATH,
        authorization: Some(&value),
    };
    let later = SystemTime::now() + Duration::from_secs(16 * 60);
    expect_401(authenticate(&dir(), &request, later), "Stale timestamp");
}

#[test]
fn unknown_expired_and_disabled_clients() {
    expect_401(auth(&Credentials::new("nobody", "x")), "Unknown client");
    expect_401(
        auth(&Credentials::new("project/expired", "expired-token")),
        "expired",
    );
    expect_401(
        auth(&Credentials::new("project/disabled", "disabled-token")),
        "disabled",
    );
}

#[test]
fn malformed_headers() {
    expect_401(
        auth_header("Bearer abc", "GET", PATH),
        "Unsupported authentication scheme",
    );
    expect_401(auth_header("Hawk", "GET", PATH), "missing attributes");
    expect_401(
        auth_header("Hawk id=\"x\"", "GET", PATH),
        "missing attributes",
    );
    expect_401(
        auth_header("Hawk id=x", "GET", PATH),
        "Bad Hawk Authorization header",
    );
    // An ext that is not base64 JSON.
    let creds = hawk::Credentials {
        id: "static/root".into(),
        key: Key::new(ROOT_TOKEN.as_bytes(), DigestAlgorithm::Sha256).unwrap(),
    };
    for ext in ["not base64!", "bm90IGpzb24", "WzFd"] {
        let value = RequestBuilder::new("GET", HOST, PORT, PATH)
            .ext(ext)
            .request()
            .make_header(&creds)
            .unwrap();
        expect_401(
            auth_header(&format!("Hawk {value}"), "GET", PATH),
            "Failed to parse ext",
        );
    }
}

#[test]
fn unnamed_temporary_credentials() {
    let temp = limited()
        .create_temp_creds(
            Duration::from_secs(3600),
            ["secrets:get:limited/a", "queue:get-task:x"],
        )
        .unwrap();
    let caller = auth(&temp).unwrap();
    assert_eq!(caller.client_id.as_deref(), Some("project/limited"));
    assert_eq!(
        caller.scopes,
        strings(&[
            "assume:anonymous",
            "queue:get-task:x",
            "queue:ping",
            "secrets:get:limited/a"
        ])
    );

    // Certificate scopes are role-expanded.
    let temp = limited()
        .create_temp_creds(Duration::from_secs(3600), ["assume:project:limited"])
        .unwrap();
    let caller = auth(&temp).unwrap();
    assert!(caller.scopes.contains(&"secrets:get:limited/*".to_owned()));

    // The issuer's own token does not sign for its temporary credentials.
    let wrong = Credentials::new("project/limited", LIMITED_TOKEN)
        .with_certificate(temp.certificate().unwrap());
    expect_401(auth(&wrong), "Bad mac");
}

#[test]
fn named_temporary_credentials() {
    let temp = limited()
        .create_named_temp_creds(
            "project/limited/worker-1",
            Duration::from_secs(3600),
            ["secrets:get:limited/a"],
        )
        .unwrap();
    let caller = auth(&temp).unwrap();
    assert_eq!(
        caller.client_id.as_deref(),
        Some("project/limited/worker-1")
    );
    assert_eq!(
        caller.scopes,
        strings(&["assume:anonymous", "queue:ping", "secrets:get:limited/a"])
    );

    // The name is signed: the certificate does not work under another one.
    let renamed = Credentials::new("project/limited/worker-2", temp.access_token())
        .with_certificate(temp.certificate().unwrap());
    expect_401(auth(&renamed), "wrong clientId provided");

    // The issuer needs auth:create-client:<name>.
    let temp = limited()
        .create_named_temp_creds(
            "elsewhere/worker",
            Duration::from_secs(3600),
            ["queue:get-task:x"],
        )
        .unwrap();
    expect_401(auth(&temp), "auth:create-client:elsewhere/worker");

    // The issuer must exist and differ from the name.
    let ghost = Credentials::new("ghost", "ghost-token")
        .create_named_temp_creds("ghost/child", Duration::from_secs(60), ["a"])
        .unwrap();
    expect_401(auth(&ghost), "is not a known client");
    let cert = temp
        .certificate()
        .unwrap()
        .replace("project/limited", "elsewhere/worker");
    let same = Credentials::new("elsewhere/worker", temp.access_token()).with_certificate(cert);
    expect_401(auth(&same), "must differ");
}

#[test]
fn certificate_scopes_must_be_the_issuers() {
    let temp = limited()
        .create_temp_creds(Duration::from_secs(3600), ["queue:create-task:*"])
        .unwrap();
    expect_401(auth(&temp), "doesn't satisfy all certificate scopes");
}

#[test]
fn tampered_certificates() {
    let temp = limited()
        .create_temp_creds(Duration::from_secs(3600), ["secrets:get:limited/a"])
        .unwrap();
    let cert = temp.certificate().unwrap();
    let tampered = cert.replace("secrets:get:limited/a", "secrets:get:limited/b");
    assert_ne!(cert, tampered);
    let forged = Credentials::new(temp.client_id(), temp.access_token()).with_certificate(tampered);
    expect_401(auth(&forged), "ext.certificate.signature is not valid");

    let mut value: Value = serde_json::from_str(cert).unwrap();
    value["version"] = json!(2);
    let forged =
        Credentials::new(temp.client_id(), temp.access_token()).with_certificate(value.to_string());
    expect_401(auth(&forged), "version must be 1");

    let mut value: Value = serde_json::from_str(cert).unwrap();
    value["clientId"] = json!("project/limited");
    let forged =
        Credentials::new(temp.client_id(), temp.access_token()).with_certificate(value.to_string());
    expect_401(
        auth(&forged),
        "clientId must only be used with ext.certificate.issuer",
    );

    let mut value: Value = serde_json::from_str(cert).unwrap();
    value["seed"] = json!("short");
    let forged =
        Credentials::new(temp.client_id(), temp.access_token()).with_certificate(value.to_string());
    expect_401(auth(&forged), "seed must be 44 characters");
}

#[test]
fn certificate_lifetimes() {
    let now = Time::now();
    let build = |start: Time, expiry: Time| {
        limited()
            .temp_creds_builder(["queue:get-task:x"])
            .start(start)
            .expiry(expiry)
            .build()
            .unwrap()
    };
    let hour = Duration::from_secs(3600);
    let minute = Duration::from_secs(60);
    expect_401(
        auth(&build(now - 2 * hour, now - hour)),
        "ext.certificate.expiry < now",
    );
    expect_401(
        auth(&build(now + hour, now + 2 * hour)),
        "ext.certificate.start > now",
    );
    // Five minutes of clock skew either way.
    assert!(auth(&build(now - hour, now - 4 * minute)).is_ok());
    assert!(auth(&build(now + 4 * minute, now + hour)).is_ok());

    // More than 31 days from start to expiry (hand-made: tc-client refuses).
    let start = now.unix_millis() - 1000;
    let expiry = start + MAX_CERTIFICATE_SPAN_MS + 1;
    let seed = "a".repeat(44);
    let signed = format!(
        "version:1\nseed:{seed}\nstart:{start}\nexpiry:{expiry}\nscopes:\nqueue:get-task:x"
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, LIMITED_TOKEN.as_bytes());
    let signature = STANDARD.encode(hmac::sign(&key, signed.as_bytes()));
    let token = URL_SAFE_NO_PAD.encode(hmac::sign(&key, seed.as_bytes()));
    let cert = json!({"version": 1, "scopes": ["queue:get-task:x"], "start": start,
                      "expiry": expiry, "seed": seed, "signature": signature});
    let long = Credentials::new("project/limited", token).with_certificate(cert.to_string());
    expect_401(auth(&long), "31 days");
}

#[test]
fn authorized_scopes_narrow_and_must_be_held() {
    let narrowed = limited().with_authorized_scopes(["secrets:get:limited/x", "queue:get-task:y"]);
    let caller = auth(&narrowed).unwrap();
    assert_eq!(caller.client_id.as_deref(), Some("project/limited"));
    assert_eq!(
        caller.scopes,
        strings(&[
            "assume:anonymous",
            "queue:get-task:y",
            "queue:ping",
            "secrets:get:limited/x"
        ])
    );

    // Authorized scopes are role-expanded too.
    let narrowed = root().with_authorized_scopes(["assume:project:limited"]);
    let caller = auth(&narrowed).unwrap();
    assert_eq!(
        caller.scopes,
        strings(&[
            "assume:anonymous",
            "assume:project:limited",
            "auth:create-client:project/limited/*",
            "queue:ping",
            "secrets:get:limited/*",
        ])
    );

    // An empty list leaves the anonymous role's scopes only.
    let none = limited().with_authorized_scopes(Vec::<String>::new());
    assert_eq!(
        auth(&none).unwrap().scopes,
        strings(&["assume:anonymous", "queue:ping"])
    );

    let too_much = limited().with_authorized_scopes(["queue:create-task:x"]);
    expect_401(auth(&too_much), "do not satisfy authorizedScopes");

    // With temporary credentials, the certificate's scopes are what counts.
    let temp = limited()
        .create_temp_creds(Duration::from_secs(3600), ["secrets:get:limited/a"])
        .unwrap();
    let caller = auth(
        &temp
            .clone()
            .with_authorized_scopes(["secrets:get:limited/a"]),
    )
    .unwrap();
    assert_eq!(
        caller.scopes,
        strings(&["assume:anonymous", "queue:ping", "secrets:get:limited/a"])
    );
    expect_401(
        auth(&temp.with_authorized_scopes(["queue:get-task:x"])),
        "do not satisfy authorizedScopes",
    );
}

/// The path and query of a URL tc-client signed.
fn signed_path(url: &str) -> (String, u16) {
    let url = url::Url::parse(url).unwrap();
    let port = url.port_or_known_default().unwrap();
    (url[url::Position::BeforePath..].to_owned(), port)
}

fn queue_signed_url(creds: Credentials, ttl: Duration) -> String {
    tc_client::queue::Queue::new(Some(creds), "http://127.0.0.1:1")
        .unwrap()
        .task_signed_url("abc", ttl)
        .unwrap()
}

fn auth_url(method: &str, url: &str, now: SystemTime) -> Result<Caller, ApiError> {
    let (path, port) = signed_path(url);
    let request = HawkRequest {
        method,
        host: "127.0.0.1",
        port,
        path_and_query: &path,
        authorization: None,
    };
    authenticate(&dir(), &request, now)
}

#[test]
fn bewits() {
    let url = queue_signed_url(limited(), Duration::from_secs(600));
    assert!(url.contains("bewit="), "{url}");
    let caller = auth_url("GET", &url, SystemTime::now()).unwrap();
    assert_eq!(caller.client_id.as_deref(), Some("project/limited"));
    assert!(caller.scopes.contains(&"queue:get-task:*".to_owned()));
    assert!(auth_url("HEAD", &url, SystemTime::now()).is_ok());

    // Only GET.
    expect_401(auth_url("POST", &url, SystemTime::now()), "Invalid method");
    // Expired.
    let later = SystemTime::now() + Duration::from_secs(601);
    expect_401(auth_url("GET", &url, later), "Access expired");
    let url0 = queue_signed_url(limited(), Duration::ZERO);
    expect_401(auth_url("GET", &url0, SystemTime::now()), "Access expired");
    // Altered URL or wrong token.
    expect_401(
        auth_url("GET", &url.replace("/abc", "/abd"), SystemTime::now()),
        "Bad mac",
    );
    let wrong = queue_signed_url(
        Credentials::new("project/limited", "wrong"),
        Duration::from_secs(600),
    );
    expect_401(auth_url("GET", &wrong, SystemTime::now()), "Bad mac");
    // Unknown client, garbage and duplicate bewits.
    let nobody = queue_signed_url(Credentials::new("nobody", "x"), Duration::from_secs(600));
    expect_401(
        auth_url("GET", &nobody, SystemTime::now()),
        "Unknown client",
    );
    expect_401(
        auth_url("GET", "http://127.0.0.1:1/a?bewit=%%%", SystemTime::now()),
        "Bad bewit",
    );
    expect_401(
        auth_url("GET", "http://127.0.0.1:1/a?bewit=", SystemTime::now()),
        "Bad bewit",
    );
    let twice = format!("{url}&{}", url.split_once('?').unwrap().1);
    expect_401(
        auth_url("GET", &twice, SystemTime::now()),
        "more than one bewit",
    );

    // Not together with a header.
    let (path, port) = signed_path(&url);
    let value = header(&root());
    let request = HawkRequest {
        method: "GET",
        host: "127.0.0.1",
        port,
        path_and_query: &path,
        authorization: Some(&value),
    };
    expect_401(
        authenticate(&dir(), &request, SystemTime::now()),
        "two authentication schemes",
    );
}

#[test]
fn bewits_keep_the_rest_of_the_query_and_carry_ext() {
    // A URL with a query, signed by tc-client through a list endpoint.
    let temp = limited()
        .create_named_temp_creds(
            "project/limited/reader",
            Duration::from_secs(3600),
            ["queue:get-task:*"],
        )
        .unwrap()
        .with_authorized_scopes(["queue:get-task:abc"]);
    let url = queue_signed_url(temp, Duration::from_secs(600));
    let caller = auth_url("GET", &url, SystemTime::now()).unwrap();
    assert_eq!(caller.client_id.as_deref(), Some("project/limited/reader"));
    assert_eq!(
        caller.scopes,
        strings(&["assume:anonymous", "queue:get-task:abc", "queue:ping"])
    );

    // The bewit in the middle of the query, as Hawk clients may put it.
    let root_url = tc_client::queue::Queue::new(Some(root()), "http://127.0.0.1:1")
        .unwrap()
        .list_task_group("tg")
        .continuation_token("tok")
        .limit(5)
        .signed_url(Duration::from_secs(600))
        .unwrap();
    let (path, _) = signed_path(&root_url);
    let (base, query) = path.split_once('?').unwrap();
    let mut parts: Vec<&str> = query.split('&').collect();
    assert_eq!(parts.len(), 3, "{path}");
    let bewit = parts.pop().unwrap();
    parts.insert(1, bewit);
    let moved = format!("http://127.0.0.1:1{base}?{}", parts.join("&"));
    assert!(auth_url("GET", &root_url, SystemTime::now()).is_ok());
    assert!(auth_url("GET", &moved, SystemTime::now()).is_ok());
}

#[test]
fn helpers() {
    assert_eq!(split_bewit("/a").unwrap(), ("/a".to_owned(), None));
    assert_eq!(split_bewit("/a?x=1").unwrap(), ("/a?x=1".to_owned(), None));
    assert_eq!(
        split_bewit("/a?bewit=b").unwrap(),
        ("/a".to_owned(), Some("b"))
    );
    assert_eq!(
        split_bewit("/a?x=1&bewit=b&y=2").unwrap(),
        ("/a?x=1&y=2".to_owned(), Some("b"))
    );
    assert_eq!(whole_number(Some(&json!(12))), Some(12));
    assert_eq!(whole_number(Some(&json!(12.0))), Some(12));
    assert_eq!(whole_number(Some(&json!(12.5))), None);
    assert_eq!(whole_number(Some(&json!("12"))), None);
    assert_eq!(describe_millis(0), "1970-01-01T00:00:00Z");
    assert!(parse_ext(&URL_SAFE_NO_PAD.encode(b"{\"a\":1}")).is_ok());
    assert!(parse_ext(&STANDARD.encode(b"{\"a\":1}")).is_ok());
}
