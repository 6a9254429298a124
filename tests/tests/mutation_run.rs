//! The mutation driver: a long stream of hostile tokens through `AuthManager::verify`,
//! counting panics and accepted forgeries, both of which must stay at zero.
//!
//! Inputs are random edits of tokens the managers signed (HS256, RS256, ES256, EdDSA, a
//! manager with two keys told apart by `kid`, and one trusting a second issuer, which
//! reads the claims before the signature), tokens of the other managers, JWS-shaped junk
//! (random headers, claims and signatures, including real signatures spliced onto other
//! content and HMACs keyed with a public key) and raw junk. Each input is drawn from the
//! run's seed and its own index, so any one of them can be replayed.
//!
//! `cargo test` runs a short version (20,000 inputs). The long run:
//!
//! ```sh
//! MUTATION_INPUTS=10000000 cargo test --release -p auth-tests --test mutation_run -- --nocapture
//! ```
//!
//! `MUTATION_SEED` (decimal or `0x` hex) draws a run's inputs again (the same edits, of
//! freshly signed tokens); without it the seed comes from the clock and is printed first.

mod common;

use std::{
    panic::{self, AssertUnwindSafe},
    sync::Mutex,
    time::{Instant, SystemTime, UNIX_EPOCH},
};

use auth_runtime::{Algorithm, AuthError, AuthManager, Key, jwks::Provider, testing::TestToken};
use base64::{
    Engine,
    engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD},
};
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

const DEFAULT_INPUTS: u64 = 20_000;
const SUBJECTS: &[&str] = &["alice", "root", "bob"];
/// The second issuer the `issuers` manager trusts (its keys are never fetched here).
const PROVIDER: &str = "https://idp.test";

/// A manager under attack and the tokens it signed.
struct Target {
    name: &'static str,
    manager: AuthManager,
    algorithm: Algorithm,
    /// Every token this manager's keys signed, with its claims: the only texts it may
    /// accept.
    signed: Vec<(String, Map<String, Value>)>,
    /// Its public key's PEM, as an HMAC secret would take it (algorithm confusion).
    public_pem: Vec<u8>,
}

fn target(name: &'static str, algorithm: Algorithm, manager: AuthManager) -> Target {
    let mut signed = vec![
        TestToken::new(&manager, "alice").sign(),
        TestToken::new(&manager, "root")
            .scope(serde_json::json!({"admin": true, "org": {"id": 7}}))
            .claim("roles", ["editor", "viewer"])
            .fresh()
            .sign(),
        TestToken::new(&manager, "bob")
            .scope("read write")
            .claim("x", 1)
            .sign(),
        TestToken::new(&manager, "carol").refresh().sign(),
        TestToken::new(&manager, "é/ü\u{0}").sign(),
    ];
    if name == "kid-rotation" {
        // A token of the retired key, still trusted by its kid.
        let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
        header.kid = Some("1".into());
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(&pem("rsa-other-private.pem"))
            .expect("retired key");
        signed.push(jsonwebtoken::encode(&header, &claims("dave"), &key).expect("sign"));
    }
    let signed = signed
        .into_iter()
        .map(|token| {
            let claims = signed_claims(&token);
            (token, claims)
        })
        .collect();
    // An HMAC manager has no public key: any public PEM serves as the attacker's guess.
    let public_pem = match algorithm {
        Algorithm::HS256 | Algorithm::HS512 => pem("rsa-public.pem"),
        _ => pem(key_files(algorithm).1),
    };
    Target {
        name,
        manager,
        algorithm,
        signed,
        public_pem,
    }
}

fn targets() -> Vec<Target> {
    let rotation = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(Algorithm::ES384).with_kid("2"))
        .verification_key(
            Key::verifying_pem(Algorithm::RS256, pem("rsa-other-public.pem"))
                .expect("retired key")
                .with_kid("1"),
        )
        .build()
        .expect("rotation manager");
    let issuers = AuthManager::builder()
        .issuer(ISSUER)
        .signing_key(signing_key(Algorithm::HS512))
        .provider(Provider::jwks(PROVIDER, "http://127.0.0.1:9/jwks.json").audience("api"))
        .build()
        .expect("two-issuer manager");
    vec![
        target("HS256", Algorithm::HS256, manager_for(Algorithm::HS256)),
        target("RS256", Algorithm::RS256, manager_for(Algorithm::RS256)),
        target("ES256", Algorithm::ES256, manager_for(Algorithm::ES256)),
        target("EdDSA", Algorithm::EdDSA, manager_for(Algorithm::EdDSA)),
        target("kid-rotation", Algorithm::ES384, rotation),
        target("issuers", Algorithm::HS512, issuers),
    ]
}

