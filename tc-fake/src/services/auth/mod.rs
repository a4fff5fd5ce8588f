//! The auth service: clients, roles and scope expansion.
//!
//! Implemented entries: `listClients`, `client`, `createClient`,
//! `updateClient`, `enableClient`, `disableClient`, `deleteClient`,
//! `resetAccessToken`, `listRoles`, `listRoles2`, `listRoleIds`, `role`,
//! `createRole`, `updateRole`, `deleteRole`, `expandScopes`, `currentScopes`.
//!
//! Static clients (given when the fake starts) are listed and readable like
//! any client but read-only: creating, updating, enabling, disabling,
//! deleting them or resetting their token answers 400 `InputError`, as
//! Taskcluster answers for its `static/` clients (any `static/...` client id
//! is reserved the same way). They never expire.
//!
//! Simplifications: `lastDateUsed` is the creation time (the fake does not
//! track use); role cycles are not rejected (expansion is a set-based fixed
//! point, so a cycle cannot expand forever).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use crate::authentication::caller::{ClientRecord, Directory};
use crate::error::ApiError;
use crate::service::{Request, Response};
use crate::services::registry::{Entries, Entry};
use crate::support::clock::{format_ms, now_ms};
use crate::support::json::{dedup, string_list, text_or, time_field};
use crate::support::paging::{Paging, with_token};
use crate::support::sync::lock;

/// Expiry reported for static clients: they never expire.
const STATIC_EXPIRES_MS: i64 = 32_503_680_000_000; // 3000-01-01T00:00:00.000Z

/// The auth service's state.
pub struct Auth {
    store: Arc<AuthStore>,
}

/// Data shared with the services that issue credentials in the
/// deployment's name (queue: task credentials; index: signed URLs).
pub(crate) struct AuthStore {
    /// Static clients, in the order given.
    statics: Vec<(String, StaticEntry)>,
    /// When the fake started (creation time of static clients and roles).
    started_ms: i64,
    data: Mutex<AuthData>,
}

struct StaticEntry {
    access_token: String,
    scopes: Vec<String>,
}

#[derive(Default)]
struct AuthData {
    clients: BTreeMap<String, ClientEntry>,
    roles: BTreeMap<String, RoleEntry>,
}

#[derive(Clone)]
struct ClientEntry {
    access_token: String,
    description: String,
    expires_ms: i64,
    scopes: Vec<String>,
    disabled: bool,
    delete_on_expiration: bool,
    created_ms: i64,
    last_modified_ms: i64,
    last_date_used_ms: i64,
    last_rotated_ms: i64,
}

#[derive(Clone)]
struct RoleEntry {
    description: String,
    scopes: Vec<String>,
    created_ms: i64,
    last_modified_ms: i64,
}

/// A handle on the auth state for other services: picks a static client to
/// sign credentials with.
#[derive(Clone)]
pub(crate) struct Signer {
    store: Arc<AuthStore>,
}

impl Signer {
    /// The first static client whose expanded scopes satisfy all of
    /// `wanted` (`(clientId, accessToken)`); failing that, the first static
    /// client; `None` when there are no static clients.
    pub(crate) fn issuer(&self, wanted: &[String]) -> Option<(String, String)> {
        let roles = self.store.role_pairs();
        let pick = self
            .store
            .statics
            .iter()
            .find(|(_, entry)| {
                let have = crate::authentication::scopes::expand(&entry.scopes, &roles);
                wanted
                    .iter()
                    .all(|w| crate::authentication::scopes::satisfies(&have, w))
            })
            .or_else(|| self.store.statics.first());
        pick.map(|(id, entry)| (id.clone(), entry.access_token.clone()))
    }
}

impl AuthStore {
    fn role_pairs(&self) -> Vec<(String, Vec<String>)> {
        let data = lock(&self.data);
        role_pairs(&data)
    }

    fn static_entry(&self, client_id: &str) -> Option<&StaticEntry> {
        self.statics
            .iter()
            .find(|(id, _)| id == client_id)
            .map(|(_, e)| e)
    }
}

fn role_pairs(data: &AuthData) -> Vec<(String, Vec<String>)> {
    data.roles
        .iter()
        .map(|(id, role)| (id.clone(), role.scopes.clone()))
        .collect()
}

