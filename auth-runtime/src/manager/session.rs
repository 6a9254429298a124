//! Sessions: a login starts a refresh family, a refresh spends the presented refresh token
//! and returns a new pair (rotation with reuse detection, RFC 9700 §4.14), a logout
//! revokes the login's family. Each step is recorded in the store before anything is
//! signed, so nothing is minted or claimed that the store did not record.

use std::fmt;

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

use super::AuthManager;
use crate::{
    error::AuthError,
    store::{Rotation, StoreKey, now},
    token::{Credential, CurrentToken, IssueError, TokenBuilder, TokenKind, new_id},
};

/// The tokens of one login or refresh: serialises as `{"auth_token", "refresh_token"}`.
#[derive(Clone, Serialize)]
pub struct TokenPair {
    /// The auth token, for every request.
    pub auth_token: String,
    /// The refresh token, only for the refresh route.
    pub refresh_token: String,
}

impl fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Tokens are secrets: never print them.
        f.debug_struct("TokenPair").finish_non_exhaustive()
    }
}

/// Why a login, refresh or logout did not happen.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionError {
    /// The presented token cannot do this (revoked, a refresh token already spent, not a
    /// refresh token, no family), or the store is down (503). Answered as the
    /// [`AuthError`] says.
    Refused(AuthError),
    /// The token could not be signed (no signing key, no randomness). A server fault:
    /// 500.
    Issue(IssueError),
    /// The auth token handed to [`AuthManager::refresh`] is for another subject than the
    /// refresh token. A bug in the application: 500.
    SubjectMismatch,
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(e) => write!(f, "refused: {e}"),
            Self::Issue(e) => write!(f, "cannot issue: {e}"),
            Self::SubjectMismatch => f.write_str(
                "the new auth token's subject differs from the refresh token's: build it with \
                 `manager.auth_token(refresh.sub())`",
            ),
        }
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Refused(e) => Some(e),
            Self::Issue(e) => Some(e),
            Self::SubjectMismatch => None,
        }
    }
}

impl From<AuthError> for SessionError {
    fn from(error: AuthError) -> Self {
        Self::Refused(error)
    }
}

impl From<IssueError> for SessionError {
    fn from(error: IssueError) -> Self {
        Self::Issue(error)
    }
}

/// A refusal answers as its [`AuthError`] does (401, or 503 with `Retry-After`); a fault
/// answers 500 `server_error` and is logged at `error`.
impl IntoResponse for SessionError {
    fn into_response(self) -> Response {
        match self {
            Self::Refused(error) => {
                if error.is_server_fault() {
                    tracing::error!(%error, "session step refused by a server-side fault");
                }
                error.into_response()
            }
            fault => {
                tracing::error!(error = %fault, "session step failed");
                let body = serde_json::json!({
                    "error": "server_error",
                    "message": "internal server error",
                });
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
        }
    }
}

impl AuthManager {
    /// Logs a user in: starts a refresh family in the store, then signs `auth` (made
    /// fresh, in the family) and a refresh token of the family.
    ///
    /// ```
    /// # use auth_runtime::{Algorithm, AuthManager, Key};
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// # let manager = AuthManager::builder().issuer("svc")
    /// #     .signing_key(Key::hmac(Algorithm::HS256, [7u8; 32])?).build()?;
    /// let pair = manager.login(manager.auth_token("alice").scope(["users:read"])).await?;
    /// let refresh = manager.authenticate(&pair.refresh_token).await?;
    /// let next = manager.refresh(&refresh, manager.auth_token("alice")).await?;
    /// manager.logout(&manager.authenticate(&next.auth_token).await?).await?;
    /// assert!(manager.authenticate(&next.refresh_token).await.is_err());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`SessionError::Refused`] with [`AuthError::StoreUnavailable`] when the store
    /// cannot record the family (nothing is signed then), [`SessionError::Issue`] when
    /// signing fails.
    pub async fn login(&self, auth: TokenBuilder<'_>) -> Result<TokenPair, SessionError> {
        if auth.kind() != TokenKind::Auth {
            return Err(IssueError::InvalidScope("login takes an auth token builder").into());
        }
        let family = new_id()?;
        let refresh_jti = new_id()?;
        self.begin_family(&family, &refresh_jti).await?;
        let refresh_token = self
            .refresh_token(auth.subject())
            .family(&family)
            .jti(&refresh_jti)
            .sign()?;
        let auth_token = auth.fresh().family(&family).sign()?;
        Ok(TokenPair {
            auth_token,
            refresh_token,
        })
    }

