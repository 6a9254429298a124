//! Cookies that carry tokens: the `Set-Cookie` values to hand a token to a browser and to
//! take it back.
//!
//! The cookie is `HttpOnly` (no script can read it), `Secure` (never sent over plain
//! HTTP), `SameSite=Strict` (not sent on cross-site requests, the CSRF defence) and
//! `Path=/`, and lives as long as the token.

use axum::http::HeaderValue;

use crate::{AuthManager, TokenKind};

impl AuthManager {
    /// A `Set-Cookie` value that stores `token` in the configured cookie
    /// ([`cookie_name`](crate::AuthManagerBuilder::cookie_name)) for as long as a token of
    /// `kind` lives.
    ///
    /// ```
    /// # use auth_runtime::{Algorithm, AuthManager, Key, TokenKind};
    /// # let manager = AuthManager::builder().issuer("svc")
    /// #     .signing_key(Key::hmac(Algorithm::HS256, "a-secret-of-at-least-thirty-two-bytes!")?).build()?;
    /// let token = manager.auth_token("alice").sign()?;
    /// let cookie = manager.token_cookie(&token, TokenKind::Auth);
    /// assert!(cookie.to_str()?.starts_with("auth_token="));
    /// assert!(cookie.to_str()?.ends_with("; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Strict"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token_cookie(&self, token: &str, kind: TokenKind) -> HeaderValue {
        let max_age = match kind {
            TokenKind::Auth => self.inner.auth_max_age,
            TokenKind::Refresh => self.inner.refresh_max_age,
        };
        self.cookie(token, max_age)
    }

    /// A `Set-Cookie` value that deletes the token cookie (log out).
    pub fn clear_token_cookie(&self) -> HeaderValue {
        self.cookie("", 0)
    }

    fn cookie(&self, value: &str, max_age: u64) -> HeaderValue {
        let name = &self.inner.sources.cookie_name;
        let text =
            format!("{name}={value}; Max-Age={max_age}; Path=/; HttpOnly; Secure; SameSite=Strict");
        // Cookie names are checked at build time and tokens this library signs are
        // base64url and dots; anything else is refused rather than sent half-made.
        HeaderValue::try_from(text)
            .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
    }
}