fn new_access_token() -> String {
    format!("{}{}", slugid::v4(), slugid::v4())
}

fn static_error(client_id: &str) -> ApiError {
    ApiError::input(format!(
        "clientId \"{client_id}\" is a static client (or starts with \"static/\", which is reserved for \
         statically configured clients). Contact your administrator to change static clients."
    ))
}

fn check_no_double_star(scopes: &[String]) -> Result<(), ApiError> {
    if scopes.iter().any(|s| s.ends_with("**")) {
        return Err(ApiError::input("scopes must not end with `**`"));
    }
    Ok(())
}

impl Auth {
    /// Auth state with these static clients and roles.
    pub fn new(
        static_clients: Vec<crate::static_client::StaticClient>,
        roles: Vec<(String, Vec<String>)>,
    ) -> Self {
        let started_ms = now_ms();
        let mut data = AuthData::default();
        for (role_id, scopes) in roles {
            data.roles.insert(
                role_id,
                RoleEntry {
                    description: String::new(),
                    scopes: dedup(scopes),
                    created_ms: started_ms,
                    last_modified_ms: started_ms,
                },
            );
        }
        let statics = static_clients
            .into_iter()
            .map(|c| {
                (
                    c.client_id,
                    StaticEntry {
                        access_token: c.access_token,
                        scopes: dedup(c.scopes),
                    },
                )
            })
            .collect();
        Auth {
            store: Arc::new(AuthStore {
                statics,
                started_ms,
                data: Mutex::new(data),
            }),
        }
    }

    /// A signer sharing this state (for task credentials and signed URLs).
    pub(crate) fn signer(&self) -> Signer {
        Signer {
            store: self.store.clone(),
        }
    }

    fn is_static(&self, client_id: &str) -> bool {
        client_id.starts_with("static/") || self.store.static_entry(client_id).is_some()
    }

    /// The client as a `get-client-response`.
    fn client_json(&self, data: &AuthData, client_id: &str) -> Option<Value> {
        let roles = role_pairs(data);
        let entry = match self.store.static_entry(client_id) {
            Some(s) => ClientEntry {
                access_token: s.access_token.clone(),
                description: "Static client (configured when the fake deployment started)".into(),
                expires_ms: STATIC_EXPIRES_MS,
                scopes: s.scopes.clone(),
                disabled: false,
                delete_on_expiration: false,
                created_ms: self.store.started_ms,
                last_modified_ms: self.store.started_ms,
                last_date_used_ms: self.store.started_ms,
                last_rotated_ms: self.store.started_ms,
            },
            None => data.clients.get(client_id)?.clone(),
        };
        Some(json!({
            "clientId": client_id,
            "description": entry.description,
            "expires": format_ms(entry.expires_ms),
            "created": format_ms(entry.created_ms),
            "lastModified": format_ms(entry.last_modified_ms),
            "lastDateUsed": format_ms(entry.last_date_used_ms),
            "lastRotated": format_ms(entry.last_rotated_ms),
            "scopes": entry.scopes,
            "expandedScopes": dedup(crate::authentication::scopes::expand(&entry.scopes, &roles)),
            "disabled": entry.disabled,
            "deleteOnExpiration": entry.delete_on_expiration,
        }))
    }

    fn client_json_with_token(&self, data: &AuthData, client_id: &str) -> Result<Value, ApiError> {
        let mut body = self
            .client_json(data, client_id)
            .ok_or_else(|| ApiError::not_found("Client not found"))?;
        let token = data
            .clients
            .get(client_id)
            .map(|c| c.access_token.clone())
            .ok_or_else(|| ApiError::not_found("Client not found"))?;
        if let Some(map) = body.as_object_mut() {
            map.insert("accessToken".into(), Value::String(token));
        }
        Ok(body)
    }

    fn role_json(data: &AuthData, role_id: &str) -> Option<Value> {
        let role = data.roles.get(role_id)?;
        let roles = role_pairs(data);
        Some(json!({
            "roleId": role_id,
            "description": role.description,
            "scopes": role.scopes,
            "created": format_ms(role.created_ms),
            "lastModified": format_ms(role.last_modified_ms),
            "expandedScopes": dedup(crate::authentication::scopes::expand(&[format!("assume:{role_id}")], &roles)),
        }))
    }

