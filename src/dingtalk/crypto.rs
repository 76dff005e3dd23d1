//! Event-subscription crypto (PROTOCOL.md §5, DingCallbackCrypto): SHA-1
//! signatures over the sorted `[token, timestamp, nonce, encrypt]`, and
//! AES-256-CBC with the key `base64(aesKey + "=")` (lenient about trailing
//! bits), IV = key[..16], plaintext `random(16) ‖ u32be len ‖ msg ‖ ownerKey`
//! padded PKCS#7-style to 32 bytes.

use aes::Aes256;
use base64::Engine as _;
use base64::alphabet::STANDARD as STANDARD_ALPHABET;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq as _;

/// The key's 43 characters plus `=` often end in non-zero bits; DingTalk's
/// Java reference ignores them, so must we (PROTOCOL.md §5.6).
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &STANDARD_ALPHABET,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// DingTalk pads to 32 bytes, not AES's 16.
const PAD_TO: usize = 32;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the AES key must be 43 characters of base64")]
    BadKey,
    #[error("signature does not match")]
    Signature,
    #[error("ciphertext is not valid")]
    Ciphertext,
    #[error("the message is addressed to another app")]
    Owner,
}

/// Keys of one app's event subscription.
pub struct EventCrypto {
    token: String,
    key: [u8; 32],
    owner: String,
}

impl EventCrypto {
    pub fn new(token: &str, aes_key: &str, owner: &str) -> Result<Self, CryptoError> {
        let bytes = LENIENT
            .decode(format!("{aes_key}="))
            .map_err(|_| CryptoError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Self {
            token: token.to_owned(),
            key,
            owner: owner.to_owned(),
        })
    }

