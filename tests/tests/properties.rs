//! Property tests through the public API: token parsing (`AuthManager::verify` on
//! arbitrary, JWS-shaped and mutated tokens), the matching algebra (`matching`, against
//! the README's "Matching rules", restated here independently) and path bindings over a
//! real server.
//!
//! Case counts are modest so the file runs in seconds; `PROPTEST_CASES=10000` runs more.
//! The long randomized run is `mutation_run.rs`.

mod common;

use std::sync::LazyLock;

use auth_runtime::{
    Algorithm, AuthManager, CurrentToken, matching, require_token,
    requirement::{Entry, Expected},
};
use axum::{Router, extract::Path, routing::get};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use common::Rng;
use common::*;
use proptest::{prelude::*, sample::select, test_runner::TestRunner};
use serde_json::{Map, Value, json};

/// `cases` unless `PROPTEST_CASES` says otherwise. A failure prints its shrunk input
/// rather than writing a regression file into the tree.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

/// Tokens a manager signed, each with its claims.
type Signed = Vec<(String, Map<String, Value>)>;

/// A manager per algorithm, each with tokens it signed.
static SIGNED: LazyLock<Vec<(AuthManager, Signed)>> = LazyLock::new(|| {
    [
        Algorithm::HS256,
        Algorithm::RS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
    ]
    .into_iter()
    .map(|algorithm| {
        let manager = manager_for(algorithm);
        let tokens = [
            auth_token(&manager, "alice"),
            admin_token(&manager, "root"),
            auth_runtime::testing::TestToken::new(&manager, "bob")
                .refresh()
                .sign(),
        ]
        .into_iter()
        .map(|t| {
            let claims = signed_claims(&t);
            (t, claims)
        })
        .collect();
        (manager, tokens)
    })
    .collect()
});

fn hs256() -> &'static AuthManager {
    &SIGNED[0].0
}

// ---- JSON -------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "",
    "a",
    "b",
    "A",
    "5",
    "true",
    "admin",
    "read",
    "read admin",
    "é",
    "e\u{301}",
    "\u{0}",
];

