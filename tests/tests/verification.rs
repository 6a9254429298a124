//! The JWT attack catalogue, classes A-F (shape, algorithm, header, time, claims,
//! parsing), each case asserting the specific rejection through the public API
//! (`AuthManager::verify`), plus proof that an issued token reads correctly in an
//! independent implementation's terms.

mod common;

use auth_runtime::{Algorithm, AuthError, AuthManager, ConfigError, Key, testing::TestToken};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use common::*;
use jsonwebtoken::{Header, errors::ErrorKind};
use serde_json::{Value, json};

fn b64(s: impl AsRef<[u8]>) -> String {
    B64.encode(s)
}

/// The error `verify` gives, panicking if the token is accepted.
#[track_caller]
fn refused(manager: &AuthManager, token: &str) -> AuthError {
    match manager.verify(token) {
        Ok(t) => panic!("accepted a token that must be refused: {t:?}"),
        Err(e) => e,
    }
}

/// Asserts jsonwebtoken refused the token with an error of this kind.
#[track_caller]
fn rejected_with(manager: &AuthManager, token: &str, want: fn(&ErrorKind) -> bool) {
    match refused(manager, token) {
        AuthError::Rejected(e) if want(e.kind()) => {}
        other => panic!("wrong rejection: {other:?}"),
    }
}

#[track_caller]
fn invalid_claim(manager: &AuthManager, token: &str, claim: &str) {
    match refused(manager, token) {
        AuthError::InvalidClaim { claim: c } if c == claim => {}
        other => panic!("expected InvalidClaim({claim}), got {other:?}"),
    }
}

fn is_json(k: &ErrorKind) -> bool {
    matches!(k, ErrorKind::Json(_))
}
fn is_signature(k: &ErrorKind) -> bool {
    matches!(k, ErrorKind::InvalidSignature)
}
fn is_base64_or_shape(k: &ErrorKind) -> bool {
    matches!(
        k,
        ErrorKind::Base64(_) | ErrorKind::InvalidToken | ErrorKind::Json(_) | ErrorKind::Utf8(_)
    )
}

/// Each bad value of `claim`, and its absence, are refused as `InvalidClaim(claim)`.
#[track_caller]
fn claim_is_required_with_type(manager: &AuthManager, claim: &str, bad_values: &[Value]) {
    for bad in bad_values {
        let token = with_claims(|c| {
            c.insert(claim.into(), bad.clone());
        });
        invalid_claim(manager, &token, claim);
    }
    let token = with_claims(|c| {
        c.remove(claim);
    });
    invalid_claim(manager, &token, claim);
}

/// Each value of `claim` is refused, by jsonwebtoken's terms or ours.
#[track_caller]
fn each_value_is_refused(manager: &AuthManager, claim: &'static str, values: &[Value]) {
    for value in values {
        let token = with_claims(|c| {
            c.insert(claim.into(), value.clone());
        });
        let ok = match refused(manager, &token) {
            AuthError::Rejected(_) => true,
            AuthError::InvalidClaim { claim: c } => c == claim,
            other => panic!("{claim} = {value}: {other:?}"),
        };
        assert!(ok, "{claim} = {value}: refused for another claim");
    }
}

fn with_claims(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut c = claims("alice");
    edit(c.as_object_mut().unwrap());
    sign(&c)
}

// ---- A. Token shape and encoding -------------------------------------------------

#[test]
fn a01_a02_a07_missing_empty_or_truncated_signatures() {
    let m = manager();
    let token = sign(&claims("alice"));
    let (input, sig) = token.rsplit_once('.').unwrap();
    rejected_with(&m, input, is_base64_or_shape);
    rejected_with(&m, &format!("{input}."), is_signature);
    let raw = B64.decode(sig).unwrap();
    rejected_with(&m, &format!("{input}.{}", b64(&raw[..16])), is_signature);
}

#[test]
fn a03_wrong_segment_counts_and_dot_floods() {
    let m = manager();
    let token = sign(&claims("alice"));
    rejected_with(&m, &format!("{token}.extra"), is_base64_or_shape);
    rejected_with(&m, "a.b.c.d.e", is_base64_or_shape);
    assert!(matches!(
        refused(&m, &".".repeat(100_000)),
        AuthError::TokenTooLarge
    ));
    rejected_with(&m, &".".repeat(1000), is_base64_or_shape);
}

#[test]
fn a04_empty_and_whitespace_mangled_tokens() {
    let m = manager();
    let token = sign(&claims("alice"));
    assert!(matches!(refused(&m, ""), AuthError::MalformedCredentials));
    for bad in [
        "..".to_owned(),
        format!(" {token}"),
        format!("{token}\n"),
        format!("{token} "),
        format!("Bearer {token}"),
    ] {
        let err = refused(&m, &bad);
        assert!(matches!(err, AuthError::Rejected(_)), "{bad:?}: {err:?}");
    }
}

