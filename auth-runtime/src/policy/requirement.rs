//! What a route requires of its token, as plain `'static` data.
//!
//! `#[require_token(...)]` expands to one `const` [`Requirement`]; code that does not use
//! the macro builds the same thing by hand with the `const fn` builders and puts a
//! [`Guard`](crate::Guard) in front of its handler:
//!
//! ```
//! use auth_runtime::requirement::{Entry, Expected, PathBinding, Requirement};
//! use auth_runtime::RequirementSpec;
//!
//! /// `#[require_token(sub = "username", scope(admin = true), override(admin = true))]`, by hand.
//! struct OwnProfile;
//! impl RequirementSpec for OwnProfile {
//!     const REQUIREMENT: &'static Requirement = &Requirement::new()
//!         .bindings(&[PathBinding::new("sub", "username")])
//!         .scope(&[Entry::new("admin", Expected::Bool(true))])
//!         .overrides(&[Entry::new("admin", Expected::Bool(true))]);
//! }
//! ```

use crate::token::{Credential, TokenKind, TokenLocation};

/// Everything a route requires of its token, checked in the order of the README's
/// decision table: credential and location, verification, kind, freshness, overrides,
/// path bindings and claims, scope.
#[derive(Debug, Clone, Copy)]
pub struct Requirement {
    pub(crate) kind: TokenKind,
    pub(crate) fresh: bool,
    pub(crate) optional: bool,
    pub(crate) locations: &'static [TokenLocation],
    pub(crate) credentials: &'static [Credential],
    pub(crate) bindings: &'static [PathBinding],
    pub(crate) claims: &'static [Entry],
    pub(crate) scope: &'static [Entry],
    pub(crate) scope_names: &'static [&'static str],
    pub(crate) overrides: &'static [Entry],
}

impl Default for Requirement {
    fn default() -> Self {
        Self::new()
    }
}

impl Requirement {
    /// Any valid auth token, read from the manager's default locations.
    pub const fn new() -> Self {
        Self {
            kind: TokenKind::Auth,
            fresh: false,
            optional: false,
            locations: &[],
            credentials: &[],
            bindings: &[],
            claims: &[],
            scope: &[],
            scope_names: &[],
            overrides: &[],
        }
    }

    /// Requires this kind of token (`kind = "refresh"`).
    pub const fn kind(mut self, kind: TokenKind) -> Self {
        self.kind = kind;
        self
    }

    /// Requires a fresh token, minted at login (`fresh`).
    pub const fn fresh(mut self) -> Self {
        self.fresh = true;
        self
    }

    /// Lets requests without a token through (`optional`); a present but bad token is
    /// still refused.
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Reads the token from these locations instead of the manager's defaults
    /// (`location = "cookie"`).
    pub const fn locations(mut self, locations: &'static [TokenLocation]) -> Self {
        self.locations = locations;
        self
    }

    /// Accepts these credentials instead of a JWT (`credential = ["api_key", "jwt"]`).
    pub const fn credentials(mut self, credentials: &'static [Credential]) -> Self {
        self.credentials = credentials;
        self
    }

    /// The credentials the route accepts: a JWT unless it names others.
    pub const fn accepted_credentials(&self) -> &'static [Credential] {
        if self.credentials.is_empty() {
            &[Credential::Jwt]
        } else {
            self.credentials
        }
    }

    /// Whether the route accepts `credential`.
    pub const fn accepts(&self, credential: Credential) -> bool {
        let accepted = self.accepted_credentials();
        let mut i = 0;
        while i < accepted.len() {
            if accepted[i] as u8 == credential as u8 {
                return true;
            }
            i += 1;
        }
        false
    }

    /// Binds claims to path parameters (`sub = "username"`).
    pub const fn bindings(mut self, bindings: &'static [PathBinding]) -> Self {
        self.bindings = bindings;
        self
    }

    /// Literal claim requirements (`claims(custom_claim = "value")`).
    pub const fn claims(mut self, claims: &'static [Entry]) -> Self {
        self.claims = claims;
        self
    }

    /// Entries required in the token's `scope` map (`scope(admin = true)`).
    pub const fn scope(mut self, scope: &'static [Entry]) -> Self {
        self.scope = scope;
        self
    }

    /// Scope names required (`scope("users:read")`).
    pub const fn scope_names(mut self, names: &'static [&'static str]) -> Self {
        self.scope_names = names;
        self
    }

    /// Entries that, when all hold, waive the bindings, claims and scope
    /// (`override(admin = true)`).
    pub const fn overrides(mut self, overrides: &'static [Entry]) -> Self {
        self.overrides = overrides;
        self
    }

    /// The token kind required.
    pub const fn token_kind(&self) -> TokenKind {
        self.kind
    }

    /// Whether a fresh token is required.
    pub const fn requires_fresh(&self) -> bool {
        self.fresh
    }

    /// Whether requests without a token are let through.
    pub const fn is_optional(&self) -> bool {
        self.optional
    }
}

/// A claim bound to a path parameter: `sub = "username"` is
/// `PathBinding::new("sub", "username")`.
#[derive(Debug, Clone, Copy)]
pub struct PathBinding {
    pub(crate) claim: &'static str,
    pub(crate) param: &'static str,
}

impl PathBinding {
    /// Requires the top-level claim `claim` to match the route's path parameter `param`.
    pub const fn new(claim: &'static str, param: &'static str) -> Self {
        Self { claim, param }
    }
}

/// One `key = value` requirement inside `claims(...)`, `scope(...)` or `override(...)`.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub(crate) key: &'static str,
    pub(crate) value: Expected,
}

impl Entry {
    /// The requirement `key = value`.
    pub const fn new(key: &'static str, value: Expected) -> Self {
        Self { key, value }
    }
}

/// A required value. Matched against the token's JSON with the rules in
/// [`matching`](crate::matching).
#[derive(Debug, Clone, Copy)]
pub enum Expected {
    /// A string literal: equals a JSON string byte for byte, or is an element of an array.
    String(&'static str),
    /// An integer literal: equals a JSON integer (never `true`, `"5"` or `5.0`), or is an
    /// element of an array.
    Integer(i64),
    /// A bool literal: equals a JSON bool (never `1`), or is an element of an array.
    Bool(bool),
    /// `[a, b]`: every element is present in the token's array.
    Array(&'static [Expected]),
    /// `group(k = v, ...)`: every entry holds in the token's object, recursively.
    Map(&'static [Entry]),
}
