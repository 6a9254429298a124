//! What an attacker without the key can do to a signed token, and how to tell an accepted
//! forgery from the token itself. Shared by the property tests (`properties.rs`, which
//! draw a [`Mutation`] with proptest) and the mutation driver (`mutation_run.rs`, which
//! draws one from a seeded [`Rng`]).
//!
//! A **forgery** is a token the manager accepts although it is not one the manager's key
//! signed: the verified claims differ from the claims signed, or the header or signature
//! bytes differ from the signed ones. Because verification decodes base64url strictly (no
//! padding, canonical trailing bits), each byte string has exactly one encoding, so a
//! different text that decodes to the same bytes is impossible; [`judge`] still tells the
//! two apart, so that a lax decoder would show up as such rather than as a forgery.

use auth_runtime::CurrentToken;
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use serde_json::{Map, Value};

/// One edit of a token's text. Positions and segment numbers are taken modulo the
/// token's length or segment count, so any value applies to any token.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// The byte at `at` becomes `byte`.
    Replace { at: usize, byte: u8 },
    /// `byte` is inserted before `at`.
    Insert { at: usize, byte: u8 },
    /// The byte at `at` is removed.
    Remove { at: usize },
    /// Everything from `at` on is cut.
    Truncate { at: usize },
    /// One bit of a segment's decoded bytes flips; the segment is re-encoded canonically.
    FlipDecodedBit { segment: usize, bit: usize },
    /// A segment appears twice in a row.
    DuplicateSegment { segment: usize },
    /// A segment is removed with its dot.
    DropSegment { segment: usize },
    /// Two segments trade places (`a` = 0, `b` = 1: header and payload swapped).
    SwapSegments { a: usize, b: usize },
    /// `count` `=` are appended to a segment (padded base64url).
    Pad { segment: usize, count: usize },
    /// A segment is re-encoded in the standard alphabet, with padding (`+`, `/`, `=`).
    StandardAlphabet { segment: usize },
    /// The unused low bits of a segment's last character change (a lax decoder reads the
    /// same bytes).
    TrailingBits { segment: usize, bits: u8 },
    /// The header's `alg` becomes `alg`, the rest of the header kept; the signature is
    /// kept or dropped.
    Alg { alg: Value, drop_signature: bool },
    /// The header gains (or changes) one parameter: `jku`, `jwk`, `crit`, `kid`, `typ`...
    HeaderParam { name: String, value: Value },
    /// A segment's JSON is re-serialized: the same JSON value, other bytes.
    Reformat { segment: usize, pretty: bool },
    /// A key is given twice in a segment's JSON object, first or last.
    DuplicateKey {
        segment: usize,
        key: String,
        value: Value,
        first: bool,
    },
    /// One claim is set to `value` (added or replaced), the signature kept.
    SetClaim { key: String, value: Value },
    /// Text around the token (whitespace, quotes, a scheme, NUL).
    Wrap { prefix: String, suffix: String },
}

/// Header parameter names worth trying.
pub const HEADER_PARAMS: &[&str] = &[
    "alg", "typ", "kid", "crit", "jku", "jwk", "x5u", "x5c", "x5t", "cty", "b64", "zip", "enc",
    "iss", "sub",
];

/// Claim names worth trying.
pub const CLAIM_NAMES: &[&str] = &[
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "type", "scope", "fresh", "fam", "admin",
    "roles", "org", "x",
];

/// `alg` values worth trying (`none` in every case, other families, near misses).
pub const ALGS: &[&str] = &[
    "none", "None", "NONE", "nOnE", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256",
    "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "ES256K", "Ed25519", "hs256", "HS256 ",
    "", "dir", "A128KW",
];

/// Text put around a token.
pub const WRAPPERS: &[&str] = &[
    "", " ", "\t", "\n", "\r\n", "\0", "\"", "'", "Bearer ", ".", "..", "=", "%20", "\u{feff}",
    "\u{a0}", ",",
];

fn strict_decode(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(segment).ok()
}