#[test]
fn a05_a06_padded_or_non_canonical_base64() {
    let m = manager();
    let token = sign(&claims("alice"));
    let (input, sig) = token.rsplit_once('.').unwrap();
    rejected_with(&m, &format!("{input}.{sig}="), is_base64_or_shape);
    // Flip an unused low bit of the last character: same bytes to a lenient decoder.
    let mut chars: Vec<char> = sig.chars().collect();
    let last = chars.pop().unwrap();
    let flipped = match last {
        'A' => 'B',
        'Q' => 'R',
        'g' => 'h',
        'w' => 'x',
        c => (c as u8 ^ 1) as char,
    };
    chars.push(flipped);
    let err = refused(
        &m,
        &format!("{input}.{}", chars.into_iter().collect::<String>()),
    );
    assert!(matches!(err, AuthError::Rejected(_)), "{err:?}");
    let standard = token.replace('-', "+").replace('_', "/");
    if standard != token {
        assert!(matches!(refused(&m, &standard), AuthError::Rejected(_)));
    }
}

#[test]
fn a08_tampered_payload_with_the_original_signature() {
    let m = manager();
    let token = sign(&claims("alice"));
    let parts: Vec<&str> = token.split('.').collect();
    let evil = b64(serde_json::to_vec(&claims("admin")).unwrap());
    rejected_with(
        &m,
        &format!("{}.{evil}.{}", parts[0], parts[2]),
        is_signature,
    );
}

// ---- B. Algorithm attacks ----------------------------------------------------------

