//! The matching algebra: one set of rules for `claims(...)`, `scope(...)`, `override(...)`
//! and path bindings.
//!
//! | requirement | token value | holds when |
//! |---|---|---|
//! | map `g(k = v, ..)` | object | **every** listed key is present and matches, recursively |
//! | array `[a, b]` | array | every required element is present (subset) |
//! | scalar | array | the array contains it |
//! | scalar | scalar | strict JSON equality: `true` is not `1`, `"5"` is not `5` |
//! | path parameter | string | the percent-decoded segment equals it byte for byte |
//! | path parameter | integer | the segment is its canonical decimal form (`42`, not `042`) |
//! | path parameter | array | an element matches |
//! | scope name | `scope` | a space-delimited string containing it, an array containing it, or a map where it is `true` |
//! | `override(k = v)` | claims | `k = v` holds as a top-level claim **or** inside the `scope` map |
//!
//! Anything else does not match. Unlike Flask_PyJWT, a nested map never stops the check
//! early: `{"a": {"x": 1}, "b": 2}` is not satisfied by `{"a": {"x": 1}, "b": 999}`.

use serde_json::{Map, Value};

use super::requirement::{Entry, Expected};

/// Whether the token's `actual` value satisfies `expected`.
pub fn matches(expected: &Expected, actual: &Value) -> bool {
    match (expected, actual) {
        (Expected::Map(entries), Value::Object(object)) => entries_hold(entries, object),
        (Expected::Map(_), _) => false,
        (Expected::Array(required), Value::Array(items)) => required
            .iter()
            .all(|r| items.iter().any(|item| element_matches(r, item))),
        (Expected::Array(_), _) => false,
        (scalar, Value::Array(items)) => items.iter().any(|item| scalar_eq(scalar, item)),
        (scalar, value) => scalar_eq(scalar, value),
    }
}

/// Whether every entry holds in `object` (each key present, each value matching).
pub fn entries_hold(entries: &[Entry], object: &Map<String, Value>) -> bool {
    entries.iter().all(|e| entry_holds(e, object))
}

fn entry_holds(entry: &Entry, object: &Map<String, Value>) -> bool {
    object
        .get(entry.key)
        .is_some_and(|actual| matches(&entry.value, actual))
}

/// An element of a required array is present in the token's array: scalars by strict
/// equality (no "contains" one level further down), groups and arrays by the same rules.
fn element_matches(required: &Expected, item: &Value) -> bool {
    match required {
        Expected::Map(_) | Expected::Array(_) => matches(required, item),
        scalar => scalar_eq(scalar, item),
    }
}

fn scalar_eq(expected: &Expected, actual: &Value) -> bool {
    match (expected, actual) {
        (Expected::String(s), Value::String(a)) => s == a,
        (Expected::Integer(n), Value::Number(a)) => a.as_i64() == Some(*n),
        (Expected::Bool(b), Value::Bool(a)) => b == a,
        _ => false,
    }
}

/// Whether a claim matches a percent-decoded path segment.
pub fn path_param_matches(claim: &Value, segment: &str) -> bool {
    match claim {
        Value::String(s) => s == segment,
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string() == segment,
            (None, Some(u)) => u.to_string() == segment,
            _ => false,
        },
        Value::Array(items) => items
            .iter()
            .any(|item| !item.is_array() && path_param_matches(item, segment)),
        _ => false,
    }
}

/// Whether the token's `scope` grants the scope name `name`.
pub fn scope_name_granted(scope: &Value, name: &str) -> bool {
    match scope {
        Value::String(s) => s.split(' ').any(|part| part == name),
        Value::Array(items) => items.iter().any(|item| item.as_str() == Some(name)),
        Value::Object(map) => map.get(name) == Some(&Value::Bool(true)),
        _ => false,
    }
}

