//! `#[public]`: the explicit "no token needed" marker. Inserts
//! `__auth_public: Public` as the handler's first argument, so the routing functions of
//! `auth_runtime::routing` accept the handler. Cannot fail once the item is checked.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{parse_quote, spanned::Spanned};

use crate::{
    ctxt::Ctxt,
    expand::finish,
    handler::{check_signature, is_require_token},
};

/// The whole attribute: check the item, insert the marker; on any error, the errors and
/// the user's item.
pub(crate) fn public(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    if !args.is_empty() {
        cx.error(
            args.span(),
            "`#[public]` takes no arguments: it opens the route to every caller \
             (to require a token, write `#[require_token(...)]` instead)",
        );
    }
    let mut handler = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(handler) => handler,
        Err(_) => {
            cx.error(item.span(), "`#[public]` applies to an `async fn` handler");
            return finish(cx, item.clone(), item);
        }
    };
    check_signature(&handler, "public", &mut cx);
    for attr in handler.attrs.iter().filter(|a| is_require_token(a)) {
        cx.error(
            attr.path().span(),
            "a handler is `#[public]` or `#[require_token(...)]`, not both: remove one",
        );
    }
    let marker: syn::FnArg = parse_quote!(__auth_public: ::auth_runtime::__private::Public);
    handler.sig.inputs.insert(0, marker);
    finish(cx, quote!(#handler), item)
}