#[test]
fn b09_alg_none_in_every_casing() {
    let m = manager();
    let payload = b64(serde_json::to_vec(&claims("alice")).unwrap());
    let original_sig = sign(&claims("alice"))
        .rsplit_once('.')
        .unwrap()
        .1
        .to_owned();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = b64(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        rejected_with(&m, &format!("{header}.{payload}."), is_json);
        rejected_with(&m, &format!("{header}.{payload}.{original_sig}"), is_json);
    }
    let rs = manager_for(Algorithm::RS256);
    let header = b64(r#"{"alg":"none","typ":"JWT"}"#);
    rejected_with(&rs, &format!("{header}.{payload}."), is_json);
}

#[test]
fn b10_malformed_alg() {
    let m = manager();
    let payload = b64(serde_json::to_vec(&claims("alice")).unwrap());
    for alg in [
        r#""""#,
        r#""HS256 ""#,
        r#""hs256""#,
        r#""HS-256""#,
        "null",
        r#"["HS256"]"#,
    ] {
        let header = b64(format!(r#"{{"alg":{alg},"typ":"JWT"}}"#));
        rejected_with(&m, &format!("{header}.{payload}.sig"), is_json);
    }
    rejected_with(
        &m,
        &format!("{}.{payload}.sig", b64(r#"{"typ":"JWT"}"#)),
        is_json,
    );
}

#[test]
fn b11_algorithm_substitution_inside_a_family() {
    let hs = manager();
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        let token = jsonwebtoken::encode(
            &Header::new(alg),
            &claims("alice"),
            &jsonwebtoken::EncodingKey::from_secret(&hmac_secret(Algorithm::HS256)),
        )
        .unwrap();
        rejected_with(&hs, &token, |k| matches!(k, ErrorKind::InvalidAlgorithm));
    }
    let rs = manager_for(Algorithm::RS256);
    for alg in [Algorithm::PS256, Algorithm::RS512] {
        let token = jsonwebtoken::encode(
            &Header::new(alg),
            &claims("alice"),
            &encoding_key(Algorithm::RS256),
        )
        .unwrap();
        rejected_with(&rs, &token, |k| matches!(k, ErrorKind::InvalidAlgorithm));
    }
}

#[test]
fn b12_rs256_to_hs256_key_confusion() {
    let rs = manager_for(Algorithm::RS256);
    let public = pem("rsa-public.pem");
    let text = String::from_utf8(public.clone()).unwrap();
    let variants: Vec<Vec<u8>> = vec![
        public.clone(),
        text.trim_end().as_bytes().to_vec(),
        b64(&public).into_bytes(),
    ];
    for secret in variants {
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims("alice"),
            &jsonwebtoken::EncodingKey::from_secret(&secret),
        )
        .unwrap();
        rejected_with(&rs, &token, |k| matches!(k, ErrorKind::InvalidAlgorithm));
    }
}

/// One HMAC secret verifying HS256 and HS512 tokens without `kid` (nsj-flask-auth's
/// `NSJ_AUTH_ALGORITHMS=HS256,HS512`): each key pins its algorithm.
fn two_algorithms_one_secret() -> (AuthManager, Vec<u8>) {
    let secret = hmac_secret(Algorithm::HS512);
    let manager = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(Key::hmac(Algorithm::HS256, &secret).unwrap())
        .verification_key(Key::hmac(Algorithm::HS512, &secret).unwrap())
        .build()
        .expect("keys without kids of different algorithms");
    (manager, secret)
}

#[test]
fn b11b_one_secret_for_several_algorithms_verifies_only_those() {
    let (m, secret) = two_algorithms_one_secret();
    let key = jsonwebtoken::EncodingKey::from_secret(&secret);
    for alg in [Algorithm::HS256, Algorithm::HS512] {
        let token = jsonwebtoken::encode(&Header::new(alg), &claims("alice"), &key).unwrap();
        assert_eq!(m.verify(&token).expect("{alg:?}").sub(), "alice", "{alg:?}");
    }
    assert_eq!(
        m.verify(&auth_token(&m, "bob")).unwrap().sub(),
        "bob",
        "its own tokens"
    );
    // An algorithm no key was configured with, from the same secret.
    let hs384 =
        jsonwebtoken::encode(&Header::new(Algorithm::HS384), &claims("alice"), &key).unwrap();
    rejected_with(&m, &hs384, |k| matches!(k, ErrorKind::InvalidAlgorithm));
    // A header that says HS512 over an HS256 signature.
    let input = format!(
        "{}.{}",
        b64(r#"{"alg":"HS512","typ":"JWT"}"#),
        b64(claims("alice").to_string())
    );
    let hs256 = jsonwebtoken::crypto::sign(input.as_bytes(), &key, Algorithm::HS256).unwrap();
    rejected_with(&m, &format!("{input}.{hs256}"), is_signature);
    // And the other way round.
    let input = format!(
        "{}.{}",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims("alice").to_string())
    );
    let hs512 = jsonwebtoken::crypto::sign(input.as_bytes(), &key, Algorithm::HS512).unwrap();
    rejected_with(&m, &format!("{input}.{hs512}"), is_signature);
    // `alg: none`, with and without a signature.
    let payload = b64(claims("alice").to_string());
    for alg in ["none", "None"] {
        let header = b64(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        rejected_with(&m, &format!("{header}.{payload}."), is_json);
        rejected_with(&m, &format!("{header}.{payload}.{hs256}"), is_json);
    }
    // A token with a kid finds no key: the keys have none.
    let named = jsonwebtoken::encode(
        &Header {
            kid: Some("k".into()),
            ..Header::new(Algorithm::HS256)
        },
        &claims("alice"),
        &key,
    )
    .unwrap();
    assert!(matches!(refused(&m, &named), AuthError::UnknownKey));
}

#[test]
fn b11c_keys_without_kids_must_differ_in_algorithm() {
    let secret = hmac_secret(Algorithm::HS512);
    let same = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(Key::hmac(Algorithm::HS256, &secret).unwrap())
        .verification_key(Key::hmac(Algorithm::HS256, [9u8; 32]).unwrap())
        .build()
        .expect_err("two HS256 keys without kids");
    assert_eq!(same.setting(), "verification_key");
    assert!(same.to_string().contains("HS256"), "{same}");
}

#[test]
fn b13_psychic_signatures_and_b15_zero_signatures() {
    let es = manager_for(Algorithm::ES256);
    let token = sign_with(Algorithm::ES256, &claims("alice"));
    let input = token.rsplit_once('.').unwrap().0;
    rejected_with(&es, &format!("{input}.{}", b64([0u8; 64])), is_signature);
    rejected_with(&es, &format!("{input}.MAYCAQACAQA"), is_signature);
    let rs = manager_for(Algorithm::RS256);
    let token = sign_with(Algorithm::RS256, &claims("alice"));
    let input = token.rsplit_once('.').unwrap().0;
    rejected_with(&rs, &format!("{input}.{}", b64([0u8; 256])), is_signature);
    rejected_with(&rs, &format!("{input}."), is_signature);
}

#[test]
fn b14_ecdsa_malleability_cannot_dodge_revocation_keyed_on_jti() {
    let manager = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(Algorithm::ES256))
        .is_revoked(|t| t.jti() == Some("revoked-jti"))
        .build()
        .unwrap();
    let mut c = claims("alice");
    c["jti"] = json!("revoked-jti");
    let token = sign_with(Algorithm::ES256, &c);
    let (malleated, _) = ecdsa_twin(Algorithm::ES256, &token).unwrap();
    assert_ne!(malleated, token);
    assert!(matches!(refused(&manager, &token), AuthError::Revoked));
    assert!(matches!(
        refused(&manager, &malleated),
        AuthError::Revoked | AuthError::Rejected(_)
    ));
}

/// The manager signing with `algorithm`'s test key, and a manager that only verifies
/// with its public half.
fn signer_and_verifier(algorithm: Algorithm) -> (AuthManager, AuthManager) {
    let (_, public) = key_files(algorithm);
    let verifier = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(Key::hmac(Algorithm::HS256, SECRET).unwrap().with_kid("hs"))
        .verification_key(
            Key::verifying_pem(algorithm, pem(public))
                .unwrap()
                .with_kid("ec"),
        )
        .build()
        .unwrap();
    (manager_for(algorithm), verifier)
}

#[test]
fn b14b_high_s_ecdsa_signatures_are_refused_by_a_signing_key() {
    for algorithm in [Algorithm::ES256, Algorithm::ES384] {
        let (signer, verifier) = signer_and_verifier(algorithm);
        // Sign until both forms have been issued by jsonwebtoken: the library writes
        // only the low one.
        for _ in 0..8 {
            let issued = auth_token(&signer, "alice");
            let (twin, twin_is_low) = ecdsa_twin(algorithm, &issued).unwrap();
            assert!(
                !twin_is_low,
                "{algorithm:?}: the library issued a high-S token"
            );
            assert_eq!(signer.verify(&issued).unwrap().sub(), "alice");
            rejected_with(&signer, &twin, is_signature);
        }
        // The raw signature a signer writes is high half the time; a key that only
        // verifies (another service's, a provider's) accepts both forms, which carry the
        // same claims.
        let mut header = Header::new(algorithm);
        header.kid = Some("ec".into());
        let token =
            jsonwebtoken::encode(&header, &claims("alice"), &encoding_key(algorithm)).unwrap();
        let (twin, _) = ecdsa_twin(algorithm, &token).unwrap();
        for text in [&token, &twin] {
            assert_eq!(
                verifier.verify(text).unwrap().sub(),
                "alice",
                "{algorithm:?}"
            );
        }
    }
}

#[test]
fn b16_b17_empty_and_short_hmac_secrets_are_refused_at_start_up() {
    for secret in ["", "secret", "changeme", "0123456789abcdef0123456789abcde"] {
        match Key::hmac(Algorithm::HS256, secret) {
            Err(ConfigError::WeakSecret { .. }) => {}
            other => panic!("{secret:?}: {other:?}"),
        }
    }
    let m = manager();
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims("alice"),
        &jsonwebtoken::EncodingKey::from_secret(b""),
    )
    .unwrap();
    rejected_with(&m, &token, is_signature);
}

// ---- C. Header parameters ----------------------------------------------------------

fn header_token(edit: impl FnOnce(&mut Header)) -> String {
    let mut header = Header::new(Algorithm::HS256);
    edit(&mut header);
    jsonwebtoken::encode(&header, &claims("alice"), &encoding_key(Algorithm::HS256)).unwrap()
}

#[test]
fn c18_c19_kid_is_only_an_exact_lookup() {
    let m = manager();
    for kid in [
        "../../../../../../dev/null",
        "/dev/null",
        "",
        "x' UNION SELECT '1';--",
        "|sleep 10",
    ] {
        let token = header_token(|h| h.kid = Some(kid.into()));
        assert!(
            matches!(refused(&m, &token), AuthError::UnknownKey),
            "{kid:?}"
        );
    }
    let rotated = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(Algorithm::HS256).with_kid("new"))
        .verification_key(
            Key::hmac(Algorithm::HS256, [9u8; 32])
                .unwrap()
                .with_kid("old"),
        )
        .build()
        .unwrap();
    let token = header_token(|h| h.kid = Some("NEW".into()));
    assert!(matches!(refused(&rotated, &token), AuthError::UnknownKey));
    let token = header_token(|_| {});
    assert!(matches!(refused(&rotated, &token), AuthError::UnknownKey));
    // Non-string kid.
    let raw = sign_raw(
        r#"{"alg":"HS256","typ":"JWT","kid":123}"#,
        claims("alice").to_string(),
    );
    assert!(matches!(refused(&rotated, &raw), AuthError::Rejected(_)));
}

#[test]
fn c20_c21_header_key_material_is_never_used() {
    let rs = manager_for(Algorithm::RS256);
    let attacker = jsonwebtoken::EncodingKey::from_rsa_pem(&pem("rsa-other-private.pem")).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.jku = Some("https://attacker.invalid/jwks.json".into());
    header.x5u = Some("https://attacker.invalid/cert.pem".into());
    let token = jsonwebtoken::encode(&header, &claims("alice"), &attacker).unwrap();
    rejected_with(&rs, &token, is_signature);
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(json!({
        "kty": "oct", "k": b64(hmac_secret(Algorithm::HS256)), "alg": "HS256"
    }))
    .unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.jwk = Some(jwk);
    let token = jsonwebtoken::encode(&header, &claims("alice"), &attacker).unwrap();
    rejected_with(&rs, &token, is_signature);
}

#[test]
fn c22_any_crit_header_is_refused() {
    let m = manager();
    for crit in [
        vec!["x-unknown".to_owned()],
        vec!["exp".to_owned()],
        vec![],
        vec!["b64".to_owned()],
    ] {
        let token = header_token(|h| h.crit = Some(crit.clone()));
        assert!(
            matches!(
                refused(&m, &token),
                AuthError::UnsupportedHeader { parameter: "crit" }
            ),
            "{crit:?}"
        );
    }
}

#[test]
fn c23_typ_must_be_jwt() {
    let m = manager();
    for typ in [Some("refresh+jwt"), Some("at+jwt"), None] {
        let token = header_token(|h| h.typ = typ.map(str::to_owned));
        assert!(
            matches!(
                refused(&m, &token),
                AuthError::UnsupportedHeader { parameter: "typ" }
            ),
            "{typ:?}"
        );
    }
    let token = header_token(|h| h.typ = Some("jwt".into()));
    assert!(m.verify(&token).is_ok(), "typ compares case-insensitively");
    let raw = sign_raw(r#"{"alg":"HS256","typ":123}"#, claims("alice").to_string());
    rejected_with(&m, &raw, is_json);
}

#[test]
fn c24_c25_nested_and_jwe_shaped_tokens() {
    let m = manager();
    let inner = sign(&claims("admin"));
    let nested = sign_raw(
        r#"{"alg":"HS256","typ":"JWT","cty":"JWT"}"#,
        json!(inner).to_string(),
    );
    rejected_with(&m, &nested, is_json);
    let judged_alone = sign_raw(
        r#"{"alg":"HS256","typ":"JWT","cty":"JWT"}"#,
        claims("alice").to_string(),
    );
    assert_eq!(m.verify(&judged_alone).unwrap().sub(), "alice");
    rejected_with(
        &m,
        "eyJhbGciOiJSU0EtT0FFUCJ9.ek.iv.ct.tag",
        is_base64_or_shape,
    );
}

#[test]
fn c26_duplicate_header_keys() {
    let m = manager();
    let payload = claims("alice").to_string();
    for header in [
        r#"{"alg":"none","alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"HS256","alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"HS256","typ":"JWT","kid":"a","kid":"b"}"#,
    ] {
        assert!(
            matches!(
                refused(&m, &sign_raw(header, &payload)),
                AuthError::Rejected(_)
            ),
            "{header}"
        );
    }
}

#[test]
fn c26b_duplicate_header_names_at_any_depth() {
    let m = manager();
    let payload = claims("alice").to_string();
    let good = r#"{"alg":"HS256","typ":"JWT","x":{"a":[{"b":1}]}}"#;
    assert_eq!(m.verify(&sign_raw(good, &payload)).unwrap().sub(), "alice");
    for header in [
        r#"{"alg":"HS256","typ":"JWT","typ":"JWT"}"#,
        r#"{"alg":"HS256","typ":"JWT","x5u":"a","x5u":"a"}"#,
        r#"{"alg":"HS256","typ":"JWT","jwk":{"kty":"EC","kty":"EC"}}"#,
        r#"{"alg":"HS256","typ":"JWT","x":{"a":[{"b":1,"b":2}]}}"#,
        r#"{"alg":"HS256","typ":"JWT","t\u0079p":"JWT"}"#,
    ] {
        rejected_with(&m, &sign_raw(header, &payload), is_json);
    }
}

#[test]
fn c27_the_header_is_a_json_object_with_a_string_alg() {
    let m = manager();
    let payload = claims("alice").to_string();
    for header in [
        r#"[{"alg":"HS256","typ":"JWT"}]"#,
        r#"[]"#,
        r#""HS256""#,
        "null",
        "42",
        r#"{"typ":"JWT"}"#,
        r#"{"alg":{"HS256":null},"typ":"JWT"}"#,
        r#"{"alg":["HS256"],"typ":"JWT"}"#,
        r#"{"alg":null,"typ":"JWT"}"#,
        r#"{"alg":"HS256","typ":"JWT"} {}"#,
    ] {
        rejected_with(&m, &sign_raw(header, &payload), is_json);
    }
}

#[test]
fn c22b_crit_is_refused_whatever_its_value() {
    let m = manager();
    let payload = claims("alice").to_string();
    for crit in ["null", "[]", r#"["x"]"#, "0", r#""exp""#, "{}", "false"] {
        let header = format!(r#"{{"alg":"HS256","typ":"JWT","crit":{crit}}}"#);
        assert!(
            matches!(
                refused(&m, &sign_raw(&header, &payload)),
                AuthError::UnsupportedHeader { parameter: "crit" }
            ),
            "{crit}"
        );
    }
}

#[test]
fn c28_header_strings_are_valid_unicode_even_where_ignored() {
    let m = manager();
    let payload = claims("alice").to_string();
    for header in [
        r#"{"alg":"HS256","typ":"JWT","kid":"\ud800"}"#,
        r#"{"alg":"HS256","typ":"JWT","x5u":"\ud800"}"#,
        r#"{"alg":"HS256","typ":"JWT","x":"\udc00"}"#,
        r#"{"alg":"HS256","typ":"JWT","x":["a","\ud800b"]}"#,
        r#"{"alg":"HS256","typ":"JWT","x":{"\udbff":1}}"#,
        r#"{"alg":"HS256","typ":"JWT","\ud800":1}"#,
    ] {
        assert!(
            matches!(
                refused(&m, &sign_raw(header, &payload)),
                AuthError::Rejected(_)
            ),
            "{header}"
        );
    }
    let pair = r#"{"alg":"HS256","typ":"JWT","x":"\ud83d\ude00"}"#;
    assert_eq!(m.verify(&sign_raw(pair, &payload)).unwrap().sub(), "alice");
    for (name, value) in [("x", "ab"), ("kid", "ab"), ("typ", "JW")] {
        let mut bytes = format!(r#"{{"alg":"HS256","typ":"JWT","{name}":"{value}"}}"#).into_bytes();
        let at = bytes.len() - 3;
        bytes[at] = 0xff;
        let raw = String::from_utf8_lossy(&bytes).into_owned();
        let token = sign_raw(&bytes, &payload);
        assert!(
            matches!(refused(&m, &token), AuthError::Rejected(_)),
            "{raw}"
        );
    }
}

// ---- D. Time claims ----------------------------------------------------------------

#[test]
fn d27_d28_missing_or_wrongly_typed_exp() {
    let m = manager();
    let token = with_claims(|c| {
        c.remove("exp");
    });
    rejected_with(
        &m,
        &token,
        |k| matches!(k, ErrorKind::MissingRequiredClaim(c) if c == "exp"),
    );
    for exp in [
        json!("1795388224"),
        json!(null),
        json!(true),
        json!([1]),
        json!(-1),
        json!(1e300),
    ] {
        let token = with_claims(|c| {
            c.insert("exp".into(), exp.clone());
        });
        assert!(
            matches!(refused(&m, &token), AuthError::Rejected(_)),
            "{exp}"
        );
    }
    let raw = format!(
        r#"{{"iss":"{ISSUER}","sub":"a","iat":{},"type":"auth","exp":18446744073709551616}}"#,
        now()
    );
    assert!(matches!(
        refused(&m, &sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &raw)),
        AuthError::Rejected(_)
    ));
}

#[test]
fn d29_float_exp_in_the_future_is_accepted() {
    let m = manager();
    let token = with_claims(|c| {
        c.insert("exp".into(), json!(now() as f64 + 600.7));
    });
    assert!(m.verify(&token).is_ok());
}

#[test]
fn d30_absurd_lifetimes_are_refused() {
    let m = manager();
    for exp in [
        json!(u64::MAX),
        json!(1.8e19),
        json!(now() + 100 * 365 * 86400),
        json!(now() + 3601),
    ] {
        let token = with_claims(|c| {
            c.insert("exp".into(), exp.clone());
        });
        let err = refused(&m, &token);
        assert!(
            matches!(
                err,
                AuthError::InvalidClaim { claim: "exp" } | AuthError::Rejected(_)
            ),
            "{exp}: {err:?}"
        );
    }
}

#[test]
fn d31_expired_tokens_with_zero_leeway() {
    let m = manager();
    for ago in [1, 30, 61] {
        let token = with_claims(|c| {
            c.insert("iat".into(), json!(now() - 600));
            c.insert("exp".into(), json!(now() - ago));
        });
        assert!(matches!(refused(&m, &token), AuthError::Expired), "{ago}");
    }
    let lenient = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(Algorithm::HS256))
        .leeway(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let token = with_claims(|c| {
        c.insert("iat".into(), json!(now() - 600));
        c.insert("exp".into(), json!(now() - 30));
    });
    assert!(
        lenient.verify(&token).is_ok(),
        "a configured leeway applies"
    );
}

#[test]
fn d32_d33_nbf_in_the_future_or_wrongly_typed() {
    let m = manager();
    let token = with_claims(|c| {
        c.insert("nbf".into(), json!(now() + 86400));
    });
    assert!(matches!(refused(&m, &token), AuthError::NotYetValid));
    let token = with_claims(|c| {
        c.insert("nbf".into(), json!("tomorrow"));
    });
    rejected_with(
        &m,
        &token,
        |k| matches!(k, ErrorKind::InvalidClaimFormat(c) if c == "nbf"),
    );
}

#[test]
fn d34_iat_in_the_future_or_wrongly_typed() {
    let m = manager();
    let token = with_claims(|c| {
        c.insert("iat".into(), json!(now() + 365 * 86400));
        c.insert("exp".into(), json!(now() + 365 * 86400 + 60));
    });
    assert!(matches!(refused(&m, &token), AuthError::NotYetValid));
    claim_is_required_with_type(&m, "iat", &[json!("x"), json!(null), json!(-5)]);
}

#[test]
fn d35_duplicate_exp() {
    let m = manager();
    let payload = format!(
        r#"{{"iss":"{ISSUER}","sub":"a","iat":{n},"type":"auth","exp":{past},"exp":{future}}}"#,
        n = now(),
        past = now() - 10,
        future = now() + 100
    );
    rejected_with(
        &m,
        &sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &payload),
        is_json,
    );
}

// ---- E. Audience, issuer, subject, type, scope -----------------------------------

fn audience_manager() -> AuthManager {
    AuthManager::builder()
        .issuer(ISSUER)
        .audience("api")
        .signing_key(signing_key(Algorithm::HS256))
        .build()
        .unwrap()
}

#[test]
fn e36_a_token_with_an_audience_is_refused_when_none_is_configured() {
    let m = manager();
    for aud in [
        json!("api"),
        json!([]),
        json!(123),
        json!({"x": "api"}),
        json!(null),
    ] {
        let token = with_claims(|c| {
            c.insert("aud".into(), aud.clone());
        });
        let err = refused(&m, &token);
        assert!(
            matches!(
                err,
                AuthError::Rejected(_) | AuthError::InvalidClaim { claim: "aud" }
            ),
            "{aud}: {err:?}"
        );
    }
}

#[test]
fn e37_to_e40_e43_audience_checks_when_configured() {
    let m = audience_manager();
    let issued = m.auth_token("alice").sign().unwrap();
    assert!(
        m.verify(&issued).is_ok(),
        "issued tokens carry the audience"
    );
    let ok = with_claims(|c| {
        c.insert("aud".into(), json!(["other", "api"]));
    });
    assert!(m.verify(&ok).is_ok());
    let missing = with_claims(|_| {});
    rejected_with(
        &m,
        &missing,
        |k| matches!(k, ErrorKind::MissingRequiredClaim(c) if c == "aud"),
    );
    for aud in [
        json!("other"),
        json!("API"),
        json!("svc-b"),
        json!([]),
        json!(123),
        json!({"x": "api"}),
        json!(null),
        json!(["api", 1]),
    ] {
        let token = with_claims(|c| {
            c.insert("aud".into(), aud.clone());
        });
        let err = refused(&m, &token);
        assert!(
            matches!(
                err,
                AuthError::Rejected(_) | AuthError::InvalidClaim { claim: "aud" }
            ),
            "{aud}: {err:?}"
        );
    }
    let dup = format!(
        r#"{{"iss":"{ISSUER}","sub":"a","iat":{n},"exp":{e},"type":"auth","aud":"api","aud":"other"}}"#,
        n = now(),
        e = now() + 60
    );
    rejected_with(
        &m,
        &sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &dup),
        is_json,
    );
}

#[test]
fn e41_issuer_must_be_exactly_the_configured_string() {
    let m = manager();
    each_value_is_refused(
        &m,
        "iss",
        &[
            json!(5),
            json!(["evil", 1]),
            json!(["evil", ISSUER]),
            json!([ISSUER]),
            json!("evil"),
            json!("test"),
            json!(format!("{ISSUER}x")),
        ],
    );
    let token = with_claims(|c| {
        c.remove("iss");
    });
    rejected_with(
        &m,
        &token,
        |k| matches!(k, ErrorKind::MissingRequiredClaim(c) if c == "iss"),
    );
}

#[test]
fn e42_subject_must_be_a_non_empty_string() {
    let m = manager();
    each_value_is_refused(
        &m,
        "sub",
        &[
            json!(42),
            json!({"id": "bob"}),
            json!(["alice"]),
            json!(""),
            json!(null),
        ],
    );
    let token = with_claims(|c| {
        c.remove("sub");
    });
    assert!(matches!(
        refused(&m, &token),
        AuthError::Rejected(_) | AuthError::InvalidClaim { claim: "sub" }
    ));
}

#[test]
fn e44_type_must_be_auth_or_refresh() {
    let m = manager();
    claim_is_required_with_type(
        &m,
        "type",
        &[json!("foo"), json!("Auth"), json!(1), json!(null)],
    );
}

#[test]
fn e45_f46_duplicate_claims_never_resolve_to_the_last_one() {
    let m = manager();
    let base = format!(
        r#""iss":"{ISSUER}","iat":{},"exp":{},"type":"auth""#,
        now(),
        now() + 60
    );
    for payload in [
        format!(r#"{{{base},"sub":"a","scope":"read","scope":"admin"}}"#),
        format!(r#"{{{base},"sub":"alice","sub":"admin"}}"#),
        format!(r#"{{{base},"sub":"a","scope":{{"admin":false,"admin":true}}}}"#),
    ] {
        rejected_with(
            &m,
            &sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &payload),
            is_json,
        );
    }
    let token = with_claims(|c| {
        c.insert("scope".into(), json!(7));
    });
    invalid_claim(&m, &token, "scope");
}

// ---- F. JSON parsing, size and DoS -------------------------------------------------

#[test]
fn f47_deep_nesting_in_claims_or_header() {
    let m = manager();
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let payload = format!(
        r#"{{"iss":"{ISSUER}","sub":"a","iat":{},"exp":{},"type":"auth","x":{deep}}}"#,
        now(),
        now() + 60
    );
    rejected_with(
        &m,
        &sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &payload),
        is_json,
    );
    let header = format!(
        r#"{{"alg":"HS256","x":{}1{}}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let token = format!("{}.{}.sig", b64(header), b64(claims("a").to_string()));
    assert!(matches!(
        refused(&m, &token),
        AuthError::TokenTooLarge | AuthError::Rejected(_)
    ));
}

#[test]
fn f48_huge_tokens_are_refused_before_decoding() {
    let m = manager();
    for size in [9 * 1024, 100 * 1024, 1024 * 1024] {
        let token = with_claims(|c| {
            c.insert("pad".into(), json!("x".repeat(size)));
        });
        assert!(
            matches!(refused(&m, &token), AuthError::TokenTooLarge),
            "{size}"
        );
    }
}

#[test]
fn f49_f50_non_object_payloads_and_encoding_abuse() {
    let m = manager();
    for payload in ["[]", "null", "\"str\""] {
        rejected_with(
            &m,
            &sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, payload),
            is_json,
        );
    }
    let good = claims("alice").to_string();
    for payload in [
        good.replacen("alice", "al\\ud800ice", 1),
        format!("\u{feff}{good}"),
        format!("{good}{{}}"),
    ] {
        assert!(matches!(
            refused(&m, &sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &payload)),
            AuthError::Rejected(_)
        ));
    }
    let mut bytes = good.into_bytes();
    let at = bytes.iter().position(|b| *b == b'a').unwrap();
    bytes[at] = 0xff;
    let token = sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &bytes);
    assert!(matches!(refused(&m, &token), AuthError::Rejected(_)));
}

