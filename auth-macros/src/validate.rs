//! Validation: the rules that look at more than one argument. Per-argument rules live in
//! `parse.rs`, next to the argument they check.

use crate::{
    ctxt::Ctxt,
    model::{Credential, Kind, Spec},
};

pub(crate) fn validate(spec: &Spec, cx: &mut Ctxt) {
    validate_credentials(spec, cx);
    if spec.kind == Kind::Refresh {
        if let Some(span) = spec.scope_span {
            cx.error(
                span,
                "`scope(...)` cannot apply to `kind = \"refresh\"`: refresh tokens carry no scope",
            );
        }
        if let Some(span) = spec.fresh {
            cx.error(
                span,
                "`fresh` cannot apply to `kind = \"refresh\"`: only auth tokens are fresh",
            );
        }
    }
    if let Some(span) = spec.override_span {
        let nothing_to_override = spec.bindings.is_empty()
            && spec.claims.is_empty()
            && spec.scope.is_empty()
            && spec.scope_names.is_empty();
        if nothing_to_override {
            cx.error(
                span,
                "`override(...)` has nothing to override: it waives path bindings, `claims(...)` \
                 and `scope(...)`, and this route requires none of them",
            );
        }
    }
    for binding in &spec.bindings {
        if spec.claims.iter().any(|c| c.key == binding.claim) {
            cx.error(
                binding.claim_span,
                format!(
                    "claim `{}` is both bound to path parameter `{}` and required in `claims(...)`; keep one",
                    binding.claim, binding.param
                ),
            );
        }
    }
}

/// Options that an API key can never meet: it is always an auth credential, never
/// fresh, and travels in a header of its own.
fn validate_credentials(spec: &Spec, cx: &mut Ctxt) {
    if !spec.credentials.contains(&Credential::ApiKey) {
        return;
    }
    if let (Kind::Refresh, Some(span)) = (spec.kind, spec.kind_span) {
        cx.error(
            span,
            "`kind = \"refresh\"` cannot apply to `credential = \"api_key\"`: an API key is \
             never a refresh token",
        );
    }
    if let Some(span) = spec.fresh {
        cx.error(
            span,
            "`fresh` cannot apply to `credential = \"api_key\"`: an API key is never minted at a \
             login",
        );
    }
    let only_api_keys = spec.credentials == [Credential::ApiKey];
    if let (true, Some(span)) = (only_api_keys, spec.location_span) {
        cx.error(
            span,
            "`location` cannot apply to `credential = \"api_key\"`: API keys travel in their own \
             header (`X-API-Key` unless the manager names another)",
        );
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::*;
    use crate::parse::parse_args;

    fn errors(args: TokenStream) -> Vec<String> {
        let mut cx = Ctxt::default();
        let spec = parse_args(args, &mut cx);
        assert!(cx.finish().is_ok(), "the arguments themselves parse");
        let mut cx = Ctxt::default();
        validate(&spec, &mut cx);
        cx.finish()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn refresh_routes_take_neither_scope_nor_fresh() {
        let e = errors(quote!(kind = "refresh", scope("a"), fresh));
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(errors(quote!(kind = "refresh", sub = "u")).is_empty());
    }

    #[test]
    fn override_needs_something_to_override() {
        assert_eq!(errors(quote!(override(admin = true))).len(), 1);
        assert_eq!(
            errors(quote!(fresh, optional, override(admin = true))).len(),
            1
        );
        assert!(errors(quote!(scope("a"), override(admin = true))).is_empty());
        assert!(errors(quote!(claims(a = 1), override(admin = true))).is_empty());
    }

    #[test]
    fn api_keys_are_never_refresh_tokens_fresh_or_elsewhere() {
        let e = errors(quote!(
            credential = "api_key",
            kind = "refresh",
            location = "cookie"
        ));
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(
            errors(quote!(credential = ["api_key", "jwt"], fresh)).len(),
            1
        );
        assert!(errors(quote!(credential = ["api_key", "jwt"], location = "cookie")).is_empty());
        assert!(
            errors(quote!(
                credential = "opaque",
                kind = "refresh",
                location = "cookie"
            ))
            .is_empty()
        );
    }

    #[test]
    fn a_claim_is_either_bound_or_literal() {
        assert_eq!(errors(quote!(sub = "u", claims(sub = "alice"))).len(), 1);
        assert!(errors(quote!(sub = "u", claims(team = "a"))).is_empty());
    }
}
