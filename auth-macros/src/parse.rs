//! Parsing: the attribute's tokens to a [`Spec`], with every per-argument mistake
//! recorded on the token to change.
//!
//! Two steps: the tokens become a small syntax tree ([`Item`]s), then each item is read as
//! an option, a path binding or a requirement entry. Only a syntax error stops early;
//! every other mistake is recorded and parsing goes on, so all are reported together.

use proc_macro2::{Span, TokenStream};
use syn::{
    Ident, LitBool, LitFloat, LitInt, LitStr, Token, bracketed,
    ext::IdentExt,
    parenthesized,
    parse::{ParseStream, Parser},
    spanned::Spanned,
    token,
};

use crate::{
    ctxt::Ctxt,
    model::{Binding, Entry, Kind, Location, Spec, Value},
    suggest::hint,
};

/// The options of the attribute; any other `name = "param"` is a path binding.
pub(crate) const OPTIONS: &[&str] = &[
    "kind", "fresh", "optional", "location", "claims", "scope", "override", "crate",
];
const KINDS: &[&str] = &["auth", "refresh"];
const LOCATIONS: &[&str] = &["header", "cookie", "query"];
/// Claims the library sets and checks itself; a route cannot require them.
pub(crate) const REGISTERED: &[&str] = &["exp", "iat", "nbf", "iss", "jti", "type"];

/// A key: an identifier (keywords included) or a string literal.
struct Key {
    name: String,
    span: Span,
}

enum Item {
    /// `fresh`
    Flag(Key),
    /// `kind = "refresh"`
    Assign(Key, RawValue),
    /// `scope(admin = true)`
    Group(Key, Vec<Item>),
    /// `"users:read"` inside `scope(...)`
    Name(LitStr),
}

enum RawValue {
    Str(LitStr),
    Int(i64, Span),
    Bool(LitBool),
    Array(Vec<RawValue>, Span),
    /// Anything else: a float, a path, an expression. Kept to report it, with a
    /// description of what was found.
    Other(Span, String),
}

impl RawValue {
    fn span(&self) -> Span {
        match self {
            Self::Str(l) => l.span(),
            Self::Int(_, s) | Self::Array(_, s) | Self::Other(s, _) => *s,
            Self::Bool(b) => b.span,
        }
    }
}

/// Parses the attribute's arguments into a [`Spec`], recording mistakes in `cx`.
pub(crate) fn parse_args(args: TokenStream, cx: &mut Ctxt) -> Spec {
    let mut spec = Spec::default();
    match parse_items.parse2(args) {
        Ok(items) => read_top_level(items, &mut spec, cx),
        Err(e) => cx.push(e),
    }
    spec
}

fn parse_items(input: ParseStream) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(parse_item(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(items)
}

fn parse_item(input: ParseStream) -> syn::Result<Item> {
    let key = if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        if !input.peek(Token![=]) {
            return Ok(Item::Name(lit));
        }
        Key {
            name: lit.value(),
            span: lit.span(),
        }
    } else if input.peek(Ident::peek_any) {
        let ident = Ident::parse_any(input)?;
        Key {
            name: ident.unraw().to_string(),
            span: ident.span(),
        }
    } else {
        return Err(input.error(
            "expected an option such as `kind = \"refresh\"`, `scope(...)` or `fresh`, \
             or a path binding such as `sub = \"username\"`",
        ));
    };
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        Ok(Item::Assign(key, parse_value(input)?))
    } else if input.peek(token::Paren) {
        let content;
        parenthesized!(content in input);
        Ok(Item::Group(key, parse_items(&content)?))
    } else {
        Ok(Item::Flag(key))
    }
}

