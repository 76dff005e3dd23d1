//! Quiz storage: bank versions and their questions ([`banks`]), attempts,
//! answers and spaced repetition ([`attempts`], [`review`]), campaigns and
//! their reminder bookkeeping ([`campaigns`]), and reports ([`stats`]).

pub mod attempts;
pub mod banks;
pub mod campaigns;
pub mod review;
pub mod stats;

use crate::domain::quiz::Text;

/// The texts stored as `…_zh` / `…_en` column pairs.
fn text(zh: String, en: String) -> Text {
    Text { zh, en }
}

/// An optional stored pair: present when either language is.
fn opt_text(zh: Option<String>, en: Option<String>) -> Option<Text> {
    match (zh, en) {
        (None, None) => None,
        (zh, en) => Some(Text {
            zh: zh.unwrap_or_default(),
            en: en.unwrap_or_default(),
        }),
    }
}