/// Any JSON value, nested a few levels, with the types a verifier must tell apart.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-3i64..4).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        ".{0,10}".prop_map(Value::String),
        select(WORDS).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(select(WORDS).prop_map(str::to_owned), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// ---- Token parsing ----------------------------------------------------------------

/// Refused, and not as a server fault.
fn refused(manager: &AuthManager, token: &str) -> Result<(), TestCaseError> {
    match manager.verify(token) {
        Ok(t) => Err(TestCaseError::fail(format!("accepted {token:?}: {t:?}"))),
        Err(e) if e.is_server_fault() => Err(TestCaseError::fail(format!("{token:?}: {e:?}"))),
        Err(_) => Ok(()),
    }
}

/// Where a JWS-shaped token's signature comes from.
#[derive(Debug, Clone)]
enum Signature {
    Random(Vec<u8>),
    /// The manager's own key, over the token's bytes.
    ManagersKey,
    /// An HMAC under another secret.
    OtherKey(Vec<u8>),
    /// A signature the manager made, for another token.
    Copied(usize),
}

fn header() -> impl Strategy<Value = Value> {
    let alg = prop_oneof![
        3 => Just(Value::from("HS256")),
        2 => select(ALGS).prop_map(Value::from),
        1 => json_value(),
    ];
    let typ = prop_oneof![
        1 => Just(None),
        3 => Just(Some(json!("JWT"))),
        1 => json_value().prop_map(Some),
    ];
    let extra = prop::collection::vec((select(HEADER_PARAMS), json_value()), 0..2);
    (alg, typ, extra).prop_map(|(alg, typ, extra)| {
        let mut h = Map::new();
        for (name, value) in extra {
            h.insert(name.into(), value);
        }
        h.insert("alg".into(), alg);
        if let Some(typ) = typ {
            h.insert("typ".into(), typ);
        }
        Value::Object(h)
    })
}

/// Claims: a valid set with claims replaced or removed, or any JSON object.
fn claims_json() -> impl Strategy<Value = Value> {
    let edits = prop::collection::vec((select(CLAIM_NAMES), prop::option::of(json_value())), 0..4);
    prop_oneof![
        3 => edits.prop_map(|edits| {
            let mut c = claims("alice");
            let map = c.as_object_mut().expect("an object");
            for (name, value) in edits {
                match value {
                    Some(v) => map.insert(name.into(), v),
                    None => map.remove(name),
                };
            }
            c
        }),
        1 => prop::collection::btree_map(select(CLAIM_NAMES).prop_map(str::to_owned), json_value(), 0..8)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
    ]
}

fn signature() -> impl Strategy<Value = Signature> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..80).prop_map(Signature::Random),
        Just(Signature::ManagersKey),
        prop::collection::vec(any::<u8>(), 1..64).prop_map(Signature::OtherKey),
        (0usize..3).prop_map(Signature::Copied),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        refused(hs256(), &String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn arbitrary_token_alphabet_strings_are_refused(text in "[A-Za-z0-9_.=+/ -]{0,400}") {
        refused(hs256(), &text)?;
    }

    #[test]
    fn three_base64url_segments_are_refused(
        parts in prop::collection::vec("[A-Za-z0-9_-]{0,120}", 1..6),
    ) {
        refused(hs256(), &parts.join("."))?;
    }

    /// A JWS-shaped token is accepted only when the manager's key signed it, and then
    /// its claims are exactly the payload's.
    #[test]
    fn jws_shaped_tokens_are_accepted_only_when_signed_with_the_key(
        header in header(),
        claims in claims_json(),
        signature in signature(),
    ) {
        let payload = claims.to_string();
        let token = match &signature {
            Signature::ManagersKey => sign_raw(header.to_string(), &payload),
            other => {
                let input = format!(
                    "{}.{}",
                    URL_SAFE_NO_PAD.encode(header.to_string()),
                    URL_SAFE_NO_PAD.encode(&payload)
                );
                let signature = match other {
                    Signature::Random(bytes) => bytes.clone(),
                    Signature::OtherKey(secret) => hmac_sha256(secret, input.as_bytes()),
                    Signature::Copied(i) => {
                        let signed = &SIGNED[0].1[*i].0;
                        URL_SAFE_NO_PAD.decode(signed.rsplit_once('.').unwrap().1).unwrap()
                    }
                    Signature::ManagersKey => unreachable!(),
                };
                format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
            }
        };
        match hs256().verify(&token) {
            Ok(verified) => {
                prop_assert!(matches!(signature, Signature::ManagersKey), "forgery: {token}");
                prop_assert_eq!(&header["alg"], "HS256");
                prop_assert_eq!(Value::Object(verified.claims().clone()), claims);
            }
            Err(e) => prop_assert!(!e.is_server_fault(), "{e:?}"),
        }
    }

    /// Custom claims of any shape come back exactly as signed.
    #[test]
    fn signed_custom_claims_read_back_exactly(
        custom in prop::collection::btree_map("[a-z]{1,6}", json_value(), 0..6),
    ) {
        let mut claims = claims("alice");
        let map = claims.as_object_mut().unwrap();
        for (name, value) in custom {
            map.entry(name).or_insert(value);
        }
        let payload = claims.to_string();
        let verified = hs256().verify(&sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &payload));
        let verified = verified.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let parsed: Map<String, Value> = serde_json::from_str(&payload).unwrap();
        prop_assert_eq!(verified.claims(), &parsed);
    }

    /// A key given twice in signed claims (at the top or nested) is refused, whatever the
    /// values: never "last one wins".
    #[test]
    fn signed_duplicate_claim_names_are_refused(
        name in select(CLAIM_NAMES),
        value in json_value(),
        nested in any::<bool>(),
    ) {
        let mut claims = claims("alice").to_string();
        let pair = format!("{}:{value}", json!(name));
        let dup = if nested {
            format!(r#""x":{{{pair},{pair}}}"#)
        } else {
            format!("{pair},{pair}")
        };
        claims.insert_str(1, &format!("{dup},"));
        let token = sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &claims);
        refused(hs256(), &token)?;
    }
}

