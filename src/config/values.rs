//! Parsing of individual setting values; each error names what was expected.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::i18n::Locales;

use super::{ConfigError, CustomRobot, DEFAULT_DATABASE_URL, Sources, VARIABLES, err};

pub(super) fn parse<T>(
    src: &Sources,
    var: &str,
    default: &str,
    f: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let raw = src.get(var).unwrap_or(default);
    f(raw.trim()).map_err(|m| err(var, format!("{m} (got '{raw}')")))
}

pub(super) fn database_url(src: &Sources) -> Result<String, ConfigError> {
    let url = src
        .get("DINGWARDEN_DATABASE_URL")
        .unwrap_or(DEFAULT_DATABASE_URL)
        .trim()
        .to_owned();
    if url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://")
    {
        Ok(url)
    } else {
        Err(err(
            "DINGWARDEN_DATABASE_URL",
            "must start with sqlite: or postgres://",
        ))
    }
}

/// The texts, with the organisation's files from `DINGWARDEN_LOCALE_DIR`
/// over the built-in ones; a bad file stops start-up naming file and line.
pub(super) fn locales(src: &Sources) -> Result<Arc<Locales>, ConfigError> {
    match src.get("DINGWARDEN_LOCALE_DIR").map(str::trim) {
        None | Some("") => Ok(crate::i18n::builtin()),
        Some(dir) => Locales::load(Some(Path::new(dir)))
            .map(Arc::new)
            .map_err(|e| err("DINGWARDEN_LOCALE_DIR", e.to_string())),
    }
}

pub(super) fn event_aes_key(src: &Sources) -> Result<Option<SecretString>, ConfigError> {
    match src.get("DINGTALK_EVENT_AES_KEY") {
        None => Ok(None),
        Some(k) if k.len() == 43 && k.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Ok(Some(SecretString::from(k.to_owned())))
        }
        Some(_) => Err(err(
            "DINGTALK_EVENT_AES_KEY",
            "must be exactly 43 letters and digits",
        )),
    }
}

pub(super) fn parse_base(s: &str) -> Result<Url, String> {
    let url = Url::parse(s).map_err(|e| format!("invalid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("expected an http(s) URL".into());
    }
    Ok(url)
}

/// `DINGWARDEN_PUBLIC_URL`, if set (its value is never echoed: it could
/// carry credentials).
pub(super) fn public_url(src: &Sources) -> Result<Option<Url>, ConfigError> {
    src.get("DINGWARDEN_PUBLIC_URL")
        .map(parse_public_url)
        .transpose()
        .map_err(|m| err("DINGWARDEN_PUBLIC_URL", m))
}

/// An absolute http(s) URL with a host, no query, fragment or credentials.
fn parse_public_url(s: &str) -> Result<Url, String> {
    let url = parse_base(s.trim())?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(
            "must not have a query or fragment (expected e.g. https://sec.example.com)".into(),
        );
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user name or password".into());
    }
    Ok(url)
}

impl super::Config {
    /// `{public_url}{path}` (`path` starts with `/`), when a public URL is set.
    pub fn public_link(&self, path: &str) -> Option<String> {
        let base = self.public_url.as_ref()?;
        Some(format!("{}{path}", base.as_str().trim_end_matches('/')))
    }
}

pub(super) fn parse_bool(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

pub(super) fn parse_secs(s: &str) -> Result<Duration, String> {
    match s.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n)),
        _ => Err("expected a positive number of seconds".into()),
    }
}

/// A number of days (0–3650), or `off`.
pub(super) fn parse_days_or_off(s: &str) -> Result<Option<u32>, String> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match s.parse::<u32>() {
        Ok(n) if n <= 3650 => Ok(Some(n)),
        _ => Err("expected a number of days (0-3650) or off".into()),
    }
}

pub(super) fn parse_days(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n <= 365 => Ok(n),
        _ => Err("expected a number of days from 0 to 365".into()),
    }
}

pub(super) fn parse_positive(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a positive whole number".into()),
    }
}

/// `name=ACCESS_TOKEN[:SECRET],…` (the secret is the robot's `SEC…` string).
pub(super) fn parse_robots(s: &str) -> Result<Vec<CustomRobot>, String> {
    let mut robots: Vec<CustomRobot> = Vec::new();
    for item in split_list(s) {
        let (name, rest) = item
            .split_once('=')
            .ok_or("expected name=ACCESS_TOKEN[:SECRET], comma-separated")?;
        let (token, secret) = match rest.split_once(':') {
            Some((t, sec)) => (t.trim(), Some(sec.trim())),
            None => (rest.trim(), None),
        };
        let name = name.trim();
        if name.is_empty() || token.is_empty() || secret.is_some_and(str::is_empty) {
            return Err(format!("robot '{name}' needs a name and an access token"));
        }
        if robots.iter().any(|r| r.name == name) {
            return Err(format!("robot '{name}' is listed twice"));
        }
        robots.push(CustomRobot {
            name: name.to_owned(),
            access_token: SecretString::from(token.to_owned()),
            secret: secret.map(|x| SecretString::from(x.to_owned())),
        });
    }
    Ok(robots)
}

/// Splits a comma-separated list, dropping blanks.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn random_secret() -> String {
    use rand::Rng;
    rand::thread_rng()
        .sample_iter(rand::distributions::Alphanumeric)
        .take(48)
        .map(char::from)
        .collect()
}

pub(super) fn read_toml(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let name = format!("--config {}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| err(&name, e.to_string()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| err(&name, e.message().to_owned()))?;
    let mut out = HashMap::new();
    for (key, value) in table {
        let var = key.to_ascii_uppercase();
        if !VARIABLES.contains(&var.as_str()) {
            return Err(err(&name, format!("unknown setting '{key}'")));
        }
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            other => {
                return Err(err(
                    &name,
                    format!("'{key}' has an unsupported value {other}"),
                ));
            }
        };
        out.insert(var, value);
    }
    Ok(out)
}

/// The shortest bootstrap token accepted: it is shared and never expires.
pub const MIN_ADMIN_TOKEN_CHARS: usize = 32;

/// `DINGWARDEN_ADMIN_TOKEN`: at least [`MIN_ADMIN_TOKEN_CHARS`] characters
/// (the error never echoes it).
pub(super) fn admin_token(src: &Sources) -> Result<Option<SecretString>, ConfigError> {
    match src.get("DINGWARDEN_ADMIN_TOKEN").map(str::trim) {
        None => Ok(None),
        Some(t) if t.chars().count() >= MIN_ADMIN_TOKEN_CHARS => {
            Ok(Some(SecretString::from(t.to_owned())))
        }
        Some(_) => Err(err(
            "DINGWARDEN_ADMIN_TOKEN",
            format!(
                "is shorter than {MIN_ADMIN_TOKEN_CHARS} characters; use a long random value \
                 (e.g. `openssl rand -hex 32`) or unset it and use personal API tokens"
            ),
        )),
    }
}

/// `DINGWARDEN_TRUSTED_PROXIES`: addresses or CIDR blocks, comma-separated
/// (a bare address is a block of one).
pub(super) fn parse_networks(s: &str) -> Result<Vec<ipnet::IpNet>, String> {
    split_list(s)
        .iter()
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("'{item}' is not an IP address or CIDR block"))
        })
        .collect()
}
