//! `EventCrypto` with a fixed key: verify and decrypt never panic on any
//! push; whatever plaintext layout hides under a valid ciphertext (any
//! length field, padding or owner) is refused or read back exactly; and
//! `decrypt(encrypt(x)) == x` with a signature that verifies.

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::{BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use dingwarden::dingtalk::crypto::{CryptoError, EventCrypto};

/// The official sample's keys (tests/fixtures/dingtalk/vectors.json).
pub const TOKEN: &str = "mryue";
pub const AES_KEY: &str = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";
pub const OWNER: &str = "ding6ccabc44d2c8d38b";

fn crypto() -> EventCrypto {
    EventCrypto::new(TOKEN, AES_KEY, OWNER).expect("the sample key is valid")
}

/// The raw key bytes, as `EventCrypto` derives them.
fn raw_key() -> [u8; 32] {
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    lenient
        .decode(format!("{AES_KEY}="))
        .expect("base64")
        .try_into()
        .expect("32 bytes")
}

/// Checks one input; its first byte picks what the rest is.
pub fn check(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => push(rest),
        1 => plaintext(rest),
        _ => round_trip(&String::from_utf8_lossy(rest), rest),
    }
}

/// A push as it arrives: signature, timestamp, nonce and `encrypt`, one a line.
pub fn push(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let mut next = || parts.next().unwrap_or_default();
    let (signature, timestamp, nonce, encrypt) = (next(), next(), next(), next());
    let c = crypto();
    let expected = c.signature(timestamp, nonce, encrypt);
    let verified = c.verify(signature, timestamp, nonce, encrypt);
    assert_eq!(
        verified.is_ok(),
        signature.trim().eq_ignore_ascii_case(&expected),
        "verify disagrees with signature"
    );
    if let Ok(msg) = c.decrypt(encrypt) {
        assert_eq!(
            c.decrypt(&c.encrypt_with(&msg, &[7; 16])).as_deref(),
            Ok(msg.as_str())
        );
    }
}

/// Any plaintext, encrypted as DingTalk would (AES-256-CBC, no padding added
/// beyond zero bytes to the block size), then decrypted: an error, or exactly
/// the bytes its length field names when the rest is our owner key.
pub fn plaintext(data: &[u8]) {
    let mut plain = data.to_vec();
    plain.resize(data.len().div_ceil(16).max(1) * 16, 0);
    let key = raw_key();
    let len = plain.len();
    let mut cipher = plain.clone();
    cbc::Encryptor::<Aes256>::new(&key.into(), key[..16].into())
        .encrypt_padded_mut::<NoPadding>(&mut cipher, len)
        .expect("block-aligned");
    let encrypt = STANDARD.encode(&cipher);
    match crypto().decrypt(&encrypt) {
        Ok(msg) => {
            let n = u32::from_be_bytes(plain[16..20].try_into().expect("4 bytes")) as usize;
            assert_eq!(msg.as_bytes(), &plain[20..20 + n]);
            let pad = usize::from(plain[len - 1]);
            let unpadded = if (1..=32).contains(&pad) && pad <= len {
                &plain[..len - pad]
            } else {
                &plain[..]
            };
            assert_eq!(&unpadded[20 + n..], OWNER.as_bytes());
        }
        Err(e) => assert!(matches!(e, CryptoError::Ciphertext | CryptoError::Owner)),
    }
}

/// `decrypt(encrypt(msg)) == msg`, and the signature over it verifies (in
/// upper case too) while one over a changed nonce does not.
pub fn round_trip(msg: &str, random: &[u8]) {
    let c = crypto();
    let mut r = [0u8; 16];
    for (d, s) in r.iter_mut().zip(random.iter().rev()) {
        *d = *s;
    }
    let encrypt = c.encrypt_with(msg, &r);
    assert_eq!(c.decrypt(&encrypt).as_deref(), Ok(msg));
    let sig = c.signature("1700000000000", "nonce", &encrypt);
    assert_eq!(c.verify(&sig, "1700000000000", "nonce", &encrypt), Ok(()));
    let upper = sig.to_ascii_uppercase();
    assert_eq!(c.verify(&upper, "1700000000000", "nonce", &encrypt), Ok(()));
    assert_eq!(
        c.verify(&sig, "1700000000000", "nonce2", &encrypt),
        Err(CryptoError::Signature)
    );
    let other = EventCrypto::new(TOKEN, AES_KEY, "dingother").expect("key");
    assert_eq!(other.decrypt(&encrypt), Err(CryptoError::Owner));
}
