//! Parsing: the attribute's tokens to a [`Spec`], with every per-argument mistake
//! recorded on the token to change.
//!
//! Two steps: the tokens become a small syntax tree ([`syntax`](crate::syntax)), then
//! each item is read as an option, a path binding or a requirement entry
//! ([`read`](crate::read), [`entries`](crate::entries)). Only a syntax error stops early;
//! every other mistake is recorded and parsing goes on, so all are reported together.

use proc_macro2::TokenStream;
use syn::parse::Parser;

use crate::{ctxt::Ctxt, model::Spec, read::read_top_level, syntax::parse_items};

/// Parses the attribute's arguments into a [`Spec`], recording mistakes in `cx`.
pub(crate) fn parse_args(args: TokenStream, cx: &mut Ctxt) -> Spec {
    let mut spec = Spec::default();
    match parse_items.parse2(args) {
        Ok(items) => read_top_level(items, &mut spec, cx),
        Err(e) => cx.push(e),
    }
    spec
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::model::{Entry, Kind, Location, Value};

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
                Entry::new("team", Value::Str("blue".into())),
                Entry::new("n", Value::Int(-2)),
                Entry::new("ok", Value::Bool(true)),
                Entry::new(
                    "tags",
                    Value::Array(vec![Value::Str("a".into()), Value::Str("b".into())])
                ),
                Entry::new("org", Value::Map(vec![Entry::new("id", Value::Int(7))])),
            ]
        );
        assert_eq!(spec.overrides, vec![Entry::new("admin", Value::Bool(true))]);
        assert!(spec.krate.is_some());
    }

    #[test]
    fn scope_takes_entries_and_names_together() {
        let (spec, errors) = parse(quote!(scope(admin = true, "users:read", "users:write")));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(spec.scope, vec![Entry::new("admin", Value::Bool(true))]);
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
}
