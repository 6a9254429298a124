//! OpenAPI (feature `utoipa`): when `#[require_token]` stands above `#[utoipa::path(...)]`,
//! it rewrites that attribute so the spec says what the guard enforces, without the user
//! repeating it:
//!
//! - `responses(...)` gains the refusals this requirement can answer (401 always; 403 when
//!   there are bindings, `claims`, `scope` or a cookie location (CSRF); 400 when more than
//!   one location is read; 503 when the token store cannot answer), each only if the user
//!   did not write that status already. utoipa replaces a repeated `responses(...)`, so the
//!   refusals are merged into the user's group rather than added as a second one.
//! - `security(...)` is added when the user wrote none: one requirement per location
//!   (`bearer`, `cookie`, `query`, the schemes `auth_runtime::openapi::SecuritySchemes`
//!   registers) with the route's scope names; `optional` adds the empty requirement first.
//!
//! An attribute above `#[require_token]` has expanded already and cannot be edited: the
//! order is documented on the attribute.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;

use crate::model::{Credential, Location, Spec};

/// Rewrites the `#[utoipa::path(...)]` among `attrs`, if there is one.
pub(crate) fn document(spec: &Spec, attrs: &mut [syn::Attribute], private: &TokenStream) {
    for attr in attrs {
        if !is_utoipa_path(attr) {
            continue;
        }
        if let syn::Meta::List(list) = &mut attr.meta {
            list.tokens = rewrite(spec, list.tokens.clone(), private);
        }
    }
}

fn is_utoipa_path(attr: &syn::Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments == ["utoipa", "path"]
}