fn parse_value(input: ParseStream) -> syn::Result<RawValue> {
    if input.peek(LitStr) {
        return input.parse().map(RawValue::Str);
    }
    if input.peek(LitBool) {
        return input.parse().map(RawValue::Bool);
    }
    if input.peek(LitInt) || (input.peek(Token![-]) && input.peek2(LitInt)) {
        let negative = input.parse::<Option<Token![-]>>()?.is_some();
        let lit: LitInt = input.parse()?;
        let span = lit.span();
        let digits = if negative {
            format!("-{}", lit.base10_digits())
        } else {
            lit.base10_digits().to_owned()
        };
        return match digits.parse::<i64>() {
            Ok(n) => Ok(RawValue::Int(n, span)),
            Err(_) => Ok(RawValue::Other(
                span,
                format!("`{digits}`, an integer outside the 64-bit signed range"),
            )),
        };
    }
    if input.peek(LitFloat) {
        let lit: LitFloat = input.parse()?;
        return Ok(RawValue::Other(lit.span(), format!("`{lit}`, a float")));
    }
    if input.peek(token::Bracket) {
        let content;
        let brackets = bracketed!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(parse_value(&content)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        return Ok(RawValue::Array(items, brackets.span.join()));
    }
    let expr: syn::Expr = input.parse()?;
    let text = quote::ToTokens::to_token_stream(&expr).to_string();
    Ok(RawValue::Other(
        expr.span(),
        format!(
            "`{text}`, which is not a literal (the attribute cannot read constants or expressions)"
        ),
    ))
}

fn read_top_level(items: Vec<Item>, spec: &mut Spec, cx: &mut Ctxt) {
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
            ("location", Item::Assign(_, value)) => read_locations(value, spec, cx),
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
            (option @ ("kind" | "location" | "crate"), item) => {
                let example = match option {
                    "kind" => "kind = \"refresh\"",
                    "location" => "location = \"cookie\"",
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

fn item_span(item: &Item) -> Span {
    match item {
        Item::Flag(k) | Item::Group(k, _) => k.span,
        Item::Assign(_, v) => v.span(),
        Item::Name(l) => l.span(),
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

fn read_locations(value: RawValue, spec: &mut Spec, cx: &mut Ctxt) {
    let values = match value {
        RawValue::Array(values, span) => {
            if values.is_empty() {
                cx.error(span, "empty `location` list; name at least one of `\"header\"`, `\"cookie\"`, `\"query\"`");
            }
            values
        }
        single => vec![single],
    };
    for value in values {
        let RawValue::Str(lit) = value else {
            cx.error(
                value.span(),
                "expected a string literal: `\"header\"`, `\"cookie\"` or `\"query\"`",
            );
            continue;
        };
        let location = match lit.value().as_str() {
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            "query" => Location::Query,
            other => {
                cx.error(
                    lit.span(),
                    format!(
                        "unknown token location `{}`; expected `\"header\"`, `\"cookie\"` or `\"query\"`{}",
                        quote_str(other),
                        hint(other, LOCATIONS, true)
                    ),
                );
                continue;
            }
        };
        if spec.locations.contains(&location) {
            cx.error(
                lit.span(),
                format!(
                    "location `{}` listed more than once",
                    quote_str(&lit.value())
                ),
            );
        } else {
            spec.locations.push(location);
        }
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
    if let Some(option) = crate::suggest::did_you_mean(&key.name, OPTIONS) {
        cx.error(
            key.span,
            format!(
                "unknown option `{0}` (did you mean `{option}`?); to bind claim `{0}` to a path \
                 parameter, write the claim as a string: `\"{0}\" = ...`",
                key.name
            ),
        );
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

#[derive(Clone, Copy, PartialEq)]
enum Group {
    Claims,
    Scope,
    Override,
    Nested,
}

fn read_scope(key: Key, items: Vec<Item>, spec: &mut Spec, cx: &mut Ctxt) {
    spec.scope_span = Some(key.span);
    if items.is_empty() {
        cx.error(key.span, "empty `scope(...)`: name a scope (`scope(\"users:read\")`) or an entry (`scope(admin = true)`)");
        return;
    }
    let mut entries = Vec::new();
    for item in items {
        match item {
            Item::Name(lit) => {
                let name = lit.value();
                if name.is_empty() || name.contains(' ') {
                    cx.error(
                        lit.span(),
                        "a scope name is one non-empty word without spaces",
                    );
                } else if spec.scope_names.contains(&name) {
                    cx.error(
                        lit.span(),
                        format!("scope `{}` listed more than once", quote_str(&name)),
                    );
                } else {
                    spec.scope_names.push(name);
                }
            }
            other => entries.push(other),
        }
    }
    if !entries.is_empty() {
        spec.scope = read_entries(&key, entries, Group::Scope, cx);
    }
}

/// Reads `key = value` entries; `group` says where they stand, for the messages.
fn read_entries(key: &Key, items: Vec<Item>, group: Group, cx: &mut Ctxt) -> Vec<Entry> {
    if items.is_empty() {
        cx.error(
            key.span,
            format!(
                "empty `{}(...)`: list at least one `name = value`, or remove it",
                key.name
            ),
        );
        return Vec::new();
    }
    let mut entries: Vec<Entry> = Vec::new();
    for item in items {
        let (k, value) = match item {
            Item::Assign(k, raw) => {
                let value = read_value(raw, cx);
                (k, value)
            }
            Item::Group(k, inner) => {
                let nested = read_entries(&k, inner, Group::Nested, cx);
                (k, Some(Value::Map(nested)))
            }
            Item::Flag(k) => {
                cx.error(
                    k.span,
                    format!(
                        "`{0}` needs a value: `{0} = true`, `{0} = \"...\"` or `{0}(...)`",
                        k.name
                    ),
                );
                continue;
            }
            Item::Name(lit) => {
                let hint = if group == Group::Nested {
                    ""
                } else {
                    "; scope names go in `scope(...)`"
                };
                cx.error(
                    lit.span(),
                    format!("expected `name = value`, found a bare string{hint}"),
                );
                continue;
            }
        };
        let valid_key = match group {
            Group::Claims | Group::Override => check_requirement_key(&k, cx),
            Group::Scope | Group::Nested => true,
        };
        if entries.iter().any(|e| e.key == k.name) {
            cx.error(
                k.span,
                format!("`{}` listed more than once in `{}(...)`", k.name, key.name),
            );
            continue;
        }
        if let (true, Some(value)) = (valid_key, value) {
            entries.push(Entry { key: k.name, value });
        }
    }
    entries
}

fn read_value(raw: RawValue, cx: &mut Ctxt) -> Option<Value> {
    match raw {
        RawValue::Str(lit) => Some(Value::Str(lit.value())),
        RawValue::Int(n, _) => Some(Value::Int(n)),
        RawValue::Bool(b) => Some(Value::Bool(b.value)),
        RawValue::Array(items, span) => {
            if items.is_empty() {
                cx.error(
                    span,
                    "empty array: it requires nothing; list at least one value",
                );
                return None;
            }
            let mut values = Vec::new();
            for item in items {
                if let RawValue::Array(_, span) = item {
                    cx.error(
                        span,
                        "nested arrays are not supported; use string, integer or bool literals",
                    );
                    continue;
                }
                let span = item.span();
                if let Some(v) = read_value(item, cx) {
                    if values.contains(&v) {
                        cx.error(span, "array lists a value more than once");
                    } else {
                        values.push(v);
                    }
                }
            }
            Some(Value::Array(values))
        }
        RawValue::Other(span, what) => {
            cx.error(
                span,
                format!(
                    "expected a string, integer or bool literal, an array of them, or a group \
                     `name(...)`; found {what}"
                ),
            );
            None
        }
    }
}

/// A claim that a route requires by name must not be one the library checks itself.
fn check_requirement_key(key: &Key, cx: &mut Ctxt) -> bool {
    if REGISTERED.contains(&key.name.as_str()) {
        cx.error(
            key.span,
            format!(
                "`{}` is a registered claim, checked by verification itself; it cannot be a \
                 route requirement (registered: {})",
                key.name,
                list(REGISTERED)
            ),
        );
        return false;
    }
    true
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quote_str(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(args: TokenStream) -> (Spec, Vec<String>) {
        let mut cx = Ctxt::default();
        let spec = parse_args(args, &mut cx);
        let errors = match cx.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        };
        (spec, errors)
    }

    #[test]
    fn every_option_is_read_into_the_model() {
        let (spec, errors) = parse(quote! {
            kind = "refresh", sub = "username", "org-id" = "org", optional,
            location = ["cookie", "query"], claims(team = "blue", n = -2, ok = true, tags = ["a", "b"], org(id = 7)),
            override(admin = true), crate = "my_auth"
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(spec.kind, Kind::Refresh);
        assert!(spec.optional.is_some() && spec.fresh.is_none());
        assert_eq!(spec.locations, vec![Location::Cookie, Location::Query]);
        let bindings: Vec<_> = spec
            .bindings
            .iter()
            .map(|b| (b.claim.as_str(), b.param.as_str()))
            .collect();
        assert_eq!(bindings, vec![("sub", "username"), ("org-id", "org")]);
        assert_eq!(
            spec.claims,
            vec![
                Entry {
                    key: "team".into(),
                    value: Value::Str("blue".into())
                },
                Entry {
                    key: "n".into(),
                    value: Value::Int(-2)
                },
                Entry {
                    key: "ok".into(),
                    value: Value::Bool(true)
                },
                Entry {
                    key: "tags".into(),
                    value: Value::Array(vec![Value::Str("a".into()), Value::Str("b".into())])
                },
                Entry {
                    key: "org".into(),
                    value: Value::Map(vec![Entry {
                        key: "id".into(),
                        value: Value::Int(7)
                    }])
                },
            ]
        );
        assert_eq!(
            spec.overrides,
            vec![Entry {
                key: "admin".into(),
                value: Value::Bool(true)
            }]
        );
        assert!(spec.krate.is_some());
    }

    #[test]
    fn scope_takes_entries_and_names_together() {
        let (spec, errors) = parse(quote!(scope(admin = true, "users:read", "users:write")));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            spec.scope,
            vec![Entry {
                key: "admin".into(),
                value: Value::Bool(true)
            }]
        );
        assert_eq!(spec.scope_names, vec!["users:read", "users:write"]);
    }

    #[test]
    fn override_is_read_although_it_is_a_keyword() {
        let (spec, errors) = parse(quote!(sub = "u", override(admin = true)));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(spec.overrides.len(), 1);
        assert!(spec.override_span.is_some());
    }

    #[test]
    fn independent_mistakes_are_all_reported() {
        let (_, errors) = parse(quote! {
            kind = "bearer", fersh, claims(exp = 1, a = X), scope(), sub = ":id", location = "body"
        });
        assert_eq!(errors.len(), 7, "{errors:#?}");
        assert!(errors[0].contains("unknown token kind `\"bearer\"`"));
        assert!(errors[1].contains("did you mean `fresh`"));
        assert!(errors[2].contains("`exp` is a registered claim"));
        assert!(errors[3].contains("`X`, which is not a literal"));
        assert!(errors[4].contains("empty `scope(...)`"));
        assert!(errors[5].contains("without `:`"));
        assert!(errors[6].contains("unknown token location `\"body\"`"));
    }

    #[test]
    fn duplicates_are_found_at_every_level() {
        let (_, errors) = parse(quote!(
            fresh,
            fresh,
            claims(a = 1, a = 1, g(x = 1, x = 2)),
            scope("r", "r"),
            roles = "p",
            roles = "q"
        ));
        assert_eq!(errors.len(), 5, "{errors:#?}");
    }

    #[test]
    fn syntax_errors_stop_parsing_with_one_error() {
        let (_, errors) = parse(quote!(claims(= 1)));
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (_, errors) = parse(quote!(kind "auth"));
        assert_eq!(errors.len(), 1, "{errors:?}");
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
