//! Where the chat client finds the instance and its app secret: the file
//! `serve --dev` writes on every start (a new random secret each time), and
//! what to do when the server stops accepting the secret the client holds.

use anyhow::Context as _;
use serde::Deserialize;

use crate::startup::DEV_FILE;

/// What `serve --dev` wrote to [`DEV_FILE`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct DevFile {
    pub url: String,
    pub app_secret: String,
}

/// The instance the client signs callbacks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub base: String,
    pub secret: String,
    /// The URL came from `--url`, not from the dev file.
    pub url_pinned: bool,
    /// The secret came from `DINGTALK_APP_SECRET`.
    pub secret_from_env: bool,
}

const DEFAULT_URL: &str = "http://127.0.0.1:8080";

/// Reads [`DEV_FILE`] in the working directory, if it is there and valid.
pub fn read() -> Option<DevFile> {
    std::fs::read(DEV_FILE)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
}

impl Target {
    /// From `--url`, `DINGTALK_APP_SECRET` and the dev file, in that order.
    pub fn find(
        url: Option<&str>,
        env_secret: Option<String>,
        dev: Option<DevFile>,
    ) -> anyhow::Result<Self> {
        let secret_from_env = env_secret.is_some();
        let secret = env_secret
            .or_else(|| dev.as_ref().map(|d| d.app_secret.clone()))
            .context(format!(
                "no app secret: set DINGTALK_APP_SECRET or run `serve --dev` here (it writes {DEV_FILE})"
            ))?;
        let base = url
            .map(str::to_owned)
            .or_else(|| dev.map(|d| d.url))
            .unwrap_or_else(|| DEFAULT_URL.to_owned());
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            secret,
            url_pinned: url.is_some(),
            secret_from_env,
        })
    }

    /// After the server refused the signature: the target a fresh read of
    /// the dev file points to, or `None` if it offers nothing new. A dev file
    /// for another URL than a pinned `--url` is not this instance's.
    pub fn refreshed(&self, dev: Option<&DevFile>) -> Option<Self> {
        let dev = dev?;
        let dev_base = dev.url.trim_end_matches('/');
        if self.url_pinned && dev_base != self.base {
            return None;
        }
        let next = Self {
            base: if self.url_pinned {
                self.base.clone()
            } else {
                dev_base.to_owned()
            },
            secret: dev.app_secret.clone(),
            url_pinned: self.url_pinned,
            secret_from_env: false,
        };
        (next.base != self.base || next.secret != self.secret).then_some(next)
    }

    /// The one line saying what changed when switching to `next`.
    pub fn switch_note(&self, next: &Self) -> String {
        match (next.secret != self.secret, next.base != self.base) {
            (true, true) => format!(
                "the server restarted at {} with a new secret; using them now",
                next.base
            ),
            (false, true) => format!("the server moved to {}; using it now", next.base),
            _ => "the server restarted with a new secret; using it now".to_owned(),
        }
    }

    /// What to do when the signature is refused and nothing newer is known.
    pub fn stale_hint(&self) -> String {
        let fix = if self.secret_from_env {
            "DINGTALK_APP_SECRET does not match the server's secret: unset it to use \
             ./dingwarden.dev.json, or set it to the secret the server printed"
        } else {
            "./dingwarden.dev.json has no newer secret for it: start `chat` in the \
             directory where `serve --dev` runs (or set DINGTALK_APP_SECRET to the \
             secret the server printed)"
        };
        format!("the server at {} refused the signature; {fix}", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(url: &str, secret: &str) -> DevFile {
        DevFile {
            url: url.to_owned(),
            app_secret: secret.to_owned(),
        }
    }

    const A: &str = "http://127.0.0.1:8080";
    const B: &str = "http://127.0.0.1:9090";

    #[test]
    fn target_prefers_flag_then_env_then_dev_file() {
        let t = Target::find(None, None, Some(dev("http://x:1/", "s"))).unwrap();
        assert_eq!((t.base.as_str(), t.secret.as_str()), ("http://x:1", "s"));
        assert!(!t.url_pinned && !t.secret_from_env);
        let t = Target::find(Some(A), Some("e".into()), Some(dev(B, "s"))).unwrap();
        assert_eq!((t.base.as_str(), t.secret.as_str()), (A, "e"));
        assert!(t.url_pinned && t.secret_from_env);
        assert!(Target::find(None, None, None).is_err());
        assert_eq!(
            Target::find(None, Some("e".into()), None).unwrap().base,
            DEFAULT_URL
        );
    }

    #[test]
    fn a_restart_with_a_new_secret_is_picked_up() {
        let t = Target::find(None, None, Some(dev(A, "old"))).unwrap();
        let next = t.refreshed(Some(&dev(A, "new"))).unwrap();
        assert_eq!((next.base.as_str(), next.secret.as_str()), (A, "new"));
        assert_eq!(
            t.switch_note(&next),
            "the server restarted with a new secret; using it now"
        );
        let moved = t.refreshed(Some(&dev(B, "new"))).unwrap();
        assert_eq!(moved.base, B);
        assert!(t.switch_note(&moved).contains(B));
    }

    #[test]
    fn nothing_new_means_no_switch() {
        let t = Target::find(None, None, Some(dev(A, "same"))).unwrap();
        assert_eq!(t.refreshed(Some(&dev(A, "same"))), None);
        assert_eq!(t.refreshed(None), None);
        assert!(t.stale_hint().contains("where `serve --dev` runs"));
    }

    #[test]
    fn a_pinned_url_only_takes_its_own_dev_file() {
        let t = Target::find(Some(A), None, Some(dev(A, "old"))).unwrap();
        assert_eq!(t.refreshed(Some(&dev(B, "new"))), None);
        let next = t.refreshed(Some(&dev(A, "new"))).unwrap();
        assert_eq!((next.base.as_str(), next.secret.as_str()), (A, "new"));
    }

    #[test]
    fn an_env_secret_gives_way_to_the_dev_file_of_the_same_instance() {
        let t = Target::find(None, Some("env".into()), Some(dev(A, "dev"))).unwrap();
        assert!(
            t.stale_hint()
                .contains("DINGTALK_APP_SECRET does not match")
        );
        let next = t.refreshed(Some(&dev(A, "dev"))).unwrap();
        assert_eq!(next.secret, "dev");
        assert!(!next.secret_from_env);
    }
}
