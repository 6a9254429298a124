//! Expansion: a valid [`Spec`] and handler become the guarded handler. Cannot fail.
//!
//! ```text
//! #[doc(hidden)] <vis> struct __auth_require_token_<fn>;
//! impl <krate>::__private::RequirementSpec for __auth_require_token_<fn> {
//!     const REQUIREMENT: &'static Requirement = &Requirement::new()...;
//! }
//! <attrs> <vis> async fn <fn>(__auth_guard: Guard<__auth_require_token_<fn>>, <args>) { <body> }
//! ```
//!
//! On an `impl` block, the struct and its impl go before the block, named
//! `__auth_require_token_<Type>_<fn>`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::{ext::IdentExt, parse_quote, spanned::Spanned};

use crate::{
    ctxt::Ctxt,
    handler::{Target, check_handler, is_require_token, parse_target},
    model::{Credential, Entry, Kind, Location, Spec, Value},
    parse::parse_args,
    validate::validate,
};

/// The whole attribute: parse, validate, expand; on any error, the errors and the user's
/// item (so one mistake causes no wave of follow-on errors).
pub(crate) fn require_token(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    match parse_target(item.clone(), &mut cx) {
        Some(Target::Handler(handler)) => {
            let spec = parse_args(args, &mut cx);
            check_handler(&handler, &spec, &mut cx);
            validate(&spec, &mut cx);
            let (items, handler) = expand(&spec, handler, None);
            finish(cx, quote!(#items #handler), item)
        }
        Some(Target::Impl(block)) => guard_impl(args, block, cx),
        None => finish(cx, item.clone(), item),
    }
}

/// The output, or on any error the errors and `fallback`.
pub(crate) fn finish(cx: Ctxt, output: TokenStream, fallback: TokenStream) -> TokenStream {
    match cx.finish() {
        Ok(()) => output,
        Err(errors) => {
            let errors = errors.into_compile_error();
            quote!(#errors #fallback)
        }
    }
}

/// `#[require_token]` on an `impl` block: guards each associated `async fn` that carries
/// its own `#[require_token(...)]`, and puts their requirement types beside the block
/// (an `impl` cannot hold a `struct`, and an attribute on an associated fn cannot tell it
/// stands in one).
fn guard_impl(args: TokenStream, block: syn::ItemImpl, mut cx: Ctxt) -> TokenStream {
    if !args.is_empty() {
        cx.error(
            args.span(),
            "on an `impl` block, `#[require_token]` takes no arguments: write each handler's \
             requirement on the handler, `#[require_token(...)] async fn ...`",
        );
    }
    let owner = match &*block.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.unraw().to_string()),
        _ => None,
    }
    .unwrap_or_else(|| "impl".to_owned());
    let mut unguarded = block.clone();
    let mut guarded = block;
    let mut hoisted = TokenStream::new();
    let mut found = false;
    for (plain, item) in unguarded.items.iter_mut().zip(&mut guarded.items) {
        let (syn::ImplItem::Fn(plain), syn::ImplItem::Fn(item)) = (plain, item) else {
            continue;
        };
        let Some(at) = plain.attrs.iter().position(is_require_token) else {
            continue;
        };
        found = true;
        let attr = plain.attrs.remove(at);
        item.attrs.remove(at);
        let args = match attr.meta {
            syn::Meta::Path(_) => TokenStream::new(),
            syn::Meta::List(list) => list.tokens,
            syn::Meta::NameValue(nv) => {
                cx.error(
                    nv.span(),
                    "write `#[require_token]` or `#[require_token(...)]`",
                );
                continue;
            }
        };
        let handler = syn::ItemFn {
            attrs: item.attrs.clone(),
            vis: item.vis.clone(),
            modifiers: item.modifiers.clone(),
            sig: item.sig.clone(),
            block: Box::new(item.block.clone()),
        };
        let spec = parse_args(args, &mut cx);
        check_handler(&handler, &spec, &mut cx);
        validate(&spec, &mut cx);
        let (items, handler) = expand(&spec, handler, Some(&owner));
        hoisted.extend(items);
        item.sig = handler.sig;
    }
    if !found {
        cx.error(
            guarded.impl_token.span,
            "`#[require_token]` on an `impl` block guards its associated `async fn`s that carry \
             `#[require_token(...)]`, and none here does",
        );
    }
    finish(cx, quote!(#hoisted #guarded), quote!(#unguarded))
}

/// A valid [`Spec`] and its handler: the requirement type (and its impl) and the guarded
/// handler. `owner` names the `impl` block's type for an associated fn. Cannot fail.
fn expand(
    spec: &Spec,
    mut handler: syn::ItemFn,
    owner: Option<&str>,
) -> (TokenStream, syn::ItemFn) {
    let private = match &spec.krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::auth_runtime::__private),
    };
    let name = handler.sig.ident.unraw();
    let spec_type = match owner {
        Some(owner) => format_ident!("__auth_require_token_{}_{}", owner, name),
        None => format_ident!("__auth_require_token_{}", name),
    };
    let requirement = requirement(spec, &private);
    let checks = crate::names::checks(spec, &private);
    #[cfg(feature = "utoipa")]
    crate::openapi::document(spec, &mut handler.attrs, &private);
    let guard: syn::FnArg = parse_quote!(__auth_guard: #private::Guard<#spec_type>);
    handler.sig.inputs.insert(0, guard);
    let vis = &handler.vis;
    let items = quote! {
        #[doc(hidden)]
        #[doc = "The requirement `#[require_token]` attached to this handler."]
        #[allow(non_camel_case_types)]
        #vis struct #spec_type;

        #[automatically_derived]
        impl #private::RequirementSpec for #spec_type {
            const REQUIREMENT: &'static #private::Requirement = &#requirement;
        }

        #checks
    };
    (items, handler)
}

fn requirement(spec: &Spec, private: &TokenStream) -> TokenStream {
    let mut calls = TokenStream::new();
    if spec.kind == Kind::Refresh {
        calls.extend(quote!(.kind(#private::TokenKind::Refresh)));
    }
    if spec.fresh.is_some() {
        calls.extend(quote!(.fresh()));
    }
    if spec.optional.is_some() {
        calls.extend(quote!(.optional()));
    }
    if !spec.locations.is_empty() {
        let locations = spec.locations.iter().map(|l| match l {
            Location::Header => quote!(#private::TokenLocation::Header),
            Location::Cookie => quote!(#private::TokenLocation::Cookie),
            Location::Query => quote!(#private::TokenLocation::Query),
        });
        calls.extend(quote!(.locations(&[#(#locations),*])));
    }
    if !spec.credentials.is_empty() {
        let credentials = spec.credentials.iter().map(|c| match c {
            Credential::Jwt => quote!(#private::Credential::Jwt),
            Credential::Opaque => quote!(#private::Credential::Opaque),
            Credential::ApiKey => quote!(#private::Credential::ApiKey),
        });
        calls.extend(quote!(.credentials(&[#(#credentials),*])));
    }
    if !spec.bindings.is_empty() {
        let bindings = spec.bindings.iter().map(|b| {
            let (claim, param) = (&b.claim, &b.param);
            quote!(#private::PathBinding::new(#claim, #param))
        });
        calls.extend(quote!(.bindings(&[#(#bindings),*])));
    }
    for (method, entries) in [
        ("claims", &spec.claims),
        ("scope", &spec.scope),
        ("overrides", &spec.overrides),
    ] {
        if !entries.is_empty() {
            let method = format_ident!("{method}");
            let entries = entries_tokens(entries, private);
            calls.extend(quote!(.#method(#entries)));
        }
    }
    if !spec.scope_names.is_empty() {
        let names = &spec.scope_names;
        calls.extend(quote!(.scope_names(&[#(#names),*])));
    }
    quote!(#private::Requirement::new() #calls)
}

fn entries_tokens(entries: &[Entry], private: &TokenStream) -> TokenStream {
    let entries = entries.iter().map(|e| {
        let key = &e.key;
        let value = value_tokens(&e.value, private);
        quote!(#private::Entry::new(#key, #value))
    });
    quote!(&[#(#entries),*])
}

fn value_tokens(value: &Value, private: &TokenStream) -> TokenStream {
    match value {
        Value::Str(s) => quote!(#private::Expected::String(#s)),
        Value::Int(n) => {
            let n = Literal::i64_suffixed(*n);
            quote!(#private::Expected::Integer(#n))
        }
        Value::Bool(b) => quote!(#private::Expected::Bool(#b)),
        Value::Array(items) => {
            let items = items.iter().map(|v| value_tokens(v, private));
            quote!(#private::Expected::Array(&[#(#items),*]))
        }
        Value::Map(entries) => {
            let entries = entries_tokens(entries, private);
            quote!(#private::Expected::Map(#entries))
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn idents(tokens: TokenStream) -> Vec<String> {
        let mut out = Vec::new();
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
                proc_macro2::TokenTree::Group(g) => out.extend(idents(g.stream())),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn the_guard_comes_first_and_the_handler_keeps_its_shape() {
        let out = require_token(
            quote!(sub = "username"),
            quote! {
                /// Docs.
                #[allow(unused)]
                pub async fn profile(path: Path<String>) -> String { String::new() }
            },
        );
        let handler: syn::ItemFn = syn::parse2(
            syn::parse2::<syn::File>(out.clone())
                .unwrap()
                .items
                .pop()
                .map(quote::ToTokens::into_token_stream)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(handler.sig.ident, "profile");
        assert!(matches!(handler.vis, syn::Visibility::Public(_)));
        assert_eq!(handler.attrs.len(), 2, "doc and allow kept");
        assert_eq!(handler.sig.inputs.len(), 2);
        let first = quote::ToTokens::to_token_stream(&handler.sig.inputs[0]).to_string();
        assert!(first.starts_with("__auth_guard"), "{first}");
        assert!(first.contains("__auth_require_token_profile"), "{first}");
        let text = out.to_string();
        assert!(
            text.contains("pub struct __auth_require_token_profile"),
            "{text}"
        );
        assert!(
            text.contains(
                ":: auth_runtime :: __private :: PathBinding :: new (\"sub\" , \"username\")"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_renamed_crate_is_the_only_path_used() {
        let out = require_token(
            quote!(crate = "my_auth", scope(admin = true)),
            quote!(
                async fn h() {}
            ),
        );
        let names = idents(out);
        assert!(names.iter().any(|n| n == "my_auth"));
        assert!(!names.iter().any(|n| n == "auth_runtime"), "{names:?}");
    }

    #[test]
    fn on_error_the_function_is_emitted_unchanged_beside_the_errors() {
        let item = quote!(
            async fn handler(x: u8) -> u8 {
                x
            }
        );
        let out = require_token(quote!(kind = "nope"), item.clone()).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.ends_with(&item.to_string()), "{out}");
        assert!(!out.contains("__auth_guard"));
    }
}
