//! Reading: the top-level items as options (`kind`, `location`, `crate`, flags) and path
//! bindings, each mistake recorded on the token to change. Groups of entries (`claims`,
//! `scope`, `override`) are read by [`entries`](crate::entries).

use crate::{
    ctxt::Ctxt,
    entries::{Group, check_requirement_key, read_entries, read_scope},
    model::{Binding, Credential, Kind, Location, Spec},
    suggest::{did_you_mean, hint, list, quote_str},
    syntax::{Item, Key, RawValue, item_span},
};

/// The options of the attribute; any other `name = "param"` is a path binding.
pub(crate) const OPTIONS: &[&str] = &[
    "kind",
    "fresh",
    "optional",
    "location",
    "credential",
    "claims",
    "scope",
    "override",
    "crate",
];
const KINDS: &[&str] = &["auth", "refresh"];
const LOCATIONS: &[(&str, Location)] = &[
    ("header", Location::Header),
    ("cookie", Location::Cookie),
    ("query", Location::Query),
];
const CREDENTIALS: &[(&str, Credential)] = &[
    ("jwt", Credential::Jwt),
    ("opaque", Credential::Opaque),
    ("api_key", Credential::ApiKey),
];
/// Claims routes commonly bind to a path parameter; a key one typo away is refused.
const BOUND_CLAIMS: &[&str] = &["sub"];
/// Claims the library sets and checks itself; a route cannot require them.
pub(crate) const REGISTERED: &[&str] = &["exp", "iat", "nbf", "iss", "jti", "type"];

/// Reads every top-level item into `spec`.
pub(crate) fn read_top_level(items: Vec<Item>, spec: &mut Spec, cx: &mut Ctxt) {
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        let key = match &item {
            Item::Flag(k) | Item::Assign(k, _) | Item::Group(k, _) => k,
            Item::Name(lit) => {
                cx.error(
                    lit.span(),
                    format!(
                        "a bare string is not an option; scope names go in `scope({})`",
                        quote_str(&lit.value())
                    ),
                );
                continue;
            }
        };
        if OPTIONS.contains(&key.name.as_str()) {
            if seen.contains(&key.name) {
                cx.error(key.span, format!("`{}` specified more than once", key.name));
                continue;
            }
            seen.push(key.name.clone());
        }
        let name = key.name.clone();
        match (name.as_str(), item) {
            ("kind", Item::Assign(k, value)) => read_kind(k, value, spec, cx),
            ("fresh", Item::Flag(k)) => spec.fresh = Some(k.span),
            ("optional", Item::Flag(k)) => spec.optional = Some(k.span),
            ("location", Item::Assign(k, value)) => {
                spec.location_span = Some(k.span);
                spec.locations = read_list(value, "location", "token location", LOCATIONS, cx);
            }
            ("credential", Item::Assign(k, value)) => {
                spec.credential_span = Some(k.span);
                spec.credentials = read_list(value, "credential", "credential", CREDENTIALS, cx);
            }
            ("claims", Item::Group(k, items)) => {
                spec.claims = read_entries(&k, items, Group::Claims, cx);
            }
            ("scope", Item::Group(k, items)) => read_scope(k, items, spec, cx),
            ("override", Item::Group(k, items)) => {
                spec.override_span = Some(k.span);
                spec.overrides = read_entries(&k, items, Group::Override, cx);
            }
            ("crate", Item::Assign(_, value)) => read_crate(value, spec, cx),
            (option @ ("fresh" | "optional"), item) => cx.error(
                item_span(&item),
                format!("`{option}` takes no value: write `{option}`"),
            ),
            (option @ ("kind" | "location" | "credential" | "crate"), item) => {
                let example = match option {
                    "kind" => "kind = \"refresh\"",
                    "location" => "location = \"cookie\"",
                    "credential" => "credential = \"api_key\"",
                    _ => "crate = \"my_auth\"",
                };
                cx.error(item_span(&item), format!("expected `{example}`"));
            }
            (option @ ("claims" | "scope" | "override"), item) => {
                let example = match option {
                    "claims" => "claims(name = \"value\")",
                    "scope" => "scope(admin = true)` or `scope(\"users:read\")",
                    _ => "override(admin = true)",
                };
                cx.error(item_span(&item), format!("expected `{example}`"));
            }
            (_, Item::Assign(k, value)) => read_binding(k, value, spec, cx),
            (_, Item::Name(_)) => {}
            (_, Item::Flag(k) | Item::Group(k, _)) => {
                cx.error(
                    k.span,
                    format!(
                        "unknown option `{}`; expected one of {}, or a path binding \
                         `claim = \"param\"`{}",
                        k.name,
                        list(OPTIONS),
                        hint(&k.name, OPTIONS, false)
                    ),
                );
            }
        }
    }
}

fn read_kind(key: Key, value: RawValue, spec: &mut Spec, cx: &mut Ctxt) {
    spec.kind_span = Some(key.span);
    match value {
        RawValue::Str(lit) => match lit.value().as_str() {
            "auth" => spec.kind = Kind::Auth,
            "refresh" => spec.kind = Kind::Refresh,
            other => cx.error(
                lit.span(),
                format!(
                    "unknown token kind `{}`; expected `\"auth\"` or `\"refresh\"`{}",
                    quote_str(other),
                    hint(other, KINDS, true)
                ),
            ),
        },
        other => cx.error(
            other.span(),
            "expected a string literal: `kind = \"auth\"` or `kind = \"refresh\"`",
        ),
    }
}

