//! The item under the attribute: it must be an `async fn` without a `self` receiver, and
//! its signature must suit a guarded axum handler (one attribute, the `Option` an optional
//! route needs, the body extractor last).

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::spanned::Spanned;

use crate::{ctxt::Ctxt, model::Spec};

/// What the attribute stands on.
pub(crate) enum Target {
    /// A handler: a free `async fn`.
    Handler(syn::ItemFn),
    /// An `impl` block whose associated handlers carry the attribute.
    Impl(syn::ItemImpl),
}

/// Parses the item, recording what makes it unusable as a guarded axum handler.
pub(crate) fn parse_target(item: TokenStream, cx: &mut Ctxt) -> Option<Target> {
    match syn::parse2::<syn::Item>(item) {
        Ok(syn::Item::Fn(handler)) => Some(Target::Handler(handler)),
        Ok(syn::Item::Impl(block)) => Some(Target::Impl(block)),
        Ok(other) => {
            cx.error(
                other.span(),
                "`#[require_token]` applies to an `async fn` handler (or to an `impl` block \
                 whose handlers carry it)",
            );
            None
        }
        Err(e) => {
            cx.push(e);
            None
        }
    }
}

/// Whether `attr` is a `#[require_token]` (under any path).
pub(crate) fn is_require_token(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "require_token")
}

/// Records why `handler` cannot be an axum handler under `#[<attribute>]`: not `async`,
/// or taking `self`.
pub(crate) fn check_signature(handler: &syn::ItemFn, attribute: &str, cx: &mut Ctxt) {
    if handler.sig.asyncness.is_none() {
        cx.error(
            handler.sig.fn_token.span,
            format!(
                "`#[{attribute}]` requires an `async fn`: write `async fn` (axum handlers are async)"
            ),
        );
    }
    if let Some(receiver) = handler.sig.receiver() {
        cx.error(
            receiver.span(),
            format!(
                "`#[{attribute}]` cannot mark a method that takes `self`; \
                 axum handlers are free `async fn`s"
            ),
        );
    }
}

/// Records every reason `handler` cannot be guarded with `spec`.
pub(crate) fn check_handler(handler: &syn::ItemFn, spec: &Spec, cx: &mut Ctxt) {
    check_signature(handler, "require_token", cx);
    for attr in handler.attrs.iter().filter(|a| is_require_token(a)) {
        cx.error(
            attr.path().span(),
            "`#[require_token]` is given twice on this handler; a route has one requirement: \
             combine them into one `#[require_token(...)]`",
        );
    }
    let types: Vec<&syn::Type> = handler
        .sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            syn::FnArg::Typed(pat) => Some(&*pat.ty),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    if spec.optional.is_some() {
        for ty in types
            .iter()
            .filter(|ty| last_segment(ty) == Some("CurrentToken"))
        {
            cx.error(
                ty.span(),
                "`#[require_token(optional)]` lets requests without a token through, and a plain \
                 `CurrentToken` would refuse them with 401: take `Option<CurrentToken>`",
            );
        }
    }
    let before_last = types.len().saturating_sub(1);
    for ty in &types[..before_last] {
        if last_segment(ty).is_some_and(|n| BODY_EXTRACTORS.contains(&n)) {
            cx.error(
                ty.span(),
                format!(
                    "`{}` reads the request body, so it must be the handler's last argument \
                     (axum runs the body extractor last): move it to the end",
                    ty.to_token_stream().to_string().replace(' ', "")
                ),
            );
        }
    }
}

/// axum extractors that consume the body (`FromRequest`, not `FromRequestParts`).
const BODY_EXTRACTORS: &[&str] = &[
    "Json",
    "Form",
    "String",
    "Bytes",
    "Request",
    "RawForm",
    "Multipart",
    "Body",
];

/// The last path segment of a type, as written: `Json` for `axum::Json<T>`.
fn last_segment(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let name = path.path.segments.last()?.ident.to_string();
    ["CurrentToken"]
        .iter()
        .chain(BODY_EXTRACTORS)
        .find(|known| **known == name)
        .copied()
}
