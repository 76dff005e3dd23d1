//! The two languages the bot speaks, and the one helper every reply uses.

use std::fmt;
use std::str::FromStr;

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

/// `tr!(lang, "中文", "English")`, or with `format!` arguments shared by both:
/// `tr!(lang, "第 {n} 题", "Question {n}", n = 3)`.
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

#[cfg(test)]
mod tests {
    use super::en_count;

    #[test]
    fn english_counts_agree_with_their_noun() {
        assert_eq!(en_count(1, "person", "people"), "1 person");
        assert_eq!(en_count(0, "person", "people"), "0 people");
        assert_eq!(en_count(3_usize, "day", "days"), "3 days");
        assert_eq!(en_count(-1_i64, "day", "days"), "-1 days");
    }
}