// ---- Issued tokens, read by an independent implementation --------------------------

#[test]
fn an_issued_token_reads_correctly_by_hand() {
    use hmac::{Hmac, Mac};
    let m = manager();
    let token = m
        .auth_token("alice")
        .scope(json!({"admin": true}))
        .claim("team", "blue")
        .fresh()
        .sign()
        .unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&B64.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, json!({"alg": "HS256", "typ": "JWT"}));
    let claims: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["type"], "auth");
    assert_eq!(claims["scope"], json!({"admin": true}));
    assert_eq!(claims["team"], "blue");
    assert_eq!(claims["fresh"], true);
    let iat = claims["iat"].as_u64().unwrap();
    assert_eq!(claims["exp"].as_u64().unwrap(), iat + 3600);
    assert!(iat.abs_diff(now()) <= 5);
    let jti = claims["jti"].as_str().unwrap();
    assert_eq!(B64.decode(jti).unwrap().len(), 16, "128-bit jti");
    // The signature, by RustCrypto's HMAC rather than the aws-lc backend that made it.
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&hmac_secret(Algorithm::HS256)).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&B64.decode(parts[2]).unwrap())
        .expect("signature verifies independently");

    let refresh = m.refresh_token("alice").sign().unwrap();
    let claims: Value =
        serde_json::from_slice(&B64.decode(refresh.split('.').nth(1).unwrap()).unwrap()).unwrap();
    assert_eq!(claims["type"], "refresh");
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        604_800
    );
    assert!(claims.get("scope").is_none() && claims.get("fresh").is_none());
    assert_ne!(claims["jti"], json!(jti), "every token gets its own jti");
}

