//! The `login` example (Flask-JWT-Login's README) over HTTP: the form, the cookies, the
//! page behind them, the redirect to the login page, logout, and CSRF on logout.

mod common;

use auth_examples::ports::login;
use common::*;

const SECRET64: &str = "a-sixty-four-byte-secret-for-the-hs512-login-example-0123456789!";

async fn server() -> TestServer {
    let manager = login::manager_from_env(|name| match name {
        "AUTH_SECRET" => Some(SECRET64.to_owned()),
        _ => None,
    })
    .expect("login manager");
    TestServer::start_plain(login::app(manager)).await
}

/// Logs `id` in and returns the `Cookie` header line the browser would send back.
async fn log_in(s: &TestServer, id: &str) -> String {
    let res = s
        .post_form("/login", &[], &format!("id={id}&pw={id}-password"))
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    res.cookie_line()
}

#[tokio::test]
async fn the_login_form_and_its_cookies() {
    let s = server().await;
    let page = s.get("/login", &[]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"id\"") && page.body.contains("name=\"pw\""));
    assert!(page.body.contains("action=\"/login\""));

    let res = s
        .post_form("/login", &[], "id=alice&pw=alice-password")
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/protected"));
    let cookies = res.headers_named("set-cookie");
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies[0].starts_with("token=") && cookies[0].contains("HttpOnly"));
    assert!(cookies[1].starts_with("refresh_token=") && cookies[1].contains("HttpOnly"));
    for cookie in &cookies {
        assert!(cookie.contains("SameSite=Strict") && cookie.contains("Secure"));
    }

    let bad = s.post_form("/login", &[], "id=alice&pw=wrong").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("Invalid id or password."));
    assert!(bad.headers_named("set-cookie").is_empty(), "no cookie");
}

#[tokio::test]
async fn the_protected_page_redirects_to_the_login_page_without_a_session() {
    let s = server().await;
    let res = s.get("/protected", &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), Some("/login?next=/protected"));
    let res = s.get("/protected", &["Cookie: token=not.a.token"]).await;
    assert_eq!(res.header("location"), Some("/login?next=/protected"));

    let alice = log_in(&s, "alice").await;
    let res = s.get("/protected", &[&alice]).await;
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, "Protected Page. name :Alice")
    );
    let root = log_in(&s, "root").await;
    assert_eq!(
        s.get("/protected", &[&root]).await.body,
        "Protected Page. name :Root"
    );
}

#[tokio::test]
async fn next_is_followed_only_on_this_site() {
    let s = server().await;
    let to = |next: &'static str| async move {
        let res = server()
            .await
            .post_form(
                "/login",
                &[],
                &format!("id=alice&pw=alice-password&next={next}"),
            )
            .await;
        res.header("location").map(str::to_owned)
    };
    assert_eq!(
        to("%2Fprotected%3Fx%3D1").await.as_deref(),
        Some("/protected?x=1")
    );
    for evil in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "evil",
    ] {
        assert_eq!(to(evil).await.as_deref(), Some("/protected"), "{evil}");
    }
    // The form never echoes a foreign `next`, and escapes what it echoes.
    let page = s.get("/login?next=%2F%22%3E%3Cscript%3E", &[]).await;
    assert!(!page.body.contains("<script>"), "{}", page.body);
    let page = s.get("/login?next=%2F%2Fevil.example", &[]).await;
    assert!(!page.body.contains("evil.example"));
}

#[tokio::test]
async fn logout_clears_both_cookies_and_ends_the_login_but_not_cross_site() {
    let s = server().await;
    let alice = log_in(&s, "alice").await;
    // A form posted from another site is refused, and the session survives.
    let forged = s
        .post_form("/logout", &[&alice, "Origin: https://evil.example"], "")
        .await;
    forged.assert_refused(403, None, "csrf_rejected");
    assert_eq!(s.get("/protected", &[&alice]).await.status, 200);

    let out = s
        .post_form(
            "/logout",
            &[
                &alice,
                "Origin: http://localhost",
                "Sec-Fetch-Site: same-origin",
            ],
            "",
        )
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login"));
    let cleared = out.headers_named("set-cookie");
    assert_eq!(cleared.len(), 2);
    assert!(cleared[0].starts_with("token=;") && cleared[0].contains("Max-Age=0"));
    assert!(cleared[1].starts_with("refresh_token=;") && cleared[1].contains("Max-Age=0"));
    // The old cookie is refused even if a browser kept it.
    let res = s.get("/protected", &[&alice]).await;
    assert_eq!(res.header("location"), Some("/login?next=/protected"));
}

#[tokio::test]
async fn an_expired_auth_cookie_is_renewed_from_the_refresh_cookie() {
    let s = server().await;
    let cookies = log_in(&s, "alice").await;
    // The browser dropped the expired auth cookie and kept the refresh cookie.
    let refresh_only = cookies
        .trim_start_matches("Cookie: ")
        .split("; ")
        .find(|c| c.starts_with("refresh_token="))
        .map(|c| format!("Cookie: {c}"))
        .unwrap();
    let res = s.get("/protected", &[&refresh_only]).await;
    assert_eq!(res.header("location"), Some("/login?next=/protected"));
    let renewed = s.get("/login?next=/protected", &[&refresh_only]).await;
    assert_eq!(renewed.status, 303, "{}", renewed.body);
    assert_eq!(renewed.header("location"), Some("/protected"));
    let set: Vec<&str> = renewed
        .headers_named("set-cookie")
        .into_iter()
        .map(|c| c.split(';').next().unwrap())
        .collect();
    assert_eq!(set.len(), 2);
    assert!(set[0].starts_with("token=") && set[1].starts_with("refresh_token="));
    let page = s
        .get("/protected", &[&format!("Cookie: {}", set.join("; "))])
        .await;
    assert_eq!(page.body, "Protected Page. name :Alice");

    // A refresh cookie that is no good shows the form and clears the cookies.
    let res = s
        .get("/login?next=/protected", &["Cookie: refresh_token=x.y.z"])
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("name=\"pw\""));
    assert!(
        res.headers_named("set-cookie")
            .iter()
            .all(|c| c.contains("Max-Age=0"))
    );
}