fn hmac_sha256(secret: &[u8], message: &[u8]) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

// ---- Mutations of a signed token --------------------------------------------------

fn mutation() -> impl Strategy<Value = Mutation> {
    let segment = 0usize..4;
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace { at, byte }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Remove { at }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (segment.clone(), any::<usize>())
            .prop_map(|(segment, bit)| Mutation::FlipDecodedBit { segment, bit }),
        segment
            .clone()
            .prop_map(|segment| Mutation::DuplicateSegment { segment }),
        segment
            .clone()
            .prop_map(|segment| Mutation::DropSegment { segment }),
        (0usize..3, 0usize..3).prop_map(|(a, b)| Mutation::SwapSegments { a, b }),
        (segment.clone(), 1usize..4).prop_map(|(segment, count)| Mutation::Pad { segment, count }),
        segment
            .clone()
            .prop_map(|segment| Mutation::StandardAlphabet { segment }),
        (segment.clone(), any::<u8>())
            .prop_map(|(segment, bits)| Mutation::TrailingBits { segment, bits }),
        (
            prop_oneof![select(ALGS).prop_map(Value::from), json_value()],
            any::<bool>()
        )
            .prop_map(|(alg, drop_signature)| Mutation::Alg {
                alg,
                drop_signature
            }),
        (select(HEADER_PARAMS), json_value()).prop_map(|(name, value)| Mutation::HeaderParam {
            name: name.into(),
            value
        }),
        (segment.clone(), any::<bool>())
            .prop_map(|(segment, pretty)| Mutation::Reformat { segment, pretty }),
        (segment, select(CLAIM_NAMES), json_value(), any::<bool>()).prop_map(
            |(segment, key, value, first)| Mutation::DuplicateKey {
                segment,
                key: key.into(),
                value,
                first,
            }
        ),
        (select(CLAIM_NAMES), json_value()).prop_map(|(key, value)| Mutation::SetClaim {
            key: key.into(),
            value
        }),
        (select(WRAPPERS), select(WRAPPERS)).prop_map(|(p, s)| Mutation::Wrap {
            prefix: p.into(),
            suffix: s.into()
        }),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Edits of a signed token (HS256, RS256, ES256, EdDSA) are refused unless they give
    /// back the very token: an accepted edit that changed the claims, the header or the
    /// signature would be a forgery, and another text for the same bytes would mean a lax
    /// decoder.
    #[test]
    fn mutations_of_a_signed_token_are_never_accepted(
        which in (0usize..4, 0usize..3),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let (manager, tokens) = &SIGNED[which.0];
        let (signed, claims) = &tokens[which.1];
        let mutated = mutations.iter().fold(signed.clone(), |t, m| m.apply(&t));
        match manager.verify(&mutated) {
            Ok(verified) => {
                let verdict = judge(signed, claims, &mutated, &verified);
                prop_assert!(!matches!(verdict, Verdict::Forgery(_)), "{verdict:?}: {mutated:?}");
                prop_assert_eq!(verdict, Verdict::Signed, "{:?}", mutated);
            }
            Err(e) => prop_assert!(!e.is_server_fault(), "{e:?}"),
        }
    }

    /// Algorithm confusion: an HS256 token keyed with an asymmetric manager's public key
    /// (its PEM or its DER) is refused.
    #[test]
    fn hmac_keyed_with_the_public_key_is_refused(which in 1usize..4, der in any::<bool>()) {
        let (manager, _) = &SIGNED[which];
        let algorithm = [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA][which - 1];
        let public = pem(key_files(algorithm).1);
        let secret = if der {
            let text = String::from_utf8(public).unwrap();
            let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
            base64::engine::general_purpose::STANDARD.decode(body).unwrap()
        } else {
            public
        };
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims("alice").to_string())
        );
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(hmac_sha256(&secret, input.as_bytes())));
        refused(manager, &token)?;
    }
}

