//! The texts themselves: `locales/zh.ftl` and `locales/en.ftl` (Fluent),
//! built in, with an organisation's own files from `DINGWARDEN_LOCALE_DIR`
//! laid over them key by key.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

use super::Lang;

/// The built-in Chinese texts.
pub const BUILTIN_ZH: &str = include_str!("../../locales/zh.ftl");
/// The built-in English texts.
pub const BUILTIN_EN: &str = include_str!("../../locales/en.ftl");

/// A locale file that cannot be used: names the file and the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct LocaleError {
    pub file: String,
    /// 1-based; `None` when the problem is the file itself.
    pub line: Option<usize>,
    pub message: String,
}

impl LocaleError {
    fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// Both languages' texts, ready to format. Built once at start-up.
pub struct Locales {
    zh: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
    /// The override files that were applied, for the start-up log.
    overrides: Vec<String>,
}

impl fmt::Debug for Locales {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Locales")
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

impl Locales {
    /// The built-in texts alone. The files are checked by tests, so this
    /// cannot fail in a released binary.
    pub fn builtin() -> Self {
        match Self::load(None) {
            Ok(l) => l,
            Err(e) => panic!("built-in locale file is broken: {e}"),
        }
    }

    /// The built-in texts with the files in `dir` (`zh.ftl`, `en.ftl`, either
    /// optional) overriding individual keys. Anything wrong with an override
    /// file is an error naming the file and line.
    pub fn load(dir: Option<&Path>) -> Result<Self, LocaleError> {
        Self::load_with(BUILTIN_ZH, BUILTIN_EN, dir)
    }

    /// [`Locales::load`] with other built-in texts (for tests).
    pub fn load_with(zh: &str, en: &str, dir: Option<&Path>) -> Result<Self, LocaleError> {
        let builtin = Texts {
            zh: variables(&parse("locales/zh.ftl (built in)", zh)?),
            en: variables(&parse("locales/en.ftl (built in)", en)?),
        };
        let mut zh = bundle(Lang::Zh, parse("locales/zh.ftl (built in)", zh)?);
        let mut en = bundle(Lang::En, parse("locales/en.ftl (built in)", en)?);
        let mut overrides = Vec::new();
        if let Some(dir) = dir {
            for (lang, path, source) in read_dir(dir)? {
                let name = path.display().to_string();
                let res = parse(&name, &source)?;
                builtin.check_override(&name, &source, &res)?;
                let target = if lang == Lang::Zh { &mut zh } else { &mut en };
                target.add_resource_overriding(res);
                overrides.push(name);
            }
        }
        Ok(Self { zh, en, overrides })
    }

    /// The override files in use (empty: built-in texts only).
    pub fn overrides(&self) -> &[String] {
        &self.overrides
    }

    /// Formats text `key` in `lang` with `args`. A key missing from `lang`
    /// falls back to the other language, then to the key itself (the
    /// consistency tests make both impossible for built-in keys).
    pub fn text(&self, lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
        let (bundle, other) = match lang {
            Lang::Zh => (&self.zh, &self.en),
            Lang::En => (&self.en, &self.zh),
        };
        let Some(pattern) = [bundle, other]
            .into_iter()
            .find_map(|b| b.get_message(key).and_then(|m| m.value()).map(|p| (b, p)))
        else {
            tracing::warn!(key, "no text with this key");
            return key.to_owned();
        };
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fargs.set(*name, arg_value(value.to_string()));
        }
        let mut errors = Vec::new();
        let out = pattern
            .0
            .format_pattern(pattern.1, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, errors = ?errors, "text formatted with errors");
        }
        out.into_owned()
    }
}

/// Whole integers become Fluent numbers (so English texts can select a
/// plural form with `{ $n -> [one] … *[other] … }`); everything else,
/// including ids such as `007`, stays the string it was.
fn arg_value(s: String) -> FluentValue<'static> {
    match s.parse::<i64>() {
        Ok(n) if n.to_string() == s && n.unsigned_abs() < (1 << 53) => FluentValue::from(n),
        _ => FluentValue::from(s),
    }
}

