//! Entries: the `key = value` lists of `claims(...)`, `scope(...)` and `override(...)`,
//! nested groups and scope names, read into the model's typed values.

use crate::{
    ctxt::Ctxt,
    model::{Entry, Spec, Value},
    read::REGISTERED,
    suggest::{list, quote_str},
    syntax::{Item, Key, RawValue},
};

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Group {
    Claims,
    Scope,
    Override,
    Nested,
}

pub(crate) fn read_scope(key: Key, items: Vec<Item>, spec: &mut Spec, cx: &mut Ctxt) {
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
                    spec.scope_name_spans.push(lit.span());
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
pub(crate) fn read_entries(key: &Key, items: Vec<Item>, group: Group, cx: &mut Ctxt) -> Vec<Entry> {
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
        let (k, value, value_span) = match item {
            Item::Assign(k, raw) => {
                let span = raw.span();
                let value = read_value(raw, cx);
                (k, value, span)
            }
            Item::Group(k, inner) => {
                let nested = read_entries(&k, inner, Group::Nested, cx);
                let span = k.span;
                (k, Some(Value::Map(nested)), span)
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
            entries.push(Entry {
                key: k.name,
                value,
                key_span: k.span,
                value_span,
            });
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
pub(crate) fn check_requirement_key(key: &Key, cx: &mut Ctxt) -> bool {
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
