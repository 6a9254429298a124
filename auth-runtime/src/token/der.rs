//! Just enough DER to find an RSA modulus in PKCS#1 and PKCS#8/SPKI keys.

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
    fn garbage_is_not_a_modulus() {
        assert_eq!(rsa_modulus_bits(&[]), None);
        assert_eq!(rsa_modulus_bits(&[0x30, 0x85, 1, 1, 1, 1, 1]), None);
        assert_eq!(rsa_modulus_bits(&[0x04, 0x00]), None);
    }
}
