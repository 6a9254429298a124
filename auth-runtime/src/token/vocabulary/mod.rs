//! The vocabulary: the scope names an application grants and the custom claims its tokens
//! carry, declared once with [`vocabulary!`](crate::vocabulary).
//!
//! Routes check their `#[require_token(...)]` names against the vocabulary in scope at
//! compile time ([`check`], through the attribute's expansion); issuing checks a token
//! against it when asked to ([`TokenBuilder::vocabulary`](crate::TokenBuilder::vocabulary)).

pub(crate) mod check;
pub(crate) mod text;

use std::fmt;

use serde_json::Value;

/// The names an application's tokens use: the scopes it grants and its custom claims, with
/// their JSON types. Declare it with [`vocabulary!`](crate::vocabulary); the `const fn`
/// constructors build the same value by hand.
///
/// ```
/// use auth_runtime::{Claim, ClaimType, Vocabulary};
///
/// const VOCABULARY: Vocabulary = Vocabulary::new(
///     &["users:read", "users:write"],
///     &[Claim::new("tenant", ClaimType::String), Claim::new("level", ClaimType::Integer)],
/// );
/// assert!(VOCABULARY.has_scope("users:read"));
/// assert_eq!(VOCABULARY.claim("level"), Some(&ClaimType::Integer));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vocabulary {
    scopes: &'static [&'static str],
    claims: &'static [Claim],
}

/// A custom claim of a [`Vocabulary`]: its name and JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    name: &'static str,
    ty: ClaimType,
}

/// The JSON type of a declared claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimType {
    /// A JSON string (`String` in `vocabulary!`).
    String,
    /// A JSON integer (`i64`, `u32`... in `vocabulary!`).
    Integer,
    /// A JSON number that may have a fraction (`f64`, `f32`): no literal of the attribute
    /// ever equals one, so routes cannot require it.
    Number,
    /// A JSON bool (`bool`).
    Bool,
    /// A JSON array of one type (`[T]` or `Vec<T>`).
    Array(&'static ClaimType),
    /// A JSON object with these keys (`{ key: T, ... }`).
    Map(&'static [Claim]),
    /// Any JSON value, not checked further (`Json` or `serde_json::Value`).
    Any,
}

impl Vocabulary {
    /// A vocabulary of these scope names and claims.
    pub const fn new(scopes: &'static [&'static str], claims: &'static [Claim]) -> Self {
        Self { scopes, claims }
    }

    /// The scope names, as declared.
    pub const fn scopes(&self) -> &'static [&'static str] {
        self.scopes
    }

    /// The custom claims, as declared.
    pub const fn claims(&self) -> &'static [Claim] {
        self.claims
    }

    /// Whether `name` is a declared scope.
    pub fn has_scope(&self, name: &str) -> bool {
        self.scopes.contains(&name)
    }

    /// The declared type of the custom claim `name`.
    pub fn claim(&self, name: &str) -> Option<&'static ClaimType> {
        find(self.claims, name)
    }

    /// Checks a `scope` claim: every name of a space-delimited string, of an array, or
    /// every key of a map must be declared.
    pub fn check_scope(&self, scope: &Value) -> Result<(), VocabularyError> {
        let unknown = |name: &str| VocabularyError::UnknownScope {
            name: name.to_owned(),
            suggestion: text::closest(name, self.scopes),
        };
        match scope {
            Value::String(names) => match names.split(' ').find(|n| !self.has_scope(n)) {
                Some(name) if !name.is_empty() => Err(unknown(name)),
                _ => Ok(()),
            },
            Value::Array(items) => items.iter().try_for_each(|item| match item.as_str() {
                Some(name) if self.has_scope(name) => Ok(()),
                Some(name) => Err(unknown(name)),
                None => Err(unknown(&item.to_string())),
            }),
            Value::Object(map) => map
                .keys()
                .find(|k| !self.has_scope(k))
                .map_or(Ok(()), |name| Err(unknown(name))),
            _ => Ok(()),
        }
    }

    /// Checks a custom claim: declared, and its value of the declared type (maps key by
    /// key, arrays element by element).
    pub fn check_claim(&self, name: &str, value: &Value) -> Result<(), VocabularyError> {
        check_value(self.claims, name, name.to_owned(), value)
    }
}

