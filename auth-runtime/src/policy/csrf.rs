//! Cross-site request forgery: what a request whose token came from a cookie must show
//! about its origin before an unsafe method (anything but `GET`, `HEAD`, `OPTIONS`) may
//! run. Tokens from a header or the query are not sent by browsers on their own, so they
//! are never checked.
//!
//! The default, [`CsrfProtection::FetchMetadata`], follows Go 1.25's
//! `CrossOriginProtection`:
//!
//! 1. `Sec-Fetch-Site: same-origin` or `none` passes; `same-site` (a sibling subdomain,
//!    another port) and `cross-site` pass only when the `Origin` is trusted.
//! 2. Without `Sec-Fetch-Site`, an `Origin` must name the request's own `Host` or a
//!    trusted origin; `Origin: null` never passes.
//! 3. A request with neither header (not from a browser, or through a proxy that strips
//!    both) passes; [`CsrfProtection::Strict`] refuses it.
//!
//! [`CsrfProtection::DoubleSubmit`] is Flask-JWT-Extended's scheme, for a migration: the
//! token's `csrf` claim must be repeated in the `X-CSRF-TOKEN` header.

use axum::http::{HeaderMap, Method, header};

use crate::error::AuthError;

/// How routes that read a token from a cookie are protected against cross-site requests.
/// Set with [`AuthManagerBuilder::csrf`](crate::AuthManagerBuilder::csrf).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CsrfProtection {
    /// `Sec-Fetch-Site` and `Origin` checks (the default); requests that carry neither
    /// pass.
    #[default]
    FetchMetadata,
    /// As `FetchMetadata`, and a request that carries neither header is refused.
    Strict,
    /// Flask-JWT-Extended's double submit: the `X-CSRF-TOKEN` header must equal the
    /// token's `csrf` claim.
    DoubleSubmit,
    /// No check. Only for services that no browser calls with cookies.
    Off,
}

/// The manager's CSRF settings: the mode and the origins trusted to send unsafe requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct CsrfPolicy {
    mode: CsrfProtection,
    /// Lower-cased `scheme://host[:port]`.
    trusted: Vec<String>,
}

/// The header of Flask-JWT-Extended's double submit.
const DOUBLE_SUBMIT_HEADER: &str = "x-csrf-token";

impl CsrfPolicy {
    /// A policy; `trusted` are origins checked by [`parse_origin`].
    pub(crate) fn new(mode: CsrfProtection, trusted: Vec<String>) -> Self {
        Self { mode, trusted }
    }

