//! The `testing` feature: tokens minted from the application's own manager, and probes
//! derived from a handler's requirement, sent over HTTP to the handler they came from.

mod common;

use auth_runtime::{
    AuthError, CurrentToken, require_token,
    routing::requirement_of,
    testing::{TestToken, probes},
};
use axum::{
    Router,
    extract::Path,
    routing::{get, post},
};
use common::*;

#[require_token(sub = "username", override(admin = true))]
async fn profile(Path(username): Path<String>) -> String {
    username
}

#[require_token(
    org = "org",
    claims(role = "editor", level = 3, teams = ["red"], meta(region = "eu")),
    scope(admin = true, "users:write")
)]
async fn edit(Path(org): Path<String>) -> String {
    org
}

#[require_token(fresh)]
async fn change_password() -> &'static str {
    "changed"
}

#[require_token(kind = "refresh")]
async fn refresh(token: CurrentToken) -> String {
    token.sub().to_owned()
}

#[require_token(optional, claims(role = "editor"))]
async fn home(token: Option<CurrentToken>) -> String {
    token.map_or("anonymous".to_owned(), |t| t.sub().to_owned())
}

fn app() -> Router {
    Router::new()
        .route("/users/{username}", get(profile))
        .route("/orgs/{org}/edit", post(edit))
        .route("/password", post(change_password))
        .route("/refresh", post(refresh))
        .route("/", get(home))
}

async fn send(s: &TestServer, method: &str, path: &str, token: Option<&str>) -> u16 {
    let header = token.map(|t| format!("Authorization: Bearer {t}"));
    let headers: Vec<&str> = header.iter().map(String::as_str).collect();
    match method {
        "GET" => s.get(path, &headers).await.status,
        _ => s.post(path, &headers, "").await.status,
    }
}

#[tokio::test]
async fn every_probe_gets_the_status_it_names() {
    let m = manager();
    let s = TestServer::start(app(), m.clone()).await;
    let routes = [
        (
            "GET",
            "/users/{username}",
            requirement_of::<_, _, ()>(&profile),
        ),
        (
            "POST",
            "/orgs/{org}/edit",
            requirement_of::<_, _, ()>(&edit),
        ),
        (
            "POST",
            "/password",
            requirement_of::<_, _, ()>(&change_password),
        ),
        ("POST", "/refresh", requirement_of::<_, _, ()>(&refresh)),
        ("GET", "/", requirement_of::<_, _, ()>(&home)),
    ];
    let mut sent = 0;
    for (method, template, requirement) in routes {
        let requirement = requirement.expect("a guarded handler");
        let probes = probes(&m, requirement).await;
        let mut path = template.to_owned();
        for (param, value) in &probes.path_params {
            path = path.replace(&format!("{{{param}}}"), value);
        }
        let status = send(&s, method, &path, Some(&probes.passing)).await;
        assert_eq!(status, 200, "{method} {path}: the passing token");
        if let Some(token) = &probes.passing_by_override {
            assert_eq!(
                send(&s, method, &path, Some(token)).await,
                200,
                "{path}: override"
            );
        }
        for probe in &probes.refused {
            let status = send(&s, method, &path, probe.token.as_deref()).await;
            assert_eq!(status, probe.status, "{method} {path}: {}", probe.clause);
            sent += 1;
        }
    }
    // Every clause of the richest route has its own probe.
    let edit = probes(&m, requirement_of::<_, _, ()>(&edit).unwrap()).await;
    let clauses: Vec<&str> = edit.refused.iter().map(|p| p.clause.as_str()).collect();
    for clause in [
        "no token",
        "expired",
        "not yet valid",
        "another key",
        "revoked",
        "wrong kind",
        "binding org",
        "claim role",
        "claim level",
        "claim teams",
        "claim meta",
        "scope admin",
        "scope users:write",
    ] {
        assert!(
            clauses.contains(&clause),
            "{clause} missing from {clauses:?}"
        );
    }
    assert_eq!(sent, 39, "7 + 13 + 7 + 6 + 6 probes");
}

#[tokio::test]
async fn test_tokens_are_refused_for_what_they_are() {
    let m = manager();
    let expired = TestToken::new(&m, "alice").expired().sign();
    assert!(matches!(m.verify(&expired), Err(AuthError::Expired)));
    let early = TestToken::new(&m, "alice").not_yet_valid().sign();
    assert!(matches!(m.verify(&early), Err(AuthError::NotYetValid)));
    let forged = TestToken::new(&m, "alice").signed_by_another_key().sign();
    assert!(matches!(m.verify(&forged), Err(AuthError::Rejected(_))));
    let revoked = TestToken::new(&m, "alice").revoked().await;
    assert!(m.verify(&revoked).is_ok(), "the signature is fine");
    assert!(matches!(
        m.authenticate(&revoked).await,
        Err(AuthError::Revoked)
    ));
    let refresh = TestToken::new(&m, "alice").refresh().sign();
    assert_eq!(
        m.verify(&refresh).unwrap().kind(),
        auth_runtime::TokenKind::Refresh
    );
    let rich = TestToken::new(&m, "alice")
        .scope(["a", "b"])
        .claim("team", "blue")
        .fresh()
        .sign();
    let rich = m.verify(&rich).unwrap();
    assert!(rich.is_fresh());
    assert_eq!(rich.claim("team").unwrap(), "blue");
}
