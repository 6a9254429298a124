//! Test tokens from the application's own manager: any claims, expired, not yet valid, of
//! the wrong kind, signed by a key the manager does not have, or revoked. No sleeping.
//!
//! ```
//! use auth_runtime::{AuthManager, Algorithm, AuthError, Key, testing::TestToken};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let manager = AuthManager::builder()
//!     .issuer("tests")
//!     .signing_key(Key::hmac(Algorithm::HS256, [7u8; 32]).unwrap())
//!     .build()
//!     .unwrap();
//! let good = TestToken::new(&manager, "alice").scope(["users:read"]).sign();
//! assert!(manager.verify(&good).is_ok());
//! let expired = TestToken::new(&manager, "alice").expired().sign();
//! assert!(matches!(manager.verify(&expired), Err(AuthError::Expired)));
//! let revoked = TestToken::new(&manager, "alice").revoked().await;
//! assert!(matches!(manager.authenticate(&revoked).await, Err(AuthError::Revoked)));
//! # }
//! ```

use jsonwebtoken::{Algorithm, EncodingKey};
use serde::Serialize;
use serde_json::Value;

use crate::{
    manager::AuthManager,
    token::{TokenBuilder, TokenKind},
};

/// How far in the past an expired token expired, and in the future a not-yet-valid one
/// starts: well beyond any sensible leeway.
const SKEW: u64 = 3600;

/// A token being minted for a test. Start with [`TestToken::new`], finish with
/// [`sign`](Self::sign) (or [`revoked`](Self::revoked)).
///
/// # Panics
///
/// The finishing calls panic when the manager cannot sign (no signing key) or a claim is
/// not JSON: in a test, that is the test's mistake.
#[must_use]
pub struct TestToken<'a> {
    manager: &'a AuthManager,
    subject: String,
    kind: TokenKind,
    scope: Option<Value>,
    claims: Vec<(String, Value)>,
    fresh: bool,
    time: Time,
    other_key: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Time {
    Now,
    Expired,
    NotYetValid,
}

impl<'a> TestToken<'a> {
    /// An auth token for `subject`, valid now.
    pub fn new(manager: &'a AuthManager, subject: &str) -> Self {
        Self {
            manager,
            subject: subject.to_owned(),
            kind: TokenKind::Auth,
            scope: None,
            claims: Vec::new(),
            fresh: false,
            time: Time::Now,
            other_key: false,
        }
    }

    /// The `scope` claim (a map, a space-delimited string or an array).
    pub fn scope(mut self, scope: impl Serialize) -> Self {
        self.scope = Some(serde_json::to_value(scope).expect("a scope that is JSON"));
        self
    }

    /// A custom claim.
    pub fn claim(mut self, name: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("a claim that is JSON");
        self.claims.push((name.to_owned(), value));
        self
    }

    /// A fresh token (minted at login).
    pub fn fresh(mut self) -> Self {
        self.fresh = true;
        self
    }

    /// A refresh token rather than an auth token (the wrong kind for an auth route).
    pub fn refresh(mut self) -> Self {
        self.kind = TokenKind::Refresh;
        self.scope = None;
        self
    }

    /// A token that expired an hour ago.
    pub fn expired(mut self) -> Self {
        self.time = Time::Expired;
        self
    }

    /// A token issued an hour from now, and valid only from then.
    pub fn not_yet_valid(mut self) -> Self {
        self.time = Time::NotYetValid;
        self
    }

    /// A token signed with a key the manager does not have (a random HMAC secret).
    pub fn signed_by_another_key(mut self) -> Self {
        self.other_key = true;
        self
    }

    fn builder(&self) -> TokenBuilder<'a> {
        let mut builder = match self.kind {
            TokenKind::Auth => self.manager.auth_token(&self.subject),
            TokenKind::Refresh => self.manager.refresh_token(&self.subject),
        };
        if let Some(scope) = &self.scope {
            builder = builder.scope(scope);
        }
        for (name, value) in &self.claims {
            builder = builder.claim(name, value);
        }
        if self.fresh {
            builder = builder.fresh();
        }
        let now = jsonwebtoken::get_current_timestamp();
        let lifetime = match self.kind {
            TokenKind::Auth => self.manager.auth_max_age(),
            TokenKind::Refresh => self.manager.refresh_max_age(),
        }
        .as_secs();
        match self.time {
            Time::Now => builder,
            Time::Expired => {
                let exp = now.saturating_sub(SKEW);
                builder.times(exp.saturating_sub(lifetime), exp, None)
            }
            Time::NotYetValid => {
                let iat = now + SKEW;
                builder.times(iat, iat + lifetime, Some(iat))
            }
        }
    }

    /// The signed token.
    pub fn sign(self) -> String {
        let builder = self.builder();
        let signed = if self.other_key {
            let mut secret = [0u8; 64];
            getrandom::fill(&mut secret).expect("randomness for a test key");
            builder.sign_with(&EncodingKey::from_secret(&secret), Algorithm::HS256)
        } else {
            builder.sign()
        };
        signed.expect("the test manager signs tokens")
    }

    /// The signed token, then revoked in the manager's store: refused from now on.
    pub async fn revoked(self) -> String {
        let manager = self.manager;
        let token = self.sign();
        let verified = manager
            .verify(&token)
            .expect("a token the manager verifies");
        manager
            .revoke(&verified)
            .await
            .expect("the store records the revocation");
        token
    }
}
