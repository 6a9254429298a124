//! Where a request carries its token, and how it is taken out: strictly, and exactly once.
//!
//! - Header: `Authorization: Bearer <token>` (name and scheme configurable). The scheme is
//!   matched case-insensitively (RFC 9110 §11.1), followed by one or more spaces and a
//!   token of the RFC 6750 `b64token` alphabet. A second header is 400
//!   `invalid_request`; a header with another scheme (`Basic ...`) counts as no token.
//! - Cookie: one cookie of the configured name across all `Cookie` headers; a second one
//!   is 400. The value is taken as it is (no quotes, no percent-decoding).
//! - Query: one parameter of the configured name, matched case-sensitively; a second one
//!   is 400. Off unless a route or the manager asks for it: URLs end up in logs.
//!
//! A token found in two locations a route reads is 400 `invalid_request` (RFC 6750 §2).

use axum::http::{HeaderMap, HeaderName, HeaderValue, header::COOKIE, request::Parts};

use super::TokenKind;
use crate::{config::ConfigError, error::AuthError};

/// A place a route reads its token from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenLocation {
    /// The `Authorization` header (or the configured header), after the scheme.
    Header,
    /// The configured cookie (`auth_token` by default).
    Cookie,
    /// The configured query parameter (`access_token` by default).
    Query,
}

impl TokenLocation {
    /// The name used in `#[require_token(location = "...")]`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Cookie => "cookie",
            Self::Query => "query",
        }
    }
}

/// Where this manager looks for tokens: the header and its scheme, the cookie and query
/// parameter names, and the locations of routes that name none.
pub(crate) struct TokenSources {
    header_name: HeaderName,
    scheme: String,
    cookie_name: String,
    refresh_cookie_name: String,
    query_parameter: String,
    default_locations: Vec<TokenLocation>,
    api_key_header: HeaderName,
}

impl TokenSources {
    /// Checks the names against HTTP's grammar; each error names the builder setting.
    pub(crate) fn new(
        header_name: &str,
        scheme: String,
        cookie_name: String,
        refresh_cookie_name: String,
        query_parameter: String,
        default_locations: Vec<TokenLocation>,
        api_key_header: &str,
    ) -> Result<Self, ConfigError> {
        if default_locations.is_empty() {
            return Err(ConfigError::invalid(
                "token_locations",
                "name at least one location",
            ));
        }
        let header_name = HeaderName::try_from(header_name)
            .map_err(|_| ConfigError::invalid("header_name", "not a valid HTTP header name"))?;
        let api_key_header = HeaderName::try_from(api_key_header)
            .map_err(|_| ConfigError::invalid("api_key_header", "not a valid HTTP header name"))?;
        if api_key_header == header_name {
            return Err(ConfigError::invalid(
                "api_key_header",
                "must differ from `header_name`: API keys travel in a header of their own",
            ));
        }
        if scheme.is_empty() || !scheme.bytes().all(is_tchar) {
            return Err(ConfigError::invalid(
                "scheme",
                "must be a non-empty HTTP token such as `Bearer`",
            ));
        }
        for (setting, name) in [
            ("cookie_name", &cookie_name),
            ("refresh_cookie_name", &refresh_cookie_name),
            ("query_parameter", &query_parameter),
        ] {
            if name.is_empty() || !name.bytes().all(is_tchar) {
                return Err(ConfigError::invalid(
                    setting,
                    "must be a non-empty HTTP token: letters, digits and ``!#$%&'*+-.^_`|~``",
                ));
            }
        }
        if cookie_name == refresh_cookie_name {
            return Err(ConfigError::invalid(
                "refresh_cookie_name",
                "must differ from `cookie_name`: auth and refresh tokens travel in cookies of their own",
            ));
        }
        Ok(Self {
            header_name,
            scheme,
            cookie_name,
            refresh_cookie_name,
            query_parameter,
            default_locations,
            api_key_header,
        })
    }

