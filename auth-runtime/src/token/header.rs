//! The JOSE header (RFC 7515 §4), read strictly: one JSON object; `alg` a JSON string
//! naming an algorithm; `typ` and `kid` strings; `crit` noted whatever its value (even
//! `null`) so that the caller refuses it; every name once at every depth; every string
//! valid UTF-8, escapes included (an unpaired surrogate such as `"\ud800"` is an error),
//! in the parameters the policy ignores as much as in those it reads.
//!
//! Parameters the policy does not name (`jku`, `jwk`, `x5u`, `x5c`, `cty`...) are walked
//! only to check them and are never used. `typ` and `kid` borrow from the decoded bytes
//! when they hold no escape.

use std::{borrow::Cow, collections::HashSet, fmt, str::FromStr};

use jsonwebtoken::Algorithm;
use serde::{
    Deserialize, Deserializer,
    de::{self, MapAccess, SeqAccess, Visitor},
};

/// The header parameters the policy reads.
pub(crate) struct JoseHeader<'a> {
    /// The algorithm the token says it was signed with (never trusted: the key's own
    /// algorithm must match it).
    pub(crate) alg: Algorithm,
    /// The media type of the token, if given.
    pub(crate) typ: Option<Cow<'a, str>>,
    /// The key id, if given: an exact lookup among the trusted keys.
    pub(crate) kid: Option<Cow<'a, str>>,
    /// Whether a `crit` parameter was present (with any value, `null` included).
    pub(crate) crit: bool,
}

impl<'a> JoseHeader<'a> {
    /// Parses the decoded header bytes.
    pub(crate) fn parse(json: &'a [u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(json)
    }
}

impl<'de> Deserialize<'de> for JoseHeader<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(HeaderVisitor)
    }
}

struct HeaderVisitor;

impl<'de> Visitor<'de> for HeaderVisitor {
    type Value = JoseHeader<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JOSE header: a JSON object with a string `alg`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut alg = None;
        let (mut typ, mut kid, mut crit) = (None, None, false);
        // The parameters the policy reads are told apart by their own slots; the others
        // are remembered by name (borrowed, so a usual header allocates nothing).
        let mut others = Names::default();
        while let Some(Text(name)) = map.next_key()? {
            let repeated = match &*name {
                "alg" => alg.is_some(),
                "typ" => typ.is_some(),
                "kid" => kid.is_some(),
                "crit" => crit,
                _ => others.contains(&name),
            };
            if repeated {
                return Err(de::Error::custom(format_args!(
                    "duplicate header parameter `{name}`"
                )));
            }
            match &*name {
                "alg" => {
                    let Text(value) = map.next_value()?;
                    alg = Some(Algorithm::from_str(&value).map_err(|_| {
                        de::Error::custom(format_args!("unknown algorithm `{value}`"))
                    })?);
                }
                "typ" => typ = Some(map.next_value::<Text<'de>>()?.0),
                "kid" => kid = Some(map.next_value::<Text<'de>>()?.0),
                "crit" => {
                    map.next_value::<Checked>()?;
                    crit = true;
                }
                _ => {
                    map.next_value::<Checked>()?;
                    others.insert(name);
                }
            }
        }
        Ok(JoseHeader {
            alg: alg.ok_or_else(|| de::Error::missing_field("alg"))?,
            typ,
            kid,
            crit,
        })
    }
}

/// A JSON string, borrowed when it holds no escape. Any other JSON value is an error.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Any JSON value, walked to check it and then dropped: strings are decoded (so invalid
/// UTF-8 and unpaired surrogate escapes are errors, which `IgnoredAny` would skip over)
/// and object names are unique at every depth.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value without duplicate object names")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        let mut seen = Names::default();
        while let Some(Text(name)) = map.next_key()? {
            if seen.contains(&name) {
                return Err(de::Error::custom(format_args!(
                    "duplicate name `{name}` in a header parameter"
                )));
            }
            map.next_value::<Checked>()?;
            seen.insert(name);
        }
        Ok(Checked)
    }
}

/// The names of one object so far, borrowed where they hold no escape: a short list
/// searched in turn, then a set once the object grows past a few names (a header is
/// bounded by the token size limit, but a quadratic search over thousands of names is
/// still to be avoided).
#[derive(Default)]
struct Names<'a> {
    few: Vec<Cow<'a, str>>,
    many: HashSet<Cow<'a, str>>,
}