fn encode(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A JSON object segment, parsed.
fn json_object(segment: &str) -> Option<Map<String, Value>> {
    serde_json::from_slice(&strict_decode(segment)?).ok()
}

fn edit_bytes(token: &str, edit: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut bytes = token.as_bytes().to_vec();
    edit(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The token with one segment replaced by `f`'s result, when `f` gives one.
fn edit_segment(
    token: &str,
    segment: usize,
    f: impl FnOnce(&str) -> Option<String>,
) -> Option<String> {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let i = segment % parts.len();
    parts[i] = f(&parts[i])?;
    Some(parts.join("."))
}

impl Mutation {
    /// The token after this edit: the token itself when the edit does not apply (a JSON
    /// edit of a segment that is not JSON).
    pub fn apply(&self, token: &str) -> String {
        self.try_apply(token).unwrap_or_else(|| token.to_owned())
    }

    fn try_apply(&self, token: &str) -> Option<String> {
        let len = token.len();
        match self {
            Self::Replace { at, byte } if len > 0 => {
                Some(edit_bytes(token, |b| b[at % len] = *byte))
            }
            Self::Insert { at, byte } => {
                Some(edit_bytes(token, |b| b.insert(at % (len + 1), *byte)))
            }
            Self::Remove { at } if len > 0 => Some(edit_bytes(token, |b| {
                b.remove(at % len);
            })),
            Self::Truncate { at } if len > 0 => Some(edit_bytes(token, |b| b.truncate(at % len))),
            Self::Replace { .. } | Self::Remove { .. } | Self::Truncate { .. } => None,
            Self::FlipDecodedBit { segment, bit } => edit_segment(token, *segment, |s| {
                let mut bytes = strict_decode(s).filter(|b| !b.is_empty())?;
                let bit = bit % (bytes.len() * 8);
                bytes[bit / 8] ^= 1 << (bit % 8);
                Some(encode(bytes))
            }),
            Self::DuplicateSegment { segment } => {
                let mut parts: Vec<&str> = token.split('.').collect();
                let i = segment % parts.len();
                parts.insert(i, parts[i]);
                Some(parts.join("."))
            }
            Self::DropSegment { segment } => {
                let mut parts: Vec<&str> = token.split('.').collect();
                parts.remove(segment % parts.len());
                Some(parts.join("."))
            }
            Self::SwapSegments { a, b } => {
                let mut parts: Vec<&str> = token.split('.').collect();
                let n = parts.len();
                parts.swap(a % n, b % n);
                Some(parts.join("."))
            }
            Self::Pad { segment, count } => edit_segment(token, *segment, |s| {
                Some(format!("{s}{}", "=".repeat(*count)))
            }),
            Self::StandardAlphabet { segment } => edit_segment(token, *segment, |s| {
                Some(STANDARD.encode(strict_decode(s)?))
            }),
            Self::TrailingBits { segment, bits } => edit_segment(token, *segment, |s| {
                let unused = match s.len() % 4 {
                    2 => 0b1111,
                    3 => 0b11,
                    _ => return None,
                };
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let last = *s.as_bytes().last()?;
                let value = ALPHABET.iter().position(|&c| c == last)? as u8;
                let changed = (value & !unused) | (bits & unused);
                let mut out = s[..s.len() - 1].to_owned();
                out.push(char::from(ALPHABET[usize::from(changed)]));
                Some(out)
            }),
            Self::Alg {
                alg,
                drop_signature,
            } => {
                let (header, rest) = token.split_once('.')?;
                let mut map = json_object(header)?;
                map.insert("alg".into(), alg.clone());
                let mut out = format!("{}.{rest}", encode(serde_json::to_vec(&map).ok()?));
                if *drop_signature {
                    let cut = out.rfind('.')?;
                    out.truncate(cut + 1);
                }
                Some(out)
            }
            Self::HeaderParam { name, value } => edit_segment(token, 0, |s| {
                let mut map = json_object(s)?;
                map.insert(name.clone(), value.clone());
                Some(encode(serde_json::to_vec(&map).ok()?))
            }),
            Self::Reformat { segment, pretty } => edit_segment(token, segment % 2, |s| {
                let value: Value = serde_json::from_slice(&strict_decode(s)?).ok()?;
                let bytes = if *pretty {
                    serde_json::to_vec_pretty(&value)
                } else {
                    serde_json::to_vec(&value).map(|mut v| {
                        v.insert(0, b' ');
                        v
                    })
                };
                Some(encode(bytes.ok()?))
            }),
            Self::DuplicateKey {
                segment,
                key,
                value,
                first,
            } => edit_segment(token, segment % 2, |s| {
                let text = String::from_utf8(strict_decode(s)?).ok()?;
                let inner = text.strip_prefix('{')?.strip_suffix('}')?;
                let pair = format!("{}:{value}", Value::from(key.as_str()));
                let joined = match (inner.is_empty(), first) {
                    (true, _) => format!("{{{pair},{pair}}}"),
                    (false, true) => format!("{{{pair},{inner}}}"),
                    (false, false) => format!("{{{inner},{pair}}}"),
                };
                Some(encode(joined))
            }),
            Self::SetClaim { key, value } => edit_segment(token, 1, |s| {
                let mut map = json_object(s)?;
                map.insert(key.clone(), value.clone());
                Some(encode(serde_json::to_vec(&map).ok()?))
            }),
            Self::Wrap { prefix, suffix } => Some(format!("{prefix}{token}{suffix}")),
        }
    }
}

/// The three segments of a compact JWS, each decoded strictly; `None` unless there are
/// exactly three and each decodes.
pub fn decoded_segments(token: &str) -> Option<[Vec<u8>; 3]> {
    let mut parts = token.split('.');
    let segments = [
        strict_decode(parts.next()?)?,
        strict_decode(parts.next()?)?,
        strict_decode(parts.next()?)?,
    ];
    parts.next().is_none().then_some(segments)
}

/// The claims a signed token carries, read from its payload.
pub fn signed_claims(token: &str) -> Map<String, Value> {
    let [_, payload, _] = decoded_segments(token).expect("a compact JWS");
    serde_json::from_slice(&payload).expect("a claims object")
}

/// What an accepted token is, measured against the token the manager signed.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The very token that was signed.
    Signed,
    /// Another text for the same header, payload and signature bytes (a lax decoder).
    OtherEncoding,
    /// A forgery: the verified claims, or the header, payload or signature bytes, differ
    /// from what was signed.
    Forgery(String),
}

/// What `accepted` (verified as `verified`) is, given the `signed` token and its claims.
pub fn judge(
    signed: &str,
    signed_claims: &Map<String, Value>,
    accepted: &str,
    verified: &CurrentToken,
) -> Verdict {
    if verified.claims() != signed_claims {
        return Verdict::Forgery("the verified claims differ from the signed ones".into());
    }
    if accepted == signed {
        return Verdict::Signed;
    }
    match (decoded_segments(signed), decoded_segments(accepted)) {
        (Some(s), Some(a)) if s == a => Verdict::OtherEncoding,
        (Some([sh, sp, ss]), Some([ah, ap, as_])) => Verdict::Forgery(format!(
            "accepted with changed bytes: header {}, payload {}, signature {}",
            if sh == ah { "same" } else { "changed" },
            if sp == ap { "same" } else { "changed" },
            if ss == as_ { "same" } else { "changed" },
        )),
        _ => Verdict::Forgery("accepted a token that is not three base64url segments".into()),
    }
}

/// xorshift64*: small, fast and deterministic, so every input can be replayed from its
/// seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for input `index` of the run seeded `seed` (splitmix64 of both, so
    /// neighbouring inputs are unrelated and each can be replayed alone).
    pub fn for_input(seed: u64, index: u64) -> Self {
        let mut z = seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Self((z ^ (z >> 31)) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` in 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// A JSON value worth putting in a claim or a header parameter: the types a verifier
    /// must tell apart, edge numbers, odd strings, and now and then a nested value.
    pub fn json(&mut self, depth: usize) -> Value {
        match self.below(if depth == 0 { 12 } else { 15 }) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 => Value::from(*self.pick(&[0i64, 1, -1, i64::MAX, i64::MIN, 42])),
            3 => Value::from(*self.pick(&[u64::MAX, 1 << 53, (1 << 53) + 1])),
            4 => Value::from(*self.pick(&[0.5, -0.0, 1e300, 4.2e1, 1.0])),
            5 => Value::from(jsonwebtoken::get_current_timestamp() + self.below(7200) as u64),
            6 => Value::from(
                jsonwebtoken::get_current_timestamp().saturating_sub(self.below(7200) as u64),
            ),
            7 => Value::from(*self.pick(&[
                "",
                "tests",
                "alice",
                "admin",
                "auth",
                "refresh",
                "JWT",
                "none",
                "root",
                "read admin",
                "../../../etc/passwd",
                "a\u{0}b",
                "é",
                "e\u{301}",
                "\u{202e}",
                "\u{feff}",
            ])),
            8 => Value::from(jsonwebtoken::get_current_timestamp().to_string()),
            9 => {
                let n = self.below(24);
                Value::from(String::from_utf8_lossy(&self.bytes(n)).into_owned())
            }
            10 => Value::from(*self.pick(CLAIM_NAMES)),
            11 => Value::from("x".repeat(self.below(3000))),
            12 | 13 => Value::Array((0..self.below(4)).map(|_| self.json(depth - 1)).collect()),
            _ => {
                let mut map = Map::new();
                for _ in 0..self.below(4) {
                    let key = self.pick(CLAIM_NAMES).to_string();
                    let value = self.json(depth - 1);
                    map.insert(key, value);
                }
                Value::Object(map)
            }
        }
    }

    /// One random [`Mutation`].
    pub fn mutation(&mut self) -> Mutation {
        let at = self.next() as usize;
        let segment = self.below(4);
        match self.below(19) {
            0 | 1 => Mutation::Replace {
                at,
                byte: self.token_byte(),
            },
            2 => Mutation::Insert {
                at,
                byte: self.token_byte(),
            },
            3 => Mutation::Remove { at },
            4 => Mutation::Truncate { at },
            5 | 6 => Mutation::FlipDecodedBit {
                segment,
                bit: self.next() as usize,
            },
            7 => Mutation::DuplicateSegment { segment },
            8 => Mutation::DropSegment { segment },
            9 => Mutation::SwapSegments {
                a: self.below(3),
                b: self.below(3),
            },
            10 => Mutation::Pad {
                segment,
                count: 1 + self.below(3),
            },
            11 => Mutation::StandardAlphabet { segment },
            12 => Mutation::TrailingBits {
                segment,
                bits: self.next() as u8,
            },
            13 => Mutation::Alg {
                alg: if self.chance(85) {
                    Value::from(*self.pick(ALGS))
                } else {
                    self.json(1)
                },
                drop_signature: self.chance(50),
            },
            14 => Mutation::HeaderParam {
                name: self.pick(HEADER_PARAMS).to_string(),
                value: self.json(2),
            },
            15 => Mutation::Reformat {
                segment,
                pretty: self.chance(50),
            },
            16 => Mutation::DuplicateKey {
                segment,
                key: self
                    .pick(if segment.is_multiple_of(2) {
                        HEADER_PARAMS
                    } else {
                        CLAIM_NAMES
                    })
                    .to_string(),
                value: self.json(1),
                first: self.chance(50),
            },
            17 => Mutation::SetClaim {
                key: self.pick(CLAIM_NAMES).to_string(),
                value: self.json(2),
            },
            _ => Mutation::Wrap {
                prefix: self.pick(WRAPPERS).to_string(),
                suffix: self.pick(WRAPPERS).to_string(),
            },
        }
    }

    /// A byte a token edit might put in: mostly the base64url alphabet and the dot, then
    /// the characters a careless decoder might accept, then anything.
    pub fn token_byte(&mut self) -> u8 {
        const NEAR: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \t\r\n\0%\"\\{}";
        if self.chance(90) {
            *self.pick(NEAR)
        } else {
            self.next() as u8
        }
    }
}
