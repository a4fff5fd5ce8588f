//! Taskcluster scopes: satisfaction, role expansion and scope expressions.
//!
//! # Satisfaction
//!
//! A held scope satisfies a wanted scope when they are equal, or when the
//! held scope ends with `*` and the wanted scope starts with the part before
//! that `*`. A `*` anywhere else is an ordinary character, and the wanted
//! scope is always taken literally (holding `a:b` does not satisfy `a:*`).
//!
//! # Role expansion ([`expand`])
//!
//! A role with id `R` grants its scopes to any scope set that satisfies
//! `assume:R`. A role id ending with `*` (`P*`) is also granted by any held
//! scope starting with `assume:P` (so `assume:repo:github.com/x` assumes the
//! role `repo:*`). In the scopes of such a role, `<..>` is replaced with the
//! part of the held scope matched by the role's `*`; when that part ends with
//! `*` (or the role was granted by a shorter `*` scope, whose match is `*`),
//! `<..>` and everything after it are replaced by it. Expansion repeats until
//! nothing changes, and the result is normalized (see [`normalize`]).
//!
//! # Scope expressions ([`render`], [`evaluate`])
//!
//! The scope expression templates of the API references: a string (a scope
//! with `<param>` placeholders), `{"AllOf": [..]}`, `{"AnyOf": [..]}`,
//! `{"for": "x", "in": "list", "each": "..<x>.."}` and
//! `{"if": "flag", "then": .., "else": ..}`. They are rendered as Taskcluster
//! renders them (`taskcluster-lib-api`'s `ScopeExpressionTemplate`):
//!
//! - a `for`/`in`/`each` node renders to one scope per element of the `in`
//!   array, spliced into the enclosing `AllOf` or `AnyOf` list: inside
//!   `AllOf` every generated scope is required, directly inside `AnyOf` any
//!   one of them (or any other alternative) suffices, and an empty array adds
//!   nothing (so `{"AnyOf": [for-each over []]}` cannot be satisfied, like
//!   any empty `AnyOf`). At the root (not valid in a reference) the node is
//!   treated as an `AllOf` of the generated scopes;
//! - an `if` node renders to its `then` when the parameter is `true`, to its
//!   `else` when it is `false` or absent and there is an `else`, and to
//!   nothing otherwise: at the root that means no scopes are required, in an
//!   `AllOf` nothing is added and in an `AnyOf` no alternative is added;
//! - `<name>` placeholders (`name` matching `[a-zA-Z][a-zA-Z0-9_]*`) take a
//!   string parameter, or a number rendered as its JSON text; other `<...>`
//!   text is literal. Substituted values are not scanned again.

use serde_json::{Map, Value, json};

/// How many rounds of role expansion [`expand`] runs at most. Parameterized
/// roles can grow scope sets without end (`a*` granting `assume:ab<..>`);
/// the cap keeps such a misconfiguration from hanging the fake.
const MAX_EXPANSION_ROUNDS: usize = 64;

/// Whether `pattern` (a held scope) satisfies `scope` (a wanted scope).
fn scope_matches(pattern: &str, scope: &str) -> bool {
    pattern == scope
        || pattern
            .strip_suffix('*')
            .is_some_and(|prefix| scope.starts_with(prefix))
}

/// Whether one of the scopes in `have` satisfies `want`: an equal scope, or
/// one ending with `*` whose part before the `*` starts `want`.
///
/// `*` alone satisfies everything; `queue:*` satisfies `queue:create-task:x`.
pub fn satisfies(have: &[String], want: &str) -> bool {
    have.iter().any(|held| scope_matches(held, want))
}

/// Whether every scope of `wants` is satisfied by `have` (see [`satisfies`]).
pub fn all_satisfied(have: &[String], wants: &[String]) -> bool {
    wants.iter().all(|want| satisfies(have, want))
}

/// `scopes` sorted, without duplicates, and without the scopes another
/// scope of the set ending with `*` already satisfies (`a:b` goes when `a:*`
/// is there).
pub fn normalize(scopes: &[String]) -> Vec<String> {
    let mut sorted: Vec<String> = scopes.to_vec();
    sorted.sort();
    sorted.dedup();
    let stars: Vec<&String> = sorted.iter().filter(|s| s.ends_with('*')).collect();
    let kept: Vec<String> = sorted
        .iter()
        .filter(|scope| {
            !stars
                .iter()
                .any(|star| star != scope && scope_matches(star, scope))
        })
        .cloned()
        .collect();
    kept
}

