//! The `login` example in a real browser (headless Chromium through WebDriver): redirect to
//! the login page, login through the form, the protected page, the auth cookie invisible to
//! scripts, renewal after the auth cookie expires, a cross-site form post refused, logout.

mod common;

use std::time::{Duration, Instant};

use auth_examples::ports::login;
use axum::{Router, response::Html, routing::get};
use common::*;

const SECRET64: &str = "a-sixty-four-byte-secret-for-the-hs512-login-example-0123456789!";

/// Waits until the browser's URL satisfies `done`, for at most 10 s.
async fn wait_for_url(browser: &Browser, what: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = browser.url().await;
        if done(&url) {
            return url;
        }
        assert!(Instant::now() < deadline, "{what}: still at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_logs_in_is_renewed_resists_a_forged_post_and_logs_out() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let manager = login::manager_from_env(|name| match name {
        "AUTH_SECRET" => Some(SECRET64.to_owned()),
        // Short-lived auth cookies, so the test sees one expire.
        "AUTH_AUTH_MAX_AGE" => Some("2".to_owned()),
        _ => None,
    })
    .expect("login manager");
    let site = TestServer::start_plain(login::app(manager)).await;
    let base = format!("http://localhost:{}", site.addr.port());

    // Without a session, the page sends the browser to the login form.
    browser.goto(&format!("{base}/protected")).await;
    let url = wait_for_url(&browser, "redirect to login", |u| u.contains("/login")).await;
    assert!(url.ends_with("/login?next=/protected"), "{url}");

    // Log in through the form.
    browser.type_into("input[name=id]", "alice").await;
    browser.type_into("input[name=pw]", "alice-password").await;
    browser.click("button[type=submit]").await;
    wait_for_url(&browser, "back to the page", |u| u.ends_with("/protected")).await;
    assert_eq!(browser.text().await.trim(), "Protected Page. name :Alice");

    // The tokens are HttpOnly: no script on the page can read them.
    assert_eq!(browser.execute("return document.cookie").await, "");

    // A page on another origin of the same site (another port) posts a form to /logout.
    let attacker_html = format!(
        "<!doctype html><form method=\"post\" action=\"{base}/logout\"></form>\
         <script>document.forms[0].submit()</script>"
    );
    let attacker = TestServer::start_plain(Router::new().route(
        "/",
        get(move || {
            let html = attacker_html.clone();
            async move { Html(html) }
        }),
    ))
    .await;
    browser
        .goto(&format!("http://localhost:{}/", attacker.addr.port()))
        .await;
    wait_for_url(&browser, "the forged post", |u| u.ends_with("/logout")).await;
    assert!(
        browser.text().await.contains("csrf_rejected"),
        "{}",
        browser.text().await
    );
    browser.goto(&format!("{base}/protected")).await;
    assert_eq!(
        browser.text().await.trim(),
        "Protected Page. name :Alice",
        "the forged logout changed nothing"
    );

    // The auth cookie expires; the refresh cookie renews the session on the way.
    tokio::time::sleep(Duration::from_millis(2600)).await;
    browser.goto(&format!("{base}/protected")).await;
    let url = wait_for_url(&browser, "renewed", |u| u.ends_with("/protected")).await;
    assert!(url.ends_with("/protected"), "{url}");
    assert_eq!(browser.text().await.trim(), "Protected Page. name :Alice");

    // Log out from the page itself (same origin), then the page needs a login again.
    browser
        .execute("document.body.innerHTML = '<form method=\"post\" action=\"/logout\"><button type=\"submit\">Log out</button></form>'")
        .await;
    browser.click("button[type=submit]").await;
    wait_for_url(&browser, "logged out", |u| u.ends_with("/login")).await;
    browser.goto(&format!("{base}/protected")).await;
    let url = wait_for_url(&browser, "login again", |u| u.contains("/login")).await;
    assert!(url.ends_with("/login?next=/protected"), "{url}");
    assert!(browser.text().await.contains("Log in"));
}