impl<'a> Names<'a> {
    const FEW: usize = 16;

    fn contains(&self, name: &str) -> bool {
        self.few.iter().any(|n| n == name) || self.many.contains(name)
    }

    /// Adds a name known not to be there yet.
    fn insert(&mut self, name: Cow<'a, str>) {
        if self.few.len() < Self::FEW {
            self.few.push(name);
        } else {
            self.many.insert(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<JoseHeader<'_>, serde_json::Error> {
        JoseHeader::parse(json.as_bytes())
    }

    #[test]
    fn a_plain_header_parses_and_borrows() {
        let header = parse(r#"{"alg":"ES256","typ":"JWT","kid":"k1","x5u":"ignored"}"#)
            .expect("valid header");
        assert_eq!(header.alg, Algorithm::ES256);
        assert!(matches!(header.typ, Some(Cow::Borrowed("JWT"))));
        assert!(matches!(header.kid, Some(Cow::Borrowed("k1"))));
        assert!(!header.crit);
        let escaped = parse(r#"{"alg":"HS256","kid":"k\u0031"}"#).expect("valid header");
        assert_eq!(escaped.kid.as_deref(), Some("k1"));
    }

    #[test]
    fn the_header_must_be_an_object_with_a_string_alg() {
        for bad in [
            r#"[{"alg":"HS256"}]"#,
            r#""HS256""#,
            "null",
            "1",
            "{}",
            r#"{"alg":null}"#,
            r#"{"alg":["HS256"]}"#,
            r#"{"alg":{"HS256":null}}"#,
            r#"{"alg":"none"}"#,
            r#"{"alg":"hs256"}"#,
            r#"{"alg":"HS256","typ":1}"#,
            r#"{"alg":"HS256","kid":null}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn crit_is_noted_whatever_its_value() {
        for crit in ["null", "[]", r#"["exp"]"#, "1", r#"{"a":1}"#] {
            let json = format!(r#"{{"alg":"HS256","crit":{crit}}}"#);
            assert!(parse(&json).expect("parses").crit, "{crit}");
        }
    }

    #[test]
    fn names_are_unique_at_every_depth() {
        for bad in [
            r#"{"alg":"HS256","alg":"HS256"}"#,
            r#"{"alg":"HS256","x":1,"x":1}"#,
            r#"{"alg":"HS256","crit":null,"crit":null}"#,
            r#"{"alg":"HS256","jwk":{"kty":"EC","kty":"RSA"}}"#,
            r#"{"alg":"HS256","x":[{"a":1},{"b":[{"c":1,"c":2}]}]}"#,
            r#"{"alg":"HS256","k\u0069d":"a","kid":"b"}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let many: String = (0..100).map(|i| format!(r#","p{i}":{i}"#)).collect();
        assert!(parse(&format!(r#"{{"alg":"HS256"{many}}}"#)).is_ok());
        assert!(parse(&format!(r#"{{"alg":"HS256"{many},"p99":0}}"#)).is_err());
    }

    #[test]
    fn unpaired_surrogates_are_refused_even_where_ignored() {
        for bad in [
            r#"{"alg":"HS256","kid":"\ud800"}"#,
            r#"{"alg":"HS256","x":"\ud800"}"#,
            r#"{"alg":"HS256","x":"\udc00x"}"#,
            r#"{"alg":"HS256","x":{"\ud800":1}}"#,
            r#"{"alg":"HS256","x":["\ud800"]}"#,
            r#"{"alg":"HS256","\ud800":1}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse(r#"{"alg":"HS256","x":"\ud83d\ude00"}"#).is_ok());
        // Why ignored parameters are walked rather than skipped: serde_json's skipping
        // does not decode escapes.
        let skipped: Result<de::IgnoredAny, _> = serde_json::from_str(r#"{"x":"\ud800"}"#);
        assert!(skipped.is_ok());
    }

    #[test]
    fn invalid_utf8_is_refused_even_where_ignored() {
        let mut bytes = br#"{"alg":"HS256","x":"ab"}"#.to_vec();
        let at = bytes.len() - 3;
        bytes[at] = 0xff;
        assert!(JoseHeader::parse(&bytes).is_err());
    }
}
