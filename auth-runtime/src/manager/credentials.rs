//! Opaque tokens and API keys: issued into the store, checked against it (or against the
//! application's [`LoadToken`](crate::credential::LoadToken)), revoked in it.

use std::time::Duration;

use super::{AuthManager, SessionError, TokenPair};
use crate::{
    credential::{
        ApiKey, ApiKeyText, Presented, claims_to_token, new_opaque_token, opaque_key,
        shaped_as_opaque, stored_api_key,
    },
    error::AuthError,
    store::{StoreError, StoreKey, now},
    token::{Credential, CurrentToken, IssueError, TokenBuilder, TokenKind, new_id},
};

/// The claim of an opaque refresh token's record that names the auth token issued
/// beside it.
const PAIRED_AUTH_CLAIM: &str = "paired_auth_jti";

impl AuthManager {
    /// Checks an opaque token a route of `kind` received: looked up by its digest in the
    /// store (or by the [`token_loader`](crate::AuthManagerBuilder::token_loader)), then
    /// the store's revocations, as for JWTs. What `credential = "opaque"` routes run.
    ///
    /// # Errors
    ///
    /// [`AuthError::UnknownCredential`] (401) for a token of the wrong shape (a JWT
    /// included) or unknown, [`AuthError::Expired`], [`AuthError::Revoked`], or
    /// [`AuthError::StoreUnavailable`] (503) when the store or the loader cannot answer.
    pub async fn authenticate_opaque(
        &self,
        token: &str,
        kind: TokenKind,
    ) -> Result<CurrentToken, AuthError> {
        if !shaped_as_opaque(token) {
            return Err(AuthError::UnknownCredential);
        }
        let verified = match &self.inner.token_loader {
            Some(loader) => loader.load(Presented::new(token, kind)).await?,
            None => {
                let stored = self.record(&opaque_key(token)).await?;
                let claims = serde_json::from_str(&stored)
                    .map_err(|e| AuthError::StoreUnavailable(StoreError::Corrupt(e.to_string())))?;
                claims_to_token(token, Credential::Opaque, None, claims)?
            }
        };
        self.check_revocations(verified).await
    }

    /// Checks an API key (`ak_<id>_<secret>`): its shape before anything else, then its
    /// record, the secret's digest compared in constant time. What `credential =
    /// "api_key"` routes run. [`CurrentToken::kid`] is the key's id.
    ///
    /// # Errors
    ///
    /// [`AuthError::UnknownCredential`] (401) for a key of the wrong shape, unknown,
    /// revoked or with the wrong secret, [`AuthError::Expired`], or
    /// [`AuthError::StoreUnavailable`] (503).
    pub async fn authenticate_api_key(&self, key: &str) -> Result<CurrentToken, AuthError> {
        let parsed = ApiKeyText::parse(key).ok_or(AuthError::UnknownCredential)?;
        let stored = self.record(&StoreKey::api_key(parsed.id)).await?;
        parsed.check(&stored, key)
    }

    /// The record of a credential: unknown is 401, a store that cannot answer 503.
    async fn record(&self, key: &StoreKey) -> Result<String, AuthError> {
        self.store()
            .get_record(key)
            .await
            .map_err(AuthError::StoreUnavailable)?
            .ok_or(AuthError::UnknownCredential)
    }

    /// Issues an API key with the subject, scope and claims of `token` (an auth token
    /// builder: [`auth_token`](Self::auth_token)), valid for `valid_for`. The store keeps
    /// its id and the digest of its secret; hand [`ApiKey::key`] to its owner once.
    ///
    /// ```
    /// # use auth_runtime::{Algorithm, AuthManager, Key};
    /// # use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let manager = AuthManager::builder().issuer("svc")
    /// #     .signing_key(Key::hmac(Algorithm::HS256, [7u8; 32])?).build()?;
    /// let key = manager
    ///     .issue_api_key(manager.auth_token("report-bot").scope(["reports:read"]), Duration::from_secs(86_400 * 365))
    ///     .await?;
    /// let token = manager.authenticate_api_key(key.key()).await?;
    /// assert_eq!((token.sub(), token.kid()), ("report-bot", Some(key.id())));
    /// manager.revoke_api_key(key.id()).await?;
    /// assert!(manager.authenticate_api_key(key.key()).await.is_err());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`SessionError::Issue`] for a builder that cannot be issued (a reserved claim, a
    /// refresh builder), [`SessionError::Refused`] with a 503 when the store cannot keep
    /// it.
    pub async fn issue_api_key(
        &self,
        token: TokenBuilder<'_>,
        valid_for: Duration,
    ) -> Result<ApiKey, SessionError> {
        if token.kind() != TokenKind::Auth {
            return Err(IssueError::InvalidScope("an API key takes an auth token builder").into());
        }
        let until = now().saturating_add(valid_for.as_secs());
        let issued = now();
        let mut claims = token.times(issued, until, None).claims_map()?;
        // An API key is revoked by removing its record, not by a token id.
        claims.remove("jti");
        let (key, digest) = ApiKeyText::generate()?;
        self.store()
            .put_record(
                &StoreKey::api_key(key.id()),
                &stored_api_key(&digest, claims),
                until,
            )
            .await
            .map_err(AuthError::StoreUnavailable)?;
        Ok(key)
    }