#[derive(Clone, Copy, Debug)]
enum Class {
    /// Edits of a token the target signed.
    Mutated,
    /// A token of another target, edited or not.
    Foreign,
    /// JWS-shaped junk.
    Jws,
    /// Anything.
    Raw,
}

const CLASSES: [Class; 4] = [Class::Mutated, Class::Foreign, Class::Jws, Class::Raw];

/// Input `index` of the run: which target it attacks, its class and its text.
fn input(seed: u64, index: u64, targets: &[Target]) -> (usize, Class, String) {
    let mut rng = Rng::for_input(seed, index);
    let t = rng.below(targets.len());
    let target = &targets[t];
    let roll = rng.below(100);
    let class = match roll {
        0..55 => Class::Mutated,
        55..65 => Class::Foreign,
        65..85 => Class::Jws,
        _ => Class::Raw,
    };
    let text = match class {
        Class::Mutated => {
            let mut token = rng.pick(&target.signed).0.clone();
            for _ in 0..*rng.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 2, 3]) {
                token = rng.mutation().apply(&token);
            }
            token
        }
        Class::Foreign => {
            let other = &targets[(t + 1 + rng.below(targets.len() - 1)) % targets.len()];
            let mut token = rng.pick(&other.signed).0.clone();
            for _ in 0..rng.below(3) {
                token = rng.mutation().apply(&token);
            }
            token
        }
        Class::Jws => jws_junk(&mut rng, target),
        Class::Raw => raw_junk(&mut rng, target),
    };
    (t, class, text)
}

fn b64(rng: &mut Rng, bytes: &[u8]) -> String {
    match rng.below(20) {
        0 => URL_SAFE.encode(bytes),
        _ => URL_SAFE_NO_PAD.encode(bytes),
    }
}

/// A header: the parameters a verifier reads, with values right, near or wrong, and
/// sometimes not a JSON object at all.
fn header(rng: &mut Rng, target: &Target) -> Vec<u8> {
    if rng.chance(10) {
        return match rng.below(4) {
            0 => serde_json::to_vec(&rng.json(3)).expect("json"),
            1 => rng.bytes(rng.clone().below(40)),
            2 => format!("{}{}", "[".repeat(200), "]".repeat(200)).into_bytes(),
            _ => br#"{"alg":"HS256","alg":"none"}"#.to_vec(),
        };
    }
    let mut map = Map::new();
    if rng.chance(95) {
        let alg = match rng.below(10) {
            0..5 => Value::from(format!("{:?}", target.algorithm)),
            5..9 => Value::from(*rng.pick(ALGS)),
            _ => rng.json(1),
        };
        map.insert("alg".into(), alg);
    }
    if rng.chance(60) {
        let typ = if rng.chance(80) {
            Value::from("JWT")
        } else {
            rng.json(1)
        };
        map.insert("typ".into(), typ);
    }
    if rng.chance(30) {
        let kid = match rng.below(4) {
            0 => Value::from("1"),
            1 => Value::from("2"),
            2 => Value::from(*rng.pick(&["", "../../dev/null", "1 ", "0", "\u{0}"])),
            _ => rng.json(1),
        };
        map.insert("kid".into(), kid);
    }
    for _ in 0..rng.below(3) {
        let name = rng.pick(HEADER_PARAMS).to_string();
        let value = rng.json(2);
        map.insert(name, value);
    }
    let mut bytes = serde_json::to_vec(&map).expect("json");
    if rng.chance(10) {
        bytes = Mutation::DuplicateKey {
            segment: 0,
            key: rng.pick(HEADER_PARAMS).to_string(),
            value: rng.json(1),
            first: rng.chance(50),
        }
        .apply(&URL_SAFE_NO_PAD.encode(&bytes))
        .into_bytes();
        bytes = URL_SAFE_NO_PAD.decode(&bytes).unwrap_or_default();
    }
    bytes
}