/// Whether every override entry holds, each as a top-level claim or inside the `scope`
/// map. An empty list never holds (there is nothing to override with).
pub fn override_holds(entries: &[Entry], claims: &Map<String, Value>) -> bool {
    let scope = claims.get("scope").and_then(Value::as_object);
    !entries.is_empty()
        && entries
            .iter()
            .all(|e| entry_holds(e, claims) || scope.is_some_and(|s| entry_holds(e, s)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::policy::requirement::Expected::{Array, Bool, Integer, Map, String};

    fn object(v: Value) -> serde_json::Map<std::string::String, Value> {
        v.as_object().cloned().expect("an object")
    }

    #[test]
    fn nested_maps_check_every_key_where_flask_pyjwt_stopped_early() {
        const REQ: &[Entry] = &[
            Entry::new("a", Map(&[Entry::new("x", Integer(1))])),
            Entry::new("b", Integer(2)),
        ];
        assert!(entries_hold(REQ, &object(json!({"a": {"x": 1}, "b": 2}))));
        assert!(!entries_hold(
            REQ,
            &object(json!({"a": {"x": 1}, "b": 999}))
        ));
        assert!(!entries_hold(REQ, &object(json!({"a": {"x": 2}, "b": 2}))));
        assert!(!entries_hold(REQ, &object(json!({"a": {"x": 1}}))));
        assert!(entries_hold(
            REQ,
            &object(json!({"a": {"x": 1, "y": 0}, "b": 2, "c": 3}))
        ));
    }

    #[test]
    fn scalars_compare_as_strict_json() {
        assert!(matches(&Bool(true), &json!(true)));
        assert!(!matches(&Bool(true), &json!(1)));
        assert!(!matches(&Integer(1), &json!(true)));
        assert!(!matches(&Integer(5), &json!("5")));
        assert!(!matches(&Integer(5), &json!(5.0)));
        assert!(!matches(&String("5"), &json!(5)));
        assert!(matches(&String("Admin"), &json!("Admin")));
        assert!(!matches(&String("admin"), &json!("Admin")));
        assert!(!matches(&String("a"), &json!(null)));
    }

    #[test]
    fn arrays_are_subsets_and_scalars_are_contained() {
        assert!(matches(
            &Array(&[String("a"), String("b")]),
            &json!(["b", "c", "a"])
        ));
        assert!(!matches(
            &Array(&[String("a"), String("d")]),
            &json!(["a", "b"])
        ));
        assert!(!matches(&Array(&[String("a")]), &json!("a")));
        assert!(matches(&String("read"), &json!(["read", "write"])));
        assert!(!matches(&String("read"), &json!([["read"]])));
        assert!(!matches(&Map(&[]), &json!([])));
    }

    #[test]
    fn path_parameters_match_strings_byte_for_byte() {
        assert!(path_param_matches(&json!("alice"), "alice"));
        assert!(!path_param_matches(&json!("alice"), "Alice"));
        assert!(!path_param_matches(&json!("alice"), "ALICE"));
        assert!(!path_param_matches(&json!("alice"), "alice "));
        assert!(!path_param_matches(&json!("é"), "e\u{301}"));
        assert!(!path_param_matches(&json!("alice"), "ａｌｉｃｅ"));
        assert!(!path_param_matches(&json!("a/b"), "a"));
        assert!(path_param_matches(&json!("a/b"), "a/b"));
    }

    #[test]
    fn integer_claims_match_only_their_canonical_decimal() {
        assert!(path_param_matches(&json!(42), "42"));
        assert!(!path_param_matches(&json!(42), "042"));
        assert!(!path_param_matches(&json!(42), "+42"));
        assert!(!path_param_matches(&json!(42), "4.2e1"));
        assert!(path_param_matches(&json!(-1), "-1"));
        assert!(path_param_matches(&json!(u64::MAX), "18446744073709551615"));
        assert!(!path_param_matches(&json!(42.0), "42"));
        assert!(!path_param_matches(&json!("42"), "042"));
        assert!(!path_param_matches(&json!(true), "true"));
    }

    #[test]
    fn array_claims_match_when_an_element_does() {
        let orgs = json!(["a", "b", 7]);
        assert!(path_param_matches(&orgs, "b"));
        assert!(path_param_matches(&orgs, "7"));
        assert!(!path_param_matches(&orgs, "a,b"));
        assert!(!path_param_matches(&orgs, ""));
        assert!(!path_param_matches(&orgs, "B"));
        assert!(!path_param_matches(&json!([]), "a"));
        assert!(!path_param_matches(&json!([["a"]]), "a"));
    }

    #[test]
    fn scope_names_in_strings_arrays_and_maps() {
        assert!(scope_name_granted(&json!("read admin"), "admin"));
        assert!(!scope_name_granted(&json!("administrator"), "admin"));
        assert!(!scope_name_granted(&json!("read Admin"), "admin"));
        assert!(!scope_name_granted(&json!("admin\t"), "admin"));
        assert!(scope_name_granted(&json!(["read", "admin"]), "admin"));
        assert!(scope_name_granted(&json!({"admin": true}), "admin"));
        assert!(!scope_name_granted(&json!({"admin": "true"}), "admin"));
        assert!(!scope_name_granted(&json!({"admin": 1}), "admin"));
        assert!(!scope_name_granted(&json!(null), "admin"));
    }

    #[test]
    fn overrides_hold_at_top_level_or_in_scope() {
        const ADMIN: &[Entry] = &[Entry::new("admin", Bool(true))];
        assert!(override_holds(ADMIN, &object(json!({"admin": true}))));
        assert!(override_holds(
            ADMIN,
            &object(json!({"scope": {"admin": true}}))
        ));
        assert!(!override_holds(ADMIN, &object(json!({"scope": "admin"}))));
        assert!(!override_holds(ADMIN, &object(json!({"admin": 1}))));
        assert!(!override_holds(&[], &object(json!({"admin": true}))));
        const TWO: &[Entry] = &[
            Entry::new("admin", Bool(true)),
            Entry::new("org", Integer(7)),
        ];
        assert!(override_holds(
            TWO,
            &object(json!({"admin": true, "scope": {"org": 7}}))
        ));
        assert!(!override_holds(TWO, &object(json!({"admin": true}))));
    }
}