/// The role `role_id` is granted by the held scope `held`: `Some` with the
/// part of `held` matched by the role's trailing `*` (empty for roles
/// without one), or `None` when it is not granted.
fn role_grant<'h>(held: &'h str, role_id: &str) -> Option<&'h str> {
    match role_id.strip_suffix('*') {
        Some(role_prefix) => {
            let prefix = format!("assume:{role_prefix}");
            if let Some(rest) = held.strip_prefix(prefix.as_str()) {
                Some(rest)
            } else if held
                .strip_suffix('*')
                .is_some_and(|held_prefix| prefix.starts_with(held_prefix))
            {
                Some("*")
            } else {
                None
            }
        }
        None => scope_matches(held, &format!("assume:{role_id}")).then_some(""),
    }
}

/// A scope of a `*` role, with `<..>` replaced by `param`.
fn substitute_role_param(scope: &str, param: &str) -> String {
    match scope.find("<..>") {
        None => scope.to_owned(),
        Some(at) if param.ends_with('*') => format!("{}{param}", &scope[..at]),
        Some(_) => scope.replace("<..>", param),
    }
}

/// `scopes` with every role they grant expanded, to a fixed point,
/// normalized (sorted, deduplicated, without scopes a `*` scope of the
/// result already satisfies).
///
/// `roles` are `(roleId, scopes)` pairs. A role is granted by any scope that
/// satisfies `assume:<roleId>` (so `assume:repo:*` grants every role whose id
/// starts with `repo:`); a role id ending with `*` is also granted by any
/// scope that starts with `assume:` and the role id's part before the `*`,
/// and its scopes' `<..>` take the part of that scope the `*` matched (see
/// the module documentation).
pub fn expand(scopes: &[String], roles: &[(String, Vec<String>)]) -> Vec<String> {
    let mut current = normalize(scopes);
    for _ in 0..MAX_EXPANSION_ROUNDS {
        let mut grown = current.clone();
        for held in &current {
            if !held.starts_with("assume:") && !held.ends_with('*') {
                continue;
            }
            for (role_id, role_scopes) in roles {
                if let Some(param) = role_grant(held, role_id) {
                    let starred = role_id.ends_with('*');
                    grown.extend(role_scopes.iter().map(|scope| {
                        if starred {
                            substitute_role_param(scope, param)
                        } else {
                            scope.clone()
                        }
                    }));
                }
            }
        }
        let next = normalize(&grown);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// A rendered scope expression (no parameters left).
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Scope(String),
    AllOf(Vec<Expr>),
    AnyOf(Vec<Expr>),
}

impl Expr {
    fn to_json(&self) -> Value {
        match self {
            Expr::Scope(scope) => Value::String(scope.clone()),
            Expr::AllOf(items) => {
                json!({"AllOf": items.iter().map(Expr::to_json).collect::<Vec<_>>()})
            }
            Expr::AnyOf(items) => {
                json!({"AnyOf": items.iter().map(Expr::to_json).collect::<Vec<_>>()})
            }
        }
    }

    fn satisfied_by(&self, have: &[String]) -> bool {
        match self {
            Expr::Scope(scope) => satisfies(have, scope),
            Expr::AllOf(items) => items.iter().all(|e| e.satisfied_by(have)),
            Expr::AnyOf(items) => items.iter().any(|e| e.satisfied_by(have)),
        }
    }

    /// What is left to satisfy once `have` is taken into account, as
    /// Taskcluster's `removeGivenScopes`: `None` when nothing is missing.
    fn missing(&self, have: &[String]) -> Option<Expr> {
        match self {
            Expr::Scope(scope) => (!satisfies(have, scope)).then(|| self.clone()),
            Expr::AllOf(items) => {
                let mut left: Vec<Expr> = items.iter().filter_map(|e| e.missing(have)).collect();
                match left.len() {
                    0 => None,
                    1 => left.pop(),
                    _ => Some(Expr::AllOf(left)),
                }
            }
            Expr::AnyOf(items) => {
                let mut left = Vec::with_capacity(items.len());
                for item in items {
                    left.push(item.missing(have)?);
                }
                if left.len() == 1 {
                    left.pop()
                } else {
                    Some(Expr::AnyOf(left))
                }
            }
        }
    }
}

/// The value of parameter `name`, as the text substituted for `<name>`.
fn param_text(params: &Map<String, Value>, name: &str) -> Result<String, String> {
    match params.get(name) {
        Some(Value::String(text)) => Ok(text.clone()),
        Some(Value::Number(number)) => Ok(number.to_string()),
        Some(other) => Err(format!(
            "scope expression parameter '{name}' must be a string or a number, not {other}"
        )),
        None => Err(format!(
            "scope expression parameter '{name}' is missing (expected a string or a number)"
        )),
    }
}

/// Whether `name` is a template parameter name: `[a-zA-Z][a-zA-Z0-9_]*`.
fn is_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `template` with its `<name>` placeholders replaced from `params`.
fn substitute(template: &str, params: &Map<String, Value>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        match after.find('>') {
            Some(close) if is_param_name(&after[..close]) => {
                out.push_str(&rest[..open]);
                out.push_str(&param_text(params, &after[..close])?);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The string field `key` of a template node.
fn node_str<'v>(node: &'v Map<String, Value>, key: &str) -> Result<&'v str, String> {
    node.get(key).and_then(Value::as_str).ok_or_else(|| {
        format!(
            "invalid scope expression {}: '{key}' must be a string",
            Value::Object(node.clone())
        )
    })
}

/// Renders `template` into the expressions it contributes to its parent
/// list (none for an `if` without a branch, several for a `for`).
fn render_items(template: &Value, params: &Map<String, Value>) -> Result<Vec<Expr>, String> {
    let node = match template {
        Value::String(text) => return Ok(vec![Expr::Scope(substitute(text, params)?)]),
        Value::Object(node) => node,
        other => return Err(format!("invalid scope expression {other}")),
    };
    let list = |key: &str| -> Result<Vec<Expr>, String> {
        match node.get(key) {
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.extend(render_items(item, params)?);
                }
                Ok(out)
            }
            _ => Err(format!(
                "invalid scope expression {template}: '{key}' must be an array"
            )),
        }
    };
    if node.contains_key("AllOf") {
        return Ok(vec![Expr::AllOf(list("AllOf")?)]);
    }
    if node.contains_key("AnyOf") {
        return Ok(vec![Expr::AnyOf(list("AnyOf")?)]);
    }
    if node.contains_key("for") {
        let var = node_str(node, "for")?;
        let array = node_str(node, "in")?;
        let each = node
            .get("each")
            .ok_or_else(|| format!("invalid scope expression {template}: 'each' is missing"))?;
        let elements = match params.get(array) {
            Some(Value::Array(elements)) => elements,
            Some(other) => {
                return Err(format!(
                    "scope expression parameter '{array}' must be an array, not {other}"
                ));
            }
            None => {
                return Err(format!(
                    "scope expression parameter '{array}' is missing (expected an array)"
                ));
            }
        };
        let mut nested = params.clone();
        let mut out = Vec::with_capacity(elements.len());
        for element in elements {
            nested.insert(var.to_owned(), element.clone());
            out.extend(render_items(each, &nested)?);
        }
        return Ok(out);
    }
    if node.contains_key("if") {
        let flag = node_str(node, "if")?;
        let branch = match params.get(flag) {
            Some(Value::Bool(true)) => Some(node.get("then").ok_or_else(|| {
                format!("invalid scope expression {template}: 'then' is missing")
            })?),
            Some(Value::Bool(false)) | None => node.get("else"),
            Some(other) => {
                return Err(format!(
                    "scope expression parameter '{flag}' must be a boolean, not {other}"
                ));
            }
        };
        return match branch {
            Some(branch) => render_items(branch, params),
            None => Ok(Vec::new()),
        };
    }
    Err(format!("invalid scope expression {template}"))
}

