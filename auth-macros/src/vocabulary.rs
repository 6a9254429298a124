//! `vocabulary!`: the scope names and custom claims an application's tokens use, declared
//! once. Reads the declaration, refuses what cannot be a vocabulary (every mistake at
//! once), and expands to the user's `const` plus the item the attribute's checks look up
//! under a fixed name (see [`names`](crate::names)):
//!
//! ```text
//! <attrs> <vis> const <NAME>: Vocabulary = Vocabulary::new(&[scopes], &[claims]);
//! #[doc(hidden)] <vis> const __AUTH_VOCABULARY: InScope = InScope::new(&<NAME>);
//! ```
//!
//! `<vis> use <path>;` brings a vocabulary declared elsewhere into scope: only the second
//! item.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{
    Ident, LitStr, Token, braced, bracketed, ext::IdentExt, parse::ParseStream, spanned::Spanned,
    token,
};

use crate::{
    ctxt::Ctxt,
    suggest::{hint, list, quote_str},
};

const SECTIONS: &[&str] = &["scopes", "claims"];
const TYPES: &[&str] = &[
    "String", "bool", "i64", "u64", "i32", "u32", "f64", "Json", "Value", "Vec",
];
const INTEGERS: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
];
/// Claims the library sets itself (`auth_runtime::REGISTERED_CLAIMS`).
const REGISTERED: &[&str] = &[
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "type", "scope", "fresh", "fam",
];

/// The whole macro: read, check, expand; on any error, the errors alone.
pub(crate) fn vocabulary(input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let output = match syn::parse::Parser::parse2(|input: ParseStream| read(input, &mut cx), input)
    {
        Ok(output) => output,
        Err(e) => {
            cx.push(e);
            TokenStream::new()
        }
    };
    match cx.finish() {
        Ok(()) => output,
        Err(errors) => errors.into_compile_error(),
    }
}