/// Claims: mostly a valid set with a few edits (so the claim checks run), otherwise any
/// JSON object, any JSON or any bytes.
fn payload(rng: &mut Rng, target: &Target) -> Vec<u8> {
    match rng.below(10) {
        0..6 => {
            let subject = *rng.pick(SUBJECTS);
            let mut claims = claims(subject);
            let map = claims.as_object_mut().expect("claims object");
            if target.name == "issuers" && rng.chance(30) {
                map.insert("iss".into(), PROVIDER.into());
                map.insert("aud".into(), "api".into());
            }
            for _ in 0..rng.below(4) {
                let key = rng.pick(CLAIM_NAMES).to_string();
                if rng.chance(30) {
                    map.remove(&key);
                } else {
                    let value = rng.json(2);
                    map.insert(key, value);
                }
            }
            let mut bytes = serde_json::to_vec(&claims).expect("json");
            if rng.chance(10) {
                let edit = Mutation::DuplicateKey {
                    segment: 1,
                    key: rng.pick(CLAIM_NAMES).to_string(),
                    value: rng.json(1),
                    first: rng.chance(50),
                };
                let token = format!("e30.{}.", URL_SAFE_NO_PAD.encode(&bytes));
                let edited = edit.apply(&token);
                bytes = decoded_segments(&edited)
                    .map(|[_, p, _]| p)
                    .unwrap_or(bytes);
            }
            bytes
        }
        6 | 7 => {
            let mut map = Map::new();
            for _ in 0..rng.below(8) {
                let key = rng.pick(CLAIM_NAMES).to_string();
                let value = rng.json(3);
                map.insert(key, value);
            }
            serde_json::to_vec(&map).expect("json")
        }
        8 => serde_json::to_vec(&rng.json(3)).expect("json"),
        _ => {
            let n = rng.below(64);
            rng.bytes(n)
        }
    }
}

fn hmac_sha256(secret: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// A compact JWS from random parts: the signature random, empty, cut from a real token
/// (spliced onto other content), an HMAC under a wrong secret, or an HMAC keyed with
/// the target's public key (algorithm confusion).
fn jws_junk(rng: &mut Rng, target: &Target) -> String {
    let header = header(rng, target);
    let payload = payload(rng, target);
    let input = format!("{}.{}", b64(rng, &header), b64(rng, &payload));
    let signature = match rng.below(6) {
        0 => String::new(),
        1 => {
            let n = *rng.pick(&[1, 16, 32, 48, 64, 96, 256, 512]);
            let bytes = rng.bytes(n);
            b64(rng, &bytes)
        }
        2 => {
            let real = &rng.pick(&target.signed).0;
            real.rsplit_once('.')
                .map(|(_, s)| s.to_owned())
                .unwrap_or_default()
        }
        3 => {
            let secret = rng.bytes(32);
            URL_SAFE_NO_PAD.encode(hmac_sha256(&secret, input.as_bytes()))
        }
        4 => URL_SAFE_NO_PAD.encode(hmac_sha256(&target.public_pem, input.as_bytes())),
        _ => {
            let n = rng.below(400);
            (0..n).map(|_| char::from(rng.token_byte())).collect()
        }
    };
    format!("{input}.{signature}")
}

/// Anything: bytes, base64url soup, dot floods, sizes around the limit, a real token in
/// junk, any Unicode.
fn raw_junk(rng: &mut Rng, target: &Target) -> String {
    match rng.below(7) {
        0 => {
            let n = rng.below(200);
            String::from_utf8_lossy(&rng.bytes(n)).into_owned()
        }
        1 => {
            let n = rng.below(600);
            (0..n).map(|_| char::from(rng.token_byte())).collect()
        }
        2 => {
            let parts = rng.below(8);
            (0..parts)
                .map(|_| {
                    let n = rng.below(80);
                    (0..n)
                        .map(|_| char::from(rng.token_byte()))
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(".")
        }
        3 => {
            let n = 8192 - 8 + rng.below(16);
            let mut s: String = (0..n)
                .map(|_| if rng.chance(1) { '.' } else { 'A' })
                .collect();
            if rng.chance(50) {
                s.replace_range(..3, "e30");
            }
            s
        }
        4 => ".".repeat(rng.below(40)),
        5 => {
            let real = &rng.pick(&target.signed).0;
            let prefix = rng.pick(WRAPPERS);
            let suffix = rng.pick(WRAPPERS);
            format!("{prefix}{real}{suffix}")
        }
        _ => {
            let n = rng.below(100);
            (0..n)
                .map(|_| char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}'))
                .collect()
        }
    }
}

/// What one input did.
#[derive(Default)]
struct Tally {
    inputs: u64,
    by_class: [u64; 4],
    accepted: u64,
    rejected: u64,
    panics: u64,
    forgeries: u64,
    other_encodings: u64,
    server_faults: u64,
    /// The first findings, each with its index and input, to print.
    findings: Vec<String>,
}

impl Tally {
    fn finding(&mut self, what: &str, index: u64, target: &Target, input: &str, detail: &str) {
        if self.findings.len() < 20 {
            self.findings.push(format!(
                "{what}: input #{index} against {}: {input:?}\n    {detail}",
                target.name
            ));
        }
    }
}

/// The message and place of the last panic, and its backtrace, kept by the hook instead
/// of printed.
static LAST_PANIC: Mutex<Option<(String, String)>> = Mutex::new(None);

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?.replace('_', "");
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|e| panic!("{name}={text:?}: {e}")))
}