    fn list_clients(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, Some(1000), Some(1000))?;
        let prefix = request
            .query
            .get("prefix")
            .map(String::as_str)
            .unwrap_or("");
        let data = lock(&self.store.data);
        let mut ids: Vec<String> = self
            .store
            .statics
            .iter()
            .map(|(id, _)| id.clone())
            .chain(data.clients.keys().cloned())
            .filter(|id| id.starts_with(prefix))
            .collect();
        ids.sort();
        ids.dedup();
        let (page, token) = paging.apply(ids);
        let clients: Vec<Value> = page
            .iter()
            .filter_map(|id| self.client_json(&data, id))
            .collect();
        Ok(Response::Json(with_token(
            json!({ "clients": clients }),
            token,
        )))
    }

    fn client(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let client_id = request.arg("clientId")?;
        let data = lock(&self.store.data);
        self.client_json(&data, client_id)
            .map(Response::Json)
            .ok_or_else(|| ApiError::not_found("Client not found"))
    }

    fn create_client(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let client_id = request.arg("clientId")?;
        if self.is_static(client_id) {
            return Err(static_error(client_id));
        }
        let body = request.body_object()?;
        let scopes = string_list(body.get("scopes"));
        check_no_double_star(&scopes)?;
        let expires_ms = time_field(body, "expires")?;
        let description = text_or(body, "description", "");
        let delete_on_expiration = body
            .get("deleteOnExpiration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let now = now_ms();
        let mut data = lock(&self.store.data);
        if let Some(existing) = data.clients.get(client_id) {
            // Taskcluster accepts a repeated identical call made shortly after
            // the first one (retries), and answers 409 otherwise.
            let same = existing.description == description
                && existing.expires_ms == expires_ms
                && existing.scopes == scopes
                && !existing.disabled
                && existing.created_ms >= now - 15 * 60 * 1000;
            if !same {
                return Err(ApiError::conflict(
                    "client with same clientId already exists, possibly an issue with retry logic or idempotency",
                ));
            }
        } else {
            data.clients.insert(
                client_id.to_string(),
                ClientEntry {
                    access_token: new_access_token(),
                    description,
                    expires_ms,
                    scopes,
                    disabled: false,
                    delete_on_expiration,
                    created_ms: now,
                    last_modified_ms: now,
                    last_date_used_ms: now,
                    last_rotated_ms: now,
                },
            );
        }
        self.client_json_with_token(&data, client_id)
            .map(Response::Json)
    }

    fn reset_access_token(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let client_id = request.arg("clientId")?;
        if self.is_static(client_id) {
            return Err(static_error(client_id));
        }
        let mut data = lock(&self.store.data);
        let client = data
            .clients
            .get_mut(client_id)
            .ok_or_else(|| ApiError::not_found("Client not found"))?;
        client.access_token = new_access_token();
        client.last_rotated_ms = now_ms();
        self.client_json_with_token(&data, client_id)
            .map(Response::Json)
    }

    fn update_client(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let client_id = request.arg("clientId")?;
        if self.is_static(client_id) {
            return Err(static_error(client_id));
        }
        let body = request.body_object()?;
        let scopes = body.get("scopes").map(|v| string_list(Some(v)));
        if let Some(scopes) = &scopes {
            check_no_double_star(scopes)?;
        }
        let expires_ms = time_field(body, "expires")?;
        let description = text_or(body, "description", "");
        let delete_on_expiration = body
            .get("deleteOnExpiration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut data = lock(&self.store.data);
        let client = data
            .clients
            .get_mut(client_id)
            .ok_or_else(|| ApiError::not_found("Client not found"))?;
        client.description = description;
        client.expires_ms = expires_ms;
        client.delete_on_expiration = delete_on_expiration;
        client.last_modified_ms = now_ms();
        if let Some(scopes) = scopes {
            client.scopes = scopes;
        }
        self.client_json(&data, client_id)
            .map(Response::Json)
            .ok_or_else(|| ApiError::not_found("Client not found"))
    }

    fn set_disabled(&self, request: &Request<'_>, disabled: bool) -> Result<Response, ApiError> {
        let client_id = request.arg("clientId")?;
        if self.is_static(client_id) {
            return Err(static_error(client_id));
        }
        let mut data = lock(&self.store.data);
        let client = data
            .clients
            .get_mut(client_id)
            .ok_or_else(|| ApiError::not_found("Client not found"))?;
        client.disabled = disabled;
        self.client_json(&data, client_id)
            .map(Response::Json)
            .ok_or_else(|| ApiError::not_found("Client not found"))
    }

    fn delete_client(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let client_id = request.arg("clientId")?;
        if self.is_static(client_id) {
            return Err(static_error(client_id));
        }
        lock(&self.store.data).clients.remove(client_id);
        Ok(Response::Empty)
    }

    fn list_roles(&self) -> Result<Response, ApiError> {
        let data = lock(&self.store.data);
        let roles: Vec<Value> = data
            .roles
            .keys()
            .filter_map(|id| Self::role_json(&data, id))
            .collect();
        Ok(Response::Json(Value::Array(roles)))
    }

    fn list_roles2(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, None, None)?;
        let data = lock(&self.store.data);
        let ids: Vec<String> = data.roles.keys().cloned().collect();
        let (page, token) = paging.apply(ids);
        let roles: Vec<Value> = page
            .iter()
            .filter_map(|id| Self::role_json(&data, id))
            .collect();
        Ok(Response::Json(with_token(json!({ "roles": roles }), token)))
    }

    fn list_role_ids(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let paging = Paging::from_query(&request.query, None, None)?;
        let data = lock(&self.store.data);
        let ids: Vec<String> = data.roles.keys().cloned().collect();
        let (page, token) = paging.apply(ids);
        Ok(Response::Json(with_token(
            json!({ "roleIds": page }),
            token,
        )))
    }

    fn role(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let role_id = request.arg("roleId")?;
        let data = lock(&self.store.data);
        Self::role_json(&data, role_id)
            .map(Response::Json)
            .ok_or_else(|| ApiError::not_found("Role not found"))
    }

    fn create_role(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let role_id = request.arg("roleId")?;
        let body = request.body_object()?;
        let mut scopes = dedup(string_list(body.get("scopes")));
        check_no_double_star(&scopes)?;
        scopes.sort();
        let description = text_or(body, "description", "");
        let mut data = lock(&self.store.data);
        if let Some(existing) = data.roles.get(role_id) {
            if existing.description != description || existing.scopes != scopes {
                return Err(ApiError::conflict(format!(
                    "Role with roleId '{role_id}' already exists"
                )));
            }
        } else {
            let now = now_ms();
            data.roles.insert(
                role_id.to_string(),
                RoleEntry {
                    description,
                    scopes,
                    created_ms: now,
                    last_modified_ms: now,
                },
            );
        }
        Self::role_json(&data, role_id)
            .map(Response::Json)
            .ok_or_else(|| ApiError::not_found("Role not found"))
    }

    fn update_role(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let role_id = request.arg("roleId")?;
        let body = request.body_object()?;
        let scopes = dedup(string_list(body.get("scopes")));
        check_no_double_star(&scopes)?;
        let description = text_or(body, "description", "");
        let mut data = lock(&self.store.data);
        let role = data.roles.get_mut(role_id).ok_or_else(|| {
            ApiError::not_found(format!("Role with roleId '{role_id}' not found"))
        })?;
        role.scopes = scopes;
        role.description = description;
        role.last_modified_ms = now_ms();
        Self::role_json(&data, role_id)
            .map(Response::Json)
            .ok_or_else(|| ApiError::not_found("Role not found"))
    }

    fn delete_role(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let role_id = request.arg("roleId")?;
        lock(&self.store.data).roles.remove(role_id);
        Ok(Response::Empty)
    }

    fn expand_scopes(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        let body = request.body_object()?;
        let scopes = string_list(body.get("scopes"));
        let expanded = Directory::expand(self, &scopes);
        Ok(Response::Json(json!({ "scopes": dedup(expanded) })))
    }

    fn current_scopes(&self, request: &Request<'_>) -> Result<Response, ApiError> {
        Ok(Response::Json(
            json!({ "scopes": dedup(request.caller.scopes.clone()) }),
        ))
    }
}

