//! The two languages the bot speaks, and where their texts come from: the
//! locale files (`locales/*.ftl`, see [`locales`]) through [`t!`](crate::t).

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, RwLock};

pub mod locales;
#[cfg(test)]
mod scan;
#[cfg(test)]
mod tests;

pub use locales::{LocaleError, Locales};

/// A user's reply language; Chinese by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language tag of an HTML page in this language.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language (the dashboard's language switch).
    pub fn other(self) -> Self {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The language's name in itself: what a switch to it is labelled.
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::En => "English",
        }
    }

    /// The stored code, falling back to Chinese for anything unknown.
    pub fn from_code(code: &str) -> Self {
        code.parse().unwrap_or_default()
    }
}

impl FromStr for Lang {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "中文" | "汉语" => Ok(Lang::Zh),
            "en" | "english" | "英文" | "英语" => Ok(Lang::En),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A count with its English noun: `en_count(1, "day", "days")` is "1 day",
/// `en_count(3, "day", "days")` is "3 days". (Chinese needs no plural.)
pub fn en_count<N>(n: N, one: &str, many: &str) -> String
where
    N: Copy + fmt::Display + TryInto<i64>,
{
    let noun = if n.try_into().is_ok_and(|v| v == 1) {
        one
    } else {
        many
    };
    format!("{n} {noun}")
}

static BUILTIN: LazyLock<Arc<Locales>> = LazyLock::new(|| Arc::new(Locales::builtin()));
static INSTALLED: RwLock<Option<Arc<Locales>>> = RwLock::new(None);

/// The built-in texts (what tests and commands without a configuration use).
pub fn builtin() -> Arc<Locales> {
    Arc::clone(&BUILTIN)
}

/// Makes `locales` (built-in texts plus the organisation's overrides, see
/// `DINGWARDEN_LOCALE_DIR`) the texts every [`t!`](crate::t) formats from.
pub fn install(locales: Arc<Locales>) {
    let mut slot = INSTALLED.write().unwrap_or_else(|e| e.into_inner());
    *slot = Some(locales);
}

/// The texts in use: the installed ones, else the built-in ones.
pub fn current() -> Arc<Locales> {
    let slot = INSTALLED.read().unwrap_or_else(|e| e.into_inner());
    slot.clone().unwrap_or_else(builtin)
}

/// What separates the items of a list written out in a sentence (`、`, `, `).
pub fn list_separator(lang: Lang) -> String {
    crate::t!(lang, "list-separator")
}

/// Formats text `key` in `lang`; what [`t!`](crate::t) expands to.
pub fn text(lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    current().text(lang, key, args)
}

/// `t!(lang, "notice-status-header")`, or with arguments for the text's
/// variables: `t!(lang, "quiz-question", n = i + 1, total)` (a bare name
/// passes the variable of that name). Arguments are formatted with
/// `Display`; whole numbers can drive Fluent plural selection.
#[macro_export]
macro_rules! t {
    ($lang:expr, $key:literal $(,)?) => {
        $crate::i18n::text($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident $(= $val:expr)?),+ $(,)?) => {
        $crate::i18n::text(
            $lang,
            $key,
            &[$((stringify!($name), &$crate::t!(@arg $name $(= $val)?) as &dyn ::std::fmt::Display)),+],
        )
    };
    (@arg $name:ident) => { $name };
    (@arg $name:ident = $val:expr) => { $val };
}

/// The inline form texts were written in before the locale files:
/// `tr!(lang, "中文", "English")`, or with `format!` arguments shared by both:
/// `tr!(lang, "第 {n} 题", "Question {n}", n = 3)`. Still accepted while
/// code is written; `python3 tools/locale_convert.py` moves every use into
/// the locale files (and a test fails while any is left).
#[macro_export]
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh),
            $crate::i18n::Lang::En => format!($en),
        }
    };
    ($lang:expr, $zh:literal, $en:literal, $($args:tt)+) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh, $($args)+),
            $crate::i18n::Lang::En => format!($en, $($args)+),
        }
    };
}