/// Everything accepted is a token its manager signed; nothing panics; no refusal is a
/// server fault (but a provider's keys that could never be fetched).
#[test]
fn mutated_and_junk_tokens_never_panic_and_are_never_accepted() {
    let inputs = env_number("MUTATION_INPUTS").unwrap_or(DEFAULT_INPUTS);
    let seed = env_number("MUTATION_SEED").unwrap_or_else(|| {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock");
        nanos.as_nanos() as u64
    });
    println!("mutation run: MUTATION_SEED={seed:#x} MUTATION_INPUTS={inputs}");
    let targets = targets();
    for target in &targets {
        for (token, _) in &target.signed {
            let verified = target.manager.verify(token);
            assert!(verified.is_ok(), "{}: {verified:?}", target.name);
        }
    }

    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some((info.to_string(), backtrace));
    }));
    let started = Instant::now();
    let mut tally = Tally::default();
    let report_every = (inputs / 10).max(1_000_000);
    for index in 0..inputs {
        let (t, class, text) = input(seed, index, &targets);
        let target = &targets[t];
        tally.inputs += 1;
        tally.by_class[class as usize] += 1;
        match panic::catch_unwind(AssertUnwindSafe(|| target.manager.verify(&text))) {
            Err(_) => {
                tally.panics += 1;
                let (message, backtrace) = LAST_PANIC
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .unwrap_or_default();
                if tally.panics == 1 {
                    println!("first panic: {message}\n{backtrace}");
                }
                tally.finding("PANIC", index, target, &text, &message);
            }
            Ok(Ok(verified)) => {
                tally.accepted += 1;
                let verdicts: Vec<Verdict> = target
                    .signed
                    .iter()
                    .map(|(token, claims)| judge(token, claims, &text, &verified))
                    .collect();
                if verdicts.contains(&Verdict::Signed) {
                    continue;
                }
                if verdicts.contains(&Verdict::OtherEncoding) {
                    tally.other_encodings += 1;
                    tally.finding("OTHER ENCODING", index, target, &text, "");
                } else {
                    tally.forgeries += 1;
                    let detail = format!("{verdicts:?} {verified:?}");
                    tally.finding("FORGERY", index, target, &text, &detail);
                }
            }
            Ok(Err(error)) => {
                tally.rejected += 1;
                let expected_fault =
                    target.name == "issuers" && matches!(error, AuthError::KeysUnavailable);
                if error.is_server_fault() && !expected_fault {
                    tally.server_faults += 1;
                    tally.finding("SERVER FAULT", index, target, &text, &format!("{error:?}"));
                }
            }
        }
        if (index + 1) % report_every == 0 {
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  {} inputs, {secs:.0} s, {:.0}/s, {} panics, {} forgeries",
                index + 1,
                (index + 1) as f64 / secs,
                tally.panics,
                tally.forgeries
            );
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    panic::set_hook(previous_hook);

    println!(
        "mutation run: {} inputs in {elapsed:.1} s ({:.0}/s), seed {seed:#x}",
        tally.inputs,
        tally.inputs as f64 / elapsed
    );
    for (class, count) in CLASSES.iter().zip(tally.by_class) {
        println!("  {class:?}: {count}");
    }
    println!(
        "  accepted {} (each a token its manager signed), rejected {}\n  \
         panics {}, accepted forgeries {}, other encodings accepted {}, server faults {}",
        tally.accepted,
        tally.rejected,
        tally.panics,
        tally.forgeries,
        tally.other_encodings,
        tally.server_faults
    );
    for finding in &tally.findings {
        println!("{finding}");
    }
    assert_eq!(
        (
            tally.panics,
            tally.forgeries,
            tally.other_encodings,
            tally.server_faults
        ),
        (0, 0, 0, 0),
        "panics, forgeries, other encodings, server faults (MUTATION_SEED={seed:#x}; \
         the findings are printed above)"
    );
}

/// The driver's judge itself: a token the manager signed is `Signed`; another token the
/// same key signed, with other claims, counts as a forgery of the first.
#[test]
fn the_judge_tells_a_forgery_from_the_signed_token() {
    let manager = manager();
    let signed = sign(&claims("alice"));
    let other = sign(&claims("root"));
    let claims = signed_claims(&signed);
    let verified = manager.verify(&signed).expect("signed");
    assert_eq!(judge(&signed, &claims, &signed, &verified), Verdict::Signed);
    let verified = manager.verify(&other).expect("signed too");
    assert!(matches!(
        judge(&signed, &claims, &other, &verified),
        Verdict::Forgery(_)
    ));
}
