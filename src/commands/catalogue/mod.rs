//! The command catalogue: one entry per command with its aliases, who may
//! run it and its examples; its usage line and help text are in the locale
//! files (`command-NAME-usage`, `command-NAME-help`). `help`, authorisation
//! and bot-manifest/ all derive from this table.

use crate::domain::Access;
use crate::i18n::Lang;

/// One command as users see it.
#[derive(Debug, PartialEq, Eq)]
pub struct CommandSpec {
    /// Canonical English name; equals [`super::Command::key`].
    pub name: &'static str,
    /// Chinese forms of the name.
    pub aliases: &'static [&'static str],
    pub access: Access,
    /// Texts that must parse to this command (checked by tests and `manifest check`).
    pub examples: &'static [&'static str],
    /// Whether the command works in this build; unavailable ones are left out of `help`.
    pub available: bool,
    /// Whole messages people type instead of the command (`收到` for `ack`),
    /// in Chinese and in English; each means the command without arguments.
    pub phrasings_zh: &'static [&'static str],
    pub phrasings_en: &'static [&'static str],
}

impl CommandSpec {
    /// The usage line (`notice send ID to …`) in `lang`.
    pub fn usage(&self, lang: Lang) -> String {
        crate::i18n::text(lang, &Self::text_key(self.name, "usage"), &[])
    }

    /// The one-line help in `lang`.
    pub fn help(&self, lang: Lang) -> String {
        crate::i18n::text(lang, &Self::text_key(self.name, "help"), &[])
    }

    /// The locale key of a command's text: `quiz list`, `usage` →
    /// `command-quiz-list-usage`.
    pub fn text_key(name: &str, what: &str) -> String {
        let stem: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        format!("command-{stem}-{what}")
    }

    /// The phrasings in both languages.
    pub fn phrasings(&self) -> impl Iterator<Item = &'static str> {
        self.phrasings_zh.iter().chain(self.phrasings_en).copied()
    }
}

/// `spec!(name, [aliases], access, [examples], available)`, optionally
/// followed by the phrasings `[Chinese…], [English…]` (the words people type
/// instead of the command: input, so they stay here).
macro_rules! spec {
    ($name:literal, [$($alias:literal),*], $access:ident, [$($ex:literal),*], $available:literal
     $(, [$($zh:literal),*], [$($en:literal),*])? $(,)?) => {
        CommandSpec {
            name: $name, aliases: &[$($alias),*], access: Access::$access,
            examples: &[$($ex),*], available: $available,
            phrasings_zh: &[$($($zh),*)?], phrasings_en: &[$($($en),*)?],
        }
    };
    // Texts still inline: `tools/locale_convert.py` moves them to the locale
    // files (and the i18n tests fail until it has).
    ($name:literal, [$($alias:literal),*], $usage_en:literal, $usage_zh:literal, $access:ident,
     $help_en:literal, $help_zh:literal, [$($ex:literal),*], $available:literal
     $(, [$($zh:literal),*], [$($en:literal),*])? $(,)?) => {
        spec!($name, [$($alias),*], $access, [$($ex),*], $available
            $(, [$($zh),*], [$($en),*])?)
    };
}

mod table;

pub use table::CATALOGUE;

/// The catalogue entry for a command name.
pub fn spec(name: &str) -> Option<&'static CommandSpec> {
    CATALOGUE.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::{CATALOGUE, CommandSpec};
    use crate::i18n::locales::Texts;

    #[test]
    fn every_command_has_its_texts_and_every_command_text_a_command() {
        let texts = Texts::builtin();
        let mut keys: Vec<String> = Vec::new();
        for spec in CATALOGUE {
            for what in ["usage", "help"] {
                let key = CommandSpec::text_key(spec.name, what);
                assert!(texts.zh.contains_key(&key), "{key} missing in zh.ftl");
                assert!(texts.en.contains_key(&key), "{key} missing in en.ftl");
                assert!(texts.zh[&key].is_empty(), "{key} takes no variables");
                keys.push(key);
            }
        }
        let stray: Vec<&String> = texts
            .zh
            .keys()
            .filter(|k| k.starts_with("command-") && !keys.contains(k))
            .collect();
        assert!(stray.is_empty(), "texts of no command: {stray:?}");
    }
}