/// Renders the root template; `None` when it requires nothing.
fn render_expr(template: &Value, params: &Map<String, Value>) -> Result<Option<Expr>, String> {
    let mut items = render_items(template, params)?;
    Ok(match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(Expr::AllOf(items)),
    })
}

/// The scope expression `template` renders to with `params`, as JSON
/// (strings, `AllOf` and `AnyOf` only), or `None` when it requires no scopes
/// (an `if` whose condition is false and that has no `else`).
///
/// # Errors
///
/// A message when the template is malformed or a parameter is missing or of
/// the wrong type; Taskcluster treats that as a server error, not as missing
/// scopes.
pub fn render(template: &Value, params: &Map<String, Value>) -> Result<Option<Value>, String> {
    Ok(render_expr(template, params)?.map(|e| e.to_json()))
}

/// Checks that `have` satisfies the scope expression template `expr` once
/// rendered with `params` (see the module documentation for the rules).
///
/// # Errors
///
/// A readable message: for missing scopes, Taskcluster's
/// "You do not have sufficient scopes" text with the scopes that are missing
/// (what is left of the expression once the held scopes are removed), the
/// scopes held and the rendered expression; for a bad template or parameter,
/// the problem (see [`render`], which tells the two apart).
pub fn evaluate(expr: &Value, params: &Map<String, Value>, have: &[String]) -> Result<(), String> {
    let Some(rendered) = render_expr(expr, params)? else {
        return Ok(());
    };
    if rendered.satisfied_by(have) {
        return Ok(());
    }
    let missing = rendered
        .missing(have)
        .unwrap_or_else(|| rendered.clone())
        .to_json();
    Err(format!(
        "You do not have sufficient scopes. You are missing the following scopes:\n\n```\n{}\n```\n\n\
         You have the scopes:\n\n```\n{}\n```\n\n\
         This request requires you to satisfy this scope expression:\n\n```\n{}\n```",
        pretty(&missing),
        pretty(&json!(have)),
        pretty(&rendered.to_json()),
    ))
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn params(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => panic!("params must be an object"),
        }
    }

    fn role(id: &str, scopes: &[&str]) -> (String, Vec<String>) {
        (id.to_owned(), s(scopes))
    }

    #[test]
    fn satisfaction() {
        assert!(satisfies(&s(&["*"]), "anything:at:all"));
        assert!(satisfies(&s(&["*"]), ""));
        assert!(satisfies(&s(&["queue:*"]), "queue:create-task:x"));
        assert!(satisfies(&s(&["queue:*"]), "queue:"));
        assert!(satisfies(&s(&["queue:*"]), "queue:*"));
        assert!(!satisfies(&s(&["queue:*"]), "queue"));
        assert!(satisfies(&s(&["a:b"]), "a:b"));
        assert!(!satisfies(&s(&["a:b"]), "a:b:c"));
        assert!(!satisfies(&s(&["a:b"]), "a:*"));
        assert!(!satisfies(&s(&["a:*:c"]), "a:b:c"), "inner * is literal");
        assert!(satisfies(&s(&["a:*:c"]), "a:*:c"));
        assert!(!satisfies(&[], "a"));
        assert!(all_satisfied(&s(&["a:*", "b"]), &s(&["a:1", "a:2", "b"])));
        assert!(!all_satisfied(&s(&["a:*", "b"]), &s(&["a:1", "c"])));
        assert!(all_satisfied(&[], &[]));
    }

    #[test]
    fn normalization() {
        assert_eq!(
            normalize(&s(&["b", "a:x", "a:*", "a:*", "a*", "c:*", "c:d*"])),
            s(&["a*", "b", "c:*"])
        );
        assert_eq!(normalize(&s(&["z", "*", "y"])), s(&["*"]));
        assert_eq!(normalize(&[]), Vec::<String>::new());
    }

    #[test]
    fn plain_roles_expand_to_a_fixed_point() {
        let roles = vec![
            role("a", &["x:1", "assume:b"]),
            role("b", &["x:2", "assume:c"]),
            role("c", &["x:3", "assume:a"]),
            role("unrelated", &["y"]),
        ];
        assert_eq!(
            expand(&s(&["assume:a"]), &roles),
            s(&["assume:a", "assume:b", "assume:c", "x:1", "x:2", "x:3"])
        );
        assert_eq!(expand(&s(&["other"]), &roles), s(&["other"]));
        assert_eq!(expand(&[], &roles), Vec::<String>::new());
    }

    #[test]
    fn star_scopes_assume_every_matching_role() {
        let roles = vec![
            role("repo:a", &["secrets:a"]),
            role("repo:b", &["secrets:b"]),
            role("project:x", &["p"]),
        ];
        assert_eq!(
            expand(&s(&["assume:repo:*"]), &roles),
            s(&["assume:repo:*", "secrets:a", "secrets:b"])
        );
        // `*` holds everything already: the role scopes normalize away.
        assert_eq!(expand(&s(&["*"]), &roles), s(&["*"]));
        assert_eq!(
            expand(&s(&["assume:*"]), &roles),
            s(&["assume:*", "p", "secrets:a", "secrets:b"])
        );
    }

    #[test]
    fn star_roles_and_parameters() {
        let roles = vec![
            role("repo:github.com/*", &["queue:route:index.<..>.*", "plain"]),
            role(
                "project:*",
                &["secrets:get:project/<..>/x", "assume:proj-admin"],
            ),
            role("proj-admin", &["admin"]),
        ];
        assert_eq!(
            expand(&s(&["assume:repo:github.com/org/repo:branch:main"]), &roles),
            s(&[
                "assume:repo:github.com/org/repo:branch:main",
                "plain",
                "queue:route:index.org/repo:branch:main.*",
            ])
        );
        // A held `*` scope matching the role's `*`: `<..>` and the rest become `*`.
        assert_eq!(
            expand(&s(&["assume:project:fo*"]), &roles),
            s(&[
                "admin",
                "assume:proj-admin",
                "assume:project:fo*",
                "secrets:get:project/fo*"
            ])
        );
        // A shorter `*` scope grants the `*` role with `*`.
        let out = expand(&s(&["assume:pro*"]), &roles);
        assert!(out.contains(&"secrets:get:project/*".to_owned()), "{out:?}");
        assert!(out.contains(&"admin".to_owned()), "{out:?}");
        // The role id itself, held exactly.
        let out = expand(&s(&["assume:project:*"]), &roles);
        assert!(out.contains(&"secrets:get:project/*".to_owned()), "{out:?}");
        // Not granted.
        assert_eq!(
            expand(&s(&["assume:projec"]), &roles),
            s(&["assume:projec"])
        );
    }

    #[test]
    fn runaway_parameterized_roles_terminate() {
        let roles = vec![role("a*", &["assume:ab<..>"])];
        let out = expand(&s(&["assume:a"]), &roles);
        assert!(
            out.len() > 10 && out.len() <= MAX_EXPANSION_ROUNDS + 2,
            "{}",
            out.len()
        );
    }

    #[test]
    fn string_expressions_with_params() {
        let p = params(json!({"taskId": "abc", "runId": 3, "flag": true}));
        assert!(
            evaluate(
                &json!("queue:get-task:<taskId>"),
                &p,
                &s(&["queue:get-task:abc"])
            )
            .is_ok()
        );
        assert!(
            evaluate(
                &json!("queue:x:<taskId>/<runId>"),
                &p,
                &s(&["queue:x:abc/3"])
            )
            .is_ok()
        );
        let err = evaluate(
            &json!("queue:get-task:<taskId>"),
            &p,
            &s(&["queue:get-task:abd"]),
        )
        .unwrap_err();
        assert!(
            err.contains("You are missing the following scopes"),
            "{err}"
        );
        assert!(err.contains("\"queue:get-task:abc\""), "{err}");
        // Missing and ill-typed parameters.
        let err = evaluate(&json!("a:<nope>"), &p, &s(&["*"])).unwrap_err();
        assert!(err.contains("'nope' is missing"), "{err}");
        let err = evaluate(&json!("a:<flag>"), &p, &s(&["*"])).unwrap_err();
        assert!(err.contains("'flag' must be a string or a number"), "{err}");
        // Text that is not a placeholder stays literal; values are not rescanned.
        assert_eq!(
            render(&json!("a:<..>:<1x>:<taskId>>"), &p).unwrap(),
            Some(json!("a:<..>:<1x>:abc>"))
        );
        let p2 = params(json!({"a": "<b>", "b": "no"}));
        assert_eq!(render(&json!("<a>"), &p2).unwrap(), Some(json!("<b>")));
    }

    #[test]
    fn all_of_and_any_of() {
        let p = Map::new();
        let expr = json!({"AllOf": ["a", {"AnyOf": ["b", "c"]}]});
        assert!(evaluate(&expr, &p, &s(&["a", "c"])).is_ok());
        assert!(evaluate(&expr, &p, &s(&["a", "b"])).is_ok());
        let err = evaluate(&expr, &p, &s(&["b"])).unwrap_err();
        assert!(err.contains("```\n\"a\"\n```"), "{err}");
        let err = evaluate(&expr, &p, &s(&["a"])).unwrap_err();
        assert!(err.contains("\"AnyOf\""), "{err}");
        assert!(evaluate(&json!({"AllOf": []}), &p, &[]).is_ok());
        assert!(evaluate(&json!({"AnyOf": []}), &p, &s(&["*"])).is_err());
        assert!(evaluate(&json!({"Nope": []}), &p, &s(&["*"])).is_err());
        assert!(evaluate(&json!(3), &p, &s(&["*"])).is_err());
    }

    #[test]
    fn for_each_in_all_of_requires_every_scope() {
        let expr =
            json!({"AllOf": [{"for": "name", "in": "names", "each": "queue:get-artifact:<name>"}]});
        let p = params(json!({"names": ["public/a", "private/b"]}));
        assert_eq!(
            render(&expr, &p).unwrap(),
            Some(json!({"AllOf": ["queue:get-artifact:public/a", "queue:get-artifact:private/b"]}))
        );
        assert!(evaluate(&expr, &p, &s(&["queue:get-artifact:*"])).is_ok());
        let err = evaluate(&expr, &p, &s(&["queue:get-artifact:public/*"])).unwrap_err();
        assert!(
            err.contains("```\n\"queue:get-artifact:private/b\"\n```"),
            "{err}"
        );
        // No elements: nothing required.
        let empty = params(json!({"names": []}));
        assert!(evaluate(&expr, &empty, &[]).is_ok());
        // Missing or ill-typed array.
        assert!(
            evaluate(&expr, &Map::new(), &s(&["*"]))
                .unwrap_err()
                .contains("'names' is missing")
        );
        let bad = params(json!({"names": "x"}));
        assert!(
            evaluate(&expr, &bad, &s(&["*"]))
                .unwrap_err()
                .contains("must be an array")
        );
        let bad = params(json!({"names": [true]}));
        assert!(
            evaluate(&expr, &bad, &s(&["*"]))
                .unwrap_err()
                .contains("'name' must be a string")
        );
    }

    #[test]
    fn for_each_in_any_of_needs_any_one_scope() {
        // queue.createTask's priority clause.
        let expr = json!({"AllOf": [
            {"each": "<scope>", "for": "scope", "in": "scopes"},
            "queue:create-task:project:<projectId>",
            {"AnyOf": [{"each": "queue:create-task:<priority>:<provisionerId>/<workerType>",
                        "for": "priority", "in": "priorities"}]}
        ]});
        let p = params(json!({
            "scopes": ["secrets:get:x"],
            "projectId": "none",
            "provisionerId": "prov",
            "workerType": "wt",
            "priorities": ["highest", "high", "low"]
        }));
        let base = ["secrets:get:x", "queue:create-task:project:none"];
        let with = |extra: &str| {
            let mut v = s(&base);
            v.push(extra.to_owned());
            v
        };
        assert!(evaluate(&expr, &p, &with("queue:create-task:low:prov/wt")).is_ok());
        assert!(evaluate(&expr, &p, &with("queue:create-task:highest:prov/*")).is_ok());
        assert!(evaluate(&expr, &p, &with("queue:create-task:lowest:prov/wt")).is_err());
        let err = evaluate(&expr, &p, &s(&base)).unwrap_err();
        assert!(err.contains("queue:create-task:high:prov/wt"), "{err}");
        // Missing task scope.
        let err = evaluate(
            &expr,
            &p,
            &s(&[
                "queue:create-task:project:none",
                "queue:create-task:low:prov/wt",
            ]),
        )
        .unwrap_err();
        assert!(err.contains("```\n\"secrets:get:x\"\n```"), "{err}");
        // An empty list inside AnyOf leaves no alternative.
        let none = params(json!({
            "scopes": [], "projectId": "none", "provisionerId": "prov", "workerType": "wt",
            "priorities": []
        }));
        assert!(evaluate(&expr, &none, &s(&["*"])).is_err());
        // A for-each at the root requires all of its scopes.
        let root = json!({"for": "x", "in": "xs", "each": "s:<x>"});
        let p = params(json!({"xs": ["1", "2"]}));
        assert!(evaluate(&root, &p, &s(&["s:1", "s:2"])).is_ok());
        assert!(evaluate(&root, &p, &s(&["s:1"])).is_err());
    }

    #[test]
    fn if_then_else() {
        // auth.awsS3Credentials.
        let expr = json!({
            "if": "levelIsReadOnly",
            "then": {"AnyOf": ["auth:aws-s3:read-only:<bucket>/<prefix>",
                               "auth:aws-s3:read-write:<bucket>/<prefix>"]},
            "else": "auth:aws-s3:read-write:<bucket>/<prefix>"
        });
        let ro = params(json!({"levelIsReadOnly": true, "bucket": "b", "prefix": "p/"}));
        let rw = params(json!({"levelIsReadOnly": false, "bucket": "b", "prefix": "p/"}));
        let absent = params(json!({"bucket": "b", "prefix": "p/"}));
        let read_only = s(&["auth:aws-s3:read-only:b/p/"]);
        let read_write = s(&["auth:aws-s3:read-write:b/*"]);
        assert!(evaluate(&expr, &ro, &read_only).is_ok());
        assert!(evaluate(&expr, &ro, &read_write).is_ok());
        assert!(evaluate(&expr, &rw, &read_only).is_err());
        assert!(evaluate(&expr, &rw, &read_write).is_ok());
        assert!(evaluate(&expr, &absent, &read_only).is_err());
        assert!(evaluate(&expr, &absent, &read_write).is_ok());
        let bad = params(json!({"levelIsReadOnly": "yes", "bucket": "b", "prefix": "p/"}));
        assert!(
            evaluate(&expr, &bad, &read_write)
                .unwrap_err()
                .contains("must be a boolean")
        );

        // Without else: false requires nothing at the root and in AllOf...
        let no_else = json!({"if": "public", "then": "x"});
        assert!(evaluate(&no_else, &params(json!({"public": false})), &[]).is_ok());
        assert!(evaluate(&no_else, &Map::new(), &[]).is_ok());
        assert!(evaluate(&no_else, &params(json!({"public": true})), &[]).is_err());
        assert_eq!(render(&no_else, &Map::new()).unwrap(), None);
        let in_all = json!({"AllOf": ["y", {"if": "public", "then": "x"}]});
        assert!(evaluate(&in_all, &Map::new(), &s(&["y"])).is_ok());
        // ...and adds no alternative in AnyOf.
        let in_any = json!({"AnyOf": ["y", {"if": "public", "then": "x"}]});
        assert!(evaluate(&in_any, &Map::new(), &s(&["z"])).is_err());
        assert!(evaluate(&in_any, &Map::new(), &s(&["y"])).is_ok());
        assert_eq!(
            render(&in_any, &Map::new()).unwrap(),
            Some(json!({"AnyOf": ["y"]}))
        );
    }

    #[test]
    fn missing_scopes_are_reported_like_remove_given_scopes() {
        let expr = json!({"AllOf": ["a", "b", {"AnyOf": ["c", {"AllOf": ["d", "e"]}]}]});
        let err = evaluate(&expr, &Map::new(), &s(&["a", "d"])).unwrap_err();
        let expected = pretty(&json!({"AllOf": ["b", {"AnyOf": ["c", "e"]}]}));
        assert!(err.contains(&expected), "{err}");
        assert!(err.contains("You have the scopes"), "{err}");
        assert!(
            err.contains("This request requires you to satisfy this scope expression"),
            "{err}"
        );
    }
}
