//! Confirmation before what changes someone's power (issue 12 point 2): the
//! typed request waiting for its code, the code's alphabet and shape, its
//! hash (the only form stored), and how the pending effect is put into words.
//! Pure: the random bytes a code is made from are the caller's.

use chrono::Duration;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::domain::{Access, Person, Role};
use crate::i18n::Lang;
use crate::t;

/// The characters a code is made of: `A–Z` without `I` and `O`, and `2–9`
/// (nothing that reads as another character). 32 of them, so a random byte
/// maps onto one without bias.
pub const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in a code: 32⁶ ≈ 10⁹ codes.
pub const CODE_LEN: usize = 6;
/// Wrong codes a person may type while confirmations of theirs are open;
/// at this many, all of them are void.
pub const MAX_WRONG: i64 = 5;

/// How long a code stays valid.
pub fn window() -> Duration {
    Duration::minutes(5)
}

/// The code made from `CODE_LEN` random bytes.
pub fn code_from(bytes: [u8; CODE_LEN]) -> String {
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect()
}

/// A typed code as it is hashed: trimmed and upper-cased (`k7m2qx` is
/// `K7M2QX`). Anything is accepted; a wrongly shaped code simply matches
/// nothing.
pub fn normalise(typed: &str) -> String {
    typed.trim().to_ascii_uppercase()
}

/// Whether `code` has the shape of a code.
pub fn well_formed(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))
}

/// The stored form of a code: hex SHA-256 of the normalised code.
pub fn hash(code: &str) -> String {
    let digest = Sha256::digest(normalise(code).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A request that waits for its confirmation code, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    RoleGrant {
        staff_id: String,
        role: Role,
    },
    RoleRevoke {
        staff_id: String,
        role: Role,
    },
    /// `lang` is the language of the admins' checklist (the requester's).
    Offboard {
        staff_id: String,
        lang: Lang,
    },
}

impl Request {
    /// The audit action it becomes once executed (`*.requested`,
    /// `*.confirmed` are derived from it).
    pub fn action(&self) -> &'static str {
        match self {
            Request::RoleGrant { .. } => "role.grant",
            Request::RoleRevoke { .. } => "role.revoke",
            Request::Offboard { .. } => "offboard",
        }
    }

    /// Who it is about.
    pub fn staff_id(&self) -> &str {
        match self {
            Request::RoleGrant { staff_id, .. }
            | Request::RoleRevoke { staff_id, .. }
            | Request::Offboard { staff_id, .. } => staff_id,
        }
    }

    /// What the requester needs, both when asking and when confirming.
    pub fn needs(&self) -> Access {
        match self {
            Request::RoleGrant { .. } | Request::RoleRevoke { .. } => Access::Admin,
            Request::Offboard { .. } => Access::Staff,
        }
    }

    /// The audit subject, as the executed action writes it.
    pub fn subject(&self) -> String {
        match self {
            Request::RoleGrant { staff_id, .. } | Request::RoleRevoke { staff_id, .. } => {
                staff_id.clone()
            }
            Request::Offboard { staff_id, .. } => format!("user:{staff_id}"),
        }
    }

    /// The stored JSON.
    pub fn to_json(&self) -> Value {
        match self {
            Request::RoleGrant { staff_id, role } | Request::RoleRevoke { staff_id, role } => {
                json!({"staff_id": staff_id, "role": role.as_str()})
            }
            Request::Offboard { staff_id, lang } => {
                json!({"staff_id": staff_id, "lang": lang.code()})
            }
        }
    }

    /// The request stored as `action` and `json`; `None` if unreadable.
    pub fn from_stored(action: &str, json: &Value) -> Option<Self> {
        let staff_id = json["staff_id"].as_str()?.to_owned();
        let role = || json["role"].as_str()?.parse::<Role>().ok();
        match action {
            "role.grant" => Some(Request::RoleGrant {
                staff_id,
                role: role()?,
            }),
            "role.revoke" => Some(Request::RoleRevoke {
                staff_id,
                role: role()?,
            }),
            "offboard" => Some(Request::Offboard {
                staff_id,
                lang: Lang::from_code(json["lang"].as_str()?),
            }),
            _ => None,
        }
    }

    /// What confirming will do, in `lang`, naming `who` (made inert).
    pub fn effect(&self, who: Person<'_>, lang: Lang) -> String {
        let name = who.label(lang);
        match self {
            Request::RoleGrant { role, .. } => {
                let r = role.label(lang);
                t!(lang, "domain-confirm-this-will-give-role", name, r)
            }
            Request::RoleRevoke { role, .. } => {
                let r = role.label(lang);
                t!(
                    lang,
                    "domain-confirm-this-will-take-role-away-from",
                    name,
                    r
                )
            }
            Request::Offboard { .. } => t!(
                lang,
                "domain-confirm-this-will-start-offboarding-of-they",
                name
            ),
        }
    }
}

/// The words that ask for the code: where, how long, and the command.
pub fn ask_for_code(code: &str, until: &str, lang: Lang) -> String {
    t!(
        lang,
        "domain-confirm-this-needs-your-confirmation-within-5",
        until,
        code
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet_without_look_alikes() {
        assert_eq!(ALPHABET.len(), 32);
        for c in [b'I', b'O', b'0', b'1'] {
            assert!(!ALPHABET.contains(&c));
        }
        let code = code_from([0, 31, 32, 255, 8, 24]);
        assert_eq!(code, "A9A9J2");
        assert!(well_formed(&code));
        assert!(!well_formed("A99ZJ"));
        assert!(!well_formed("A99ZJO"));
    }

    #[test]
    fn the_hash_ignores_case_and_spaces_and_hides_the_code() {
        assert_eq!(hash("k7m2qx "), hash("K7M2QX"));
        assert_ne!(hash("K7M2QX"), hash("K7M2QY"));
        assert_eq!(hash("K7M2QX").len(), 64);
        assert!(!hash("K7M2QX").contains("K7M2QX"));
    }

    #[test]
    fn requests_round_trip_through_their_stored_form() {
        let all = [
            Request::RoleGrant {
                staff_id: "u2".into(),
                role: Role::Hr,
            },
            Request::RoleRevoke {
                staff_id: "u2".into(),
                role: Role::Admin,
            },
            Request::Offboard {
                staff_id: "u3".into(),
                lang: Lang::En,
            },
        ];
        for r in all {
            let back = Request::from_stored(r.action(), &r.to_json());
            assert_eq!(back.as_ref(), Some(&r));
        }
        assert_eq!(Request::from_stored("role.grant", &json!({})), None);
        assert_eq!(
            Request::from_stored("nope", &json!({"staff_id": "u"})),
            None
        );
    }

    #[test]
    fn the_effect_names_people_inertly() {
        let who = Person {
            staff_id: "u2",
            name: "[李四](dtmd://x)",
        };
        let r = Request::RoleGrant {
            staff_id: "u2".into(),
            role: Role::Hr,
        };
        let text = r.effect(who, Lang::Zh);
        assert!(text.starts_with("将授予 "), "{text}");
        assert!(text.contains("「人事」角色"), "{text}");
        assert!(!text.contains("](dtmd"), "{text}");
    }
}