// ---- The matching algebra ---------------------------------------------------------

/// A requirement as the test builds it; [`Req::expected`] turns it into the library's
/// `'static` `Expected` by leaking it (a few bytes per case).
#[derive(Debug, Clone)]
enum Req {
    Str(String),
    Int(i64),
    Bool(bool),
    Arr(Vec<Req>),
    /// `group(k = v, ..)`, each key once.
    Map(Vec<(String, Req)>),
}

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn leak_entries(entries: &[(String, Req)]) -> &'static [Entry] {
    Box::leak(
        entries
            .iter()
            .map(|(k, v)| Entry::new(leak_str(k), v.expected()))
            .collect(),
    )
}

impl Req {
    fn expected(&self) -> Expected {
        match self {
            Self::Str(s) => Expected::String(leak_str(s)),
            Self::Int(n) => Expected::Integer(*n),
            Self::Bool(b) => Expected::Bool(*b),
            Self::Arr(items) => {
                Expected::Array(Box::leak(items.iter().map(Self::expected).collect()))
            }
            Self::Map(entries) => Expected::Map(leak_entries(entries)),
        }
    }

    /// A scalar's JSON value.
    fn scalar(&self) -> Option<Value> {
        match self {
            Self::Str(s) => Some(json!(s)),
            Self::Int(n) => Some(json!(n)),
            Self::Bool(b) => Some(json!(b)),
            Self::Arr(_) | Self::Map(_) => None,
        }
    }
}

/// The README's "Matching rules", restated: a map holds on an object where every listed
/// key is present and matches; an array on an array where every required element is
/// present (a scalar element by equality, a group or array by these rules); a scalar on
/// an array that contains it, or on a scalar by strict JSON equality. Nothing else holds.
fn rule(req: &Req, value: &Value) -> bool {
    match (req, value) {
        (Req::Map(entries), Value::Object(object)) => entries
            .iter()
            .all(|(k, r)| object.get(k).is_some_and(|v| rule(r, v))),
        (Req::Arr(required), Value::Array(items)) => required.iter().all(|r| {
            items.iter().any(|item| match r.scalar() {
                Some(s) => *item == s,
                None => rule(r, item),
            })
        }),
        (Req::Map(_) | Req::Arr(_), _) => false,
        (scalar, Value::Array(items)) => items.contains(&scalar.scalar().unwrap()),
        (scalar, value) => *value == scalar.scalar().unwrap(),
    }
}

const STRS: &[&str] = &["a", "b", "A", "5", "", "a b"];
const KEYS: &[&str] = &["a", "b", "c"];

fn req() -> impl Strategy<Value = Req> {
    let leaf = prop_oneof![
        select(STRS).prop_map(|s| Req::Str(s.into())),
        (-1i64..6).prop_map(Req::Int),
        any::<bool>().prop_map(Req::Bool),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Req::Arr),
            prop::collection::btree_map(select(KEYS).prop_map(str::to_owned), inner, 0..4)
                .prop_map(|m| Req::Map(m.into_iter().collect())),
        ]
    })
}