    /// The API key the request carries in its header (`X-API-Key` by default), `None`
    /// when it carries none; two such headers are 400.
    pub(crate) fn api_key<'a>(&self, headers: &'a HeaderMap) -> Result<Option<&'a str>, AuthError> {
        let Some(value) = only_header(headers, &self.api_key_header)? else {
            return Ok(None);
        };
        value
            .to_str()
            .map(Some)
            .map_err(|_| AuthError::UnknownCredential)
    }

    /// The name of the cookie that carries tokens of `kind`.
    pub(crate) fn cookie_name(&self, kind: TokenKind) -> &str {
        match kind {
            TokenKind::Auth => &self.cookie_name,
            TokenKind::Refresh => &self.refresh_cookie_name,
        }
    }

    /// The one token the request carries in `locations` (the manager's defaults when
    /// empty) and where it was, `None` when it carries none. A cookie is read under the
    /// name of `kind`'s cookie.
    pub(crate) fn locate<'a>(
        &self,
        parts: &'a Parts,
        locations: &[TokenLocation],
        kind: TokenKind,
    ) -> Result<Option<(&'a str, TokenLocation)>, AuthError> {
        let locations = if locations.is_empty() {
            &self.default_locations[..]
        } else {
            locations
        };
        let mut found = None;
        for location in locations {
            let token = match location {
                TokenLocation::Header => self.in_header(&parts.headers)?,
                TokenLocation::Cookie => self.in_cookie(&parts.headers, self.cookie_name(kind))?,
                TokenLocation::Query => self.in_query(parts.uri.query())?,
            };
            if let Some(token) = token {
                if found.is_some() {
                    return Err(AuthError::MultipleTokens);
                }
                found = Some((token, *location));
            }
        }
        Ok(found)
    }

    /// [`locate`](Self::locate), without where.
    #[cfg(test)]
    fn find<'a>(
        &self,
        parts: &'a Parts,
        locations: &[TokenLocation],
        kind: TokenKind,
    ) -> Result<Option<&'a str>, AuthError> {
        Ok(self.locate(parts, locations, kind)?.map(|(token, _)| token))
    }

    fn in_header<'a>(&self, headers: &'a HeaderMap) -> Result<Option<&'a str>, AuthError> {
        let Some(value) = only_header(headers, &self.header_name)? else {
            return Ok(None);
        };
        let value = value.as_bytes();
        let scheme = self.scheme.as_bytes();
        let Some((head, rest)) = value.split_at_checked(scheme.len()) else {
            return Ok(None);
        };
        if !head.eq_ignore_ascii_case(scheme) {
            return Ok(None);
        }
        match rest.first() {
            // `Bearer` alone, or `Bearer <token>`.
            None | Some(b' ') => {}
            // `Bearer\t...`: our scheme, badly separated.
            Some(b'\t') => return Err(AuthError::MalformedCredentials),
            // `Bearertok`, `BearerX ...`: another scheme.
            Some(_) => return Ok(None),
        }
        let token = trim_leading_spaces(rest);
        check_token(token).map(Some)
    }

    pub(crate) fn in_cookie<'a>(
        &self,
        headers: &'a HeaderMap,
        name: &str,
    ) -> Result<Option<&'a str>, AuthError> {
        let name = name.as_bytes();
        let mut found = None;
        for header in headers.get_all(COOKIE) {
            for pair in header.as_bytes().split(|b| *b == b';') {
                let pair = trim_leading_spaces(pair);
                let Some(eq) = pair.iter().position(|b| *b == b'=') else {
                    continue;
                };
                if &pair[..eq] != name {
                    continue;
                }
                if found.is_some() {
                    return Err(AuthError::MultipleTokens);
                }
                let value = trim_trailing_spaces(&pair[eq + 1..]);
                found = Some(check_token(value)?);
            }
        }
        Ok(found)
    }

    fn in_query<'a>(&self, query: Option<&'a str>) -> Result<Option<&'a str>, AuthError> {
        let Some(query) = query else { return Ok(None) };
        let name = self.query_parameter.as_bytes();
        let mut found = None;
        for pair in query.as_bytes().split(|b| *b == b'&') {
            let (key, value) = match pair.iter().position(|b| *b == b'=') {
                Some(eq) => (&pair[..eq], &pair[eq + 1..]),
                None => (pair, &b""[..]),
            };
            if key != name {
                continue;
            }
            if found.is_some() {
                return Err(AuthError::MultipleTokens);
            }
            found = Some(check_token(value)?);
        }
        Ok(found)
    }
}

/// RFC 9110 `tchar`.
/// The one value of header `name`, `None` without one; two are 400.
fn only_header<'a>(
    headers: &'a HeaderMap,
    name: &HeaderName,
) -> Result<Option<&'a HeaderValue>, AuthError> {
    let mut values = headers.get_all(name).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(AuthError::MultipleTokens);
    }
    Ok(first)
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn trim_leading_spaces(mut bytes: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = bytes {
        bytes = rest;
    }
    bytes
}

fn trim_trailing_spaces(mut bytes: &[u8]) -> &[u8] {
    while let [rest @ .., b' '] = bytes {
        bytes = rest;
    }
    bytes
}

/// RFC 6750 §2.1 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
/// Anything else (an empty token, spaces, quotes, commas, non-ASCII) is malformed.
fn check_token(bytes: &[u8]) -> Result<&str, AuthError> {
    let body_len = bytes
        .iter()
        .position(|b| !B64TOKEN[usize::from(*b)])
        .unwrap_or(bytes.len());
    let (body, padding) = bytes.split_at(body_len);
    if body.is_empty() || padding.iter().any(|b| *b != b'=') {
        return Err(AuthError::MalformedCredentials);
    }
    // Only ASCII passed the checks above, so this cannot fail; stay total anyway.
    std::str::from_utf8(bytes).map_err(|_| AuthError::MalformedCredentials)
}

/// Which bytes may stand in a `b64token` before its padding (tokens are read on every
/// request, so this is a table rather than a chain of comparisons).
static B64TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] =
            c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'+' | b'/');
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests;
