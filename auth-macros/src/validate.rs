//! Validation: the rules that look at more than one argument. Per-argument rules live in
//! `parse.rs`, next to the argument they check.

use crate::{
    ctxt::Ctxt,
    model::{Kind, Spec},
};

pub(crate) fn validate(spec: &Spec, cx: &mut Ctxt) {
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