    /// `lowercase_hex(sha1(sorted parts joined))`.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        let mut parts = [self.token.as_str(), timestamp, nonce, encrypt];
        parts.sort_unstable();
        let digest = Sha1::digest(parts.concat().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Checks a push's signature in constant time.
    pub fn verify(
        &self,
        signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<(), CryptoError> {
        let expected = self.signature(timestamp, nonce, encrypt);
        if bool::from(
            expected
                .as_bytes()
                .ct_eq(signature.trim().to_ascii_lowercase().as_bytes()),
        ) {
            Ok(())
        } else {
            Err(CryptoError::Signature)
        }
    }

    /// Decrypts an `encrypt` value to the message, checking it is ours.
    pub fn decrypt(&self, encrypt: &str) -> Result<String, CryptoError> {
        let mut data = STANDARD
            .decode(encrypt.trim())
            .map_err(|_| CryptoError::Ciphertext)?;
        if data.is_empty() || data.len() % 16 != 0 {
            return Err(CryptoError::Ciphertext);
        }
        let plain = cbc::Decryptor::<Aes256>::new(&self.key.into(), self.key[..16].into())
            .decrypt_padded_mut::<NoPadding>(&mut data)
            .map_err(|_| CryptoError::Ciphertext)?;
        let pad = usize::from(*plain.last().ok_or(CryptoError::Ciphertext)?);
        let plain = if (1..=PAD_TO).contains(&pad) && pad <= plain.len() {
            &plain[..plain.len() - pad]
        } else {
            plain
        };
        let len_bytes: [u8; 4] = plain
            .get(16..20)
            .ok_or(CryptoError::Ciphertext)?
            .try_into()
            .expect("4 bytes");
        let len = u32::from_be_bytes(len_bytes) as usize;
        let msg = plain.get(20..20 + len).ok_or(CryptoError::Ciphertext)?;
        let owner = &plain[20 + len..];
        if owner != self.owner.as_bytes() {
            return Err(CryptoError::Owner);
        }
        String::from_utf8(msg.to_vec()).map_err(|_| CryptoError::Ciphertext)
    }

    /// Encrypts `msg` with the given 16-byte random prefix.
    pub fn encrypt_with(&self, msg: &str, random: &[u8; 16]) -> String {
        let mut plain = Vec::with_capacity(20 + msg.len() + self.owner.len() + PAD_TO);
        plain.extend_from_slice(random);
        plain.extend_from_slice(&u32::try_from(msg.len()).unwrap_or(u32::MAX).to_be_bytes());
        plain.extend_from_slice(msg.as_bytes());
        plain.extend_from_slice(self.owner.as_bytes());
        let pad = PAD_TO - plain.len() % PAD_TO;
        plain.extend(std::iter::repeat_n(
            u8::try_from(pad).expect("pad ≤ 32"),
            pad,
        ));
        let len = plain.len();
        let cipher = cbc::Encryptor::<Aes256>::new(&self.key.into(), self.key[..16].into())
            .encrypt_padded_mut::<NoPadding>(&mut plain, len)
            .expect("input is block-aligned");
        STANDARD.encode(cipher)
    }

    /// The reply DingTalk expects: `success`, encrypted and signed.
    pub fn success_reply(
        &self,
        timestamp: &str,
        nonce: &str,
        random: &[u8; 16],
    ) -> serde_json::Value {
        let encrypt = self.encrypt_with("success", random);
        serde_json::json!({
            "msg_signature": self.signature(timestamp, nonce, &encrypt),
            "timeStamp": timestamp,
            "nonce": nonce,
            "encrypt": encrypt,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    struct Vectors {
        callback_crypto: Vec<EncryptVector>,
        official_repo_vectors_decrypt: Vec<DecryptVector>,
    }

    #[derive(Deserialize)]
    struct EncryptVector {
        name: String,
        inputs: Inputs,
        encrypt: String,
        msg_signature: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Inputs {
        token: String,
        aes_key: String,
        owner_key: String,
        random: String,
        time_stamp: String,
        nonce: String,
        plaintext: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct DecryptVector {
        token: String,
        aes_key: String,
        owner_key: String,
        #[serde(rename = "msg_signature")]
        msg_signature: String,
        time_stamp: String,
        nonce: String,
        encrypt: String,
        plaintext: String,
    }

    fn vectors() -> Vectors {
        serde_json::from_str(include_str!("../../tests/fixtures/dingtalk/vectors.json")).unwrap()
    }

    #[test]
    fn encrypts_every_pinned_vector_byte_for_byte() {
        let v = vectors();
        assert!(v.callback_crypto.len() >= 7);
        for v in v.callback_crypto {
            let i = &v.inputs;
            let c = EventCrypto::new(&i.token, &i.aes_key, &i.owner_key).unwrap();
            let random: [u8; 16] = i.random.as_bytes().try_into().unwrap();
            let enc = c.encrypt_with(&i.plaintext, &random);
            assert_eq!(enc, v.encrypt, "{}", v.name);
            assert_eq!(
                c.signature(&i.time_stamp, &i.nonce, &enc),
                v.msg_signature,
                "{}",
                v.name
            );
            assert_eq!(c.decrypt(&enc).unwrap(), i.plaintext, "{}", v.name);
        }
    }

    #[test]
    fn decrypts_the_official_samples() {
        for v in vectors().official_repo_vectors_decrypt {
            let c = EventCrypto::new(&v.token, &v.aes_key, &v.owner_key).unwrap();
            c.verify(&v.msg_signature, &v.time_stamp, &v.nonce, &v.encrypt)
                .unwrap();
            assert_eq!(c.decrypt(&v.encrypt).unwrap(), v.plaintext);
        }
    }

    #[test]
    fn tampering_and_other_owners_are_refused() {
        let v = &vectors().official_repo_vectors_decrypt[0];
        let c = EventCrypto::new(&v.token, &v.aes_key, &v.owner_key).unwrap();
        assert_eq!(
            c.verify(&v.msg_signature, &v.time_stamp, "other", &v.encrypt),
            Err(CryptoError::Signature)
        );
        let other = EventCrypto::new(&v.token, &v.aes_key, "dingsomeoneelse").unwrap();
        assert_eq!(other.decrypt(&v.encrypt), Err(CryptoError::Owner));
        assert_eq!(c.decrypt("not base64!"), Err(CryptoError::Ciphertext));
        assert_eq!(c.decrypt("AAAA"), Err(CryptoError::Ciphertext));
        assert!(EventCrypto::new("t", "short", "o").is_err());
    }
}
