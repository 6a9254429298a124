//! Where a request carries its token: the header, cookie and query rules, one case each.

use axum::http::{HeaderValue, Request};

use super::*;

fn sources(default: &[TokenLocation]) -> TokenSources {
    TokenSources {
        header_name: HeaderName::from_static("authorization"),
        scheme: "Bearer".into(),
        cookie_name: "auth_token".into(),
        refresh_cookie_name: "refresh_token".into(),
        query_parameter: "access_token".into(),
        default_locations: default.to_vec(),
        api_key_header: HeaderName::from_static("x-api-key"),
    }
}

fn parts(uri: &str, headers: &[(&str, &[u8])]) -> Parts {
    let mut req = Request::builder().uri(uri);
    for (name, value) in headers {
        req = req.header(*name, HeaderValue::from_bytes(value).expect("test header"));
    }
    req.body(()).expect("test request").into_parts().0
}

fn header(value: &[u8]) -> Result<Option<String>, AuthError> {
    let p = parts("/", &[("authorization", value)]);
    sources(&[TokenLocation::Header])
        .find(&p, &[], TokenKind::Auth)
        .map(|t| t.map(str::to_owned))
}

#[test]
fn bearer_scheme_is_case_insensitive_and_allows_several_spaces() {
    for value in [
        &b"Bearer a.b.c"[..],
        b"bearer a.b.c",
        b"BEARER a.b.c",
        b"Bearer  a.b.c",
    ] {
        assert_eq!(header(value).unwrap().as_deref(), Some("a.b.c"));
    }
}

#[test]
fn malformed_bearer_credentials_are_invalid_tokens() {
    for value in [
        &b"Bearer"[..],
        b"Bearer ",
        b"Bearer\ta.b.c",
        b"Bearer a.b.c ",
        b"Bearer \"a.b.c\"",
        b"Bearer a.b.c, Bearer d.e.f",
        b"Bearer abc\xe9.def.ghi",
        b"Bearer a=b",
    ] {
        assert!(
            matches!(header(value), Err(AuthError::MalformedCredentials)),
            "{:?}",
            String::from_utf8_lossy(value)
        );
    }
}

#[test]
fn other_schemes_count_as_no_token() {
    for value in [
        &b"Basic dXNlcjpwYXNz"[..],
        b"Bearertok",
        b"Token a.b.c",
        b"",
    ] {
        assert_eq!(header(value).unwrap(), None);
    }
}

#[test]
fn two_authorization_headers_are_an_invalid_request() {
    let p = parts(
        "/",
        &[
            ("authorization", b"Bearer a.b.c"),
            ("authorization", b"Bearer d.e.f"),
        ],
    );
    assert!(matches!(
        sources(&[TokenLocation::Header]).find(&p, &[], TokenKind::Auth),
        Err(AuthError::MultipleTokens)
    ));
}

#[test]
fn cookies_are_found_once_across_headers() {
    let s = sources(&[TokenLocation::Cookie]);
    let p = parts("/", &[("cookie", b"a=1; auth_token=x.y.z; b=2")]);
    assert_eq!(s.find(&p, &[], TokenKind::Auth).unwrap(), Some("x.y.z"));
    let p = parts(
        "/",
        &[
            ("cookie", b"auth_token=x.y.z"),
            ("cookie", b"auth_token=q.r.s"),
        ],
    );
    assert!(matches!(
        s.find(&p, &[], TokenKind::Auth),
        Err(AuthError::MultipleTokens)
    ));
    let p = parts("/", &[("cookie", b"auth_token=x.y.z; auth_token=q.r.s")]);
    assert!(matches!(
        s.find(&p, &[], TokenKind::Auth),
        Err(AuthError::MultipleTokens)
    ));
    let p = parts("/", &[("cookie", b"auth_token=\"x.y.z\"")]);
    assert!(matches!(
        s.find(&p, &[], TokenKind::Auth),
        Err(AuthError::MalformedCredentials)
    ));
    let p = parts("/", &[("cookie", b"xauth_token=x.y.z")]);
    assert_eq!(s.find(&p, &[], TokenKind::Auth).unwrap(), None);
    // Each kind has its own cookie: a refresh route never reads the auth cookie.
    let p = parts("/", &[("cookie", b"auth_token=a.b.c; refresh_token=r.s.t")]);
    assert_eq!(s.find(&p, &[], TokenKind::Auth).unwrap(), Some("a.b.c"));
    assert_eq!(s.find(&p, &[], TokenKind::Refresh).unwrap(), Some("r.s.t"));
    let p = parts("/", &[("cookie", b"auth_token=a.b.c")]);
    assert_eq!(s.find(&p, &[], TokenKind::Refresh).unwrap(), None);
}

#[test]
fn query_parameters_are_exact_and_unique() {
    let s = sources(&[TokenLocation::Query]);
    assert_eq!(
        s.find(&parts("/?access_token=a.b.c", &[]), &[], TokenKind::Auth)
            .unwrap(),
        Some("a.b.c")
    );
    assert_eq!(
        s.find(&parts("/?ACCESS_TOKEN=a.b.c", &[]), &[], TokenKind::Auth)
            .unwrap(),
        None
    );
    assert!(matches!(
        s.find(
            &parts("/?access_token=a&access_token=b", &[]),
            &[],
            TokenKind::Auth
        ),
        Err(AuthError::MultipleTokens)
    ));
    assert!(matches!(
        s.find(&parts("/?access_token=", &[]), &[], TokenKind::Auth),
        Err(AuthError::MalformedCredentials)
    ));
    assert!(matches!(
        s.find(&parts("/?access_token=a%2Eb.c", &[]), &[], TokenKind::Auth),
        Err(AuthError::MalformedCredentials)
    ));
}

#[test]
fn query_is_not_read_unless_asked() {
    let s = sources(&[TokenLocation::Header]);
    assert_eq!(
        s.find(&parts("/?access_token=a.b.c", &[]), &[], TokenKind::Auth)
            .unwrap(),
        None
    );
    assert_eq!(
        s.find(
            &parts("/?access_token=a.b.c", &[]),
            &[TokenLocation::Query],
            TokenKind::Auth
        )
        .unwrap(),
        Some("a.b.c")
    );
}

#[test]
fn a_token_in_two_locations_is_an_invalid_request() {
    let s = sources(&[TokenLocation::Header, TokenLocation::Cookie]);
    let p = parts(
        "/",
        &[
            ("authorization", b"Bearer a.b.c"),
            ("cookie", b"auth_token=a.b.c"),
        ],
    );
    assert!(matches!(
        s.find(&p, &[], TokenKind::Auth),
        Err(AuthError::MultipleTokens)
    ));
}