fn find(claims: &'static [Claim], name: &str) -> Option<&'static ClaimType> {
    claims.iter().find(|c| c.name == name).map(|c| &c.ty)
}

fn check_value(
    claims: &'static [Claim],
    name: &str,
    path: String,
    value: &Value,
) -> Result<(), VocabularyError> {
    let Some(ty) = find(claims, name) else {
        let names: Vec<&str> = claims.iter().map(|c| c.name).collect();
        return Err(VocabularyError::UnknownClaim {
            suggestion: text::closest(name, &names),
            path,
        });
    };
    check_type(ty, path, value)
}

fn check_type(ty: &'static ClaimType, path: String, value: &Value) -> Result<(), VocabularyError> {
    let fits = match (ty, value) {
        (ClaimType::Any, _)
        | (ClaimType::String, Value::String(_))
        | (ClaimType::Bool, Value::Bool(_))
        | (ClaimType::Number, Value::Number(_)) => true,
        (ClaimType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (ClaimType::Array(item), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                check_type(item, format!("{path}[{i}]"), v)?;
            }
            true
        }
        (ClaimType::Map(fields), Value::Object(map)) => {
            for (k, v) in map {
                check_value(fields, k, format!("{path}.{k}"), v)?;
            }
            true
        }
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(VocabularyError::WrongType {
            path,
            expected: *ty,
            found: json_kind(value),
        })
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(n) if n.is_f64() => "a number with a fraction",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a map",
    }
}

impl Claim {
    /// A claim named `name` of type `ty`.
    pub const fn new(name: &'static str, ty: ClaimType) -> Self {
        Self { name, ty }
    }

    /// The claim's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The claim's JSON type.
    pub const fn ty(&self) -> &ClaimType {
        &self.ty
    }
}

impl fmt::Display for ClaimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(text::type_name(self))?;
        if let Self::Array(item) = self {
            f.write_str(text::item_name(item))?;
        }
        Ok(())
    }
}

/// Why a token does not fit the vocabulary it was issued with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VocabularyError {
    /// A scope name the vocabulary does not declare.
    UnknownScope {
        /// The name given.
        name: String,
        /// The declared name closest to it, if one is a likely typo.
        suggestion: Option<&'static str>,
    },
    /// A custom claim, or a key of a claim's map, the vocabulary does not declare.
    UnknownClaim {
        /// Where it stands: `tenant`, or `org.idd` inside a map.
        path: String,
        /// The declared name closest to it, if one is a likely typo.
        suggestion: Option<&'static str>,
    },
    /// A claim whose value is not of its declared type.
    WrongType {
        /// Where it stands: `level`, `org.id`, or `roles[1]` inside an array.
        path: String,
        /// The declared type.
        expected: ClaimType,
        /// What the value is (`"a string"`, `"null"`...).
        found: &'static str,
    },
}

impl fmt::Display for VocabularyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hint = |s: &Option<&str>, quote: bool| match (s, quote) {
            (Some(s), true) => format!(" (did you mean `{s:?}`?)"),
            (Some(s), false) => format!(" (did you mean `{s}`?)"),
            (None, _) => String::new(),
        };
        match self {
            Self::UnknownScope { name, suggestion } => write!(
                f,
                "scope `{name:?}` is not in the vocabulary{}",
                hint(suggestion, true)
            ),
            Self::UnknownClaim { path, suggestion } => write!(
                f,
                "claim `{path}` is not in the vocabulary{}",
                hint(suggestion, false)
            ),
            Self::WrongType {
                path,
                expected,
                found,
            } => write!(
                f,
                "claim `{path}` is {expected} in the vocabulary, not {found}"
            ),
        }
    }
}

impl std::error::Error for VocabularyError {}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ORG: &[Claim] = &[Claim::new("id", ClaimType::Integer)];
    const VOCABULARY: Vocabulary = Vocabulary::new(
        &["users:read", "users:write"],
        &[
            Claim::new("tenant", ClaimType::String),
            Claim::new("roles", ClaimType::Array(&ClaimType::String)),
            Claim::new("org", ClaimType::Map(ORG)),
            Claim::new("extra", ClaimType::Any),
        ],
    );

    #[test]
    fn scopes_are_checked_in_every_form() {
        assert!(
            VOCABULARY
                .check_scope(&json!("users:read users:write"))
                .is_ok()
        );
        assert!(VOCABULARY.check_scope(&json!(["users:read"])).is_ok());
        assert!(
            VOCABULARY
                .check_scope(&json!({"users:write": true}))
                .is_ok()
        );
        let e = VOCABULARY.check_scope(&json!("users:raed")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "scope `\"users:raed\"` is not in the vocabulary (did you mean `\"users:read\"`?)"
        );
        assert!(VOCABULARY.check_scope(&json!([1])).is_err());
        assert!(VOCABULARY.check_scope(&json!({"admin": true})).is_err());
    }

    #[test]
    fn claims_are_checked_by_name_and_type_all_the_way_down() {
        assert!(VOCABULARY.check_claim("tenant", &json!("t1")).is_ok());
        assert!(VOCABULARY.check_claim("org", &json!({"id": 7})).is_ok());
        assert!(
            VOCABULARY
                .check_claim("extra", &json!([{"x": null}]))
                .is_ok()
        );
        let e = VOCABULARY.check_claim("tenat", &json!("t1")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "claim `tenat` is not in the vocabulary (did you mean `tenant`?)"
        );
        let e = VOCABULARY
            .check_claim("org", &json!({"idd": 7}))
            .unwrap_err();
        assert!(
            matches!(e, VocabularyError::UnknownClaim { ref path, suggestion: Some("id") } if path == "org.idd")
        );
        let e = VOCABULARY
            .check_claim("org", &json!({"id": "7"}))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "claim `org.id` is an integer in the vocabulary, not a string"
        );
        let e = VOCABULARY
            .check_claim("roles", &json!(["a", 2]))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "claim `roles[1]` is a string in the vocabulary, not an integer"
        );
        let e = VOCABULARY.check_claim("roles", &json!("a")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "claim `roles` is an array of strings in the vocabulary, not a string"
        );
    }
}
