//! The compile-time side: what `#[require_token(...)]` expands to for each name it uses.
//!
//! The attribute emits, spanned at each scope name, claim key, nested key, bound claim and
//! value, a `const _: () = { ... };` that calls one of these `const fn`s with the
//! vocabulary in scope ([`InScope`]) and panics with the message it returns, so constant
//! evaluation fails on the literal to change. Without a vocabulary in scope the
//! expansion finds [`NONE`] and every check passes.

use super::{
    Claim, ClaimType, Vocabulary,
    text::{Message, closest, contains, eq, item_name, type_name},
};

/// The vocabulary a module's routes are checked against, under the fixed name the
/// attribute's expansion looks up (`__AUTH_VOCABULARY`).
#[derive(Clone, Copy)]
pub struct InScope(Option<&'static Vocabulary>);

impl InScope {
    /// Routes in scope of this item are checked against `vocabulary`.
    pub const fn new(vocabulary: &'static Vocabulary) -> Self {
        Self(Some(vocabulary))
    }
}

/// No vocabulary: nothing is checked.
pub const NONE: InScope = InScope(None);

/// What a literal in the attribute is.
pub enum Found {
    /// `"..."`
    Str,
    /// `42`
    Int,
    /// `true`
    Bool,
    /// `[...]`, with what each element is.
    Array(&'static [Found]),
    /// A group `name(...)`.
    Map,
}

/// Which group a key stands in.
#[derive(Clone, Copy)]
pub enum Group {
    /// `claims(...)`: top-level claims.
    Claims,
    /// `scope(...)`: keys of the `scope` map.
    Scope,
    /// `override(...)`: a top-level claim or a key of the `scope` map.
    Override,
}

/// `scope("name")`: a declared scope.
pub const fn scope(v: &InScope, name: &str) -> Option<Message> {
    let Some(v) = v.0 else { return None };
    if contains(v.scopes, name) {
        return None;
    }
    Some(unknown_scope(v, name))
}

/// A key of `claims(...)`, `scope(...)` or `override(...)`, nested ones included: `path`
/// ends with the key.
pub const fn key(v: &InScope, group: Group, path: &[&str]) -> Option<Message> {
    let Some(v) = v.0 else { return None };
    let top = path[0];
    match group {
        Group::Scope if path.len() == 1 && !contains(v.scopes, top) => Some(unknown_scope(v, top)),
        Group::Scope => None,
        Group::Override if contains(v.scopes, top) => None,
        Group::Override if path.len() == 1 && find(v.claims, top).is_none() => Some(
            Message::new()
                .push("unknown claim or scope ")
                .name(top, false)
                .push(" in `override(...)`; the vocabulary declares claims ")
                .claims(v.claims)
                .push(" and scopes ")
                .names(v.scopes, true)
                .either_hint(top, v.claims, v.scopes),
        ),
        Group::Override | Group::Claims => match lookup(v.claims, path) {
            Lookup::Unknown { at, siblings } if at + 1 == path.len() => {
                let m = if at == 0 {
                    Message::new().push("unknown claim ").name(top, false)
                } else {
                    Message::new()
                        .push("unknown key ")
                        .name(path[at], false)
                        .push(" in claim `")
                        .path(path, at)
                        .push("`")
                };
                Some(
                    m.push("; the vocabulary declares ")
                        .claims(siblings)
                        .claim_hint(path[at], siblings),
                )
            }
            _ => None,
        },
    }
}

/// The value of a key: of the declared type, by the matching rules (a scalar may stand
/// for an element of an array claim).
pub const fn value(v: &InScope, group: Group, path: &[&str], found: &Found) -> Option<Message> {
    let Some(v) = v.0 else { return None };
    match group {
        Group::Scope => return None,
        Group::Override if contains(v.scopes, path[0]) => return None,
        Group::Override | Group::Claims => {}
    }
    let Lookup::Type(ty) = lookup(v.claims, path) else {
        return None;
    };
    let m = Message::new()
        .push("claim `")
        .path(path, path.len())
        .push("` is ")
        .push(type_name(ty))
        .push(item_name_of(ty))
        .push(" in the vocabulary");
    if let ClaimType::Number = ty {
        return Some(m.push(
            "; no literal of the attribute equals a number with a fraction, so a route cannot \
             require it",
        ));
    }
    match (ty, found) {
        (ClaimType::Any, _) | (ClaimType::Map(_), Found::Map) => None,
        (ClaimType::Array(item), Found::Array(items)) => {
            let mut i = 0;
            while i < items.len() {
                if !scalar_fits(item, &items[i]) {
                    return Some(m.push("; this array holds ").push(found_name(&items[i])));
                }
                i += 1;
            }
            None
        }
        (ClaimType::Array(item), scalar) if scalar_fits(item, scalar) => None,
        (ty, scalar) if scalar_fits(ty, scalar) => None,
        _ => Some(m.push("; this value is ").push(found_name(found))),
    }
}

/// `claim = "param"`: `sub`, or a declared claim a path segment can equal.
pub const fn binding(v: &InScope, claim: &str) -> Option<Message> {
    let Some(v) = v.0 else { return None };
    if eq(claim, "sub") {
        return None;
    }
    let Some(ty) = find(v.claims, claim) else {
        return Some(
            Message::new()
                .push("unknown claim ")
                .name(claim, false)
                .push(" in a path binding; the vocabulary declares ")
                .claims(v.claims)
                .claim_hint(claim, v.claims),
        );
    };
    let bindable = match ty {
        ClaimType::Array(item) => matches!(item, ClaimType::String | ClaimType::Integer),
        _ => matches!(ty, ClaimType::String | ClaimType::Integer | ClaimType::Any),
    };
    if bindable {
        return None;
    }
    Some(
        Message::new()
            .push("claim ")
            .name(claim, false)
            .push(" is ")
            .push(type_name(ty))
            .push(item_name_of(ty))
            .push(
                " in the vocabulary; a path binding compares a claim with a path segment, \
                 which only a string or an integer claim (or an array of them) can equal",
            ),
    )
}

/// The first 64 claim names (suggestions look no further).
const fn claim_names(claims: &[Claim]) -> ([&str; 64], usize) {
    let mut names = [""; 64];
    let mut i = 0;
    while i < claims.len() && i < names.len() {
        names[i] = claims[i].name;
        i += 1;
    }
    (names, i)
}

const fn unknown_scope(v: &Vocabulary, name: &str) -> Message {
    Message::new()
        .push("unknown scope ")
        .name(name, true)
        .push("; the vocabulary declares ")
        .names(v.scopes, true)
        .hint(name, v.scopes, true)
}

enum Lookup {
    Type(&'static ClaimType),
    Unknown {
        at: usize,
        siblings: &'static [Claim],
    },
    /// A key below a claim that is not a map, or below an `Any`: reported on the claim
    /// itself, or not at all.
    Elsewhere,
}

const fn find(claims: &'static [Claim], name: &str) -> Option<&'static ClaimType> {
    let mut i = 0;
    while i < claims.len() {
        if eq(claims[i].name, name) {
            return Some(&claims[i].ty);
        }
        i += 1;
    }
    None
}

const fn lookup(claims: &'static [Claim], path: &[&str]) -> Lookup {
    let mut fields = claims;
    let mut at = 0;
    loop {
        let Some(ty) = find(fields, path[at]) else {
            return Lookup::Unknown {
                at,
                siblings: fields,
            };
        };
        if at + 1 == path.len() {
            return Lookup::Type(ty);
        }
        match ty {
            ClaimType::Map(inner) => fields = inner,
            _ => return Lookup::Elsewhere,
        }
        at += 1;
    }
}

const fn scalar_fits(ty: &ClaimType, found: &Found) -> bool {
    matches!(
        (ty, found),
        (ClaimType::Any, Found::Str | Found::Int | Found::Bool)
            | (ClaimType::String, Found::Str)
            | (ClaimType::Integer, Found::Int)
            | (ClaimType::Bool, Found::Bool)
    )
}

const fn item_name_of(ty: &ClaimType) -> &'static str {
    match ty {
        ClaimType::Array(item) => item_name(item),
        _ => "",
    }
}

const fn found_name(found: &Found) -> &'static str {
    match found {
        Found::Str => "a string",
        Found::Int => "an integer",
        Found::Bool => "a bool",
        Found::Array(_) => "an array",
        Found::Map => "a map",
    }
}

impl Message {
    /// Appends the names of `claims`.
    const fn claims(mut self, claims: &[Claim]) -> Self {
        if claims.is_empty() {
            return self.push("no claims");
        }
        let mut i = 0;
        while i < claims.len() {
            if i > 0 {
                self = self.push(", ");
            }
            self = self.name(claims[i].name, false);
            i += 1;
        }
        self
    }

    /// Appends ` (did you mean ...?)` for the closest of `claims`' names.
    const fn claim_hint(self, input: &str, claims: &[Claim]) -> Self {
        let (names, len) = claim_names(claims);
        self.hint(input, names.split_at(len).0, false)
    }

    /// Appends ` (did you mean ...?)` for the closest claim, or else the closest scope.
    const fn either_hint(self, input: &str, claims: &[Claim], scopes: &[&str]) -> Self {
        let (names, len) = claim_names(claims);
        if closest(input, names.split_at(len).0).is_some() {
            self.hint(input, names.split_at(len).0, false)
        } else {
            self.hint(input, scopes, true)
        }
    }

    /// Appends `path[0].path[1]...path[end - 1]`.
    const fn path(mut self, path: &[&str], end: usize) -> Self {
        let mut i = 0;
        while i < end {
            if i > 0 {
                self = self.push(".");
            }
            self = self.push(path[i]);
            i += 1;
        }
        self
    }
}