/// The arguments of `#[utoipa::path(...)]`, with our responses and security merged in.
fn rewrite(spec: &Spec, args: TokenStream, private: &TokenStream) -> TokenStream {
    let mut parts = split_top_level(args);
    let mut has_security = false;
    let mut responses_at = None;
    for (i, part) in parts.iter().enumerate() {
        match leading_group(part) {
            Some(("security", _)) => has_security = true,
            Some(("responses", _)) => responses_at = Some(i),
            _ => {}
        }
    }
    let written = responses_at
        .and_then(|i| leading_group(&parts[i]).map(|(_, g)| statuses(g.stream())))
        .unwrap_or_default();
    let ours: Vec<TokenStream> = refusals(spec, private)
        .into_iter()
        .filter(|(status, _)| !written.contains(status))
        .map(|(_, tuple)| tuple)
        .collect();
    match responses_at {
        Some(i) => {
            let Some((_, group)) = leading_group(&parts[i]) else {
                unreachable!("found above")
            };
            let mut inner = group.stream();
            if !ours.is_empty() {
                if !inner.is_empty() {
                    inner.extend(quote!(,));
                }
                inner.extend(quote!(#(#ours),*));
            }
            let group = Group::new(Delimiter::Parenthesis, inner);
            parts[i] = quote!(responses #group);
        }
        None if !ours.is_empty() => parts.push(quote!(responses(#(#ours),*))),
        None => {}
    }
    if !has_security {
        parts.push(security(spec));
    }
    let mut out = TokenStream::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.extend(quote!(,));
        }
        out.extend(part);
    }
    out
}

/// The statuses this requirement can refuse with, as utoipa response tuples.
fn refusals(spec: &Spec, private: &TokenStream) -> Vec<(u16, TokenStream)> {
    let body = quote!(#private::AuthErrorBody);
    let mut out = vec![(
        401,
        quote!((status = 401, description = "no token, or a token that is invalid, expired, revoked or of the wrong kind", body = #body)),
    )];
    let checks_claims = !spec.bindings.is_empty()
        || !spec.claims.is_empty()
        || !spec.scope.is_empty()
        || !spec.scope_names.is_empty();
    if checks_claims || spec.locations.contains(&Location::Cookie) {
        out.push((
            403,
            quote!((status = 403, description = "the token does not meet this route's requirement, or a cross-site request carried a cookie token", body = #body)),
        ));
    }
    let api_key_beside_bearer = spec.credentials.contains(&Credential::ApiKey)
        && spec.credentials.iter().any(|c| *c != Credential::ApiKey);
    if spec.locations.len() > 1 || api_key_beside_bearer {
        out.push((
            400,
            quote!((status = 400, description = "more than one credential in the request", body = #body)),
        ));
    }
    out.push((
        503,
        quote!((status = 503, description = "the token store cannot answer; retry after the `Retry-After` delay", body = #body)),
    ));
    out
}

fn security(spec: &Spec) -> TokenStream {
    let scopes = &spec.scope_names;
    let locations = if spec.locations.is_empty() {
        vec![Location::Header]
    } else {
        spec.locations.clone()
    };
    let mut requirements: Vec<TokenStream> = Vec::new();
    if spec.optional.is_some() {
        requirements.push(quote!(()));
    }
    let accepts = |c: Credential| {
        spec.credentials.contains(&c) || (spec.credentials.is_empty() && c == Credential::Jwt)
    };
    let bearer = accepts(Credential::Jwt) || accepts(Credential::Opaque);
    for location in locations.into_iter().filter(|_| bearer) {
        let scheme = match location {
            Location::Header => "bearer",
            Location::Cookie => "cookie",
            Location::Query => "query",
        };
        requirements.push(quote!((#scheme = [#(#scopes),*])));
    }
    if accepts(Credential::ApiKey) {
        requirements.push(quote!(("api_key" = [#(#scopes),*])));
    }
    quote!(security(#(#requirements),*))
}

/// Splits `a, b(c, d), e` into `a`, `b(c, d)`, `e`.
fn split_top_level(args: TokenStream) -> Vec<TokenStream> {
    let mut parts = Vec::new();
    let mut current = TokenStream::new();
    for tt in args {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
            }
            _ => current.extend([tt]),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// `name(...)`: the name and the parenthesized group.
fn leading_group(part: &TokenStream) -> Option<(&'static str, Group)> {
    let mut tokens = part.clone().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(group)), None) =
        (tokens.next(), tokens.next(), tokens.next())
    else {
        return None;
    };
    if group.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    let name = match name.to_string().as_str() {
        "responses" => "responses",
        "security" => "security",
        _ => return None,
    };
    Some((name, group))
}

/// The `status = N` values written in the user's response tuples.
fn statuses(responses: TokenStream) -> Vec<u16> {
    let mut found = Vec::new();
    for tt in responses {
        let TokenTree::Group(tuple) = tt else {
            continue;
        };
        let tokens: Vec<TokenTree> = tuple.stream().into_iter().collect();
        for window in tokens.windows(3) {
            if let [
                TokenTree::Ident(key),
                TokenTree::Punct(eq),
                TokenTree::Literal(value),
            ] = window
                && key == "status"
                && eq.as_char() == '='
                && let Ok(status) = value.to_string().trim_matches('"').parse()
            {
                found.push(status);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use proc_macro2::Span;

    use super::*;

    fn private() -> TokenStream {
        quote!(::auth_runtime::__private)
    }

    fn text(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn refusals_merge_into_the_users_responses_and_security_is_added() {
        let spec = Spec {
            scope_names: vec!["users:read".to_owned()],
            ..Spec::default()
        };
        let args = quote!(
            get,
            path = "/users",
            responses(
                (status = 200, body = String),
                (status = 401, description = "mine")
            )
        );
        let out = text(rewrite(&spec, args, &private()));
        assert!(out.contains("(status=200,body=String)"), "{out}");
        assert!(
            out.contains("description=\"mine\""),
            "the user's 401 is kept: {out}"
        );
        assert_eq!(out.matches("status=401").count(), 1, "{out}");
        assert!(
            out.contains("status=403") && out.contains("status=503"),
            "{out}"
        );
        assert!(!out.contains("status=400"), "{out}");
        assert_eq!(
            out.matches("responses(").count(),
            1,
            "merged, not repeated: {out}"
        );
        assert!(
            out.contains("security((\"bearer\"=[\"users:read\"]))"),
            "{out}"
        );
    }

    #[test]
    fn a_users_security_is_kept_and_locations_and_optional_shape_ours() {
        let spec = Spec::default();
        let args = quote!(get, path = "/", security(("mine" = [])));
        let out = text(rewrite(&spec, args, &private()));
        assert!(out.contains("security((\"mine\"=[]))"), "{out}");
        assert_eq!(out.matches("security(").count(), 1, "{out}");
        assert!(out.contains("responses((status=401"), "{out}");

        let spec = Spec {
            optional: Some(Span::call_site()),
            locations: vec![Location::Header, Location::Cookie],
            ..Spec::default()
        };
        let out = text(rewrite(&spec, quote!(get, path = "/"), &private()));
        assert!(
            out.contains("security((),(\"bearer\"=[]),(\"cookie\"=[]))"),
            "{out}"
        );
        assert!(
            out.contains("status=400") && out.contains("status=403"),
            "{out}"
        );
    }
}
