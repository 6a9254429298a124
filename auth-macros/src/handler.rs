//! The item under the attribute: it must be an `async fn` without a `self` receiver.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;

use crate::ctxt::Ctxt;

/// Parses the handler, recording what makes it unusable as a guarded axum handler.
pub(crate) fn parse_handler(item: TokenStream, cx: &mut Ctxt) -> Option<syn::ItemFn> {
    match syn::parse2::<syn::Item>(item) {
        Ok(syn::Item::Fn(handler)) => {
            if handler.sig.asyncness.is_none() {
                cx.error(
                    handler.sig.fn_token.span,
                    "`#[require_token]` requires an `async fn`: write `async fn` (axum handlers are async)",
                );
            }
            if let Some(receiver) = handler.sig.receiver() {
                cx.error(
                    receiver.span(),
                    "`#[require_token]` cannot guard a method that takes `self`; \
                     axum handlers are free `async fn`s",
                );
            }
            Some(handler)
        }
        Ok(other) => {
            cx.error(
                other.span(),
                "`#[require_token]` applies to an `async fn` handler only",
            );
            None
        }
        Err(e) => {
            cx.push(e);
            None
        }
    }
}
