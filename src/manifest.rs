//! bot-manifest/: what is registered with DingTalk. `dingwarden manifest
//! check` (and a test) prove its command catalogue equals the parser's.

use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

use crate::commands::catalogue::CATALOGUE;
use crate::i18n::Lang;

/// The manifest shipped in the repository, compiled in as a fallback.
pub const BUNDLED: &str = include_str!("../bot-manifest/manifest.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub bot: Bot,
    pub callbacks: Callbacks,
    pub permissions: Vec<Permission>,
    pub commands: Vec<ManifestCommand>,
}

#[derive(Debug, Deserialize)]
pub struct Bot {
    pub name: String,
    pub display_name: Texts,
    pub description: Texts,
}

#[derive(Debug, Deserialize)]
pub struct Callbacks {
    pub robot: String,
    pub events: String,
}

#[derive(Debug, Deserialize)]
pub struct Permission {
    pub scope: String,
    pub why: String,
}

#[derive(Debug, Deserialize)]
pub struct Texts {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestCommand {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub role: String,
    pub usage: Texts,
    pub help: Texts,
    /// Whole messages that mean the command (`收到` for `ack`).
    #[serde(default)]
    pub phrasings: Phrasings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrasings {
    #[serde(default)]
    pub zh: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
}

/// Every disagreement between `text` (a manifest) and the parser's catalogue.
pub fn problems(text: &str) -> Vec<String> {
    let manifest: Manifest = match toml::from_str(text) {
        Ok(m) => m,
        Err(e) => return vec![format!("manifest is not valid: {}", e.message())],
    };
    let mut out = Vec::new();
    if manifest.callbacks.robot != "/dingtalk/robot" {
        out.push(format!(
            "callbacks.robot is {}, the service serves /dingtalk/robot",
            manifest.callbacks.robot
        ));
    }
    if manifest.callbacks.events != "/dingtalk/events" {
        out.push(format!(
            "callbacks.events is {}, expected /dingtalk/events",
            manifest.callbacks.events
        ));
    }
    for spec in CATALOGUE {
        let Some(m) = manifest.commands.iter().find(|c| c.name == spec.name) else {
            out.push(format!(
                "command '{}' is missing from the manifest",
                spec.name
            ));
            continue;
        };
        let mut differs = |what: &str, ours: &str, theirs: &str| {
            if ours != theirs {
                out.push(format!(
                    "command '{}': {what} is '{theirs}' in the manifest, '{ours}' in the parser",
                    spec.name
                ));
            }
        };
        differs("aliases", &spec.aliases.join(", "), &m.aliases.join(", "));
        differs("role", spec.access.as_str(), &m.role);
        differs("usage.en", &spec.usage(Lang::En), &m.usage.en);
        differs("usage.zh", &spec.usage(Lang::Zh), &m.usage.zh);
        differs("help.en", &spec.help(Lang::En), &m.help.en);
        differs("help.zh", &spec.help(Lang::Zh), &m.help.zh);
        let (zh, en) = (&m.phrasings.zh, &m.phrasings.en);
        differs(
            "phrasings.zh",
            &spec.phrasings_zh.join(", "),
            &zh.join(", "),
        );
        differs(
            "phrasings.en",
            &spec.phrasings_en.join(", "),
            &en.join(", "),
        );
    }
    for m in &manifest.commands {
        if !CATALOGUE.iter().any(|s| s.name == m.name) {
            out.push(format!(
                "command '{}' is in the manifest but the parser does not know it",
                m.name
            ));
        }
    }
    out
}

/// Renders the catalogue's `[[commands]]` tables (used to regenerate the manifest).
pub fn render_commands() -> String {
    let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let list = |l: &[&str]| l.iter().map(|a| q(a)).collect::<Vec<_>>().join(", ");
    let mut out = String::new();
    for s in CATALOGUE {
        out.push_str(&format!(
            "[[commands]]\nname = {}\naliases = [{}]\nrole = {}\nusage = {{ zh = {}, en = {} }}\nhelp = {{ zh = {}, en = {} }}\n",
            q(s.name), list(s.aliases), q(s.access.as_str()), q(&s.usage(Lang::Zh)), q(&s.usage(Lang::En)), q(&s.help(Lang::Zh)), q(&s.help(Lang::En))
        ));
        if s.phrasings().next().is_some() {
            out.push_str(&format!(
                "phrasings = {{ zh = [{}], en = [{}] }}\n",
                list(s.phrasings_zh),
                list(s.phrasings_en)
            ));
        }
        out.push('\n');
    }
    out
}

/// `dingwarden manifest check [--file F]`.
pub fn run_check(file: Option<&Path>) -> anyhow::Result<()> {
    let default = Path::new("bot-manifest/manifest.toml");
    let (name, text) = match file {
        Some(f) => (
            f.display().to_string(),
            std::fs::read_to_string(f).with_context(|| format!("read {}", f.display()))?,
        ),
        None if default.exists() => (
            default.display().to_string(),
            std::fs::read_to_string(default)?,
        ),
        None => ("the bundled manifest".to_owned(), BUNDLED.to_owned()),
    };
    let problems = problems(&text);
    if problems.is_empty() {
        println!("{name}: {} commands agree with the parser", CATALOGUE.len());
        return Ok(());
    }
    for p in &problems {
        eprintln!("{name}: {p}");
    }
    anyhow::bail!(
        "{} problem(s) between {name} and the parser",
        problems.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_manifest_agrees_with_the_parser() {
        assert_eq!(problems(BUNDLED), Vec::<String>::new());
    }

    #[test]
    fn drift_is_reported_by_command() {
        let edited = BUNDLED.replacen("name = \"ack\"", "name = \"acknowledge\"", 1);
        let p = problems(&edited);
        assert!(p.iter().any(|x| x.contains("'ack' is missing")), "{p:?}");
        assert!(
            p.iter()
                .any(|x| x.contains("'acknowledge' is in the manifest")),
            "{p:?}"
        );
        let edited = BUNDLED.replacen("role = \"admin\"", "role = \"everyone\"", 1);
        assert!(!problems(&edited).is_empty());
        let edited = BUNDLED.replacen("\"收到\", ", "", 1);
        let p = problems(&edited);
        assert!(p.iter().any(|x| x.contains("'ack': phrasings.zh")), "{p:?}");
    }

    /// Regenerates the manifest's commands: `cargo test print_manifest_commands -- --ignored --nocapture`.
    #[test]
    #[ignore = "prints the [[commands]] tables for bot-manifest/manifest.toml"]
    fn print_manifest_commands() {
        print!("{}", render_commands());
    }
}
