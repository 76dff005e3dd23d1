//! The evidence signing key (`DINGWARDEN_EVIDENCE_KEY`): an Ed25519 private
//! key given as PKCS#8 PEM (`openssl genpkey -algorithm ed25519`) or as
//! base64 (the 32-byte seed, the 64-byte seed + public key, or PKCS#8 DER);
//! the public key auditors get (PEM, or base64 of its 32 bytes); signing
//! and checking a manifest.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, EncodePublicKey as _};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

/// A private signing key. `Debug` shows only the public half.
#[derive(Clone)]
pub struct EvidenceKey(SigningKey);

impl fmt::Debug for EvidenceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EvidenceKey(public {})", self.public_base64())
    }
}

/// Base64 with whitespace (line breaks) removed.
fn decode_b64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(compact).ok()
}

impl EvidenceKey {
    /// Reads a private key; the error says what was expected, never echoing the value.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let key = if text.starts_with("-----BEGIN") {
            SigningKey::from_pkcs8_pem(text)
                .map_err(|_| "is not an Ed25519 private key in PKCS#8 PEM".to_owned())?
        } else {
            let bytes = decode_b64(text).ok_or(
                "expected an Ed25519 private key: PKCS#8 PEM, or base64 of its 32-byte seed",
            )?;
            match bytes.len() {
                32 => SigningKey::from_bytes(bytes.as_slice().try_into().expect("32 bytes")),
                64 => SigningKey::from_keypair_bytes(bytes.as_slice().try_into().expect("64"))
                    .map_err(|_| "the 64 bytes are not a matching seed and public key")?,
                _ => SigningKey::from_pkcs8_der(&bytes).map_err(|_| {
                    "base64 of 32 (seed), 64 (seed and public key) or PKCS#8 DER bytes expected"
                })?,
            }
        };
        Ok(Self(key))
    }

    /// A key from a 32-byte seed (tests).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&seed))
    }

    /// The public key.
    pub fn public(&self) -> VerifyingKey {
        self.0.verifying_key()
    }

    /// The public key as base64 of its 32 bytes.
    pub fn public_base64(&self) -> String {
        STANDARD.encode(self.public().as_bytes())
    }

    /// The public key as PEM (SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----`).
    pub fn public_pem(&self) -> String {
        self.public()
            .to_public_key_pem(LineEnding::LF)
            .expect("an Ed25519 public key encodes")
    }

    /// The signature of `message`, base64.
    pub fn sign(&self, message: &[u8]) -> String {
        STANDARD.encode(self.0.sign(message).to_bytes())
    }
}

/// Reads a public key: PEM, base64 of the 32 bytes, or base64 of the DER
/// SubjectPublicKeyInfo.
pub fn parse_public(text: &str) -> Result<VerifyingKey, String> {
    let text = text.trim();
    if text.starts_with("-----BEGIN") {
        return VerifyingKey::from_public_key_pem(text)
            .map_err(|_| "is not an Ed25519 public key in PEM".to_owned());
    }
    let bytes = decode_b64(text).ok_or("expected an Ed25519 public key: PEM or base64")?;
    match <[u8; 32]>::try_from(bytes.as_slice()) {
        Ok(raw) => {
            VerifyingKey::from_bytes(&raw).map_err(|_| "not a valid Ed25519 public key".into())
        }
        Err(_) => VerifyingKey::from_public_key_der(&bytes)
            .map_err(|_| "base64 of 32 bytes or of a DER public key expected".into()),
    }
}

/// Whether `signature` (base64) is `key`'s signature of `message`.
pub fn verify(key: &VerifyingKey, message: &[u8], signature: &str) -> Result<(), String> {
    let bytes = decode_b64(signature).ok_or("the signature is not base64")?;
    let sig = Signature::from_slice(&bytes).map_err(|_| "the signature is not 64 bytes")?;
    key.verify_strict(message, &sig)
        .map_err(|_| "the signature does not match this public key".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 8032 §7.1 test 1 key, as `openssl pkey` writes it.
    const PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
        MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n\
        -----END PRIVATE KEY-----\n";

    #[test]
    fn every_form_of_the_private_key_reads_the_same() {
        let pem = EvidenceKey::parse(PEM).unwrap();
        let seed = STANDARD.encode(pem.0.to_bytes());
        let raw = EvidenceKey::parse(&seed).unwrap();
        assert_eq!(pem.public(), raw.public());
        let pair = STANDARD.encode(pem.0.to_keypair_bytes());
        assert_eq!(EvidenceKey::parse(&pair).unwrap().public(), pem.public());
        // RFC 8032 §7.1 test 1 public key.
        assert_eq!(
            pem.public()
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        let err = EvidenceKey::parse("not a key").unwrap_err();
        assert!(!err.contains("not a key"), "the value is never echoed");
        assert!(format!("{pem:?}").starts_with("EvidenceKey(public "));
    }

    #[test]
    fn a_signature_checks_with_the_public_key_in_any_form() {
        let key = EvidenceKey::from_seed([7; 32]);
        let sig = key.sign(b"manifest");
        for public in [key.public_pem(), key.public_base64()] {
            let pk = parse_public(&public).unwrap();
            assert_eq!(verify(&pk, b"manifest", &sig), Ok(()));
            assert!(verify(&pk, b"manifest!", &sig).is_err());
        }
        let other = EvidenceKey::from_seed([8; 32]).public();
        assert!(verify(&other, b"manifest", &sig).is_err());
        assert!(parse_public("AAAA").is_err());
    }
}
