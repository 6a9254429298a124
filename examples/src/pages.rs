//! What the examples' HTML pages share: the login form, escaping, and the redirect that
//! sets or clears the session cookies.

use auth_runtime::local_path;
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header::LOCATION, header::SET_COOKIE},
    response::{Html, IntoResponse, Response},
};

/// The names of a login form's two fields (Flask-JWT-Login says `id` and `pw`).
#[derive(Debug, Clone, Copy)]
pub struct LoginFields {
    /// The user's name or id.
    pub user: &'static str,
    /// The password.
    pub password: &'static str,
}

/// A login page posting to `/login`, with `next` kept when it is a local path and an
/// error line when `error` is set.
pub fn login_form(fields: LoginFields, next: Option<&str>, error: Option<&str>) -> Html<String> {
    let next = next.and_then(local_path).map(escape).unwrap_or_default();
    let error = error
        .map(|e| format!("<p class=\"error\">{}</p>", escape(e)))
        .unwrap_or_default();
    let LoginFields { user, password } = fields;
    Html(format!(
        "<!doctype html><html><head><title>Log in</title></head><body>\
         <h1>Log in</h1>{error}\
         <form method=\"post\" action=\"/login\">\
         <label>{user} <input name=\"{user}\" autocomplete=\"username\"></label>\
         <label>{password} <input name=\"{password}\" type=\"password\" autocomplete=\"current-password\"></label>\
         <input type=\"hidden\" name=\"next\" value=\"{next}\">\
         <button type=\"submit\">Log in</button></form></body></html>"
    ))
}

/// 303 to `next` if it is a path on this site, else to `fallback`, with `cookies` set.
pub fn redirect(cookies: &[HeaderValue], next: Option<&str>, fallback: &'static str) -> Response {
    let target = next.and_then(local_path).unwrap_or(fallback);
    let mut headers = HeaderMap::new();
    for cookie in cookies {
        headers.append(SET_COOKIE, cookie.clone());
    }
    if let Ok(location) = target.parse() {
        headers.insert(LOCATION, location);
    }
    (StatusCode::SEE_OTHER, headers).into_response()
}

/// HTML-escapes text placed in a page.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
