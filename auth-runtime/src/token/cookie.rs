//! Cookies that carry tokens: the `Set-Cookie` values to hand a token to a browser and to
//! take it back.
//!
//! The cookie is `HttpOnly` (no script can read it), `Secure` (never sent over plain
//! HTTP), `SameSite=Strict` (not sent on cross-site requests, the CSRF defence) and
//! `Path=/`, and lives as long as the token.

use axum::http::HeaderValue;

/// A `Set-Cookie` value that stores `value` in cookie `name` for `max_age` seconds (0
/// deletes it); `secure` adds `Secure`.
pub(crate) fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> HeaderValue {
    let attributes = if secure {
        "Path=/; HttpOnly; Secure; SameSite=Strict"
    } else {
        "Path=/; HttpOnly; SameSite=Strict"
    };
    HeaderValue::try_from(format!("{name}={value}; Max-Age={max_age}; {attributes}"))
        // Tokens this library signs are base64url and dots, and cookie names are checked
        // at build time; text a header cannot carry clears the cookie instead.
        .or_else(|_| HeaderValue::try_from(format!("{name}=; Max-Age=0; {attributes}")))
        .unwrap_or_else(|_| HeaderValue::from_static("auth_token=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use crate::{Algorithm, AuthManager, Key, TokenKind};

    fn manager() -> AuthManager {
        AuthManager::builder()
            .issuer("cookies")
            .cookie_name("session")
            .signing_key(Key::hmac(Algorithm::HS256, [5u8; 32]).unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn a_token_cookie_is_hardened_and_lives_as_long_as_its_token() {
        let m = manager();
        let refresh = m.refresh_token("alice").sign().unwrap();
        let cookie = m.token_cookie(&refresh, TokenKind::Refresh);
        assert_eq!(
            cookie.to_str().unwrap(),
            format!(
                "refresh_token={refresh}; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Strict"
            )
        );
        let auth = m.auth_token("alice").sign().unwrap();
        assert_eq!(
            m.token_cookie(&auth, TokenKind::Auth).to_str().unwrap(),
            format!("session={auth}; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Strict")
        );
        let [clear_auth, clear_refresh] = m.clear_token_cookies();
        assert_eq!(
            clear_auth.to_str().unwrap(),
            "session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"
        );
        assert_eq!(
            clear_refresh.to_str().unwrap(),
            "refresh_token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"
        );
    }

    #[test]
    fn text_a_header_cannot_carry_clears_the_cookie() {
        let m = manager();
        let cookie = m.token_cookie("bad\ntoken", TokenKind::Auth);
        assert_eq!(cookie, m.clear_token_cookies()[0]);
    }
}
