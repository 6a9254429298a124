//! Documented == enforced, for any generated OpenAPI spec: read an operation's security
//! and statuses, and send each operation what its spec says (nothing, or a token with the
//! documented scopes on each documented scheme, an API key for `api_key`) to see that the server answers as
//! documented.

use std::time::Duration;

use auth_runtime::{AuthManager, testing::TestToken};
use serde_json::{Value, json};

use super::server::TestServer;

/// `paths.<path>.<method>` of `spec`.
pub fn operation<'a>(spec: &'a Value, path: &str, method: &str) -> &'a Value {
    &spec["paths"][path][method]
}

/// The documented statuses of an operation, sorted.
pub fn statuses(op: &Value) -> Vec<String> {
    let mut out: Vec<String> = op["responses"]
        .as_object()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// The two API-key routes both OpenAPI tests declare: `/api/report`
/// (`credential = "api_key", scope("reports:read")`) and `/either`
/// (`credential = ["api_key", "jwt"]`), and the `api_key` scheme.
pub fn assert_api_key_routes_documented(spec: &Value) {
    let report = operation(spec, "/api/report", "get");
    assert_eq!(report["security"], json!([{"api_key": ["reports:read"]}]));
    // A route that takes a key or a bearer token can answer 400 (both at once).
    let either = operation(spec, "/either", "get");
    assert_eq!(either["security"], json!([{"bearer": []}, {"api_key": []}]));
    assert_eq!(statuses(either), ["200", "400", "401", "503"]);
    assert_eq!(
        spec["components"]["securitySchemes"]["api_key"],
        json!({"type": "apiKey", "in": "header", "name": "X-API-Key"})
    );
}

/// A request for `path` (`{username}` filled with `alice`) with the credential `scheme`
/// names.
pub async fn call(s: &TestServer, method: &str, path: &str, scheme: Option<(&str, &str)>) -> u16 {
    let path = path.replace("{username}", "alice");
    let header = match scheme {
        Some(("bearer", token)) => format!("Authorization: Bearer {token}"),
        Some(("cookie", token)) => format!("Cookie: auth_token={token}"),
        Some(("api_key", key)) => format!("X-API-Key: {key}"),
        Some((other, _)) => panic!("no such scheme in the spec: {other}"),
        None => String::new(),
    };
    let headers: Vec<&str> = if header.is_empty() {
        vec![]
    } else {
        vec![&header]
    };
    match method {
        "get" => s.get(&path, &headers).await.status,
        "post" => s.post(&path, &headers, "").await.status,
        other => panic!("untested method {other}"),
    }
}

/// Walks every operation of `spec` against the server: an anonymous request passes where
/// the spec allows it (no security, or the empty requirement) and is a documented 401
/// elsewhere; a token with the documented scopes on each documented scheme gets a 2xx or a
/// documented status, and a 2xx on every path not in `beyond_scopes` (the routes whose
/// rule asks more than the scopes and the subject `alice`). Returns the operations walked.
pub async fn assert_documented_is_enforced(
    spec: &Value,
    s: &TestServer,
    m: &AuthManager,
    beyond_scopes: &[&str],
) -> usize {
    let mut checked = 0;
    for (path, methods) in spec["paths"].as_object().expect("paths") {
        for (method, op) in methods.as_object().expect("methods") {
            let documented = statuses(op);
            let requirements = op["security"].as_array().cloned().unwrap_or_default();
            let anonymous_allowed = requirements.is_empty()
                || requirements
                    .iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()));
            let anonymous = call(s, method, path, None).await;
            if anonymous_allowed {
                assert!(
                    (200..300).contains(&anonymous),
                    "{method} {path}: anonymous got {anonymous}"
                );
            } else {
                assert_eq!(anonymous, 401, "{method} {path}");
                assert!(
                    documented.contains(&"401".to_owned()),
                    "{method} {path}: 401 undocumented"
                );
            }
            for requirement in requirements.iter().filter_map(Value::as_object) {
                for (scheme, scopes) in requirement {
                    let scopes: Vec<&str> = scopes
                        .as_array()
                        .expect("scopes")
                        .iter()
                        .filter_map(Value::as_str)
                        .collect();
                    let token = if scheme == "api_key" {
                        let builder = m.auth_token("alice").scope(scopes.join(" "));
                        let key = m.issue_api_key(builder, Duration::from_secs(60)).await;
                        key.expect("an API key").key().to_owned()
                    } else {
                        TestToken::new(m, "alice").scope(scopes.join(" ")).sign()
                    };
                    let status = call(s, method, path, Some((scheme, &token))).await;
                    let ok =
                        (200..300).contains(&status) || documented.contains(&status.to_string());
                    assert!(
                        ok,
                        "{method} {path} with {scheme} {scopes:?}: {status} undocumented"
                    );
                    if !beyond_scopes.contains(&path.as_str()) {
                        assert!((200..300).contains(&status), "{method} {path}: {status}");
                    }
                }
            }
            checked += 1;
        }
    }
    checked
}