/// JSON over the requirements' vocabulary, so that matches are frequent.
fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        select(STRS).prop_map(Value::from),
        (-1i64..6).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(json!(null)),
        Just(json!(5.0)),
        Just(json!("true")),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(select(KEYS).prop_map(str::to_owned), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A value that satisfies `req` by the rules, with noise: extra keys, extra elements,
/// shuffled arrays, scalars inside arrays.
fn witness(req: &Req, rng: &mut Rng, element: bool) -> Value {
    let noise = |rng: &mut Rng| {
        rng.pick(&[
            json!("z"),
            json!(9),
            json!(null),
            json!({"c": [1]}),
            json!([7]),
        ])
        .clone()
    };
    let shuffle = |items: &mut Vec<Value>, rng: &mut Rng| {
        for i in (1..items.len()).rev() {
            items.swap(i, rng.below(i + 1));
        }
    };
    match req {
        Req::Map(entries) => {
            let mut object = Map::new();
            for _ in 0..rng.below(3) {
                object.insert((*rng.pick(&["c", "d", "a"])).to_owned(), noise(rng));
            }
            for (k, r) in entries {
                object.insert(k.clone(), witness(r, rng, false));
            }
            Value::Object(object)
        }
        Req::Arr(required) => {
            let mut items: Vec<Value> = required.iter().map(|r| witness(r, rng, true)).collect();
            for _ in 0..rng.below(3) {
                items.push(noise(rng));
            }
            shuffle(&mut items, rng);
            Value::Array(items)
        }
        scalar if !element && rng.chance(30) => {
            let mut items = vec![scalar.scalar().unwrap(), noise(rng)];
            shuffle(&mut items, rng);
            Value::Array(items)
        }
        scalar => scalar.scalar().unwrap(),
    }
}

/// The README's rule for a path parameter: a string claim equals the segment, an integer
/// claim's canonical decimal is the segment, an array claim has such an element.
fn path_rule(claim: &Value, segment: &str) -> bool {
    match claim {
        Value::String(s) => s == segment,
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string() == segment,
        Value::Array(items) => items.iter().any(|i| !i.is_array() && path_rule(i, segment)),
        _ => false,
    }
}

/// The README's rule for a scope name.
fn scope_rule(scope: &Value, name: &str) -> bool {
    match scope {
        Value::String(s) => s.split(' ').any(|w| w == name),
        Value::Array(items) => items.contains(&json!(name)),
        Value::Object(map) => map.get(name) == Some(&json!(true)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn matching_follows_the_readme_rules(req in req(), value in small_json()) {
        prop_assert_eq!(matching::matches(&req.expected(), &value), rule(&req, &value));
    }

    #[test]
    fn a_value_built_to_satisfy_a_requirement_does(req in req(), seed in any::<u64>()) {
        let value = witness(&req, &mut Rng::for_input(seed, 0), false);
        prop_assert!(rule(&req, &value), "{value}");
        prop_assert!(matching::matches(&req.expected(), &value), "{req:?} on {value}");
    }

    #[test]
    fn a_map_holds_iff_each_entry_holds(
        entries in prop::collection::btree_map(select(KEYS).prop_map(str::to_owned), req(), 0..4),
        value in small_json(),
    ) {
        let entries: Vec<(String, Req)> = entries.into_iter().collect();
        let whole = matching::matches(&Req::Map(entries.clone()).expected(), &value);
        let each = value.is_object()
            && entries.iter().all(|e| {
                matching::matches(&Req::Map(vec![e.clone()]).expected(), &value)
            });
        prop_assert_eq!(whole, each);
        if let Value::Object(object) = &value {
            prop_assert_eq!(whole, matching::entries_hold(leak_entries(&entries), object));
        }
    }

    #[test]
    fn a_string_holds_on_itself_or_an_array_containing_it(
        s in select(STRS),
        others in prop::collection::vec(select(STRS), 0..5),
        at in any::<usize>(),
    ) {
        let expected = Req::Str(s.into()).expected();
        prop_assert!(matching::matches(&expected, &json!(s)));
        let without: Vec<&str> = others.into_iter().filter(|o| *o != s).collect();
        prop_assert!(!matching::matches(&expected, &json!(without)));
        for other in &without {
            prop_assert!(!matching::matches(&expected, &json!(other)));
        }
        let mut with = without.clone();
        with.insert(at % (with.len() + 1), s);
        prop_assert!(matching::matches(&expected, &json!(with)));
        prop_assert!(!matching::matches(&expected, &json!([with])), "one level only");
    }

    #[test]
    fn an_array_holds_iff_every_element_is_present(
        required in prop::collection::vec(select(STRS), 0..4),
        token in prop::collection::vec(select(STRS), 0..6),
    ) {
        let req = Req::Arr(required.iter().map(|s| Req::Str((*s).into())).collect());
        let subset = required.iter().all(|r| token.contains(r));
        prop_assert_eq!(matching::matches(&req.expected(), &json!(token)), subset);
        if let Some(scalar) = token.first() {
            prop_assert!(!matching::matches(&req.expected(), &json!(scalar)));
        }
    }

    #[test]
    fn scalars_compare_as_strict_json(n in any::<i64>(), b in any::<bool>(), s in ".{0,8}") {
        let int = Expected::Integer(n);
        prop_assert!(matching::matches(&int, &json!(n)));
        prop_assert!(!matching::matches(&int, &json!(n.to_string())));
        prop_assert!(!matching::matches(&int, &Value::from(n as f64)));
        prop_assert!(!matching::matches(&int, &json!(n != 0)));
        prop_assert!(!matching::matches(&Expected::Bool(b), &json!(i64::from(b))));
        prop_assert!(!matching::matches(&Expected::Bool(b), &json!(b.to_string())));
        let string = Req::Str(s.clone()).expected();
        prop_assert!(matching::matches(&string, &json!(s)));
        if let Ok(number) = s.parse::<i64>() {
            prop_assert!(!matching::matches(&string, &json!(number)));
        }
    }

    #[test]
    fn path_parameters_follow_the_readme_rules(
        claim in prop_oneof![json_value(), small_json()],
        n in any::<i64>(),
        u in (i64::MAX as u64)..=u64::MAX,
        segment in prop_oneof![".{0,6}", select(STRS).prop_map(str::to_owned), "[-+0]?[0-9]{1,20}"],
    ) {
        prop_assert_eq!(matching::path_param_matches(&claim, &segment), path_rule(&claim, &segment));
        let (decimal, zero, plus) = (n.to_string(), format!("0{n}"), format!("+{n}"));
        prop_assert!(matching::path_param_matches(&json!(n), &decimal));
        prop_assert!(!matching::path_param_matches(&json!(n), &zero));
        prop_assert!(!matching::path_param_matches(&json!(n), &plus));
        prop_assert!(!matching::path_param_matches(&json!(decimal), &zero));
        prop_assert!(matching::path_param_matches(&json!(u), &u.to_string()));
    }

    #[test]
    fn scope_names_follow_the_readme_rules(
        scope in prop_oneof![
            prop::collection::vec(select(&["a", "b", "", "A", "a\tb"][..]), 0..4).prop_map(|w| json!(w.join(" "))),
            small_json(),
            json_value(),
        ],
        name in select(STRS),
    ) {
        prop_assert_eq!(matching::scope_name_granted(&scope, name), scope_rule(&scope, name));
    }

    #[test]
    fn overrides_hold_at_the_top_level_or_in_the_scope_map(
        entries in prop::collection::btree_map(select(KEYS).prop_map(str::to_owned), req(), 0..3),
        claims in prop::collection::btree_map(select(&["a", "b", "c", "scope"][..]).prop_map(str::to_owned), small_json(), 0..4),
    ) {
        let entries: Vec<(String, Req)> = entries.into_iter().collect();
        let claims: Map<String, Value> = claims.into_iter().collect();
        let scope = claims.get("scope").and_then(Value::as_object);
        let holds = |(k, r): &(String, Req)| {
            claims.get(k).is_some_and(|v| rule(r, v))
                || scope.is_some_and(|s| s.get(k).is_some_and(|v| rule(r, v)))
        };
        let want = !entries.is_empty() && entries.iter().all(holds);
        prop_assert_eq!(matching::override_holds(leak_entries(&entries), &claims), want);
    }

    /// No input makes the algebra panic: any requirement against any JSON.
    #[test]
    fn the_algebra_never_panics(req in req(), value in json_value(), segment in ".{0,12}") {
        let expected = req.expected();
        let _ = matching::matches(&expected, &value);
        let _ = matching::path_param_matches(&value, &segment);
        let _ = matching::scope_name_granted(&value, &segment);
        if let (Req::Map(entries), Value::Object(object)) = (&req, &value) {
            let _ = matching::entries_hold(leak_entries(entries), object);
            let _ = matching::override_holds(leak_entries(entries), object);
        }
    }
}

// ---- Path bindings over HTTP ------------------------------------------------------

#[require_token(sub = "username")]
async fn profile(Path(username): Path<String>, token: CurrentToken) -> String {
    format!("{username}:{}", token.sub())
}

/// Percent-encodes every byte but letters, digits, `-`, `_` and `~`, and those too when
/// `all`; hex digits upper or lower case. A dot is always encoded: a raw `.` or `..`
/// segment is a dot-segment, which clients remove before sending.
fn percent_encode(bytes: &[u8], all: bool, lower: bool) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'~' if !all => {
                char::from(b).to_string()
            }
            _ if lower => format!("%{b:02x}"),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A subject of any characters; another segment near it (case, spaces, a combining
/// accent, a slash) or any bytes at all, invalid UTF-8 included.
fn subject_and_other() -> impl Strategy<Value = (String, Vec<u8>)> {
    let subject = prop_oneof!["[a-zA-Z0-9._~-]{1,10}", "\\PC{1,6}", any::<String>()]
        .prop_filter("a subject", |s| !s.is_empty());
    subject.prop_flat_map(|s| {
        let variants = vec![
            s.to_uppercase(),
            s.to_lowercase(),
            format!("{s} "),
            format!(" {s}"),
            format!("{s}\u{301}"),
            format!("{s}/"),
            format!("{s}\0"),
            s.chars().skip(1).collect(),
            s.clone(),
        ];
        let other = prop_oneof![
            select(variants).prop_map(String::into_bytes),
            prop::collection::vec(any::<u8>(), 1..8),
        ];
        (Just(s), other)
    })
}

/// A token with `sub` = s is accepted on `/users/{percent-encoded s}`, however encoded,
/// and refused (never 200, never a 5xx) on a segment that decodes to anything else.
#[test]
fn a_subject_is_bound_to_its_percent_decoded_segment() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let manager = manager();
    let router = Router::new().route("/users/{username}", get(profile));
    let server = runtime.block_on(TestServer::start(router, manager.clone()));
    let mut runner = TestRunner::new(config(48));
    let strategy = (subject_and_other(), any::<bool>(), any::<bool>());
    let result = runner.run(&strategy, |((sub, other), all, lower)| {
        let token = auth_token(&manager, &sub);
        let own = format!("/users/{}", percent_encode(sub.as_bytes(), all, lower));
        let res = runtime.block_on(server.get_with_token(&own, &token));
        prop_assert_eq!(res.status, 200, "{} {:?}", own, res);
        prop_assert_eq!(res.body, format!("{sub}:{sub}"));

        let path = format!("/users/{}", percent_encode(&other, all, lower));
        let res = runtime.block_on(server.get_with_token(&path, &token));
        if other == sub.as_bytes() {
            prop_assert_eq!(res.status, 200, "{} {:?}", path, res);
        } else {
            prop_assert!(matches!(res.status, 400 | 403 | 404), "{} {:?}", path, res);
            if res.status == 403 {
                prop_assert_eq!(res.error_code(), "forbidden");
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