    /// Whether the request may go on, judged before its cookie token is verified.
    pub(crate) fn check_request(
        &self,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<(), AuthError> {
        if is_safe(method) {
            return Ok(());
        }
        match self.mode {
            CsrfProtection::Off | CsrfProtection::DoubleSubmit => Ok(()),
            CsrfProtection::FetchMetadata => self.check_origin(headers, false),
            CsrfProtection::Strict => self.check_origin(headers, true),
        }
    }

    /// The double-submit check, once the token's claims are known.
    pub(crate) fn check_claim(
        &self,
        method: &Method,
        headers: &HeaderMap,
        csrf_claim: Option<&str>,
    ) -> Result<(), AuthError> {
        if self.mode != CsrfProtection::DoubleSubmit || is_safe(method) {
            return Ok(());
        }
        let mut sent = headers.get_all(DOUBLE_SUBMIT_HEADER).iter();
        let (Some(sent), None, Some(claim)) = (sent.next(), sent.next(), csrf_claim) else {
            return Err(AuthError::CrossSiteRequest);
        };
        if claim.is_empty() || !constant_time_eq(sent.as_bytes(), claim.as_bytes()) {
            return Err(AuthError::CrossSiteRequest);
        }
        Ok(())
    }

    fn check_origin(&self, headers: &HeaderMap, strict: bool) -> Result<(), AuthError> {
        let origin = single(headers, header::ORIGIN);
        let trusted = origin.is_some_and(|o| self.is_trusted(o));
        match single(headers, "sec-fetch-site") {
            Some(b"same-origin" | b"none") => return Ok(()),
            Some(_) if trusted => return Ok(()),
            Some(_) => return Err(AuthError::CrossSiteRequest),
            None => {}
        }
        let Some(origin) = origin else {
            return if strict {
                Err(AuthError::CrossSiteRequest)
            } else {
                Ok(())
            };
        };
        let host = single(headers, header::HOST);
        let same_host = origin_host(origin)
            .zip(host)
            .is_some_and(|(o, h)| o.eq_ignore_ascii_case(h));
        if same_host || trusted {
            Ok(())
        } else {
            Err(AuthError::CrossSiteRequest)
        }
    }

    fn is_trusted(&self, origin: &[u8]) -> bool {
        self.trusted
            .iter()
            .any(|t| t.as_bytes().eq_ignore_ascii_case(origin))
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The one value of `name`; a repeated header counts as absent-and-suspicious, so it is
/// returned as an empty value that matches nothing.
fn single(headers: &HeaderMap, name: impl axum::http::header::AsHeaderName) -> Option<&[u8]> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    if values.next().is_some() {
        return Some(b"");
    }
    Some(first.as_bytes())
}

/// The `host[:port]` of an `Origin` value (`scheme://host[:port]`); `None` for `null` or
/// anything else.
fn origin_host(origin: &[u8]) -> Option<&[u8]> {
    let text = std::str::from_utf8(origin).ok()?;
    let (scheme, rest) = text.split_once("://")?;
    let ok = matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', '@']);
    ok.then_some(rest.as_bytes())
}

/// Checks a configured trusted origin: `scheme://host[:port]`, nothing more. Lower-cases
/// it for comparison.
pub(crate) fn parse_origin(origin: &str) -> Option<String> {
    origin_host(origin.as_bytes()).map(|_| origin.to_ascii_lowercase())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a, b).is_ok()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_static(v));
        }
        map
    }

    /// Go's `csrf_test.go`, as a table: method, headers → passes.
    #[test]
    fn fetch_metadata_table() {
        let policy = CsrfPolicy::new(
            CsrfProtection::FetchMetadata,
            vec![parse_origin("https://app.example.com").unwrap()],
        );
        let strict = CsrfPolicy::new(CsrfProtection::Strict, Vec::new());
        const H: &str = "host";
        type Headers = &'static [(&'static str, &'static str)];
        let cases: &[(Method, Headers, bool, bool)] = &[
            // method, headers, passes (default), passes (strict)
            (Method::GET, &[("sec-fetch-site", "cross-site")], true, true),
            (
                Method::HEAD,
                &[("origin", "https://evil.example")],
                true,
                true,
            ),
            (Method::OPTIONS, &[("origin", "null")], true, true),
            (
                Method::POST,
                &[("sec-fetch-site", "same-origin")],
                true,
                true,
            ),
            (Method::POST, &[("sec-fetch-site", "none")], true, true),
            (
                Method::POST,
                &[("sec-fetch-site", "same-site")],
                false,
                false,
            ),
            (
                Method::POST,
                &[("sec-fetch-site", "cross-site")],
                false,
                false,
            ),
            (
                Method::DELETE,
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://evil.example"),
                ],
                false,
                false,
            ),
            (
                Method::POST,
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://APP.example.com"),
                ],
                true,
                false,
            ),
            (
                Method::PUT,
                &[("origin", "http://svc.local:8080"), (H, "svc.local:8080")],
                true,
                true,
            ),
            (
                Method::PUT,
                &[("origin", "http://svc.local:8081"), (H, "svc.local:8080")],
                false,
                false,
            ),
            (
                Method::POST,
                &[("origin", "null"), (H, "svc.local")],
                false,
                false,
            ),
            (
                Method::POST,
                &[("origin", "https://app.example.com"), (H, "svc.local")],
                true,
                false,
            ),
            (
                Method::POST,
                &[("origin", "http://svc.local/path"), (H, "svc.local")],
                false,
                false,
            ),
            (Method::POST, &[(H, "svc.local")], true, false),
            (Method::PATCH, &[], true, false),
            (
                Method::POST,
                &[
                    ("sec-fetch-site", "same-origin"),
                    ("sec-fetch-site", "cross-site"),
                ],
                false,
                false,
            ),
        ];
        for (method, hs, default, strict_passes) in cases {
            let map = headers(hs);
            assert_eq!(
                policy.check_request(method, &map).is_ok(),
                *default,
                "{method} {hs:?}"
            );
            if !hs
                .iter()
                .any(|(k, v)| *k == "origin" && v.contains("app.example"))
            {
                assert_eq!(
                    strict.check_request(method, &map).is_ok(),
                    *strict_passes,
                    "strict {method} {hs:?}"
                );
            }
        }
    }

    #[test]
    fn double_submit_compares_the_header_with_the_claim() {
        let policy = CsrfPolicy::new(CsrfProtection::DoubleSubmit, Vec::new());
        let post = Method::POST;
        let with = headers(&[("x-csrf-token", "abc")]);
        assert!(policy.check_claim(&post, &with, Some("abc")).is_ok());
        assert!(policy.check_claim(&post, &with, Some("abd")).is_err());
        assert!(policy.check_claim(&post, &with, None).is_err());
        assert!(
            policy
                .check_claim(&post, &HeaderMap::new(), Some("abc"))
                .is_err()
        );
        assert!(
            policy
                .check_claim(&Method::GET, &HeaderMap::new(), None)
                .is_ok()
        );
        // The Fetch Metadata step is not this mode's.
        let cross = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(policy.check_request(&post, &cross).is_ok());
    }

    #[test]
    fn trusted_origins_are_bare_origins() {
        assert_eq!(
            parse_origin("https://App.Example.com:8443").as_deref(),
            Some("https://app.example.com:8443")
        );
        for bad in [
            "app.example.com",
            "https://",
            "https://a/b",
            "ftp://a",
            "null",
            "https://u@a",
        ] {
            assert_eq!(parse_origin(bad), None, "{bad}");
        }
    }
}