impl Directory for Auth {
    fn client(&self, client_id: &str) -> Option<ClientRecord> {
        if let Some(entry) = self.store.static_entry(client_id) {
            return Some(ClientRecord {
                access_token: entry.access_token.clone(),
                scopes: entry.scopes.clone(),
                expires_ms: STATIC_EXPIRES_MS,
                disabled: false,
            });
        }
        let data = lock(&self.store.data);
        data.clients.get(client_id).map(|c| ClientRecord {
            access_token: c.access_token.clone(),
            scopes: c.scopes.clone(),
            expires_ms: c.expires_ms,
            disabled: c.disabled,
        })
    }

    fn expand(&self, scopes: &[String]) -> Vec<String> {
        let roles = self.store.role_pairs();
        crate::authentication::scopes::expand(scopes, &roles)
    }
}

/// The `scopes` of the body (optional; the expression iterates it).
fn body_scopes(request: &Request<'_>) -> Vec<String> {
    request
        .body
        .as_ref()
        .map(|b| string_list(b.get("scopes")))
        .unwrap_or_default()
}

/// `scopes` of `createClient` and `createRole`: those of the body, or none.
fn body_scopes_params(_: &Auth, request: &Request<'_>, params: &mut Map<String, Value>) {
    params.insert("scopes".into(), json!(body_scopes(request)));
}