    /// Revokes the API key `id` on every instance sharing the store; whether it existed.
    ///
    /// # Errors
    ///
    /// [`SessionError::Refused`] with a 503 when the store cannot record it.
    pub async fn revoke_api_key(&self, id: &str) -> Result<bool, SessionError> {
        self.store()
            .remove_record(&StoreKey::api_key(id))
            .await
            .map_err(|e| AuthError::StoreUnavailable(e).into())
    }

    /// [`login`](Self::login) with opaque tokens: a new refresh family, and two random
    /// 256-bit tokens whose records (the claims `auth` describes) the store keeps under
    /// their digests. [`refresh`](Self::refresh) and [`logout`](Self::logout) take the
    /// [`CurrentToken`] of an opaque token as they take a JWT's; a refresh of an opaque
    /// pair also revokes the auth token of the pair it spends, so the old pair is
    /// refused from then on.
    ///
    /// ```
    /// # use auth_runtime::{Algorithm, AuthManager, Key, TokenKind};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let manager = AuthManager::builder().issuer("svc")
    /// #     .signing_key(Key::hmac(Algorithm::HS256, [7u8; 32])?).build()?;
    /// let pair = manager.login_opaque(manager.auth_token("1")).await?;
    /// let token = manager.authenticate_opaque(&pair.auth_token, TokenKind::Auth).await?;
    /// assert_eq!(token.sub(), "1");
    /// manager.logout(&token).await?;
    /// assert!(manager.authenticate_opaque(&pair.auth_token, TokenKind::Auth).await.is_err());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`login`](Self::login).
    pub async fn login_opaque(&self, auth: TokenBuilder<'_>) -> Result<TokenPair, SessionError> {
        self.start_opaque(auth, None).await
    }

    /// [`login_opaque`](Self::login_opaque) with tokens you already handed out: to move
    /// a database of existing opaque tokens over, or to load a development fixture. The
    /// store keeps their digests, as for tokens it minted.
    ///
    /// # Errors
    ///
    /// As [`login`](Self::login); [`SessionError::Issue`] for a token of a shape no route
    /// would accept (empty, longer than 512 bytes, a JWT).
    pub async fn import_opaque_pair(
        &self,
        auth: TokenBuilder<'_>,
        auth_token: &str,
        refresh_token: &str,
    ) -> Result<TokenPair, SessionError> {
        if !shaped_as_opaque(auth_token) || !shaped_as_opaque(refresh_token) {
            return Err(IssueError::InvalidScope("not the shape of an opaque token").into());
        }
        self.start_opaque(auth, Some((auth_token, refresh_token)))
            .await
    }

    async fn start_opaque(
        &self,
        auth: TokenBuilder<'_>,
        given: Option<(&str, &str)>,
    ) -> Result<TokenPair, SessionError> {
        if auth.kind() != TokenKind::Auth {
            return Err(IssueError::InvalidScope("login takes an auth token builder").into());
        }
        let family = new_id()?;
        let refresh_jti = new_id()?;
        self.begin_family(&family, &refresh_jti).await?;
        let refresh = self
            .refresh_token(auth.subject())
            .family(&family)
            .jti(&refresh_jti);
        let (auth_text, refresh_text) = match given {
            Some((a, r)) => (Some(a), Some(r)),
            None => (None, None),
        };
        self.put_opaque_pair(
            auth.fresh().family(&family),
            refresh,
            auth_text,
            refresh_text,
        )
        .await
    }

    /// Keeps an opaque pair: the refresh token's record names the auth token issued
    /// beside it ([`PAIRED_AUTH_CLAIM`]), so that spending the refresh token retires it.
    pub(super) async fn put_opaque_pair(
        &self,
        auth: TokenBuilder<'_>,
        refresh: TokenBuilder<'_>,
        auth_text: Option<&str>,
        refresh_text: Option<&str>,
    ) -> Result<TokenPair, SessionError> {
        let auth_jti = new_id()?;
        let refresh = refresh.claim(PAIRED_AUTH_CLAIM, &auth_jti);
        Ok(TokenPair {
            auth_token: self.put_opaque(auth.jti(&auth_jti), auth_text).await?,
            refresh_token: self.put_opaque(refresh, refresh_text).await?,
        })
    }

    /// After an opaque refresh token was spent: revokes the auth token issued beside it,
    /// so the whole old pair is refused (a database row of flask-stateless-auth holds
    /// both, and a refresh replaces the row).
    pub(super) async fn retire_paired_auth(
        &self,
        spent: &CurrentToken,
    ) -> Result<(), SessionError> {
        let Some(jti) = spent.claim(PAIRED_AUTH_CLAIM).and_then(|v| v.as_str()) else {
            return Ok(());
        };
        let until = now().saturating_add(self.inner.lifetimes.auth);
        self.store()
            .revoke(&StoreKey::token(jti), until)
            .await
            .map_err(|e| AuthError::StoreUnavailable(e).into())
    }

    /// Keeps the record `token` describes under the digest of `text` (a new random
    /// token when `None`), until it expires; the token's text.
    pub(super) async fn put_opaque(
        &self,
        token: TokenBuilder<'_>,
        text: Option<&str>,
    ) -> Result<String, SessionError> {
        let claims = token.claims_map()?;
        let until = claims
            .get("exp")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or_default();
        let text = match text {
            Some(text) => text.to_owned(),
            None => new_opaque_token()?,
        };
        let record = serde_json::Value::Object(claims).to_string();
        self.store()
            .put_record(&opaque_key(&text), &record, until)
            .await
            .map_err(AuthError::StoreUnavailable)?;
        Ok(text)
    }
}
