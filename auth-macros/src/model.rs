//! The typed model of one `#[require_token(...)]`: what parsing builds, validation
//! checks and expansion turns into a `'static` requirement. Spans are kept for errors.

use proc_macro2::Span;

/// Everything the attribute asked for.
pub(crate) struct Spec {
    pub(crate) kind: Kind,
    /// Where `kind = "..."` was written, if it was.
    pub(crate) kind_span: Option<Span>,
    pub(crate) fresh: Option<Span>,
    pub(crate) optional: Option<Span>,
    pub(crate) locations: Vec<Location>,
    /// Where `location = ...` was written, if it was.
    pub(crate) location_span: Option<Span>,
    /// `credential = ...`: what the route accepts; empty means a JWT.
    pub(crate) credentials: Vec<Credential>,
    /// Where `credential = ...` was written, if it was.
    pub(crate) credential_span: Option<Span>,
    pub(crate) bindings: Vec<Binding>,
    pub(crate) claims: Vec<Entry>,
    pub(crate) scope: Vec<Entry>,
    pub(crate) scope_names: Vec<String>,
    /// Where each of `scope_names` was written.
    pub(crate) scope_name_spans: Vec<Span>,
    /// Where `scope(...)` was written, if it was.
    pub(crate) scope_span: Option<Span>,
    pub(crate) overrides: Vec<Entry>,
    /// Where `override(...)` was written, if it was.
    pub(crate) override_span: Option<Span>,
    /// `crate = "path"`: where the runtime is, for users who rename the dependency.
    pub(crate) krate: Option<syn::Path>,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            kind: Kind::Auth,
            kind_span: None,
            fresh: None,
            optional: None,
            locations: Vec::new(),
            location_span: None,
            credentials: Vec::new(),
            credential_span: None,
            bindings: Vec::new(),
            claims: Vec::new(),
            scope: Vec::new(),
            scope_names: Vec::new(),
            scope_name_spans: Vec::new(),
            scope_span: None,
            overrides: Vec::new(),
            override_span: None,
            krate: None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Auth,
    Refresh,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Location {
    Header,
    Cookie,
    Query,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Credential {
    Jwt,
    Opaque,
    ApiKey,
}

/// `claim = "param"`.
pub(crate) struct Binding {
    pub(crate) claim: String,
    pub(crate) claim_span: Span,
    pub(crate) param: String,
}

/// `key = value` inside `claims(...)`, `scope(...)`, `override(...)` or a nested group.
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) value: Value,
    pub(crate) key_span: Span,
    /// The value's literal, or the key of a nested group.
    pub(crate) value_span: Span,
}

impl Entry {
    /// An entry written nowhere in particular (tests).
    #[cfg(test)]
    pub(crate) fn new(key: &str, value: Value) -> Self {
        Self {
            key: key.to_owned(),
            value,
            key_span: Span::call_site(),
            value_span: Span::call_site(),
        }
    }
}

#[derive(Debug, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    Array(Vec<Value>),
    Map(Vec<Entry>),
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {:?}", self.key, self.value)
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.value == other.value
    }
}