/// `option = "name"` or `option = ["name", ...]`: each name one of `allowed`, none
/// twice.
fn read_list<T: Copy + PartialEq>(
    value: RawValue,
    option: &str,
    what: &str,
    allowed: &[(&str, T)],
    cx: &mut Ctxt,
) -> Vec<T> {
    let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
    let expected = list_or(&names);
    let values = match value {
        RawValue::Array(values, span) => {
            if values.is_empty() {
                cx.error(
                    span,
                    format!("empty `{option}` list; name at least one of {expected}"),
                );
            }
            values
        }
        single => vec![single],
    };
    let mut read = Vec::new();
    for value in values {
        let RawValue::Str(lit) = value else {
            cx.error(
                value.span(),
                format!("expected a string literal: {expected}"),
            );
            continue;
        };
        let text = lit.value();
        let Some((_, item)) = allowed.iter().find(|(name, _)| *name == text) else {
            cx.error(
                lit.span(),
                format!(
                    "unknown {what} `{}`; expected {expected}{}",
                    quote_str(&text),
                    hint(&text, &names, true)
                ),
            );
            continue;
        };
        if read.contains(item) {
            cx.error(
                lit.span(),
                format!("{option} `{}` listed more than once", quote_str(&text)),
            );
        } else {
            read.push(*item);
        }
    }
    read
}

/// `"a"`, `"b"` or `"c"`.
fn list_or(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`\"{n}\"`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn read_crate(value: RawValue, spec: &mut Spec, cx: &mut Ctxt) {
    match value {
        RawValue::Str(lit) => match lit.parse::<syn::Path>() {
            Ok(path) => spec.krate = Some(path),
            Err(_) => cx.error(
                lit.span(),
                format!("`{}` is not a path", quote_str(&lit.value())),
            ),
        },
        other => cx.error(
            other.span(),
            "expected a string literal: `crate = \"my_auth\"`",
        ),
    }
}

fn read_binding(key: Key, value: RawValue, spec: &mut Spec, cx: &mut Ctxt) {
    let mut ok = check_requirement_key(&key, cx);
    if let Some(problem) = near_miss(&key) {
        cx.error(key.span, problem);
        ok = false;
    }
    let RawValue::Str(param) = value else {
        cx.error(
            value.span(),
            format!(
                "a path binding names a path parameter as a string: `{} = \"param\"`; \
                 literal claim requirements go in `claims(...)`",
                key.name
            ),
        );
        return;
    };
    let name = param.value();
    if let Some(problem) = param_name_problem(&name) {
        cx.error(param.span(), problem);
        ok = false;
    }
    if spec.bindings.iter().any(|b| b.claim == key.name) {
        cx.error(
            key.span,
            format!("claim `{}` is bound more than once", key.name),
        );
        ok = false;
    }
    if ok {
        spec.bindings.push(Binding {
            claim: key.name,
            claim_span: key.span,
            param: name,
        });
    }
}

/// An unquoted binding key one typo away from an option or a well-known claim: almost
/// certainly a misspelling, so a compile error with the escape hatch for a real claim of
/// that name (a quoted key is taken as written).
fn near_miss(key: &Key) -> Option<String> {
    if key.quoted {
        return None;
    }
    let name = &key.name;
    if let Some(option) = did_you_mean(name, OPTIONS) {
        return Some(format!(
            "unknown option `{name}` (did you mean `{option}`?); to bind claim `{name}` to a \
             path parameter, write the claim as a string: `\"{name}\" = ...`"
        ));
    }
    did_you_mean(name, BOUND_CLAIMS).map(|claim| {
        format!(
            "unknown claim `{name}` in a path binding (did you mean `{claim}`?); to bind a claim \
             really named `{name}`, write it as a string: `\"{name}\" = ...`"
        )
    })
}

/// Why `name` cannot be an axum route parameter (`/users/{name}`), if it cannot.
fn param_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("empty path parameter name; write the name inside the route's `{...}`".into());
    }
    if let Some(inner) = name.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
        return Some(format!(
            "write the path parameter name without braces: `\"{inner}\"`"
        ));
    }
    if let Some(inner) = name.strip_prefix(':') {
        return Some(format!(
            "axum 0.8 route parameters are written `{{{inner}}}`; name it here without `:`: `\"{inner}\"`"
        ));
    }
    if let Some(inner) = name.strip_prefix('*') {
        return Some(format!(
            "name the wildcard parameter without `*`: `\"{inner}\"`"
        ));
    }
    let bad = name
        .chars()
        .find(|c| matches!(c, '/' | '{' | '}' | '*' | ':') || c.is_whitespace() || c.is_control());
    bad.map(|c| {
        format!(
            "`{}` cannot be a path parameter name: it contains `{}`",
            quote_str(name),
            c.escape_debug()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str, quoted: bool) -> Key {
        Key {
            name: name.to_owned(),
            span: proc_macro2::Span::call_site(),
            quoted,
        }
    }

    #[test]
    fn near_misses_of_options_and_sub_are_refused_unless_quoted() {
        assert!(
            near_miss(&key("kidn", false))
                .unwrap()
                .contains("did you mean `kind`")
        );
        assert!(
            near_miss(&key("sbu", false))
                .unwrap()
                .contains("did you mean `sub`")
        );
        assert!(near_miss(&key("su", false)).is_some());
        assert!(near_miss(&key("sbu", true)).is_none());
        assert!(near_miss(&key("kidn", true)).is_none());
        assert!(near_miss(&key("sub", false)).is_none());
        assert!(near_miss(&key("org", false)).is_none());
    }

    #[test]
    fn route_parameter_names_are_checked() {
        assert!(param_name_problem("username").is_none());
        assert!(param_name_problem("user_id").is_none());
        assert!(param_name_problem("").is_some());
        assert!(param_name_problem("{id}").is_some());
        assert!(param_name_problem(":id").is_some());
        assert!(param_name_problem("*rest").is_some());
        assert!(param_name_problem("a/b").is_some());
        assert!(param_name_problem("a b").is_some());
    }
}
