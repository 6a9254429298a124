//! Just enough DER to find an RSA modulus in PKCS#1 and PKCS#8/SPKI keys, and to wrap
//! a SEC1 EC private key (`openssl ecparam -genkey`) in the PKCS#8 envelope jsonwebtoken
//! reads.

/// Reads one TLV; returns (tag, contents, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (len_bytes, after) = rest.split_at(n);
        rest = after;
        len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    if rest.len() < len {
        return None;
    }
    let (contents, rest) = rest.split_at(len);
    Some((tag, contents, rest))
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;

fn integer_bits(int: &[u8]) -> usize {
    let int = match int.iter().position(|b| *b != 0) {
        Some(i) => &int[i..],
        None => return 0,
    };
    int.len() * 8 - int[0].leading_zeros() as usize
}

/// The modulus length in bits, from any of: PKCS#1 public (`SEQ{n, e}`), PKCS#1
/// private (`SEQ{0, n, ...}`), SPKI (`SEQ{alg, BIT STRING{PKCS#1}}`), PKCS#8
/// (`SEQ{0, alg, OCTET STRING{PKCS#1}}`).
pub(super) fn rsa_modulus_bits(der: &[u8]) -> Option<usize> {
    let (tag, body, _) = tlv(der)?;
    if tag != SEQUENCE {
        return None;
    }
    let (t1, c1, rest) = tlv(body)?;
    match t1 {
        // SPKI: AlgorithmIdentifier then BIT STRING (first byte: unused bits).
        SEQUENCE => {
            let (t2, c2, _) = tlv(rest)?;
            (t2 == BIT_STRING && !c2.is_empty())
                .then(|| rsa_modulus_bits(&c2[1..]))
                .flatten()
        }
        INTEGER => {
            let (t2, c2, rest2) = tlv(rest)?;
            match t2 {
                // PKCS#8: version, AlgorithmIdentifier, OCTET STRING.
                SEQUENCE => {
                    let (t3, c3, _) = tlv(rest2)?;
                    (t3 == OCTET_STRING).then(|| rsa_modulus_bits(c3)).flatten()
                }
                // PKCS#1 private: version 0, then the modulus.
                INTEGER if c1 == [0] => Some(integer_bits(c2)),
                // PKCS#1 public: modulus, then exponent.
                INTEGER => Some(integer_bits(c1)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Writes one TLV.
fn encode(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend(&bytes[skip..]);
    }
    out.extend(contents);
    out
}

/// The OID of `id-ecPublicKey` (1.2.840.10045.2.1), as a whole TLV.
const EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// The context tag of SEC1's optional curve parameters (`[0]`).
const SEC1_PARAMETERS: u8 = 0xa0;

/// Wraps a SEC1 `ECPrivateKey` (RFC 5915) in a PKCS#8 `PrivateKeyInfo` (RFC 5208):
/// `SEQ{0, SEQ{id-ecPublicKey, curve}, OCTET STRING{sec1}}`. The curve is the key's own
/// `[0]` parameter, or `default_curve` (an OID TLV) when the key names none. `None` when
/// `sec1` is not an `ECPrivateKey`.
pub(super) fn sec1_to_pkcs8(sec1: &[u8], default_curve: &[u8]) -> Option<Vec<u8>> {
    let (tag, body, rest) = tlv(sec1)?;
    if tag != SEQUENCE || !rest.is_empty() {
        return None;
    }
    let (t1, version, rest) = tlv(body)?;
    let (t2, _, mut rest) = tlv(rest)?;
    if t1 != INTEGER || version != [1] || t2 != OCTET_STRING {
        return None;
    }
    let mut curve = default_curve.to_vec();
    while let Some((t, contents, after)) = tlv(rest) {
        if t == SEC1_PARAMETERS {
            curve = contents.to_vec();
        }
        rest = after;
    }
    let algorithm = encode(SEQUENCE, &[EC_PUBLIC_KEY, &curve].concat());
    let body = [encode(INTEGER, &[0]), algorithm, encode(OCTET_STRING, sec1)].concat();
    Some(encode(SEQUENCE, &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_bits_of_pkcs1_public() {
        // SEQ { INTEGER 0x00 0x80 ..(257 bytes).., INTEGER 3 }
        let mut modulus = vec![0x00, 0x80];
        modulus.extend(std::iter::repeat_n(0x01, 255));
        let mut body = vec![0x02, 0x82, 0x01, 0x01];
        body.extend(&modulus);
        body.extend([0x02, 0x01, 0x03]);
        let mut der = vec![0x30, 0x82];
        der.extend((body.len() as u16).to_be_bytes());
        der.extend(body);
        assert_eq!(rsa_modulus_bits(&der), Some(2048));
    }

    #[test]
    fn a_sec1_key_is_wrapped_in_pkcs8() {
        let p256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
        // SEQ { INTEGER 1, OCTET STRING (32 bytes), [0] { P-256 } }
        let mut body = vec![0x02, 0x01, 0x01, 0x04, 0x20];
        body.extend([9u8; 32]);
        body.extend(encode(SEC1_PARAMETERS, &p256));
        let sec1 = encode(SEQUENCE, &body);
        let pkcs8 = sec1_to_pkcs8(&sec1, &[]).expect("wrapped");
        let (tag, body, rest) = tlv(&pkcs8).unwrap();
        assert_eq!((tag, rest.len()), (SEQUENCE, 0));
        let (_, version, rest) = tlv(body).unwrap();
        assert_eq!(version, [0]);
        let (_, algorithm, rest) = tlv(rest).unwrap();
        assert_eq!(algorithm, [EC_PUBLIC_KEY, &p256].concat());
        let (tag, inner, _) = tlv(rest).unwrap();
        assert_eq!((tag, inner), (OCTET_STRING, &sec1[..]));
        assert!(sec1_to_pkcs8(&[0x30, 0x00], &p256).is_none());
        assert!(sec1_to_pkcs8(&pkcs8, &p256).is_none(), "PKCS#8 is not SEC1");
    }

    #[test]
    fn long_lengths_are_encoded_in_long_form() {
        let long = encode(OCTET_STRING, &[0u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(tlv(&long).unwrap().1.len(), 300);
    }

    #[test]
    fn garbage_is_not_a_modulus() {
        assert_eq!(rsa_modulus_bits(&[]), None);
        assert_eq!(rsa_modulus_bits(&[0x30, 0x85, 1, 1, 1, 1, 1]), None);
        assert_eq!(rsa_modulus_bits(&[0x04, 0x00]), None);
    }
}