    /// Spends the refresh token `presented` (as a refresh route's guard verified it) and
    /// returns a new pair: `auth` for the same subject (its scope and claims as the
    /// application decides now), and the family's next refresh token.
    ///
    /// Presented again within the grace window
    /// ([`refresh_grace`](crate::AuthManagerBuilder::refresh_grace)), a spent token gets
    /// the same successor; after it, the whole family is revoked, auth tokens included,
    /// and the request is refused.
    ///
    /// # Errors
    ///
    /// [`SessionError::Refused`] with [`AuthError::Revoked`] for a reuse or an unknown
    /// family, [`AuthError::InvalidClaim`] for a refresh token that belongs to no family
    /// or is not a refresh token, [`AuthError::StoreUnavailable`] when the store cannot
    /// record the rotation (nothing is signed then); [`SessionError::SubjectMismatch`] and
    /// [`SessionError::Issue`] for faults.
    pub async fn refresh(
        &self,
        presented: &CurrentToken,
        auth: TokenBuilder<'_>,
    ) -> Result<TokenPair, SessionError> {
        if presented.kind() != TokenKind::Refresh {
            return Err(AuthError::WrongKind {
                expected: TokenKind::Refresh,
                found: presented.kind(),
            }
            .into());
        }
        let (Some(jti), Some(family)) = (presented.jti(), presented.family()) else {
            return Err(AuthError::InvalidClaim { claim: "fam" }.into());
        };
        if auth.subject() != presented.sub() {
            return Err(SessionError::SubjectMismatch);
        }
        let next = new_id()?;
        let rotation = self
            .store()
            .rotate(
                &StoreKey::family(family),
                &StoreKey::token(jti),
                &StoreKey::token(&next),
                self.inner.refresh_grace,
            )
            .await
            .map_err(AuthError::StoreUnavailable)?;
        let successor = match rotation {
            Rotation::Rotated { successor } => successor,
            Rotation::Reused => {
                tracing::warn!(
                    subject = presented.sub(),
                    "a spent refresh token was presented again: its family is revoked"
                );
                return Err(AuthError::Revoked.into());
            }
            _ => return Err(AuthError::Revoked.into()),
        };
        let Some(successor) = successor.jti() else {
            return Err(
                AuthError::StoreUnavailable(crate::store::StoreError::Corrupt(
                    "a family's current token id".to_owned(),
                ))
                .into(),
            );
        };
        let refresh = self
            .refresh_token(presented.sub())
            .family(family)
            .jti(successor);
        let auth = auth.family(family);
        // A refresh keeps the form of the login: JWTs, or opaque tokens in the store.
        if presented.credential() == Credential::Opaque {
            self.retire_paired_auth(presented).await?;
            return self.put_opaque_pair(auth, refresh, None, None).await;
        }
        Ok(TokenPair {
            auth_token: auth.sign()?,
            refresh_token: refresh.sign()?,
        })
    }

    /// Starts refresh family `family` in the store, its current refresh token
    /// `refresh_jti`; nothing is issued when the store cannot record it.
    pub(super) async fn begin_family(
        &self,
        family: &str,
        refresh_jti: &str,
    ) -> Result<(), SessionError> {
        let until = now().saturating_add(self.inner.lifetimes.refresh);
        self.store()
            .begin_family(
                &StoreKey::family(family),
                &StoreKey::token(refresh_jti),
                until,
            )
            .await
            .map_err(|e| AuthError::StoreUnavailable(e).into())
    }

    /// Ends the login `token` belongs to: revokes the token and its refresh family, so
    /// every auth and refresh token of that login is refused on every instance sharing
    /// the store. Other logins of the same user keep working.
    ///
    /// # Errors
    ///
    /// [`SessionError::Refused`] with [`AuthError::StoreUnavailable`] when the store
    /// cannot record it (the logout did not happen), or [`AuthError::InvalidClaim`] for a
    /// token that carries neither `jti` nor `fam` and so cannot be revoked.
    pub async fn logout(&self, token: &CurrentToken) -> Result<(), SessionError> {
        if token.jti().is_none() && token.family().is_none() {
            return Err(AuthError::InvalidClaim { claim: "jti" }.into());
        }
        if let Some(jti) = token.jti() {
            self.revoke_until(&StoreKey::token(jti), token.expires_at())
                .await?;
        }
        if let Some(family) = token.family() {
            // A family's tokens live at most a refresh token's lifetime from its last
            // rotation, and an auth token's lifetime after that.
            let lifetimes = self.inner.lifetimes;
            let end = now().saturating_add(lifetimes.refresh.max(lifetimes.auth));
            self.revoke_until(&StoreKey::family(family), end).await?;
        }
        Ok(())
    }

    /// Revokes `token` alone (its `jti`), until it expires; other tokens of its login keep
    /// working.
    ///
    /// # Errors
    ///
    /// As [`logout`](Self::logout).
    pub async fn revoke(&self, token: &CurrentToken) -> Result<(), SessionError> {
        let Some(jti) = token.jti() else {
            return Err(AuthError::InvalidClaim { claim: "jti" }.into());
        };
        self.revoke_until(&StoreKey::token(jti), token.expires_at())
            .await
    }

    async fn revoke_until(&self, key: &StoreKey, until: u64) -> Result<(), SessionError> {
        self.store()
            .revoke(key, until)
            .await
            .map_err(|e| AuthError::StoreUnavailable(e).into())
    }
}