fn bundle(lang: Lang, res: FluentResource) -> FluentBundle<FluentResource> {
    // The language decides plural categories (English: one, other).
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around placeables: they would end up in chat.
    b.set_use_isolating(false);
    b.add_resource_overriding(res);
    b
}

/// Parses one file; the first syntax error is reported with its line.
pub fn parse(name: &str, source: &str) -> Result<FluentResource, LocaleError> {
    FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
        let e = &errors[0];
        let line = line_of(source, e.pos.start);
        LocaleError::new(name, Some(line), format!("not valid Fluent: {}", e.kind))
    })
}

fn line_of(source: &str, byte: usize) -> usize {
    // An error at the very end (an unclosed `{`) belongs to the last line.
    let byte = byte.min(source.len().saturating_sub(1));
    source.as_bytes()[..byte]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line on which `key` is defined in `source`.
fn line_of_key(source: &str, key: &str) -> Option<usize> {
    source
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// `zh.ftl` and `en.ftl` in `dir`; any other `.ftl` file is an error (a
/// misnamed file would otherwise be silently ignored).
fn read_dir(dir: &Path) -> Result<Vec<(Lang, std::path::PathBuf, String)>, LocaleError> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| LocaleError::new(&name, None, format!("cannot read the directory: {e}")))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| LocaleError::new(&name, None, format!("cannot read the directory: {e}")))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
            continue;
        }
        let file = path.display().to_string();
        let lang = match path.file_stem().and_then(|s| s.to_str()) {
            Some("zh") => Lang::Zh,
            Some("en") => Lang::En,
            _ => {
                return Err(LocaleError::new(
                    &file,
                    None,
                    "unknown language file (expected zh.ftl or en.ftl)",
                ));
            }
        };
        let source = std::fs::read_to_string(&path)
            .map_err(|e| LocaleError::new(&file, None, format!("cannot read the file: {e}")))?;
        out.push((lang, path, source));
    }
    out.sort_by_key(|(lang, _, _)| lang.code());
    Ok(out)
}

/// The keys of one or both built-in files with the variables each text uses.
#[derive(Debug, Default)]
pub struct Texts {
    /// Key → variables, per language.
    pub zh: BTreeMap<String, BTreeSet<String>>,
    pub en: BTreeMap<String, BTreeSet<String>>,
}

impl Texts {
    /// The built-in texts' keys and variables.
    pub fn builtin() -> Self {
        Self {
            zh: variables(&parse_builtin(BUILTIN_ZH)),
            en: variables(&parse_builtin(BUILTIN_EN)),
        }
    }

    /// An override may only replace existing texts, and may only use the
    /// variables the program passes to that text.
    fn check_override(
        &self,
        name: &str,
        source: &str,
        res: &FluentResource,
    ) -> Result<(), LocaleError> {
        for (key, vars) in variables(res) {
            let line = line_of_key(source, &key);
            let (Some(zh), Some(en)) = (self.zh.get(&key), self.en.get(&key)) else {
                return Err(LocaleError::new(
                    name,
                    line,
                    format!("unknown key '{key}' (only built-in texts can be overridden)"),
                ));
            };
            if let Some(bad) = vars.iter().find(|v| !zh.contains(*v) && !en.contains(*v)) {
                let known: Vec<String> = zh.union(en).map(|v| format!("${v}")).collect();
                let known = if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                };
                return Err(LocaleError::new(
                    name,
                    line,
                    format!("'{key}' uses ${bad}, which this text does not have (it has: {known})"),
                ));
            }
        }
        Ok(())
    }
}

/// Parses a built-in file, keeping what parses (the tests reject errors).
fn parse_builtin(source: &str) -> FluentResource {
    FluentResource::try_new(source.to_owned()).unwrap_or_else(|(res, _)| res)
}

/// Every message of `res` with the variables its value uses.
pub fn variables(res: &FluentResource) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for entry in res.entries() {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(p) = &m.value {
                pattern_vars(p, &mut vars);
            }
            out.insert(m.id.name.to_owned(), vars);
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
            for a in &arguments.named {
                inline_vars(&a.value, out);
            }
        }
        _ => {}
    }
}
