//! The names a requirement uses, checked against the vocabulary in scope at compile time.
//!
//! The attribute cannot see other items, so it hands each name to constant evaluation:
//! for every scope name, claim key, nested key, bound claim and value it emits, spanned at
//! that token,
//!
//! ```text
//! const _: () = {
//!     const __AUTH_VOCABULARY: InScope = NONE;            // the fallback: no vocabulary
//!     {
//!         use crate::*;                                   // the crate root's, if declared
//!         {
//!             use self::*;                                // this module's, if declared
//!             if let Some(m) = check(&__AUTH_VOCABULARY, <name>) { panic!("{}", m.as_str()) }
//!         }
//!     }
//! };
//! ```
//!
//! A name resolves in the innermost block that has it, and a glob import in a block is
//! searched before the blocks around it: this module's vocabulary (declared here or
//! imported) wins over the crate root's, which wins over the fallback. The `const fn`s
//! (`auth_runtime`'s `token::vocabulary::check`) return the message, so the error lands on
//! the literal with the valid names and a "did you mean".

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::model::{Entry, Spec, Value};

/// The checks of every name in `spec` (nothing when it names none).
pub(crate) fn checks(spec: &Spec, private: &TokenStream) -> TokenStream {
    let vocabulary = quote!(#private::vocabulary);
    let mut out = TokenStream::new();
    for (name, span) in spec.scope_names.iter().zip(&spec.scope_name_spans) {
        out.extend(check(
            *span,
            &vocabulary,
            quote!(scope(__auth_in_scope, #name)),
        ));
    }
    for binding in &spec.bindings {
        let claim = &binding.claim;
        out.extend(check(
            binding.claim_span,
            &vocabulary,
            quote!(binding(__auth_in_scope, #claim)),
        ));
    }
    // The `scope` map's keys are scope names; its values are the application's own.
    let group = quote!(#vocabulary::Group::Scope);
    for entry in &spec.scope {
        let key = &entry.key;
        out.extend(check(
            entry.key_span,
            &vocabulary,
            quote!(key(__auth_in_scope, #group, &[#key])),
        ));
    }
    for (group, entries) in [("Claims", &spec.claims), ("Override", &spec.overrides)] {
        let group = syn::Ident::new(group, Span::call_site());
        let group = quote!(#vocabulary::Group::#group);
        entries_checks(entries, &[], &group, &vocabulary, &mut out);
    }
    out
}

fn entries_checks(
    entries: &[Entry],
    parent: &[&str],
    group: &TokenStream,
    vocabulary: &TokenStream,
    out: &mut TokenStream,
) {
    for entry in entries {
        let mut path = parent.to_vec();
        path.push(&entry.key);
        out.extend(check(
            entry.key_span,
            vocabulary,
            quote!(key(__auth_in_scope, #group, &[#(#path),*])),
        ));
        let found = found(&entry.value, vocabulary);
        out.extend(check(
            entry.value_span,
            vocabulary,
            quote!(value(__auth_in_scope, #group, &[#(#path),*], &#found)),
        ));
        if let Value::Map(nested) = &entry.value {
            entries_checks(nested, &path, group, vocabulary, out);
        }
    }
}

/// What the literal is, as the checks see it.
fn found(value: &Value, vocabulary: &TokenStream) -> TokenStream {
    match value {
        Value::Str(_) => quote!(#vocabulary::Found::Str),
        Value::Int(_) => quote!(#vocabulary::Found::Int),
        Value::Bool(_) => quote!(#vocabulary::Found::Bool),
        Value::Map(_) => quote!(#vocabulary::Found::Map),
        Value::Array(items) => {
            let items = items.iter().map(|v| found(v, vocabulary));
            quote!(#vocabulary::Found::Array(&[#(#items),*]))
        }
    }
}

/// One check, spanned at the token it is about, so a failure is reported there.
fn check(span: Span, vocabulary: &TokenStream, call: TokenStream) -> TokenStream {
    quote_spanned! {span=>
        const _: () = {
            #[allow(dead_code)]
            const __AUTH_VOCABULARY: #vocabulary::InScope = #vocabulary::NONE;
            {
                #[allow(unused_imports)]
                use crate::*;
                {
                    #[allow(unused_imports)]
                    use self::*;
                    let __auth_in_scope = &__AUTH_VOCABULARY;
                    if let ::core::option::Option::Some(__auth_message) = #vocabulary::#call {
                        ::core::panic!("{}", __auth_message.as_str());
                    }
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::{ctxt::Ctxt, parse::parse_args};

    fn text(args: TokenStream) -> String {
        let mut cx = Ctxt::default();
        let spec = parse_args(args, &mut cx);
        assert!(cx.finish().is_ok());
        checks(&spec, &quote!(::auth_runtime::__private)).to_string()
    }

    #[test]
    fn every_name_is_checked_once_for_its_key_and_once_for_its_value() {
        let out = text(quote!(
            sub = "u",
            claims(level = 3, org(id = 7)),
            scope("users:read", admin = true),
            override(admin = true)
        ));
        assert_eq!(out.matches("const _ :").count(), 1 + 1 + 6 + 1 + 2, "{out}");
        assert!(
            out.contains("scope (__auth_in_scope , \"users:read\")"),
            "{out}"
        );
        assert!(out.contains("binding (__auth_in_scope , \"sub\")"), "{out}");
        assert!(out.contains("& [\"org\" , \"id\"]"), "{out}");
        assert!(out.contains("Found :: Map"), "{out}");
    }

    #[test]
    fn a_route_that_names_nothing_gets_no_check() {
        assert!(text(quote!(fresh, kind = "auth")).is_empty());
    }
}