fn read(input: ParseStream, cx: &mut Ctxt) -> syn::Result<TokenStream> {
    let attrs = input.call(syn::Attribute::parse_outer)?;
    let vis: syn::Visibility = input.parse()?;
    let in_scope = quote!(::auth_runtime::__private::vocabulary::InScope);
    if input.peek(Token![use]) {
        input.parse::<Token![use]>()?;
        let path: syn::Path = input.parse()?;
        input.parse::<Option<Token![;]>>()?;
        let span = path.span();
        return Ok(quote_spanned! {span=>
            #(#attrs)*
            #[allow(dead_code)]
            #vis const __AUTH_VOCABULARY: #in_scope = #in_scope::new(&#path);
        });
    }
    if !input.peek(Token![const]) {
        return Err(input.error(
            "expected `const NAME = { scopes: [...], claims: { ... } };` or `use path::TO::VOCABULARY;`",
        ));
    }
    input.parse::<Token![const]>()?;
    let name: Ident = input.parse()?;
    input.parse::<Token![=]>()?;
    let content;
    let braces = braced!(content in input);
    input.parse::<Option<Token![;]>>()?;
    let (scopes, claims) = read_sections(&content, braces.span.join(), cx)?;
    if !input.is_empty() {
        return Err(input.error("one vocabulary per `vocabulary!`"));
    }
    let claims = claims_tokens(&claims);
    Ok(quote! {
        #(#attrs)*
        #vis const #name: ::auth_runtime::Vocabulary =
            ::auth_runtime::Vocabulary::new(&[#(#scopes),*], #claims);

        #[doc(hidden)]
        #[allow(dead_code)]
        #vis const __AUTH_VOCABULARY: #in_scope = #in_scope::new(&#name);
    })
}

/// A declared claim: its name and type.
struct Claim {
    name: String,
    ty: Type,
}

enum Type {
    String,
    Integer,
    Number,
    Bool,
    Any,
    Array(Box<Type>),
    Map(Vec<Claim>),
}

fn read_sections(
    input: ParseStream,
    span: Span,
    cx: &mut Ctxt,
) -> syn::Result<(Vec<String>, Vec<Claim>)> {
    let mut scopes: Vec<String> = Vec::new();
    let mut claims = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    while !input.is_empty() {
        let section = Ident::parse_any(input)?;
        let name = section.to_string();
        input.parse::<Token![:]>()?;
        if seen.contains(&name) {
            cx.error(section.span(), format!("`{name}` given more than once"));
        }
        seen.push(name.clone());
        match name.as_str() {
            "scopes" => scopes = read_scopes(input, cx)?,
            "claims" => {
                let content;
                braced!(content in input);
                claims = read_claims(&content, true, cx)?;
            }
            _ => {
                cx.error(
                    section.span(),
                    format!(
                        "unknown section `{name}`; expected {}{}",
                        list(SECTIONS),
                        hint(&name, SECTIONS, false)
                    ),
                );
                input.parse::<proc_macro2::TokenTree>()?;
            }
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    if scopes.is_empty() && claims.is_empty() {
        cx.error(
            span,
            "an empty vocabulary would refuse every name; declare `scopes: [...]`, `claims: { ... }` or both",
        );
    }
    Ok((scopes, claims))
}

fn read_scopes(input: ParseStream, cx: &mut Ctxt) -> syn::Result<Vec<String>> {
    let content;
    bracketed!(content in input);
    let names = content.parse_terminated(<LitStr as syn::parse::Parse>::parse, Token![,])?;
    let mut scopes: Vec<String> = Vec::new();
    for lit in names {
        let name = lit.value();
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            cx.error(
                lit.span(),
                "a scope name is one non-empty word without spaces",
            );
        } else if scopes.contains(&name) {
            cx.error(
                lit.span(),
                format!("scope `{}` declared more than once", quote_str(&name)),
            );
        } else {
            scopes.push(name);
        }
    }
    Ok(scopes)
}

fn read_claims(input: ParseStream, top: bool, cx: &mut Ctxt) -> syn::Result<Vec<Claim>> {
    let mut claims: Vec<Claim> = Vec::new();
    while !input.is_empty() {
        let (name, span) = if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            (lit.value(), lit.span())
        } else {
            let ident = Ident::parse_any(input)?;
            (ident.unraw().to_string(), ident.span())
        };
        input.parse::<Token![:]>()?;
        let ty = read_type(input, cx)?;
        if top && REGISTERED.contains(&name.as_str()) {
            cx.error(
                span,
                format!(
                    "`{name}` is a registered claim, set by the library itself; a vocabulary \
                     declares custom claims (registered: {})",
                    list(REGISTERED)
                ),
            );
        } else if name.is_empty() {
            cx.error(span, "a claim name cannot be empty");
        } else if claims.iter().any(|c| c.name == name) {
            cx.error(span, format!("claim `{name}` declared more than once"));
        } else if let Some(ty) = ty {
            claims.push(Claim { name, ty });
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(claims)
}

/// A claim's type: `String`, `bool`, an integer type, `f32`/`f64`, `Json` or
/// `serde_json::Value`, `[T]` or `Vec<T>`, `{ key: T, ... }`. `None` once reported.
fn read_type(input: ParseStream, cx: &mut Ctxt) -> syn::Result<Option<Type>> {
    if input.peek(token::Brace) {
        let content;
        braced!(content in input);
        return Ok(Some(Type::Map(read_claims(&content, false, cx)?)));
    }
    let ty: syn::Type = input.parse()?;
    Ok(interpret(&ty, cx))
}

fn interpret(ty: &syn::Type, cx: &mut Ctxt) -> Option<Type> {
    let unknown = |cx: &mut Ctxt, name: &str| {
        cx.error(
            ty.span(),
            format!(
                "unknown claim type `{name}`; expected `String`, `bool`, an integer type \
                 (`i64`, `u32`...), `f64`, `Json` (any value), `[T]`, `Vec<T>` or \
                 `{{ key: T, ... }}`{}",
                hint(name, TYPES, false)
            ),
        );
        None
    };
    let path = match ty {
        syn::Type::Slice(slice) => return interpret(&slice.elem, cx).map(array),
        syn::Type::Path(p) if p.qself.is_none() => &p.path,
        other => {
            let text = quote!(#other).to_string();
            return unknown(cx, &text);
        }
    };
    let last = path.segments.last()?;
    let name = last.ident.to_string();
    match (name.as_str(), &last.arguments) {
        ("Vec", syn::PathArguments::AngleBracketed(args)) if args.args.len() == 1 => {
            match &args.args[0] {
                syn::GenericArgument::Type(item) => interpret(item, cx).map(array),
                _ => unknown(cx, "Vec<...>"),
            }
        }
        (_, syn::PathArguments::None) => match name.as_str() {
            "String" | "str" => Some(Type::String),
            "bool" => Some(Type::Bool),
            "f32" | "f64" => Some(Type::Number),
            "Json" | "Value" => Some(Type::Any),
            n if INTEGERS.contains(&n) => Some(Type::Integer),
            _ => unknown(cx, &name),
        },
        _ => unknown(cx, &quote!(#path).to_string()),
    }
}

fn array(item: Type) -> Type {
    Type::Array(Box::new(item))
}

fn claims_tokens(claims: &[Claim]) -> TokenStream {
    let claims = claims.iter().map(|c| {
        let name = &c.name;
        let ty = type_tokens(&c.ty);
        quote!(::auth_runtime::Claim::new(#name, #ty))
    });
    quote!(&[#(#claims),*])
}

fn type_tokens(ty: &Type) -> TokenStream {
    let variant = match ty {
        Type::String => quote!(String),
        Type::Integer => quote!(Integer),
        Type::Number => quote!(Number),
        Type::Bool => quote!(Bool),
        Type::Any => quote!(Any),
        Type::Array(item) => {
            let item = type_tokens(item);
            quote!(Array(&#item))
        }
        Type::Map(claims) => {
            let claims = claims_tokens(claims);
            quote!(Map(#claims))
        }
    };
    quote!(::auth_runtime::ClaimType::#variant)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn errors(input: TokenStream) -> Vec<String> {
        let out = vocabulary(input).to_string();
        out.split("compile_error !")
            .skip(1)
            .map(|e| e.to_owned())
            .collect()
    }

    #[test]
    fn a_declaration_expands_to_the_const_and_the_item_in_scope() {
        let out = vocabulary(quote! {
            /// Docs.
            pub const VOCABULARY = {
                scopes: ["users:read"],
                claims: { tenant: String, level: i64, roles: [String], org: { id: u32 }, any: serde_json::Value, tags: Vec<String> },
            };
        })
        .to_string();
        assert!(out.contains("pub const VOCABULARY"), "{out}");
        assert!(out.contains("pub const __AUTH_VOCABULARY"), "{out}");
        assert!(
            out.contains("ClaimType :: Array (& :: auth_runtime :: ClaimType :: String)"),
            "{out}"
        );
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn a_vocabulary_from_elsewhere_is_brought_into_scope() {
        let out = vocabulary(quote!(
            use crate::auth::VOCABULARY;
        ))
        .to_string();
        assert!(out.contains("const __AUTH_VOCABULARY"), "{out}");
        assert!(out.contains("new (& crate :: auth :: VOCABULARY)"), "{out}");
    }

    #[test]
    fn every_mistake_is_reported() {
        let e = errors(quote! {
            const V = {
                scopes: ["a", "a", "b c"],
                claim: {},
                claims: { sub: String, n: i46, n: i64, m: { x: Strin } },
            };
        });
        assert_eq!(e.len(), 6, "{e:#?}");
        assert!(e[2].contains("did you mean `claims`"), "{e:#?}");
        assert!(e[3].contains("`sub` is a registered claim"), "{e:#?}");
        assert!(e[4].contains("did you mean `i64`"), "{e:#?}");
        assert!(e[5].contains("did you mean `String`"), "{e:#?}");
    }
}