/// `scopesAdded` of `updateClient`: only the scopes being added must be
/// satisfied by the caller.
fn client_scopes_added(auth: &Auth, request: &Request<'_>, params: &mut Map<String, Value>) {
    let data = lock(&auth.store.data);
    let existing = request
        .args
        .get("clientId")
        .and_then(|id| data.clients.get(id))
        .map(|c| c.scopes.clone())
        .unwrap_or_default();
    let added: Vec<String> = body_scopes(request)
        .into_iter()
        .filter(|s| !existing.contains(s))
        .collect();
    params.insert("scopesAdded".into(), json!(added));
}

/// `scopesAdded` of `updateRole`: the scopes the role's former expansion
/// does not already satisfy.
fn role_scopes_added(auth: &Auth, request: &Request<'_>, params: &mut Map<String, Value>) {
    let data = lock(&auth.store.data);
    let roles = role_pairs(&data);
    let former = request
        .args
        .get("roleId")
        .and_then(|id| data.roles.get(id))
        .map(|r| crate::authentication::scopes::expand(&r.scopes, &roles))
        .unwrap_or_default();
    let added: Vec<String> = body_scopes(request)
        .into_iter()
        .filter(|s| !crate::authentication::scopes::satisfies(&former, s))
        .collect();
    params.insert("scopesAdded".into(), json!(added));
}

impl Entries for Auth {
    const SERVICE: &'static str = "auth";
    const ENTRIES: &'static [Entry<Self>] = &[
        Entry::new("listClients", Auth::list_clients),
        Entry::new("client", Auth::client),
        Entry::new("createClient", Auth::create_client).scoped(body_scopes_params),
        Entry::new("resetAccessToken", Auth::reset_access_token),
        Entry::new("updateClient", Auth::update_client).scoped(client_scopes_added),
        Entry::new("enableClient", |s: &Auth, request| {
            s.set_disabled(request, false)
        }),
        Entry::new("disableClient", |s: &Auth, request| {
            s.set_disabled(request, true)
        }),
        Entry::new("deleteClient", Auth::delete_client),
        Entry::new("listRoles", |s: &Auth, _| s.list_roles()),
        Entry::new("listRoles2", Auth::list_roles2),
        Entry::new("listRoleIds", Auth::list_role_ids),
        Entry::new("role", Auth::role),
        Entry::new("createRole", Auth::create_role).scoped(body_scopes_params),
        Entry::new("updateRole", Auth::update_role).scoped(role_scopes_added),
        Entry::new("deleteRole", Auth::delete_role),
        Entry::new("expandScopes", Auth::expand_scopes),
        Entry::new("currentScopes", Auth::current_scopes),
    ];
}

#[cfg(test)]
mod tests;
