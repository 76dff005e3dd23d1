//! Credential-shaped tokens, recognised whatever surrounds them: known key
//! and token formats, private-key blocks, URLs carrying a password, and
//! high-entropy mixed-class strings.

use super::{Classes, is_benign, is_cjk, is_separator, normalise, trim_token, wordlike};

/// A token that is a credential whatever surrounds it: a known key format,
/// a private-key block, a URL carrying a password, or a high-entropy
/// mixed-class string.
pub fn contains_credential_token(text: &str) -> bool {
    let text = normalise(text);
    if text.contains("PRIVATE KEY-----") || text.contains("PRIVATE KEY BLOCK-----") {
        return true;
    }
    text.split(|c: char| c.is_whitespace() || is_cjk(c) || is_separator(c))
        .map(trim_token)
        .any(|t| {
            url_with_password(t)
                || high_entropy(t)
                || t.split(['=', ':']).map(trim_token).any(known_format)
        })
}

/// Prefixes of well-known key and token formats, with the least length of the rest.
const KNOWN_PREFIXES: &[(&str, usize)] = &[
    ("ghp_", 30),
    ("gho_", 30),
    ("ghu_", 30),
    ("ghs_", 30),
    ("ghr_", 30),
    ("github_pat_", 20),
    ("glpat-", 20),
    ("sk-", 20),
    ("xoxb-", 10),
    ("xoxp-", 10),
    ("xoxa-", 10),
    ("xoxr-", 10),
    ("xoxs-", 10),
    ("AIza", 30),
];

fn known_format(t: &str) -> bool {
    let key_chars = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let prefixed = KNOWN_PREFIXES.iter().any(|(p, min)| {
        t.strip_prefix(p)
            .is_some_and(|rest| rest.len() >= *min && key_chars(rest) && !wordlike(rest))
    });
    prefixed || cloud_key_id(t) || is_jwt(t)
}

/// AWS (AKIA/ASIA…), Alibaba Cloud (LTAI…) and Tencent Cloud (AKID…) key ids.
fn cloud_key_id(t: &str) -> bool {
    let upper_alnum = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    let aws = ["AKIA", "ASIA"].iter().any(|p| {
        t.strip_prefix(p)
            .is_some_and(|rest| rest.len() == 16 && upper_alnum(rest))
    });
    let aliyun = t.strip_prefix("LTAI").is_some_and(|rest| {
        (12..=30).contains(&rest.len()) && alnum(rest) && Classes::of(rest).count() >= 2
    });
    let tencent = t
        .strip_prefix("AKID")
        .is_some_and(|rest| rest.len() >= 28 && alnum(rest));
    aws || aliyun || tencent
}

fn is_jwt(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && t.len() >= 30
        && parts.iter().all(|p| {
            p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '=')
        })
}

/// `scheme://user:password@host…`
fn url_with_password(t: &str) -> bool {
    let Some((_, rest)) = t.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _host)) = authority.rsplit_once('@') else {
        return false;
    };
    userinfo
        .split_once(':')
        .is_some_and(|(_user, pass)| !pass.is_empty())
}

/// A password-shaped or random-looking string: all four classes (with
/// password punctuation), or a long mixed-case alphanumeric string whose
/// character classes keep changing (random, unlike camelCase names).
fn high_entropy(t: &str) -> bool {
    let len = t.chars().count();
    if len < 8 || is_benign(t) {
        return false;
    }
    let c = Classes::of(t);
    if c.lower && c.upper && c.digit && c.special {
        return true;
    }
    let base64ish = t
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '/' | '=' | '_' | '-'));
    len >= 20 && base64ish && c.lower && c.upper && c.digit && looks_random(t)
}

/// Random strings change character class often and have short lowercase
/// runs and several digits; camelCase names (`getUserById2FromDb`) have
/// long lowercase runs.
fn looks_random(t: &str) -> bool {
    let len = t.chars().count();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let upper = t.chars().filter(char::is_ascii_uppercase).count();
    let lower_runs: Vec<usize> = t
        .split(|c: char| !c.is_ascii_lowercase())
        .filter(|r| !r.is_empty())
        .map(str::len)
        .collect();
    let lower_total: usize = lower_runs.iter().sum();
    let short_runs = lower_total * 2 <= lower_runs.len() * 5; // mean run ≤ 2.5
    digits >= 2 && upper >= 2 && short_runs && class_changes(t) * 3 >= len
}

/// How often adjacent characters differ in class (lower, upper, digit, other).
fn class_changes(t: &str) -> usize {
    let class = |c: char| {
        if c.is_ascii_lowercase() {
            0
        } else if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            3
        }
    };
    let v: Vec<u8> = t.chars().map(class).collect();
    v.windows(2).filter(|w| w[0] != w[1]).count()
}