#[test]
fn custom_claims_can_never_overwrite_registered_ones() {
    let m = manager();
    for name in [
        "exp", "iat", "iss", "sub", "type", "jti", "nbf", "aud", "scope", "fresh",
    ] {
        match m.auth_token("alice").claim(name, 1).sign() {
            Err(auth_runtime::IssueError::ReservedClaim(n)) => assert_eq!(n, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(
        m.refresh_token("alice")
            .scope(json!({"admin": true}))
            .sign(),
        Err(auth_runtime::IssueError::InvalidScope(_))
    ));
    let empty = m.auth_token("alice").scope(json!({})).sign().unwrap();
    assert!(
        m.verify(&empty).unwrap().scope().is_none(),
        "an empty scope is omitted"
    );
}

#[test]
fn every_algorithm_issues_and_verifies_and_refuses_the_others() {
    let algorithms = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::EdDSA,
    ];
    let managers: Vec<AuthManager> = algorithms.iter().map(|a| manager_for(*a)).collect();
    for (i, m) in managers.iter().enumerate() {
        let token = m.auth_token("alice").sign().unwrap();
        let verified = m.verify(&token).unwrap();
        assert_eq!(
            (verified.sub(), verified.algorithm().expect("a JWT")),
            ("alice", algorithms[i])
        );
        for (j, other) in managers.iter().enumerate() {
            if i != j {
                assert!(
                    other.verify(&token).is_err(),
                    "{:?} accepted a {:?} token",
                    algorithms[j],
                    algorithms[i]
                );
            }
        }
    }
}

#[test]
fn key_hygiene_is_checked_at_start_up() {
    let weak = Key::from_pem(
        Algorithm::RS256,
        pem("rsa1024-private.pem"),
        pem("rsa1024-public.pem"),
    );
    assert!(
        matches!(weak, Err(ConfigError::WeakRsaKey { bits: 1024, .. })),
        "{weak:?}"
    );
    let weak = Key::verifying_pem(Algorithm::PS256, pem("rsa1024-public.pem"));
    assert!(matches!(
        weak,
        Err(ConfigError::WeakRsaKey { bits: 1024, .. })
    ));
    let curve = Key::verifying_pem(Algorithm::ES384, pem("ec256-public.pem"));
    assert!(curve.is_err(), "a P-256 key cannot serve ES384");
    let not_pem = Key::verifying_pem(Algorithm::RS256, "not a key");
    assert!(matches!(not_pem, Err(ConfigError::Invalid { .. })));
    // A private key that does not match its public key is refused when the key is built,
    // against the private key (`key_files.rs` has the environment's variable name).
    let mismatched = Key::from_pem(
        Algorithm::RS256,
        pem("rsa-other-private.pem"),
        pem("rsa-public.pem"),
    )
    .unwrap_err();
    assert_eq!(mismatched.setting(), "private key");
    // A verify-only key cannot sign.
    let public = Key::verifying_pem(Algorithm::RS256, pem("rsa-public.pem")).unwrap();
    let err = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(public.clone())
        .build()
        .unwrap_err();
    assert_eq!(err.setting(), "signing_key");
    let verify_only = AuthManager::builder()
        .issuer(ISSUER)
        .verification_key(public)
        .build()
        .unwrap();
    assert!(matches!(
        verify_only.auth_token("a").sign(),
        Err(auth_runtime::IssueError::NoSigningKey)
    ));
    let token = manager_for(Algorithm::RS256)
        .auth_token("alice")
        .sign()
        .unwrap();
    assert_eq!(verify_only.verify(&token).unwrap().sub(), "alice");
}

#[test]
fn a_retired_key_still_verifies_the_tokens_it_signed() {
    let old = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(
            Key::hmac(Algorithm::HS256, [1u8; 32])
                .unwrap()
                .with_kid("2026-10"),
        )
        .build()
        .unwrap();
    let new = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(
            Key::hmac(Algorithm::HS256, [2u8; 32])
                .unwrap()
                .with_kid("2026-11"),
        )
        .verification_key(
            Key::hmac(Algorithm::HS256, [1u8; 32])
                .unwrap()
                .with_kid("2026-10"),
        )
        .build()
        .unwrap();
    let old_token = old.auth_token("alice").sign().unwrap();
    let verified = new.verify(&old_token).unwrap();
    assert_eq!(verified.kid(), Some("2026-10"));
    let new_token = new.auth_token("bob").sign().unwrap();
    assert_eq!(new.verify(&new_token).unwrap().kid(), Some("2026-11"));
    // The old service never learnt the new key: the token names a kid it does not have.
    assert!(matches!(refused(&old, &new_token), AuthError::UnknownKey));
}

#[test]
fn a_cached_token_is_still_refused_once_expired() {
    let m = manager();
    let token = with_claims(|c| {
        c.insert("exp".into(), json!(now() + 1));
    });
    assert!(m.verify(&token).is_ok());
    assert!(m.verify(&token).is_ok(), "served from the cache");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert!(matches!(refused(&m, &token), AuthError::Expired));
}

#[test]
fn a_token_one_byte_away_from_a_cached_one_is_verified_afresh() {
    let m = manager();
    let token = TestToken::new(&m, "alice").sign();
    assert!(m.verify(&token).is_ok());
    let mut bytes = token.clone().into_bytes();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    let twin = String::from_utf8(bytes).unwrap();
    assert!(m.verify(&twin).is_err());
    assert!(m.verify(&token).is_ok());
}
