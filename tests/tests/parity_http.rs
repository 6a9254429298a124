//! The `parity` example against Flask_PyJWT's README flows, under every algorithm, and the
//! attack classes that reach HTTP, each asserting status, `WWW-Authenticate` and the JSON
//! error code. Also the quickstart's printed `curl` lines.

mod common;

use std::collections::HashMap;

use auth_examples::{ports::parity, quickstart};
use auth_runtime::Algorithm;
use auth_runtime::testing::TestToken;
use common::*;
use serde_json::{Value, json};

fn env_for(algorithm: Algorithm) -> HashMap<&'static str, String> {
    let mut env = HashMap::from([("AUTH_ALGORITHM", format!("{algorithm:?}"))]);
    match algorithm {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            env.insert(
                "AUTH_SECRET",
                String::from_utf8(hmac_secret(algorithm)).unwrap(),
            );
        }
        _ => {
            let (private, public) = key_files(algorithm);
            env.insert(
                "AUTH_PRIVATE_KEY_FILE",
                key_path(private).display().to_string(),
            );
            env.insert(
                "AUTH_PUBLIC_KEY_FILE",
                key_path(public).display().to_string(),
            );
        }
    }
    env
}

async fn parity_server(algorithm: Algorithm) -> TestServer {
    let env = env_for(algorithm);
    let manager = parity::manager_from_env(|name| env.get(name).cloned()).expect("parity config");
    assert_eq!(manager.issuer(), "parity");
    TestServer::start_plain(parity::app(manager)).await
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

async fn login(server: &TestServer, user: &str, password: &str) -> (String, String) {
    let body = json!({"username": user, "password": password}).to_string();
    let res = server.post("/login", &[], &body).await;
    assert_eq!(res.status, 200, "{res:?}");
    let json = res.json();
    (
        json["auth_token"].as_str().unwrap().to_owned(),
        json["refresh_token"].as_str().unwrap().to_owned(),
    )
}

async fn readme_flows(algorithm: Algorithm) {
    let s = parity_server(algorithm).await;
    let (alice, alice_refresh) = login(&s, "alice", "alice-password").await;
    let (root, _) = login(&s, "root", "root-password").await;

    let bad = s
        .post("/login", &[], r#"{"username":"alice","password":"nope"}"#)
        .await;
    assert_eq!(
        (bad.status, bad.json()),
        (401, json!({"error": "Invalid login credentials"}))
    );

    let res = s.get_with_token("/protected_route", &alice).await;
    assert_eq!(
        (res.status, res.json()),
        (
            200,
            json!({"message": "You've reached the protected route!"})
        )
    );
    s.get("/protected_route", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");

    let res = s.get_with_token("/user_specific_route/alice", &alice).await;
    assert_eq!(res.json(), json!({"message": "Hello, alice!"}));
    s.get_with_token("/user_specific_route/root", &alice)
        .await
        .assert_refused(403, None, "forbidden");
    assert_eq!(
        s.get_with_token("/user_specific_route/alice", &root)
            .await
            .status,
        403
    );

    s.get_with_token("/custom_claim_route", &alice)
        .await
        .assert_refused(403, None, "forbidden");

    let res = s.get_with_token("/admin_dashboard", &root).await;
    assert_eq!(
        (res.status, res.json()),
        (200, json!({"message": "Hello admin!"}))
    );
    s.get_with_token("/admin_dashboard", &alice)
        .await
        .assert_insufficient_scope();

    let res = s.get_with_token("/overridable_route/alice", &root).await;
    assert_eq!(
        (res.status, res.json()),
        (200, json!({"message": "Hello, alice!"}))
    );
    assert_eq!(
        s.get_with_token("/overridable_route/alice", &alice)
            .await
            .status,
        200
    );
    assert_eq!(
        s.get_with_token("/overridable_route/root", &alice)
            .await
            .status,
        403
    );

    let info = s.get_with_token("/token/info", &root).await.json();
    assert_eq!(info["token_type"], "auth");
    assert_eq!(info["subject"], "root");
    assert_eq!(info["scope"], json!({"admin": true}));
    assert_eq!(info["is_signed"], true);
    assert_eq!(info["signed_token"], json!(root));
    assert_eq!(info["claims"]["iss"], "parity");
    assert_eq!(info["claims"]["type"], "auth");
    let info = s.get_with_token("/token/info", &alice).await.json();
    assert_eq!(
        info["scope"],
        Value::Null,
        "an empty scope is omitted, as in Flask_PyJWT"
    );

    let res = s.post("/refresh", &[&bearer(&alice_refresh)], "").await;
    assert_eq!(res.status, 200, "{res:?}");
    let new_auth = res.json()["auth_token"].as_str().unwrap().to_owned();
    assert_eq!(
        s.get_with_token("/user_specific_route/alice", &new_auth)
            .await
            .status,
        200
    );
    s.post("/refresh", &[&bearer(&alice)], "")
        .await
        .assert_invalid_token();
    s.get_with_token("/protected_route", &alice_refresh)
        .await
        .assert_invalid_token();
}

#[tokio::test]
async fn readme_flows_hs256() {
    readme_flows(Algorithm::HS256).await;
}

#[tokio::test]
async fn readme_flows_rs256() {
    readme_flows(Algorithm::RS256).await;
}

#[tokio::test]
async fn readme_flows_es256() {
    readme_flows(Algorithm::ES256).await;
}

#[tokio::test]
async fn readme_flows_eddsa() {
    readme_flows(Algorithm::EdDSA).await;
}

#[tokio::test]
async fn readme_flows_every_other_algorithm() {
    for algorithm in [
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES384,
    ] {
        readme_flows(algorithm).await;
    }
}

#[tokio::test]
async fn a_custom_claim_token_reaches_the_custom_claim_route() {
    let env = env_for(Algorithm::HS256);
    let manager = parity::manager_from_env(|name| env.get(name).cloned()).unwrap();
    let s = TestServer::start_plain(parity::app(manager.clone())).await;
    let token = TestToken::new(&manager, "alice")
        .claim("custom_claim", "Arbitrary Required Value")
        .sign();
    let res = s.get_with_token("/custom_claim_route", &token).await;
    assert_eq!(
        (res.status, res.json()),
        (
            200,
            json!({"message": "You've reached the custom claim route!"})
        )
    );
}

#[tokio::test]
async fn a_flask_pyjwt_shaped_token_without_jti_or_fresh_is_accepted() {
    // What Flask_PyJWT issues: iss, iat, exp, sub, type, scope; no jti, no fresh.
    let env = env_for(Algorithm::HS256);
    let manager = parity::manager_from_env(|name| env.get(name).cloned()).unwrap();
    let s = TestServer::start_plain(parity::app(manager)).await;
    let token = sign(&json!({
        "iss": "parity", "iat": now(), "exp": now() + 3600, "sub": "root",
        "type": "auth", "scope": {"admin": true},
    }));
    assert_eq!(
        s.get_with_token("/admin_dashboard", &token).await.status,
        200
    );
}

#[tokio::test]
async fn parity_configuration_errors_name_the_variable() {
    let err = parity::manager_from_env(|_| None).unwrap_err();
    assert_eq!(err.setting(), "AUTH_SECRET");
    let err = parity::manager_from_env(|n| (n == "AUTH_ALGORITHM").then(|| "RS256".to_owned()))
        .unwrap_err();
    assert_eq!(err.setting(), "AUTH_PUBLIC_KEY_FILE");
}

/// Attack classes that reach HTTP (A, B, C, D, E, G, H of the catalogue), on the parity
/// server: each row is the request, then the expected status, challenge and code.
#[tokio::test]
async fn attack_table_over_http() {
    let s = parity_server(Algorithm::HS256).await;
    let (alice, refresh) = login(&s, "alice", "alice-password").await;
    let (head, sig) = alice.rsplit_once('.').unwrap();
    let tampered = format!("{head}.{}", sig.replace(&sig[..4], "AAAA"));
    let none = format!(
        "{}.{}.",
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            r#"{"alg":"none","typ":"JWT"}"#
        ),
        alice.split('.').nth(1).unwrap()
    );
    let expired = sign(
        &json!({"iss": "parity", "sub": "alice", "iat": now() - 100, "exp": now() - 10, "type": "auth"}),
    );
    let wrong_issuer = sign(
        &json!({"iss": "evil", "sub": "alice", "iat": now(), "exp": now() + 60, "type": "auth"}),
    );
    let future = sign(
        &json!({"iss": "parity", "sub": "alice", "iat": now(), "exp": now() + 60, "nbf": now() + 3600, "type": "auth"}),
    );
    let huge = format!("{head}{}.{sig}", "A".repeat(9000));
    let crit = {
        let mut header = jsonwebtoken::Header::new(Algorithm::HS256);
        header.crit = Some(vec!["x".into()]);
        jsonwebtoken::encode(
            &header,
            &json!({"iss": "parity", "sub": "alice", "iat": now(), "exp": now() + 60, "type": "auth"}),
            &encoding_key(Algorithm::HS256),
        )
        .unwrap()
    };

    type Expect = (u16, Option<&'static str>, &'static str);
    const INVALID: Expect = (401, Some("Bearer error=\"invalid_token\""), "invalid_token");
    const MISSING: Expect = (401, Some("Bearer"), "missing_token");
    const REQUEST: Expect = (
        400,
        Some("Bearer error=\"invalid_request\""),
        "invalid_request",
    );
    const FORBIDDEN: Expect = (403, None, "forbidden");

    let rows: Vec<(&str, String, Vec<String>, Expect)> = vec![
        (
            "A8 tampered signature",
            "/protected_route".into(),
            vec![bearer(&tampered)],
            INVALID,
        ),
        (
            "A4 empty bearer",
            "/protected_route".into(),
            vec!["Authorization: Bearer ".into()],
            INVALID,
        ),
        (
            "A4 scheme only",
            "/protected_route".into(),
            vec!["Authorization: Bearer".into()],
            INVALID,
        ),
        (
            "A3 dot flood",
            "/protected_route".into(),
            vec![bearer(&".".repeat(20_000))],
            INVALID,
        ),
        (
            "B9 alg none",
            "/protected_route".into(),
            vec![bearer(&none)],
            INVALID,
        ),
        (
            "C22 crit header",
            "/protected_route".into(),
            vec![bearer(&crit)],
            INVALID,
        ),
        (
            "D31 expired",
            "/protected_route".into(),
            vec![bearer(&expired)],
            INVALID,
        ),
        (
            "D32 nbf in the future",
            "/protected_route".into(),
            vec![bearer(&future)],
            INVALID,
        ),
        (
            "E41 wrong issuer",
            "/protected_route".into(),
            vec![bearer(&wrong_issuer)],
            INVALID,
        ),
        (
            "E44 refresh as auth",
            "/protected_route".into(),
            vec![bearer(&refresh)],
            INVALID,
        ),
        (
            "F48 huge token",
            "/protected_route".into(),
            vec![bearer(&huge)],
            INVALID,
        ),
        (
            "G52 two headers",
            "/protected_route".into(),
            vec![bearer(&alice), bearer(&alice)],
            REQUEST,
        ),
        (
            "G55 basic scheme",
            "/protected_route".into(),
            vec!["Authorization: Basic dXNlcjpwYXNz".into()],
            MISSING,
        ),
        (
            "G55 tab separator",
            "/protected_route".into(),
            vec![format!("Authorization: Bearer\t{alice}")],
            INVALID,
        ),
        (
            "G55 quoted token",
            "/protected_route".into(),
            vec![format!("Authorization: Bearer \"{alice}\"")],
            INVALID,
        ),
        (
            "G55 two tokens",
            "/protected_route".into(),
            vec![format!("Authorization: Bearer {alice}, Bearer {alice}")],
            INVALID,
        ),
        (
            "G54 lowercase scheme",
            "/token/info".into(),
            vec![format!("Authorization: bearer {alice}")],
            (200, None, ""),
        ),
        (
            "G57 query off by default",
            format!("/protected_route?access_token={alice}"),
            vec![],
            MISSING,
        ),
        (
            "H61 encoded slash",
            "/user_specific_route/alice%2F..%2Froot".into(),
            vec![bearer(&alice)],
            FORBIDDEN,
        ),
        (
            "H63 case folding",
            "/user_specific_route/ALICE".into(),
            vec![bearer(&alice)],
            FORBIDDEN,
        ),
        (
            "H64 fullwidth",
            "/user_specific_route/%EF%BD%81lice".into(),
            vec![bearer(&alice)],
            FORBIDDEN,
        ),
        (
            "H65 NUL",
            "/user_specific_route/al%00ice".into(),
            vec![bearer(&alice)],
            FORBIDDEN,
        ),
        (
            "H60 percent-encoded self",
            "/user_specific_route/%61lice".into(),
            vec![bearer(&alice)],
            (200, None, ""),
        ),
    ];
    for (name, path, headers, (status, challenge, code)) in rows {
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let res = s.get(&path, &headers).await;
        assert_eq!(res.status, status, "{name}: {res:?}");
        if status != 200 {
            assert_eq!(res.header("www-authenticate"), challenge, "{name}");
            assert_eq!(res.error_code(), code, "{name}");
            assert!(!res.body.contains(head), "{name}: the token is echoed");
        }
    }

    // G56: a non-ASCII byte in the header value.
    let raw = b"GET /protected_route HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer abc\xe9.def.ghi\r\n\r\n";
    s.send(raw).await.assert_invalid_token();
}

#[tokio::test]
async fn quickstart_answers_as_its_printed_curl_lines_say() {
    let manager = quickstart::development_manager().unwrap();
    let s = TestServer::start_plain(quickstart::app(manager.clone())).await;
    let alice = auth_token(&manager, "alice");
    let root = admin_token(&manager, "root");
    let get = |path: &'static str, token: &str| {
        let header = bearer(token);
        let s = &s;
        async move { s.get(path, &[&header]).await }
    };
    let res = get("/me", &alice).await;
    assert_eq!((res.status, res.body.as_str()), (200, "hello alice\n"));
    assert_eq!(get("/users/alice", &alice).await.status, 200);
    assert_eq!(get("/users/bob", &alice).await.status, 403);
    assert_eq!(get("/users/bob", &root).await.body, "profile of bob\n");
    get("/admin", &alice).await.assert_insufficient_scope();
    assert_eq!(get("/admin", &root).await.body, "admin area\n");
    s.get("/me", &[])
        .await
        .assert_refused(401, Some("Bearer"), "missing_token");
    let res = s
        .post(
            "/login",
            &[],
            r#"{"username":"alice","password":"alice-password"}"#,
        )
        .await;
    let token = res.json()["auth_token"].as_str().unwrap().to_owned();
    assert!(manager.verify(&token).unwrap().is_fresh());
    assert_eq!(
        s.post("/login", &[], r#"{"username":"alice","password":"x"}"#)
            .await
            .status,
        401
    );
}
