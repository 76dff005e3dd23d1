//! The locale files agree with each other and with the code, and overrides
//! are applied key by key or refused with file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::locales::{BUILTIN_EN, BUILTIN_ZH, Texts, parse};
use super::{Lang, Locales, en_count, scan};

fn missing<'a>(
    a: &'a BTreeMap<String, BTreeSet<String>>,
    b: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<&'a String> {
    a.keys().filter(|k| !b.contains_key(*k)).collect()
}

#[test]
fn the_built_in_files_parse() {
    parse("zh.ftl", BUILTIN_ZH).expect("locales/zh.ftl");
    parse("en.ftl", BUILTIN_EN).expect("locales/en.ftl");
}

#[test]
fn every_key_is_in_both_languages() {
    let t = Texts::builtin();
    let (no_en, no_zh) = (missing(&t.zh, &t.en), missing(&t.en, &t.zh));
    assert!(no_en.is_empty(), "in zh.ftl but not en.ftl: {no_en:?}");
    assert!(no_zh.is_empty(), "in en.ftl but not zh.ftl: {no_zh:?}");
}

#[test]
fn both_languages_use_the_same_variables() {
    let t = Texts::builtin();
    let differ: Vec<String> =
        t.zh.iter()
            .filter_map(|(k, zh)| {
                let en = t.en.get(k)?;
                (zh != en).then(|| format!("{k}: zh {zh:?}, en {en:?}"))
            })
            .collect();
    assert!(
        differ.is_empty(),
        "placeholders differ:\n{}",
        differ.join("\n")
    );
}

/// The texts the code uses through `t!`. (Each command's usage and help,
/// `command-…`, are checked by the catalogue's own test.)
fn code() -> scan::Scan {
    scan::scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn no_inline_texts_are_left_in_the_code() {
    let inline = code().inline;
    assert!(
        inline.is_empty(),
        "texts still written inline; run `python3 tools/locale_convert.py && cargo fmt`:\n{}",
        inline.join("\n")
    );
}

#[test]
fn every_key_the_code_uses_exists_with_the_arguments_it_needs() {
    let t = Texts::builtin();
    let mut problems = Vec::new();
    for u in code().uses {
        let Some(vars) = t.zh.get(&u.key) else {
            problems.push(format!("{}: no text '{}'", u.file, u.key));
            continue;
        };
        let vars: BTreeSet<&String> = vars.iter().chain(&t.en[&u.key]).collect();
        let args: BTreeSet<&String> = u.args.iter().collect();
        for v in vars.difference(&args) {
            problems.push(format!("{}: '{}' needs ${v}, not passed", u.file, u.key));
        }
        for a in args.difference(&vars) {
            problems.push(format!(
                "{}: '{}' is passed {a}, which it does not use",
                u.file, u.key
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The keys of the catalogue's texts (checked in `commands::catalogue`).
const COMMAND_TEXTS: &str = "command-";

#[test]
fn every_key_is_used_by_the_code() {
    let used: BTreeSet<String> = code().uses.into_iter().map(|u| u.key).collect();
    let texts = Texts::builtin();
    let unused: Vec<&String> = texts
        .zh
        .keys()
        .filter(|k| !used.contains(*k) && !k.starts_with(COMMAND_TEXTS))
        .collect();
    assert!(
        unused.is_empty(),
        "keys no code uses (remove them): {unused:?}"
    );
}

#[test]
fn english_counts_agree_with_their_noun() {
    assert_eq!(en_count(1, "person", "people"), "1 person");
    assert_eq!(en_count(0, "person", "people"), "0 people");
    assert_eq!(en_count(3_usize, "day", "days"), "3 days");
    assert_eq!(en_count(-1_i64, "day", "days"), "-1 days");
}

const ZH: &str = "greet = 你好，{ $name }\ncount = 共 { $n } 项\nid = 编号 { $id }\n";
const EN: &str = "greet = Hello, { $name }\ncount = { $n ->\n    [one] one item\n   *[other] { $n } items\n}\nid = Number { $id }\n";

fn text(l: &Locales, lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    l.text(lang, key, args)
}

#[test]
fn arguments_are_plain_text_and_whole_numbers_select_plurals() {
    let l = Locales::load_with(ZH, EN, None).expect("load");
    // No Unicode isolation marks around the name.
    assert_eq!(
        text(&l, Lang::En, "greet", &[("name", &"Ann")]),
        "Hello, Ann"
    );
    assert_eq!(text(&l, Lang::Zh, "greet", &[("name", &"安")]), "你好，安");
    assert_eq!(text(&l, Lang::En, "count", &[("n", &1)]), "one item");
    assert_eq!(text(&l, Lang::En, "count", &[("n", &3)]), "3 items");
    assert_eq!(text(&l, Lang::Zh, "count", &[("n", &1)]), "共 1 项");
    // Ids keep their digits; decimals their format.
    assert_eq!(text(&l, Lang::En, "id", &[("id", &"007")]), "Number 007");
    assert_eq!(text(&l, Lang::En, "id", &[("id", &"1.50")]), "Number 1.50");
    // An unknown key names itself rather than failing.
    assert_eq!(text(&l, Lang::En, "nope", &[]), "nope");
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).expect("write");
    }
    dir
}

#[test]
fn an_override_file_replaces_single_keys_of_one_language() {
    let dir = dir_with(&[("zh.ftl", "# 公司用语\ngreet = 您好，{ $name }！\n")]);
    let l = Locales::load_with(ZH, EN, Some(dir.path())).expect("load");
    assert_eq!(
        text(&l, Lang::Zh, "greet", &[("name", &"安")]),
        "您好，安！"
    );
    assert_eq!(text(&l, Lang::Zh, "id", &[("id", &5)]), "编号 5");
    assert_eq!(
        text(&l, Lang::En, "greet", &[("name", &"Ann")]),
        "Hello, Ann"
    );
    assert_eq!(l.overrides().len(), 1);
}

fn refused(files: &[(&str, &str)]) -> String {
    let dir = dir_with(files);
    let e = Locales::load_with(ZH, EN, Some(dir.path())).expect_err("refused");
    e.to_string()
        .replace(&dir.path().display().to_string(), "DIR")
}

#[test]
fn a_bad_override_file_is_refused_naming_file_and_line() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("en.ftl", "# ok\ngreet = Hi { $name }\ncount = { $n\n")],
            "DIR/en.ftl:3: not valid Fluent",
        ),
        (
            &[("zh.ftl", "greet = 嗨\n\ngreeting = 嗨\n")],
            "DIR/zh.ftl:3: unknown key 'greeting'",
        ),
        (
            &[("zh.ftl", "\ngreet = 嗨 { $nmae }\n")],
            "DIR/zh.ftl:2: 'greet' uses $nmae, which this text does not have (it has: $name)",
        ),
        (
            &[("fr.ftl", "greet = Salut\n")],
            "DIR/fr.ftl: unknown language file",
        ),
    ];
    for (files, want) in cases {
        let got = refused(files);
        assert!(got.starts_with(want), "{files:?}: got {got}, want {want}");
    }
    let e =
        Locales::load_with(ZH, EN, Some(Path::new("/nonexistent/locales"))).expect_err("no dir");
    assert!(
        e.to_string()
            .starts_with("/nonexistent/locales: cannot read"),
        "{e}"
    );
}

#[test]
fn the_built_in_texts_load_with_an_empty_override_directory() {
    let dir = dir_with(&[("README.txt", "not a locale file")]);
    let l = Locales::load(Some(dir.path())).expect("load");
    assert!(l.overrides().is_empty());
}
