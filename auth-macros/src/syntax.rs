//! Syntax: the attribute's tokens as a small tree of [`Item`]s (flags, `key = value`,
//! groups, names), with spans kept. Knows no option: [`read`](crate::read) and
//! [`entries`](crate::entries) give the items their meaning.

use proc_macro2::Span;
use syn::{
    Ident, LitBool, LitFloat, LitInt, LitStr, Token, bracketed, ext::IdentExt, parenthesized,
    parse::ParseStream, spanned::Spanned, token,
};

/// A key: an identifier (keywords included) or a string literal.
pub(crate) struct Key {
    pub(crate) name: String,
    pub(crate) span: Span,
    /// Written as a string literal (`"sbu" = ...`): taken exactly as written, never
    /// taken for a misspelt option or claim.
    pub(crate) quoted: bool,
}

pub(crate) enum Item {
    /// `fresh`
    Flag(Key),
    /// `kind = "refresh"`
    Assign(Key, RawValue),
    /// `scope(admin = true)`
    Group(Key, Vec<Item>),
    /// `"users:read"` inside `scope(...)`
    Name(LitStr),
}

pub(crate) enum RawValue {
    Str(LitStr),
    Int(i64, Span),
    Bool(LitBool),
    Array(Vec<RawValue>, Span),
    /// Anything else: a float, a path, an expression. Kept to report it, with a
    /// description of what was found.
    Other(Span, String),
}

impl RawValue {
    pub(crate) fn span(&self) -> Span {
        match self {
            Self::Str(l) => l.span(),
            Self::Int(_, s) | Self::Array(_, s) | Self::Other(s, _) => *s,
            Self::Bool(b) => b.span,
        }
    }
}

pub(crate) fn parse_items(input: ParseStream) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(parse_item(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(items)
}

pub(crate) fn parse_item(input: ParseStream) -> syn::Result<Item> {
    let key = if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        if !input.peek(Token![=]) {
            return Ok(Item::Name(lit));
        }
        Key {
            name: lit.value(),
            span: lit.span(),
            quoted: true,
        }
    } else if input.peek(Ident::peek_any) {
        let ident = Ident::parse_any(input)?;
        Key {
            name: ident.unraw().to_string(),
            span: ident.span(),
            quoted: false,
        }
    } else {
        return Err(input.error(
            "expected an option such as `kind = \"refresh\"`, `scope(...)` or `fresh`, \
             or a path binding such as `sub = \"username\"`",
        ));
    };
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        Ok(Item::Assign(key, parse_value(input)?))
    } else if input.peek(token::Paren) {
        let content;
        parenthesized!(content in input);
        Ok(Item::Group(key, parse_items(&content)?))
    } else {
        Ok(Item::Flag(key))
    }
}

pub(crate) fn parse_value(input: ParseStream) -> syn::Result<RawValue> {
    if input.peek(LitStr) {
        return input.parse().map(RawValue::Str);
    }
    if input.peek(LitBool) {
        return input.parse().map(RawValue::Bool);
    }
    if input.peek(LitInt) || (input.peek(Token![-]) && input.peek2(LitInt)) {
        let negative = input.parse::<Option<Token![-]>>()?.is_some();
        let lit: LitInt = input.parse()?;
        let span = lit.span();
        let digits = if negative {
            format!("-{}", lit.base10_digits())
        } else {
            lit.base10_digits().to_owned()
        };
        return match digits.parse::<i64>() {
            Ok(n) => Ok(RawValue::Int(n, span)),
            Err(_) => Ok(RawValue::Other(
                span,
                format!("`{digits}`, an integer outside the 64-bit signed range"),
            )),
        };
    }
    if input.peek(LitFloat) {
        let lit: LitFloat = input.parse()?;
        return Ok(RawValue::Other(lit.span(), format!("`{lit}`, a float")));
    }
    if input.peek(token::Bracket) {
        let content;
        let brackets = bracketed!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(parse_value(&content)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        return Ok(RawValue::Array(items, brackets.span.join()));
    }
    let expr: syn::Expr = input.parse()?;
    let text = quote::ToTokens::to_token_stream(&expr).to_string();
    Ok(RawValue::Other(
        expr.span(),
        format!(
            "`{text}`, which is not a literal (the attribute cannot read constants or expressions)"
        ),
    ))
}

/// Where an item stands, for messages about it as a whole.
pub(crate) fn item_span(item: &Item) -> Span {
    match item {
        Item::Flag(k) | Item::Group(k, _) => k.span,
        Item::Assign(_, v) => v.span(),
        Item::Name(l) => l.span(),
    }
}
